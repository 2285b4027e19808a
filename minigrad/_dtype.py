"""The four dtypes minigrad knows, and PyTorch's rules for mixing them.

>>> import minigrad
>>> (minigrad.ones(2, dtype=minigrad.int64) * 1.5).dtype
minigrad.float32
"""
from __future__ import annotations

import numpy as np


class dtype:
    """A tensor's element type: a name and the NumPy dtype that stores it."""

    __slots__ = ("name", "numpy", "is_floating_point", "_category")

    def __init__(self, name: str, numpy_dtype: type, category: int) -> None:
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self._category = category  # 0 bool < 1 integer < 2 floating point
        self.is_floating_point = category == 2

    def __repr__(self) -> str:
        return f"minigrad.{self.name}"

    def __reduce__(self) -> str:  # pickles as the module-level singleton
        return self.name


bool_ = dtype("bool", np.bool_, 0)
int64 = dtype("int64", np.int64, 1)
float32 = dtype("float32", np.float32, 2)
float64 = dtype("float64", np.float64, 2)

# PyTorch's aliases: torch.float is float32, torch.double float64, torch.long int64.
float = float32  # noqa: A001 - the name PyTorch uses
double = float64
long = int64
default_float = float32

_BY_NUMPY = {d.numpy: d for d in (bool_, int64, float32, float64)}
_BY_NAME = {"bool": bool_, "int64": int64, "long": int64, "float32": float32, "float": float32,
            "float64": float64, "double": float64}


def from_numpy(np_dtype: np.dtype) -> dtype:
    """The minigrad dtype that stores `np_dtype` (other ints become int64, other floats float32)."""
    np_dtype = np.dtype(np_dtype)
    if np_dtype in _BY_NUMPY:
        return _BY_NUMPY[np_dtype]
    if np_dtype.kind in "iu":
        return int64
    if np_dtype.kind == "f":
        return float32
    raise TypeError(f"minigrad has no dtype for NumPy's {np_dtype}; "
                    "use float32, float64, int64 or bool data")


def resolve(d: "dtype | str | type | np.dtype | None") -> "dtype | None":
    """Accept a minigrad dtype, a name ('float64'), a Python type (float: float64, int: int64, bool) or a NumPy dtype."""
    if d is None or isinstance(d, dtype):
        return d
    if isinstance(d, str) and d in _BY_NAME:
        return _BY_NAME[d]
    if d is builtins_float:  # PyTorch: dtype=float is torch.float64 (a Python float is a C double)
        return float64
    if d is builtins_int:
        return int64
    if d is builtins_bool:
        return bool_
    try:
        np_dtype = np.dtype(d)
    except TypeError:
        np_dtype = None
    if np_dtype in _BY_NUMPY:
        return _BY_NUMPY[np_dtype]
    # An explicit request for a dtype minigrad lacks (float16, int8, ...) is refused rather than quietly
    # given another one: a program asking for half precision should not silently run in float32.
    raise TypeError(f"minigrad has the dtypes float32, float64, int64 and bool; {d!r} is not one of them "
                    "(PyTorch has more: use minigrad.float32 for floating point, minigrad.int64 for integers)")


import builtins as _builtins  # noqa: E402

builtins_float, builtins_int, builtins_bool = _builtins.float, _builtins.int, _builtins.bool


def result_type(*operands) -> dtype:
    """PyTorch's type promotion for the Tensor operands of one op.

    Each operand is a Tensor. Three kinds take part, strongest first: tensors with dimensions,
    zero-dimensional tensors, and wrapped Python numbers (`x * 2`). The result has the highest
    *category* (bool < integer < float) of all operands; within that category the strongest kind
    present decides the size, and a Python number alone picks the default (float32 or int64).
    So float32 * 2.5 stays float32, int64 * 2.5 becomes float32, float32 + float64 becomes float64.
    """
    first = operands[0]
    if not first._wrapped_number:  # the common case, one dtype among tensors, checked first because it is cheap
        common = first._data.dtype  # (NumPy's dtype, read directly: this runs for every op)
        for t in operands:  # (a plain loop: quicker than all() over a generator)
            if t._data.dtype is not common:
                break
        else:
            return _BY_NUMPY[common]
    category = max(t.dtype._category for t in operands)
    best_rank, chosen = -1, None
    for t in operands:
        if t.dtype._category != category:
            continue
        rank = 0 if t._wrapped_number else (1 if t._data.ndim == 0 else 2)
        if rank > best_rank:
            best_rank, chosen = rank, t.dtype
        elif rank == best_rank and t.dtype.numpy.itemsize > chosen.numpy.itemsize:
            chosen = t.dtype
    if best_rank == 0:  # only Python numbers carry this category
        return (bool_, int64, default_float)[category]
    return chosen
