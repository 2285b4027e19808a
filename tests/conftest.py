"""Shared pytest set-up: markers, and nbval collection hooks for the lesson notebooks."""
from __future__ import annotations

import matplotlib

# Tests never open windows: draw figures off-screen. (Only in this process: setting MPLBACKEND in the
# environment would leak into kernels started from here, where it stops plt.show() from displaying.)
matplotlib.use("Agg")
