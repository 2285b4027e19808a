"""Shape and views: the gradient goes back to where each element came from.

view, reshape, transpose, permute, (un)squeeze and expand make views (results sharing memory with
their input); clone and to-copy make copies; cat and stack join tensors.

>>> import minigrad
>>> x = minigrad.zeros(2, 3, requires_grad=True)
>>> x.t().grad_fn, x.view(6)._base is x
(<TBackward0>, True)
"""
from __future__ import annotations

import numpy as np

from .._dtype import result_type
from ..tensor import Tensor
from ._dims import dim_index
from ._op import Op
from ._messages import expand_error


class ViewFunction(Op):
    """Base of the ops whose result shares memory with their input (a view); the gradient goes back
    to where each element came from, as each subclass states. PyTorch's rule for a view
    made under no_grad of a tensor that requires grad is that it requires grad too, as a leaf with no
    grad_fn whose gradient goes nowhere, and that changing it in place with grad mode on is refused
    (see `inplace`)."""
    is_view = True

    @classmethod
    def apply(cls, *args):
        out = super().apply(*args)
        base = out._base  # set only when the result does share memory (not for a copying x[mask])
        if base is None and out._data.size == 0 and _memory_of(out._data) is _memory_of(args[0]._data):
            # an empty view (x[2:2]) shares no bytes, which may_share_memory does not count; PyTorch does
            base = out._base = args[0]
            out._versions = base._version_counter()
        if base is not None and out.grad_fn is None and _root(base)._requires_grad:  # made under no_grad
            out._requires_grad = True
        return out


def _root(view: Tensor) -> Tensor:
    """The tensor that `view` (perhaps a view of a view) looks into: PyTorch's `_base`."""
    while view._base is not None:  # (a loop, not recursion: views of views can be many)
        view = view._base
    return view


def _made_under_no_grad(t: Tensor) -> bool:
    """Is t a view made under no_grad of a tensor that requires grad? (It requires grad, with no grad_fn.)"""
    return t._base is not None and t.grad_fn is None and t._requires_grad and _root(t)._requires_grad


def _memory_of(array: np.ndarray) -> np.ndarray:
    """The array that owns the memory `array` looks into (itself if it owns it)."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


class View(ViewFunction):
    """z = x with a new shape.   The gradient is reshaped back to x's shape."""
    node_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, x, shape, strict, name=None):
        if name:
            ctx.node_name = name
        ctx.shape = x.shape
        if not strict:
            return x._data.reshape(shape)
        out = x._data.view()
        try:
            out.shape = shape  # refuses (instead of copying) when the memory layout does not allow it
        except AttributeError:
            raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                               "dimension spans across two contiguous subspaces). Use .reshape(...) instead.") from None
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


class Transpose(ViewFunction):
    """z = x with two dimensions swapped.   The gradient is swapped back."""
    node_name = "TransposeBackward0"

    @staticmethod
    def forward(ctx, x, dim0, dim1, name=None):
        if name:
            ctx.node_name = name
        ctx.dims = (dim0, dim1)
        if x._data.ndim == 0:  # a 0-dim tensor's dims 0 and -1: nothing to swap
            return x._data.view()
        return x._data.swapaxes(dim0, dim1)  # the method: np.swapaxes adds a wrapper call (~0.3 us)

    @staticmethod
    def backward(ctx, grad):
        return grad.transpose(*ctx.dims)


class Permute(ViewFunction):
    """z = x with its dimensions reordered.   The gradient is put back in the original order."""
    node_name = "PermuteBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return x._data.transpose(dims)  # the method: np.transpose adds a wrapper call

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(tuple(np.argsort(ctx.dims)))


class Unsqueeze(ViewFunction):
    """z = x with a new dimension of size 1.   The gradient loses that dimension again."""
    node_name = "UnsqueezeBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        ctx.shape = x.shape
        return np.expand_dims(x._data, dim)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


class Squeeze(ViewFunction):
    """z = x without dimensions of size 1.   The gradient gets them back."""
    node_name = "SqueezeBackward0"

    @staticmethod
    def forward(ctx, x, dims, name="SqueezeBackward0"):
        ctx.shape, ctx.node_name = x.shape, name  # PyTorch's overloads: all dims 0, one dim 1, a tuple 2
        if dims is None:
            return np.squeeze(x._data)
        return np.squeeze(x._data, tuple(d for d in dims if d < x._data.ndim and x._data.shape[d] == 1))

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


class Expand(ViewFunction):
    """z = x repeated along dimensions of size 1 (broadcasting).   dz/dx: sum of the copies' gradients."""
    node_name = "ExpandBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        shape = tuple(x.shape[i - len(shape) + x.ndim] if s == -1 else s for i, s in enumerate(shape))
        problem = expand_error(x.shape, shape)
        if problem:
            raise RuntimeError(problem)
        lead = len(shape) - x.ndim
        ctx.shape = x.shape
        # A writable view (np.broadcast_to's is read-only) whose repeated dimensions step 0 in memory, as
        # PyTorch's: writing into one that repeats an element is refused by `inplace`, PyTorch's check.
        strides = (0,) * lead + tuple(0 if n == 1 and s != 1 else st
                                      for n, s, st in zip(x._data.shape, shape[lead:], x._data.strides))
        return np.lib.stride_tricks.as_strided(x._data, shape, strides, writeable=x._data.flags.writeable)

    @staticmethod
    def backward(ctx, grad):
        return grad.sum_to_size(ctx.shape)


class Clone(Op):
    """z = a copy of x.   dz/dx = 1."""
    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        return x._data.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


class ToCopy(Op):
    """z = x in another dtype.   dz/dx = 1 (the gradient goes back in x's dtype)."""
    node_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, dtype):
        return x._data.astype(dtype.numpy)

    @staticmethod
    def backward(ctx, grad):
        return grad


class Cat(Op):
    """z = x1, x2, ... joined along `dim`.   Each input gets its own slice of the gradient back."""
    node_name = "CatBackward0"

    @staticmethod
    def result_dtype(dim, *tensors):
        return result_type(*tensors)

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim, ctx.sizes = dim, [t.shape[dim] for t in tensors]
        return np.concatenate([t._data for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, grad):
        before = (slice(None),) * (ctx.dim % grad.ndim)
        starts = np.cumsum([0] + ctx.sizes)
        return tuple(grad[before + (slice(a, b),)] for a, b in zip(starts[:-1], starts[1:]))


class Stack(Op):
    """z = x1, x2, ... stacked along a new `dim`.   Input i gets the gradient's i-th slice."""
    node_name = "StackBackward0"

    @staticmethod
    def result_dtype(dim, *tensors):
        return result_type(*tensors)

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim, ctx.n = dim, len(tensors)
        return np.stack([t._data for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, grad):
        before = (slice(None),) * (ctx.dim % grad.ndim)
        return tuple(grad[before + (i,)] for i in range(ctx.n))


def _unsafe_view(t: Tensor, shape: tuple, name: str = "UnsafeViewBackward0") -> Tensor:
    """t (a fresh result nothing else holds) seen in a new shape, recorded as PyTorch's _unsafe_view: a
    new tensor, not a view (an in-place change to it is then an ordinary one)."""
    out = View.apply(t, shape, True, name)
    out._base, out._versions = None, None
    return out


def _tensor_list(name: str, tensors) -> list:
    """cat's and stack's argument: a list or tuple of tensors, as PyTorch checks it."""
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return list(tensors)


def cat(tensors, dim: int = 0) -> Tensor:
    """The tensors joined along an existing dimension `dim` (dtypes promoted, as in PyTorch)."""
    tensors = _tensor_list("cat", tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    dim = dim_index(dim, tensors[0].ndim)
    for i, t in enumerate(tensors):
        if t.ndim != tensors[0].ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {tensors[0].ndim} and {t.ndim}")
        for d, (a, b) in enumerate(zip(tensors[0].shape, t.shape)):
            if d != dim and a != b:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {dim}. Expected size {a} but "
                                   f"got size {b} for tensor number {i} in the list.")
    return Cat.apply(dim, *tensors)


def stack(tensors, dim: int = 0) -> Tensor:
    """The tensors (all of one shape) stacked along a new dimension `dim`."""
    tensors = _tensor_list("stack", tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    dim = dim_index(dim, tensors[0].ndim + 1)  # the new dim may go after the last
    for i, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at "
                               f"entry 0 and {list(t.shape)} at entry {i}")
    return Stack.apply(dim, *tensors)
