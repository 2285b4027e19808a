"""Result dtypes shared by the ops, and PyTorch's names for dtypes in its error messages.

>>> import minigrad
>>> _floating(minigrad.tensor([1, 2]))          # an op whose result is never an integer
minigrad.float32
>>> print(not_implemented("abs_cpu", minigrad.bool))
"abs_cpu" not implemented for 'Bool'
"""
from __future__ import annotations

import numpy as np

from .. import _dtype
from .._dtype import result_type
from ..tensor import Tensor


def _promoted(*args):
    return result_type(*[a for a in args if isinstance(a, Tensor)])


def _floating(*args):
    """Like _promoted, but integer inputs give float32: for ops whose result is never an integer."""
    dt = _promoted(*args)
    return dt if dt.is_floating_point else _dtype.float32


_BOOL = np.dtype(np.bool_)


def _is_bool(v) -> bool:
    return isinstance(v, (bool, np.bool_)) or (isinstance(v, Tensor) and v._data.dtype is _BOOL)


# PyTorch's names for the dtypes in its kernel messages ("abs_cpu" not implemented for 'Bool').
TORCH_TYPE_NAMES = {"bool": "Bool", "int64": "Long", "float32": "Float", "float64": "Double"}


def not_implemented(kernel: str, dt) -> NotImplementedError:
    return NotImplementedError(f"\"{kernel}\" not implemented for '{TORCH_TYPE_NAMES[dt.name]}'")
