"""The Tensor: a NumPy array plus what autograd needs to know about it.

This file is the core: the storage and the attributes every tensor has. The rest of Tensor lives where
it belongs and is set on the class when minigrad is imported (see the end of this file):
  tensor_autograd.py     requires_grad, grad, is_leaf, retain_grad, register_hook, backward, detach
  tensor_conversion.py   item, tolist, numpy, float(t), int(t), new_*, repr, format
  ops/                   every operation: x + y, x.exp(), x.sum(), x.view(...), x[0], x.add_(...), and
                         the dtype conversions x.to(...), x.float(), ... (the ToCopy op's, ops/shape.py)

>>> import minigrad
>>> x = minigrad.ones(2, 4, requires_grad=True)
>>> y = x + 1
>>> y.grad_fn
<AddBackward0>
>>> x.is_leaf, y.is_leaf
(True, False)
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _dtype
from ._dtype import dtype


class Size(tuple):
    """A tensor's shape: a tuple that prints as `minigrad.Size([2, 4])`."""

    def __repr__(self) -> str:
        return f"minigrad.Size({list(self)})"

    def numel(self) -> int:
        return math.prod(self)


class _VersionCounter:
    """How many times a tensor's data was changed in place; views share their base's counter.

    A tensor gets its counter only when one is first needed (an in-place change, a view, a detached
    copy): most tensors never are, and until then their version is 0.
    """

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0


class Tensor:
    """An n-dimensional array that can record the operations made with it.

    Make tensors with `minigrad.tensor`, `ones`, `zeros`, `rand`, ... rather than with this class.
    The members defined here are what a tensor is; its other methods come from the modules listed at
    the top of this file (`help(minigrad.Tensor)` shows them all).
    """

    __slots__ = ("_data", "grad_fn", "_requires_grad", "_grad", "_versions", "_base",
                 "_accumulator", "_wrapped_number", "_retains_grad", "_owner", "__weakref__")
    __array_priority__ = 1000  # `numpy_value * tensor` calls Tensor.__rmul__, not NumPy's
    __array_ufunc__ = None

    def __init__(self, data: Any, requires_grad: bool = False) -> None:
        if isinstance(data, Tensor):
            data = data._data
        array = np.asarray(data)
        dt = _dtype.from_numpy(array.dtype)
        self._data = array if array.dtype == dt.numpy else array.astype(dt.numpy)
        self.grad_fn = None
        self._requires_grad = False
        self._grad = None
        self._versions = None  # made when first needed: see _version_counter
        self._base = None
        self._accumulator = None
        self._wrapped_number = False
        self._retains_grad = False
        self._owner = None  # a gradient only a running backward holds: that backward (see autograd.engine)
        if requires_grad:
            self.requires_grad = True

    @classmethod
    def _make(cls, data: np.ndarray, requires_grad: bool = False) -> "Tensor":
        """Fast constructor for results of operations (data already a supported NumPy array)."""
        t = cls.__new__(cls)
        if data.dtype not in _NUMPY_DTYPES:
            data = data.astype(_dtype.from_numpy(data.dtype).numpy)
        t._data = data
        t.grad_fn = None
        t._requires_grad = requires_grad
        t._grad = None
        t._versions = None
        t._base = None
        t._accumulator = None
        t._wrapped_number = False
        t._retains_grad = False
        t._owner = None
        return t

    # ---------------------------------------------------------------- what a tensor is
    @property
    def data(self) -> "Tensor":
        """This tensor's values as a new tensor outside the graph, sharing memory (PyTorch's `.data`).

        Changes made through it reach this tensor, but autograd does not see them: neither the graph nor
        the version counter records them. `detach()` is the safe form. (`._data` is the NumPy array.)

        >>> import minigrad
        >>> w = minigrad.ones(2, requires_grad=True)
        >>> w.data -= 0.5                       # an update autograd does not record
        >>> w
        tensor([0.5000, 0.5000], requires_grad=True)
        """
        return Tensor._make(self._data)

    @data.setter
    def data(self, value: "Tensor") -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        self._data = value._data

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None) -> "Size | int":
        return self.shape if dim is None else self._data.shape[dim]

    @property
    def dtype(self) -> dtype:
        return _NUMPY_DTYPES[self._data.dtype]

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    nelement = numel  # PyTorch's older name for numel
    ndimension = dim  # and for dim

    def element_size(self) -> int:
        """Bytes per number: 4 for float32, 8 for float64 and int64, 1 for bool."""
        return int(self._data.itemsize)

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    @property
    def _version(self) -> int:
        # (int: a tensor detached in place shows saved_tensors' check a version equal to none: see detach_)
        return int(self._versions.value) if self._versions is not None else 0

    def _version_counter(self) -> _VersionCounter:
        """This tensor's version counter, made on first use, to share with a view or a detached copy."""
        counter = self._versions
        if counter is None:
            counter = self._versions = _VersionCounter()
        elif counter.__class__ is not _VersionCounter:  # detached in place: the counter it shares (see detach_)
            return counter.shared
        return counter

    def _bump_version(self) -> None:
        self._version_counter().value += 1

    __hash__ = object.__hash__  # == builds a tensor, so hash by identity as PyTorch does

    # ---------------------------------------------------------------- memory layout
    def is_contiguous(self) -> bool:
        """True if the elements lie in memory row after row, with no gaps (false after .t(), x[:, ::2], expand)."""
        return self._data.flags.c_contiguous

    def stride(self, dim: int | None = None) -> "tuple | int":
        """How many elements to step in memory to move one place along each dimension."""
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        return strides if dim is None else strides[ops.dim_index(dim, self.ndim)]

    # PyTorch code calls this for the device; minigrad has one, so it changes nothing.
    def cpu(self) -> "Tensor": return self


def _sizes(args: tuple) -> tuple:
    """Accept both f(2, 3) and f((2, 3)), as PyTorch does."""
    if len(args) == 1 and isinstance(args[0], (tuple, list, Size)):
        return tuple(args[0])
    return tuple(args)


_NUMPY_DTYPES = {d.numpy: d for d in (_dtype.bool_, _dtype.int64, _dtype.float32, _dtype.float64)}

# The rest of Tensor is defined where it belongs, each part building on the class above, and set on it
# through _registry.py (the functions themselves, no wrapper): its autograd attributes
# (tensor_autograd.py), conversions and printing (tensor_conversion.py), and the operations (ops/).
# attach() first: it sets what is registered so far, and each later registration as it comes, so the
# parts may load in any order (whichever module Python imports first). Imported at the end, at module
# level: each of them imports Tensor from this module.
from ._registry import attach  # noqa: E402

attach(Tensor)
from . import ops, tensor_autograd, tensor_conversion  # noqa: E402, F401  (imported for what they register)
