"""Tensor's conversions and printing: to Python numbers and NumPy, new tensors like it, repr and format.

(Conversions to another dtype, x.to(...), x.float(), ..., are the ToCopy op's methods: ops/shape.py.)

They are members of Tensor (set on it by tensor.py, through _registry.py); this module holds them so
that tensor.py is only what a tensor is.

>>> import minigrad
>>> x = minigrad.tensor([1, 2])
>>> x.tolist(), x.item() if x.numel() == 1 else len(x), x.new_zeros(3)
([1, 2], 2, tensor([0, 0, 0]))
"""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from . import creation
from ._format import format_tensor
from ._registry import tensor_members
from .tensor import Tensor


@tensor_members
class Conversion:
    """Tensor's members for conversion and printing (gathered here: tensor_members copies each onto Tensor)."""
    def numpy(self) -> np.ndarray:
        """The data as a NumPy array (the same memory)."""
        if self._requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def item(self) -> float | int | bool:
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def __float__(self) -> float:
        return float(self._one_number())

    def __int__(self) -> int:
        return int(self._one_number())

    def _one_number(self) -> float | int | bool:
        """float(t) and int(t): PyTorch's ValueError (item() is its RuntimeError) when t holds not one number."""
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()))

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator["Tensor"]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __format__(self, spec: str) -> str:
        """PyTorch's rule: a 0-dim tensor formats as its Python number (f"{loss:.3f}", and f"{loss}"
        gives '0.25', not 'tensor(0.2500)'); any other tensor only with an empty spec, as its repr.

        >>> import minigrad
        >>> f"{minigrad.tensor(2.0):.2f} {minigrad.tensor(2.0)} {minigrad.tensor([2.0])}"
        '2.00 2.0 tensor([2.])'
        """
        if self._data.ndim == 0 and type(self) is Tensor:  # a Parameter keeps its own text, as in PyTorch
            return format(self.item(), spec)
        return object.__format__(self, spec)  # str(self) for "", TypeError for any other spec


    def __repr__(self) -> str:
        extras = []
        if self.grad_fn is not None:
            extras.append(f"grad_fn=<{self.grad_fn.name()}>")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        return format_tensor(self._data, self.dtype.name, extras)

    # New tensors with this one's dtype (PyTorch's new_* methods); they start outside any graph.
    def new_zeros(self, *size, dtype=None, requires_grad: bool = False) -> "Tensor":
        return creation.zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, requires_grad: bool = False) -> "Tensor":
        return creation.ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, requires_grad: bool = False) -> "Tensor":
        return creation.full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_tensor(self, data, dtype=None, requires_grad: bool = False) -> "Tensor":
        return creation.tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)
