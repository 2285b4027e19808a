"""IEEE values without NumPy's warnings: inf and nan come silently where the math gives them, as in PyTorch.

>>> import numpy as np
>>> with _ieee():
...     print(np.float32(1.0) / np.float32(0.0))
inf
"""
from __future__ import annotations

import numpy as np




def _ieee():
    """inf and nan where the math gives them (0**-1, (-1)**0.5, overflow), without NumPy's warnings:
    PyTorch returns the same IEEE values silently. Used by the ops that can make them from finite input,
    and around each Module call and optimizer step (where a diverging training run would make them)."""
    return np.errstate(divide="ignore", invalid="ignore", over="ignore")
