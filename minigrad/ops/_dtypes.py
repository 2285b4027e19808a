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
# The C++ names of the same types, which some of PyTorch's errors print (a matrix product's: "double != float")
CPP_TYPE_NAMES = {"bool": "bool", "int64": "long int", "float32": "float", "float64": "double"}


def not_implemented(kernel: str, dt) -> NotImplementedError:
    return NotImplementedError(f"\"{kernel}\" not implemented for '{TORCH_TYPE_NAMES[dt.name]}'")


_FLOAT32_MAX = float(np.finfo(np.float32).max)


def refuse_overflow(x: Tensor, value) -> None:
    """PyTorch refuses to store a float that x's dtype cannot hold (a clamp bound, fill_, x[i] = v, masked_fill):
    a finite one beyond float32's range in a float32 tensor, or one outside int64's (nan and inf too) in an
    int64 tensor, where NumPy would make it inf or a wrapped integer. (Arithmetic, x + 1e39, is not checked:
    it gives inf in both.)"""
    if not isinstance(value, (float, np.floating)):
        return
    kind = x._data.dtype
    if kind == np.float32 and _FLOAT32_MAX < abs(value) < float("inf"):
        raise RuntimeError("value cannot be converted to type float without overflow")
    if kind == np.int64 and not -2.0 ** 63 <= value < 2.0 ** 63:
        raise RuntimeError("value cannot be converted to type int64_t without overflow")
