"""In-place operations: PyTorch's rules for changing a tensor's own memory (x.add_(1), x[0] = 2).

>>> import minigrad
>>> x = minigrad.zeros(2)
>>> x.add_(1)
tensor([1., 1.])
>>> x._version                                  # the version counter counts the change
1
>>> x.clamp_(min=1.5)                           # clamp's own checks and formula, written into x
tensor([1.5000, 1.5000])
"""
from __future__ import annotations

import inspect
import weakref
from typing import Callable

import numpy as np

from ..autograd.function import _SavedResult
from ..autograd.grad_mode import is_grad_enabled, no_grad
from ..tensor import Tensor
from ._dtypes import TORCH_TYPE_NAMES
from .shape import _made_under_no_grad


VIEW_MESSAGE = ("minigrad does not record in-place changes to a view (here a tensor made by {}) while it builds "
                "a graph; PyTorch rewrites the history of the viewed tensor, which minigrad keeps simple and "
                "does not. Make a copy first with .clone(), or use an out-of-place operation (y = y * 2).")


NO_GRAD_VIEW_MESSAGE = (
    "{} created in no_grad mode and is being modified inplace with grad mode enabled. Given that this use case "
    "is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the "
    "inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside "
    "(if you want the inplace to be tracked).")


def _refuse_view_change(view: Tensor) -> None:
    """Say why an in-place change of `view` with grad mode on is refused (the base is tracked)."""
    if view.grad_fn is None:
        if _made_under_no_grad(view):
            raise RuntimeError(NO_GRAD_VIEW_MESSAGE.format("A view was"))
        if view._requires_grad:  # a leaf that requires grad and is itself a view (x = a.view(4).requires_grad_())
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
        raise RuntimeError(VIEW_MESSAGE.format("indexing or a view"))
    base = view._base
    while base is not None:
        if _made_under_no_grad(base):
            name = view.grad_fn.name()  # PyTorch names the op without "Backward0"
            name = name[:name.find("Backward")] if "Backward" in name else name
            raise RuntimeError(NO_GRAD_VIEW_MESSAGE.format(f"Output 0 of {name} is a view of a view which was"))
        if base.grad_fn is None and base._requires_grad:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
        base = base._base
    raise RuntimeError(VIEW_MESSAGE.format(view.grad_fn.name()))


def inplace(target: Tensor, out_of_place: Callable, *args, overlap_ok: bool = False, **kwargs) -> Tensor:
    """target.op_(*args): `out_of_place(target, *args)`, the op's own function with all its checks, and
    its result written into target's memory (see store).

    PyTorch's rules: a leaf that requires grad may be changed in place only under no_grad (else the
    gradient of what it used to be would be lost); any other tensor takes the op's node as its new
    grad_fn; and its version counter goes up, so a backward that needs the old value fails loudly.
    """
    tracking = is_grad_enabled() and (target._requires_grad or any(
        isinstance(a, Tensor) and a._requires_grad for a in (*args, *kwargs.values())))
    if tracking:
        if target._base is not None:
            _refuse_view_change(target)
        if target.grad_fn is None and target._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        before = Tensor._make(target._data.copy(), requires_grad=target._requires_grad)
        before.grad_fn = target.grad_fn  # the old value, with the old history
        out = out_of_place(before, *args, **kwargs)
    else:
        with no_grad():
            out = out_of_place(target, *args, **kwargs)
    store(target, out, overlap_ok=overlap_ok)
    if tracking and out.grad_fn is not None:  # (an integer or bool result is never tracked)
        node, old = out.grad_fn, target.grad_fn
        target.grad_fn = node
        target._requires_grad = True
        node._output = weakref.ref(target)
        # The result the op saved (exp_, tanh_, relu_ ... keep their output) is target now: its memory and its
        # version counter, so that a later in-place change to target stops backward, as in PyTorch (it
        # used to be `out`'s copy, which nothing changes: backward went on silently with old values).
        if any(s.__class__ is _SavedResult for s in node._saved):
            node._saved = tuple([_SavedResult(target) if s.__class__ is _SavedResult else s for s in node._saved])
        # retain_grad() follows the tensor to its new value, as in PyTorch: .grad is the gradient of the result
        if target._retains_grad and old is not None:
            old._retained, node._retained = None, weakref.ref(target)
    return target


PARTIAL_OVERLAP_MESSAGE = ("unsupported operation: some elements of the input tensor and the written-to tensor refer "
                           "to a single memory location. Please clone() the tensor before performing the operation.")


def refuse_partial_overlap(data: np.ndarray, args) -> None:
    """PyTorch refuses an in-place op reading a tensor that shares part of target's memory in another
    layout (x -= x[0], x.add_(x.t()), x.copy_(x.t())): the result would depend on the order elements are
    written in. The same tensor, or the same memory laid out alike, is fine (x.mul_(x)). `data`: the
    memory written to (target's, or the part x[key] = v writes)."""
    if not _dense(data):  # (PyTorch checks only memory laid out densely, in any order of dims: else it gives up)
        return
    start = data.__array_interface__["data"][0]
    for a in args:
        if isinstance(a, Tensor) and a._data is not data and _dense(a._data) and np.shares_memory(a._data, data) \
                and not (a._data.__array_interface__["data"][0] == start and a._data.nbytes == data.nbytes
                         and a._data.strides == data.strides):
            raise RuntimeError(PARTIAL_OVERLAP_MESSAGE)


def _dense(a: np.ndarray) -> bool:
    """Are a's elements a block of memory without gaps or repeats, its dims in any order (x, x.t(), x[0])?"""
    if not a.size:
        return False
    expected = a.itemsize
    for stride, size in sorted((abs(st), n) for st, n in zip(a.strides, a.shape) if n != 1):
        if stride != expected:
            return False
        expected *= size
    return True


def inplace_variant(out_of_place: Callable, name: str) -> Callable:
    """x.<name>(...): the in-place form of an op method, out_of_place(x, ...) written back into x."""
    scalar_value = name == "masked_fill_"  # (its value, a 0-dim tensor, is read as a number first)

    def method(x: Tensor, *args, **kwargs) -> Tensor:
        refuse_partial_overlap(x._data, [a for a in (*args, *kwargs.values()) if not (scalar_value and isinstance(a, Tensor)
                                                                                 and a.ndim == 0)])
        return inplace(x, out_of_place, *args, **kwargs)

    method.__name__ = method.__qualname__ = name
    summary = (out_of_place.__doc__ or "").strip().splitlines()
    method.__doc__ = f"In place: x.{name[:-1]}(...) written into x" + (f" ({summary[0]})" if summary else ".")
    method.__signature__ = inspect.signature(out_of_place)
    return method


def store(target: Tensor, out: Tensor, overlap_ok: bool = False) -> Tensor:
    """Write an in-place op's result `out` into target's memory, after PyTorch's checks; bump its version.
    An expanded target (memory repeated, stride 0) is refused unless every element gets one value (fill_)."""
    if out.dtype is not target.dtype and out.dtype._category > target.dtype._category:
        raise RuntimeError(f"result type {TORCH_TYPE_NAMES[out.dtype.name]} can't be cast to the desired output "
                           f"type {TORCH_TYPE_NAMES[target.dtype.name]}")
    if out.shape != target.shape:
        raise RuntimeError(f"output with shape {list(target.shape)} doesn't match the broadcast shape {list(out.shape)}")
    strides = target._data.strides
    if not overlap_ok and 0 in strides and target._data.size and any(st == 0 and n > 1 for st, n in zip(strides, target._data.shape)):
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a single "
                           "memory location. Please clone() the tensor before performing the operation.")
    target._data[...] = out._data  # write through: views of target (and its base) see the change
    target._bump_version()
    return target
