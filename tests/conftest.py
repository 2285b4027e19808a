"""Shared pytest set-up: an off-screen matplotlib backend and reproducible property-based tests."""
from __future__ import annotations

import os

import matplotlib
from hypothesis import settings

# Tests never open windows: draw figures off-screen. (Only in this process: setting MPLBACKEND in the
# environment would leak into kernels started from here, where it stops plt.show() from displaying.)
matplotlib.use("Agg")

# Property-based tests draw the same examples on every run (a CI failure can then be reproduced, and
# a green run stays green); HYPOTHESIS_PROFILE=explore searches afresh each run while developing.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))
