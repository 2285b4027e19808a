"""Indexing: x[key], x[key] = v, masked_fill, and the fill/copy steps behind in-place writes.

>>> import minigrad
>>> x = minigrad.arange(6.0).view(2, 3).requires_grad_()
>>> x[0, 1:].grad_fn, x[x > 2].grad_fn
(<SliceBackward0>, <IndexBackward0>)
"""
from __future__ import annotations

import builtins
import math

import numpy as np

from .. import _dtype
from ..autograd.grad_mode import is_grad_enabled
from ..tensor import Tensor
from ._dtypes import refuse_overflow, TORCH_TYPE_NAMES
from ._inplace import inplace, inplace_variant, refuse_partial_overlap
from ._op import Op
from ._messages import broadcast_message, expand_error
from ._operands import wrap
from .elementwise import zero_gradient
from .._registry import tensor_method
from .shape import ViewFunction


class Index(ViewFunction):
    """z = x[key].   dz/dx: the gradient goes to the picked places (added up where picked twice), 0 elsewhere."""

    @staticmethod
    def forward(ctx, x, key, name):
        ctx.node_name, ctx.shape, ctx.key = name, x.shape, key
        return x._data[key]

    @staticmethod
    def backward(ctx, grad):
        return ScatterAdd.apply(grad, ctx.shape, ctx.key)


class ScatterAdd(Op):
    """z = zeros(shape) with g added at `key` (the backward of indexing).   dz/dg = z[key]."""
    node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, g, shape, key):
        ctx.key = key
        out = np.zeros(shape, dtype=g._data.dtype)
        np.add.at(out, key, g._data)  # unlike out[key] += g, adds twice for an index picked twice
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.key]


class IndexPut(Op):
    """z = x with z[key] = v.   dz/dx: the gradient, 0 at key;  dz/dv: the gradient at key.

    PyTorch names the node CopySlices for basic keys (ints, slices) and IndexPutBackward0 for
    index arrays and masks."""
    node_name = "CopySlices"
    result_dtype = staticmethod(lambda x, v, key: x.dtype)

    @staticmethod
    def forward(ctx, x, v, key):
        ctx.key = key
        parts = key if isinstance(key, tuple) else (key,)
        if any(isinstance(k, np.ndarray) for k in parts):  # x[mask] = v, x[[0, 2]] = v: PyTorch's index_put_
            ctx.node_name = "IndexPutBackward0"
        out = x._data.copy()
        out[key] = v._data
        return out

    @staticmethod
    def backward(ctx, grad):
        return (IndexPut.apply(grad, wrap(0.0, grad), ctx.key) if ctx.needs_input_grad[0] else None,
                grad[ctx.key] if ctx.needs_input_grad[1] else None)


class MaskedFill(Op):
    """z = value where mask is True, x elsewhere.   dz/dx = 1 where the mask is False, 0 where it is True."""

    @staticmethod
    def forward(ctx, x, mask, value):
        ctx.keep = ~mask  # (a NumPy bool array, broadcast against x)
        return np.where(mask, np.asarray(value, dtype=x._data.dtype), x._data)

    @staticmethod
    def backward(ctx, grad):
        return grad * Tensor._make(ctx.keep)


class Fill(Op):
    """z = x with every element set to v.   dz/dx = 0."""
    node_name = "FillBackward2"

    @staticmethod
    def forward(ctx, x, value, name="FillBackward2"):
        ctx.node_name = name  # PyTorch's: FillBackward2 for fill_(number), ZeroBackward0 for zero_(), FillBackward3 x[...] = v
        return np.full_like(x._data, value)

    @staticmethod
    def backward(ctx, grad):
        return zero_gradient(grad)


class Copy(Op):
    """z = src broadcast to x's shape (x.copy_(src)).   dz/dx = 0,  dz/dsrc = 1."""
    node_name = "CopyBackwards"
    result_dtype = staticmethod(lambda x, src, name=None: x.dtype)

    @staticmethod
    def forward(ctx, x, src, name=None):
        if name:  # fill_(tensor) and x[...] = tensor: PyTorch's FillBackward3
            ctx.node_name = name
        return np.broadcast_to(src._data, x.shape).copy()

    @staticmethod
    def backward(ctx, grad):
        return zero_gradient(grad), grad


@tensor_method("masked_fill", function=True)
def masked_fill(x: Tensor, mask: Tensor, value) -> Tensor:
    """x with `value` wherever `mask` is True (the mask broadcasts against x)."""
    if not isinstance(mask, Tensor) or mask.dtype is not _dtype.bool_:
        got = mask.dtype.name if isinstance(mask, Tensor) else type(mask).__name__
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {got}; "
                           "make one with a comparison, e.g. x > 0")
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value.ndim} dimension(s).")
        value = value.item()
    if x._data.dtype.kind == "i" and isinstance(value, float) and not -2.0 ** 63 <= value < 2.0 ** 63:
        raise RuntimeError("value cannot be converted to type int64_t without overflow")  # (nan and inf too)
    refuse_overflow(x, value)
    try:
        np.broadcast_shapes(mask.shape, x.shape)
    except ValueError:
        raise RuntimeError(broadcast_message(tuple(mask.shape), tuple(x.shape))) from None
    return MaskedFill.apply(x, mask._data, value)  # (broadcasts x too, as PyTorch's out-of-place form does)


def index_key(key):
    """Turn tensors and lists inside an index into NumPy arrays."""
    if isinstance(key, tuple):
        return tuple(index_key(k) for k in key)
    if isinstance(key, Tensor):
        if key.dtype.is_floating_point:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if key._data.ndim == 0 and key._data.dtype.kind == "i":  # x[tensor(1)] is x[1]: a view, as in PyTorch
            return int(key._data)
        return key._data
    if isinstance(key, list):
        array = np.asarray(key)
        # [] picks nothing; [1.0] is index 1, as PyTorch reads a list of Python numbers
        return array.astype(np.int64) if array.dtype.kind in "fu" or array.size == 0 else array
    return key


@tensor_method("__getitem__")
def index(x: Tensor, key) -> Tensor:
    """x[key]. Basic indexing is recorded as PyTorch records it: one node per index component, left
    to right (x[0, 1:] is a SliceBackward0 after a SelectBackward0); a plain `:` records nothing.
    Index arrays and masks (advanced indexing) make a single IndexBackward0 node."""
    key = index_key(key)
    parts = key if isinstance(key, tuple) else (key,)
    if x.ndim == 0 and any(isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)) for k in parts):
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ "
                         "to convert a 0-dim tensor to a number")
    # the dimensions the key uses: one each, a mask as many as it has, None, ... and True/False none
    used = builtins.sum(k.ndim if isinstance(k, np.ndarray) and k.dtype == np.bool_ else
                        0 if k is None or k is Ellipsis or isinstance(k, (bool, np.bool_)) else 1 for k in parts)
    if used > x.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
    scalar_bools = [i for i, k in enumerate(parts) if _is_scalar_bool(k)]
    if len(scalar_bools) == 1 and not any(isinstance(k, np.ndarray) and k.ndim for k in parts):
        return _index_scalar_bool(x, parts, scalar_bools[0])
    if any(isinstance(k, (np.ndarray, bool, np.bool_)) for k in parts):
        return _index_step(x, key, "IndexBackward0")
    out, dim = x, 0  # dim: where the next component applies, in the current result's dimensions
    source = 0  # the dimension of x it applies to (PyTorch's error messages count in x's dimensions)
    for k in parts:
        before = (slice(None),) * dim
        if k is Ellipsis:
            dim += x.ndim - used
            source += x.ndim - used
        elif isinstance(k, (int, np.integer)):
            size = x._data.shape[source]
            if not -size <= k < size:
                raise IndexError(f"index {k} is out of bounds for dimension {source} with size {size}")
            # removes dimension `dim`; the trailing `...` keeps even a 0-dim result a NumPy view (x[1] of a
            # vector shares x's memory, as in PyTorch), where a bare integer key would copy out a scalar
            out = _index_step(out, before + (k, Ellipsis), "SelectBackward0")
            source += 1
        elif k is None:
            out, dim = _index_step(out, before + (None,), "UnsqueezeBackward0"), dim + 1
        elif isinstance(k, slice):
            if k.step is not None and k.step < 0:
                raise ValueError("step must be greater than zero")
            size = x._data.shape[source]
            if k.indices(size) != (0, size, 1):  # a slice of the whole dimension records nothing, as in PyTorch
                out = _index_step(out, before + (k,), "SliceBackward0")
            dim += 1
            source += 1
        else:
            raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                             f"valid indices (got {type(k).__name__})")
    if out is x:  # x[:] or x[...]: still a new tensor, as in PyTorch
        # (x[()] of a 0-dim x would copy out a NumPy scalar: `...` keeps it a view)
        out = _index_step(x, key, "SliceBackward0") if isinstance(key, slice) else _index_step(x, ..., "AliasBackward0")
    return out


def _is_scalar_bool(k) -> bool:
    return isinstance(k, (bool, np.bool_)) or (isinstance(k, np.ndarray) and k.ndim == 0 and k.dtype == np.bool_)


def _index_scalar_bool(x: Tensor, parts: tuple, at: int) -> Tensor:
    """x[..., True, ...]: PyTorch's two steps, a new dimension of size 1 where the True (or False) stands
    (UnsqueezeBackward0, with the rest of the key, left to right), then that dimension masked by [True]
    or [False] (IndexBackward0): x[True] has shape (1, *x.shape), x[False] (0, *x.shape)."""
    flag = bool(parts[at])
    out = index(x, parts[:at] + (None,) + parts[at + 1:])
    # where the new dimension landed in the result: count the dimensions the key's parts before it make
    before = parts[:at]
    dims = builtins.sum(1 for k in before if k is None or isinstance(k, slice))
    if any(k is Ellipsis for k in before):
        used = builtins.sum(0 if k is None or k is Ellipsis or _is_scalar_bool(k) else 1 for k in parts)
        dims += x.ndim - used
    mask_key = (slice(None),) * dims + (np.array([flag]),)
    return _index_step(out, mask_key, "IndexBackward0")


def _index_step(x: Tensor, key, name: str) -> Tensor:
    try:
        return Index.apply(x, key, name)
    except IndexError as e:
        mask = _mismatched_mask(x, key)
        if mask is not None:
            raise IndexError(mask) from None
        if "out of bounds" in str(e):  # an index array's entry: NumPy's words, with PyTorch's "dimension"
            raise IndexError(str(e).replace(" for axis ", " for dimension ")) from None
        raise IndexError(f"{e} (tensor of shape {list(x.shape)})") from None


def _picked_shape(x: Tensor, parts: tuple) -> tuple:
    """The shape of x[key], found on a 1-byte stand-in with every index array's entries set to 0 (in range)."""
    inside = tuple(np.zeros_like(k) if isinstance(k, np.ndarray) and k.dtype != np.bool_ else k for k in parts)
    return np.empty(x._data.shape, dtype=np.bool_)[inside].shape


@tensor_method("__setitem__")
def setitem(x: Tensor, key, value) -> None:
    """x[key] = value, in place: PyTorch's checks and words before NumPy's."""
    key = index_key(key)
    parts = key if isinstance(key, tuple) else (key,)
    advanced = any(isinstance(k, np.ndarray) for k in parts)
    masked = any(isinstance(k, np.ndarray) and k.dtype == np.bool_ for k in parts)
    for k in parts:
        if isinstance(k, slice) and k.step is not None and k.step < 0:
            raise ValueError("step must be greater than zero")
        if not isinstance(k, (int, np.integer, slice, np.ndarray, bool, np.bool_)) and k is not None and k is not ...:
            raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                             f"valid indices (got {type(k).__name__})")
    mask = _mismatched_mask(x, key)
    if mask is not None:
        raise IndexError(mask)
    refuse_overflow(x, value)
    if not advanced and isinstance(value, Tensor) and value._data.size:  # x[1:] = x[:-1]: refused as PyTorch
        try:                                                               # does (x[0] = x[1] is fine)
            region = x._data[key]
        except IndexError:  # (out of range: said below, in PyTorch's words)
            region = None
        if region is not None:
            refuse_partial_overlap(region, (value,))
    # index_put needs one dtype; a mask with a 0-dim value is a masked fill in PyTorch, which casts
    if advanced and isinstance(value, Tensor) and value.dtype is not x.dtype and (value.ndim or not masked):
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{TORCH_TYPE_NAMES[x.dtype.name]} for the destination and "
                           f"{TORCH_TYPE_NAMES[value.dtype.name]} for the source.")
    if all(k is ... or (isinstance(k, slice) and k == slice(None)) for k in parts) and (not isinstance(value, Tensor) or value.ndim == 0):
        # x[...] = v, x[:] = v with one value: PyTorch fills (FillBackward3, the value a constant input if a number)
        return inplace(x, Copy.apply, wrap(value, x), "FillBackward3")
    if not advanced and 0 in x._data.strides:  # an expanded tensor: write only where the key points, if it can
        region = x._data[key]
        if any(st == 0 and n > 1 for st, n in zip(region.strides, region.shape)):
            raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a "
                               "single memory location. Please clone() the tensor before performing the operation.")
        if not (is_grad_enabled() and (x._requires_grad or (isinstance(value, Tensor) and value._requires_grad))):
            region[...] = value._data if isinstance(value, Tensor) else value
            x._bump_version()
            return
    try:
        inplace(x, IndexPut.apply, wrap(value, x), key)
    except IndexError as e:
        if advanced and isinstance(value, Tensor):  # PyTorch checks the value's shape before the indices
            picked = _picked_shape(x, parts)
            try:
                np.broadcast_to(np.empty(value.shape, dtype=np.bool_), picked)
            except ValueError:
                raise RuntimeError(f"shape mismatch: value tensor of shape {list(value.shape)} cannot be broadcast to "
                                   f"indexing result of shape {list(picked)}") from None
        if "out of bounds" in str(e):
            raise IndexError(str(e).replace(" for axis ", " for dimension ")) from None
        raise IndexError(f"{e} (tensor of shape {list(x.shape)})") from None
    except ValueError:  # NumPy could not fit the value into the places picked: say which shapes, as PyTorch does
        picked = _picked_shape(x, parts)
        given = tuple(value.shape if isinstance(value, Tensor) else np.shape(value))
        if not advanced:  # PyTorch copies into the view x[key]: its words are expand's
            while given and given[0] == 1 and len(given) > len(picked):  # (leading 1s are dropped first)
                given = given[1:]
            raise RuntimeError(expand_error(given, picked) or "shape mismatch") from None
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(given)} cannot be broadcast to indexing "
                           f"result of shape {list(picked)}") from None


def _mismatched_mask(x: Tensor, key) -> str | None:
    """PyTorch's words for a bool mask whose shape does not fit the dimensions it indexes (or None)."""
    parts = key if isinstance(key, tuple) else (key,)
    if len(parts) != 1 or not isinstance(parts[0], np.ndarray) or parts[0].dtype != np.bool_:
        return None
    mask = parts[0]
    for i, (m, s) in enumerate(zip(mask.shape, x.shape)):
        if m != s:
            return (f"The shape of the mask {list(mask.shape)} at index {i} does not match the shape of the indexed "
                    f"tensor {list(x.shape)} at index {i}")
    return None


# ============================================================== in place: masked_fill_, fill_, zero_, copy_
tensor_method("masked_fill_")(inplace_variant(masked_fill, "masked_fill_"))


@tensor_method("zero_")
def zero_(x: Tensor) -> Tensor:
    """Set every element to 0, in place."""
    return inplace(x, Fill.apply, 0.0, "ZeroBackward0", overlap_ok=True)  # one value everywhere: repeated memory is fine


@tensor_method("fill_")
def fill_(x: Tensor, value) -> Tensor:
    """Set every element to `value` (a number or a 0-dim tensor), in place."""
    if isinstance(value, Tensor):  # a 0-dim tensor: its gradient is the sum of the filled places' (FillBackward3)
        if value.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} "
                               "dimensions.")
        return inplace(x, Copy.apply, value, "FillBackward3")
    if x._data.dtype.kind == "i" and isinstance(value, (float, np.floating)) and not math.isfinite(value):
        raise RuntimeError("value cannot be converted to type int64_t without overflow")  # (NumPy: a wrapped number)
    refuse_overflow(x, value)
    return inplace(x, Fill.apply, value, overlap_ok=True)


@tensor_method("copy_")
def copy_(x: Tensor, src: Tensor) -> Tensor:
    """Copy src's values into x (src broadcast to x's shape, converted to x's dtype), in place."""
    refuse_partial_overlap(x._data, (src,))
    return inplace(x, Copy.apply, wrap(src, x))
