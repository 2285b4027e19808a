"""IEEE values without NumPy's warnings: inf and nan come silently where the math gives them, as in PyTorch.

>>> import numpy as np
>>> with _ieee():
...     print(np.float32(1.0) / np.float32(0.0))
inf
"""
from __future__ import annotations

import warnings

import numpy as np

# The arithmetic ops run without np.errstate (it costs about 0.7 us, as much as a small op): where their
# math gives inf or nan (x * inf, an overflow, a sum of nan), NumPy would warn, and PyTorch does not. So
# NumPy's floating-point warnings are silenced when minigrad's own code is where they come from (the
# filter matches the module of the calling Python frame); NumPy code of yours still warns as always.
warnings.filterwarnings("ignore", message=r"(overflow|invalid value|divide by zero|underflow) encountered in",
                        category=RuntimeWarning, module=__name__.split(".")[0] + r"(\.|$)")


def _ieee():
    """inf and nan where the math gives them (0**-1, (-1)**0.5, overflow), without NumPy's warnings:
    PyTorch returns the same IEEE values silently. Used by the ops that can make them from finite input,
    and around each Module call and optimizer step (where a diverging training run would make them)."""
    return np.errstate(divide="ignore", invalid="ignore", over="ignore")
