"""The operands of a binary op: Python numbers wrapped as 0-dim tensors that promote like numbers.

>>> import minigrad
>>> a, b = _operands(minigrad.tensor([1.0, 2.0]), 2)
>>> b, b.dtype
(tensor(2.), minigrad.float32)
"""
from __future__ import annotations

import numpy as np

from .. import _dtype
from ..autograd.function import _observers
from ..tensor import Tensor
from ._messages import broadcast_message


def _values(y):
    return y._data if isinstance(y, Tensor) else y


def wrap(value, like: Tensor | None = None) -> Tensor:
    """A Python number as a 0-dim tensor that type promotion treats as a number, not a tensor."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (float, np.floating)):  # first: the most common number in lesson code
        dt = _dtype.float64  # full precision until promotion decides the result's dtype
    elif isinstance(value, (bool, np.bool_)):  # before int: True is also an int
        dt = _dtype.bool_
    elif isinstance(value, (int, np.integer)):
        dt = _dtype.int64
    elif isinstance(value, np.ndarray):  # NumPy arrays take part as tensors, as in PyTorch
        return Tensor(value)
    else:  # a list or tuple too: PyTorch refuses them as operands (`t + [1, 2]` is a TypeError there)
        raise TypeError(f"unsupported operand: expected a Tensor or a number, got {type(value).__name__}"
                        + ("; make it a tensor first, e.g. minigrad.tensor([...])" if isinstance(value, (list, tuple)) else ""))
    if like is not None:  # compute in the result's dtype, as PyTorch does (float32 * 2.5 stays float32):
        # a number never widens a tensor of its own kind or above; above the tensor's kind (a float
        # with an integer tensor) it takes the default dtype of its kind (float32).
        like_dtype = like.dtype
        if like_dtype._category >= dt._category:
            dt = like_dtype
        else:
            dt = (_dtype.bool_, _dtype.int64, _dtype.default_float)[dt._category]
    t = Tensor._make(np.asarray(value, dtype=dt.numpy))
    t._wrapped_number = True
    return t


def _operands(a, b) -> tuple[Tensor, Tensor]:
    if not isinstance(a, Tensor):
        return wrap(a, b), b
    if not isinstance(b, Tensor):
        return a, wrap(b, a)
    return a, b


def _binary(fn: type, a, b) -> Tensor:
    # The most common op of lesson code, `y * 1.001`: a float tensor and a Python number, recorded
    # without making the number a tensor (see Function._apply_number), unless a tool watches nodes
    # being made (it reads every input).
    if ((b.__class__ is float or b.__class__ is int) and a.__class__ is Tensor and fn.numbers_directly
            and a._data.dtype.kind == "f" and not _observers):
        return fn._apply_number(a, b)
    a, b = _operands(a, b)
    try:
        return fn.apply(a, b)
    except ValueError:
        try:
            np.broadcast_shapes(a.shape, b.shape)
        except ValueError:
            raise RuntimeError(broadcast_message(a.shape, b.shape)) from None
        raise
