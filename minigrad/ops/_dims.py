"""Dimension arguments checked as PyTorch checks them: negative dims, lists of dims, shapes with -1.

>>> dim_index(-1, 3)
2
>>> import minigrad
>>> infer_shape(minigrad.zeros(2, 3), (3, -1))
(3, 2)
"""
from __future__ import annotations

import builtins
import math

import numpy as np

from ..tensor import Tensor


def dim_index(d, ndim: int) -> int:
    """`d` as a dimension of a tensor with `ndim` dimensions (negative ones count from the end), or
    PyTorch's IndexError. A 0-dim tensor accepts dim 0 and -1, as in PyTorch."""
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
        raise TypeError(f"dim must be an int (or a tuple of ints where several are allowed), got {type(d).__name__}")
    n = builtins.max(ndim, 1)  # (`max` in this module is the tensor op)
    if not -n <= d < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
    return int(d) % n


def _dims(x: Tensor, dim) -> tuple | None:
    if dim is None:
        return None
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    dims = tuple(dim_index(d, x.ndim) for d in dims)
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    if not dims:  # sum(dim=[]) reduces every dimension in PyTorch (still as the dim-list overload)
        dims = tuple(range(x.ndim))
    return dims if x.ndim else ()  # (a 0-dim x: nothing to reduce, but still the dim-list overload)


def _one_dim(name: str, x: Tensor, dim) -> int:
    """The single dimension max/min/argmax/argmin reduce (PyTorch takes an int there, not a list)."""
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    d = dim_index(dim, x.ndim)
    if x.ndim and x._data.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return d


def _kept_shape(shape: tuple, dims: tuple | None) -> tuple:
    """The shape of a reduction over `dims` with keepdim=True."""
    if dims is None:
        return (1,) * len(shape)
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


def viewable(array: np.ndarray, shape: tuple) -> bool:
    """Can `array` be seen in `shape` without copying? (Always, for the usual row-major layout.)"""
    if array.flags.c_contiguous:
        return True
    out = array.view()
    try:
        out.shape = shape  # NumPy refuses, instead of copying, when the strides do not allow it
    except AttributeError:
        return False
    return True


def infer_shape(x: Tensor, shape: tuple) -> tuple:
    """Fill in one -1 in a new shape, and check the sizes agree."""
    shape = tuple(int(s) for s in shape)
    size = x.numel()
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = math.prod([s for s in shape if s != -1])  # math.prod: np.prod of a short list is ~10x slower
    if -1 in shape:
        if known == 0 or size % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
        shape = tuple(size // known if s == -1 else s for s in shape)
    elif known != size:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
    return shape
