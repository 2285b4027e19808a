"""Shared pytest set-up: markers, and nbval collection hooks for the lesson notebooks."""
from __future__ import annotations

import os

import matplotlib

# Tests never open windows: draw figures off-screen.
matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")
