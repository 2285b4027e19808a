"""Shape and views: the gradient goes back to where each element came from.

view, reshape, transpose, permute, (un)squeeze and expand make views (results sharing memory with
their input); clone and to-copy make copies; cat and stack join tensors.

>>> import minigrad
>>> x = minigrad.zeros(2, 3, requires_grad=True)
>>> x.t().grad_fn, x.view(6)._base is x
(<TBackward0>, True)
"""
from __future__ import annotations

import math

import numpy as np

from .. import _dtype
from .._dtype import result_type
from ..autograd.function import _NODE_CLASSES, _new, BackwardNode, finish_recording, tracked_leaf
from ..autograd.grad_mode import _state as _grad_mode
from ..tensor import Tensor, _sizes
from ._dtypes import TORCH_TYPE_NAMES
from ._dims import dim_index, infer_shape, viewable
from ._op import Op
from ._messages import expand_error
from .._registry import tensor_members, tensor_method


class ViewFunction(Op, family=True):
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
        if base is not None and out.grad_fn is not None:  # a recorded view (the usual case): nothing to add
            return out
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


def _memory_of(array: np.ndarray):
    """The object that owns the memory `array` looks into (itself if it owns it). (Followed through
    objects that are not arrays too: as_strided's result, as Expand makes, has a wrapper as its base.)"""
    while getattr(array, "base", None) is not None:
        array = array.base
    return array


class View(ViewFunction):
    """z = x with a new shape.   The gradient is reshaped back to x's shape."""
    ctx_plain = ("shape",)  # (never arrays: see Function.ctx_plain)

    @staticmethod
    def forward(ctx, x, shape, name=None):
        if name:  # PyTorch's other nodes made of a view: ReshapeAliasBackward0, UnsafeViewBackward0, ...
            ctx.node_name = name
        ctx.shape = x.shape
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
    ctx_plain = ("dims",)  # (never arrays: see Function.ctx_plain)

    @staticmethod
    def forward(ctx, x, dim0, dim1, name=None):
        if name:
            ctx.node_name = name
        ctx.dims = (dim0, dim1)
        if x._data.ndim == 0:  # a 0-dim tensor's dims 0 and -1: nothing to swap
            return x._data.view()
        return x._data.swapaxes(dim0, dim1)  # the method: np.swapaxes adds a wrapper call (~0.3 us)

    array_backward = True  # without create_graph, backward gets a bare array
    hands_over_gradients = True  # (the weight's gradient of a Linear layer comes back through here)

    @staticmethod
    def backward(ctx, grad):
        if grad.__class__ is np.ndarray:  # (an array's transpose() reorders all dims: swapaxes swaps two)
            return grad.swapaxes(*ctx.dims) if grad.ndim else grad
        return grad.transpose(*ctx.dims)


class _MatrixTransposeNode(BackwardNode):
    """TBackward0's node. Without create_graph, a matrix's gradient is swapped back directly: the general
    path (BackwardNode.__call__) would check what cannot differ here (one input, nothing saved, a
    gradient of the result's shape and dtype, which the engine already made sure of) and give the same
    tensor of the same view. Anything else goes the general way."""

    def __call__(self, grad, *more) -> tuple:
        if not more and grad.__class__ is Tensor and not _grad_mode.enabled:
            swapped = grad._data.T
            meta = self._input_meta  # (None when the matrix is square: then _shape and _dtype are its own)
            shape, dtype = (self._shape, self._dtype) if meta is None else meta[:2]
            if swapped.ndim == 2 and swapped.shape == shape and swapped.dtype is dtype:
                return (Tensor._make(swapped),)
        return BackwardNode.__call__(self, grad, *more)


class MatrixTranspose(Transpose):
    """z = x.t(), a matrix's two dimensions swapped (PyTorch's TBackward0; Linear records one per call).
    The gradient is swapped back. (Its own op, so the node's name is its class's, not set per node.)"""
    node_name = "TBackward0"
    node_base = _MatrixTransposeNode
    ctx_arrays = ()  # (it keeps only its dims: see Function.ctx_arrays)

    @classmethod
    def apply(cls, x, dim0, dim1):
        """x.t(), recorded. In its usual case, a Linear layer's weight (a leaf matrix that requires grad,
        once per layer and step), the view and the node Function.apply would record are made here
        directly (see function.tracked_leaf): the same tensor, node, edge and fields. Anything else (a
        non-leaf, a view, an empty matrix, no_grad, a graph observer) goes the general way."""
        data = x._data
        leaf = (tracked_leaf(x) if cls is MatrixTranspose and data.ndim == 2 and data.size and dim0 == 0
                and dim1 == -1 and data.dtype.kind == "f" else None)  # (a subclass of yours: the general way)
        if leaf is None:
            return super().apply(x, dim0, dim1)
        node = _new(_NODE_CLASSES.get(cls) or cls._make_node_class())
        node.needs_input_grad = (True, False, False)  # (apply's: one per argument)
        node.dims = (0, -1)  # (what Transpose.forward keeps)
        result = Tensor._make(data.T)
        result._versions, result._base = x._version_counter(), x  # a view: the weight's versions
        return finish_recording(node, result, ((leaf, 0),), (data.shape, data.dtype, True))


class Permute(ViewFunction):
    """z = x with its dimensions reordered.   The gradient is put back in the original order."""

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return x._data.transpose(dims)  # the method: np.transpose adds a wrapper call

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(tuple(np.argsort(ctx.dims)))


class Unsqueeze(ViewFunction):
    """z = x with a new dimension of size 1.   The gradient loses that dimension again."""

    @staticmethod
    def forward(ctx, x, dim):
        ctx.shape = x.shape
        return np.expand_dims(x._data, dim)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


class Squeeze(ViewFunction):
    """z = x without dimensions of size 1.   The gradient gets them back."""

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
        return expanded(x._data, shape, strides)

    @staticmethod
    def backward(ctx, grad):
        return grad.sum_to_size(ctx.shape)


def expanded(array: np.ndarray, shape: tuple, strides: tuple) -> np.ndarray:
    """A view of `array`'s memory with this shape and these strides (0 along a repeated dimension),
    writeable if `array` is. (np.ndarray over the array's memory costs a fifth of as_strided, which
    also works for an array not laid out in one piece.)"""
    if array.flags.c_contiguous:
        return np.ndarray(shape, array.dtype, buffer=array, strides=strides)
    return np.lib.stride_tricks.as_strided(array, shape, strides, writeable=array.flags.writeable)


class Clone(Op):
    """z = a copy of x.   dz/dx = 1."""
    formula = "z = a:  dz/da = 1"
    elementwise = True

    @staticmethod
    def forward(ctx, x):
        return x._data.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


class ToCopy(Op):
    """z = x in another dtype.   dz/dx = 1 (the gradient goes back in x's dtype)."""
    formula = "z = a in another dtype:  dz/da = 1"

    @staticmethod
    def forward(ctx, x, dtype):
        return x._data.astype(dtype.numpy)

    @staticmethod
    def backward(ctx, grad):
        return grad


def _joined_dtype(dim: int, *tensors: Tensor):
    """cat's and stack's result dtype: the tensors' promotion (dim is their first argument)."""
    return result_type(*tensors)


class Cat(Op):
    """z = x1, x2, ... joined along `dim`.   Each input gets its own slice of the gradient back."""

    result_dtype = staticmethod(_joined_dtype)

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

    result_dtype = staticmethod(_joined_dtype)

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
    out = View.apply(t, shape, name)
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


# ============================================================== the methods: x.view(2, 3), x.t(), ...
@tensor_method("reshape", function=True)
def reshape(x: Tensor, *shape) -> Tensor:
    """x in a new shape (one -1 is inferred): a view when the memory layout allows it, else a copy."""
    # PyTorch's three cases, and its node names: the usual row-major memory is simply viewed
    # (ViewBackward0); another layout (after a transpose, a slice or an expand) is viewed if its
    # strides allow it (ReshapeAliasBackward0), else copied first (CloneBackward0) and the copy
    # viewed (UnsafeViewBackward0).
    shape = infer_shape(x, _sizes(shape))
    if x._data.flags.c_contiguous:
        return View.apply(x, shape)
    if viewable(x._data, shape):
        return View.apply(x, shape, "ReshapeAliasBackward0")
    return _unsafe_view(Clone.apply(x), shape)  # the copy is out's own memory: out is not a view


@tensor_method("view")
def view(x: Tensor, *shape) -> Tensor:
    """x in a new shape (one -1 is inferred), sharing its memory; refused where the layout does not allow it."""
    return View.apply(x, infer_shape(x, _sizes(shape)))


@tensor_method("flatten", function=True)
def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """The dimensions from start_dim to end_dim (all, by default) merged into one.

    >>> import minigrad
    >>> minigrad.zeros(2, 3, 4).flatten(1).shape
    minigrad.Size([2, 12])
    """
    for name, position, d in (("start_dim", 1, start_dim), ("end_dim", 2, end_dim)):
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
            raise TypeError(f"flatten(): argument '{name}' (position {position}) must be int, not {type(d).__name__}")
    start, end = dim_index(start_dim, x.ndim), dim_index(end_dim, x.ndim)
    if x.ndim == 0:
        return reshape(x, 1)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:  # nothing to merge: PyTorch returns the tensor itself
        return x
    shape = x.shape
    return reshape(x, shape[:start] + (math.prod(shape[start:end + 1]),) + shape[end + 1:])


@tensor_method("transpose", function=True)
def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    """x with dimensions dim0 and dim1 swapped (a view)."""
    if x.ndim == 0:  # dims 0 and -1 of a 0-dim tensor: nothing to swap, as in PyTorch
        dim_index(dim0, 0), dim_index(dim1, 0)
        return Transpose.apply(x, 0, 0)
    return Transpose.apply(x, dim_index(dim0, x.ndim), dim_index(dim1, x.ndim))


@tensor_method("t", function=True)
def t(x: Tensor) -> Tensor:
    """The transpose of a matrix (a vector or a number as it is)."""
    ndim = x._data.ndim
    if ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {ndim}D")
    return MatrixTranspose.apply(x, 0, -1 if ndim == 2 else 0)  # (< 2 dims: a view as it is)


def reversed_dims(x: Tensor) -> Tensor:
    """x.T: x with all its dimensions in reverse order."""
    return Permute.apply(x, tuple(range(x.ndim - 1, -1, -1)))


tensor_method("T")(property(reversed_dims))


@tensor_method("permute", function=True)
def permute(x: Tensor, *dims) -> Tensor:
    """x with its dimensions in the order `dims` (a view)."""
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = _sizes(dims)
    if len(dims) != x.ndim:
        raise RuntimeError("permute(): number of dimensions in the tensor input does not match the length of the "
                           f"desired ordering of dimensions i.e. input.dim() = {x.ndim} is not equal to "
                           f"len(dims) = {len(dims)}")
    dims = tuple(dim_index(d, x.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"permute(): duplicate dims are not allowed (got {list(dims)}): list each dimension once")
    return Permute.apply(x, dims)


@tensor_method("unsqueeze", function=True)
def unsqueeze(x: Tensor, dim: int) -> Tensor:
    """x with a new dimension of size 1 at `dim` (a view)."""
    return Unsqueeze.apply(x, dim_index(dim, x.ndim + 1))  # the new dim may go after the last


@tensor_method("squeeze", function=True)
def squeeze(x: Tensor, *args, **kwargs) -> Tensor:
    """This tensor without its dimensions of size 1: all of them, or those of `dim` (an int or a tuple).

    `x.squeeze()`, `x.squeeze(1)`, `x.squeeze(dim=(0, 2))`; as in PyTorch, `dim=None` is not a way to say "all".

    >>> import minigrad
    >>> minigrad.zeros(2, 1).squeeze().shape
    minigrad.Size([2])
    """
    if not args and not kwargs:
        return Squeeze.apply(x, None)
    if len(args) + len(kwargs) != 1 or (kwargs and "dim" not in kwargs):
        raise TypeError(f"squeeze() takes one argument, dim (an int or a tuple of ints), or none; "
                        f"got {len(args)} positional and {sorted(kwargs)} keyword arguments")
    dim = args[0] if args else kwargs["dim"]
    if dim is None or isinstance(dim, bool):
        raise TypeError(f"squeeze() received an invalid combination of arguments - got ({type(dim).__name__}): "
                        "dim must be an int or a tuple of ints; to remove every dimension of size 1, call squeeze()")
    if isinstance(dim, (tuple, list)):
        dims = tuple(dim_index(d, x.ndim) for d in dim)
        for d in dims:
            if dims.count(d) > 1:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        return Squeeze.apply(x, dims, "SqueezeBackward2")
    return Squeeze.apply(x, (dim_index(dim, x.ndim),), "SqueezeBackward1")


@tensor_method("expand")
def expand(x: Tensor, *size) -> Tensor:
    """x repeated along its dimensions of size 1 (and new leading ones) to `size`, without copying; -1 keeps a size."""
    return Expand.apply(x, _sizes(size))


@tensor_method("clone", function=True)
def clone(x: Tensor) -> Tensor:
    """A copy of x in its own memory (recorded: the gradient flows back to x)."""
    return Clone.apply(x)


@tensor_method("contiguous")
def contiguous(x: Tensor) -> Tensor:
    """This tensor if it is contiguous, else a contiguous copy (recorded as CloneBackward0, as in PyTorch).

    >>> import minigrad
    >>> a = minigrad.arange(4.0).view(2, 2)
    >>> c = a.t().contiguous()
    >>> c.is_contiguous(), a.contiguous() is a
    (True, True)
    """
    return x if x._data.flags.c_contiguous else Clone.apply(x)


# Shaped like another tensor (PyTorch's *_as methods).
@tensor_method("view_as")
def view_as(x: Tensor, other: Tensor) -> Tensor:
    return view(x, other.shape)


@tensor_method("reshape_as")
def reshape_as(x: Tensor, other: Tensor) -> Tensor:
    return reshape(x, other.shape)


@tensor_method("expand_as")
def expand_as(x: Tensor, other: Tensor) -> Tensor:
    return expand(x, other.shape)


@tensor_members
class DtypeConversion:
    """Tensor's dtype conversions, the ToCopy op's methods (tensor_members copies each onto Tensor)."""

    def to(self, *args, dtype=None, device=None, non_blocking: bool = False, copy: bool = False) -> "Tensor":
        """This tensor in another dtype (self if it already has it, unless copy=True). As in PyTorch, the
        target may be a dtype, another tensor (its dtype), or a device: minigrad has one, "cpu".

        >>> import minigrad
        >>> minigrad.tensor([1, 2]).to(minigrad.float64)
        tensor([1., 2.], dtype=minigrad.float64)
        """
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, str) or arg is None:
                device = arg
            else:
                dtype = arg
        if device is not None and str(device).split(":")[0] != "cpu":
            raise RuntimeError(f"minigrad runs on the CPU only: to({device!r}) is not possible; use 'cpu' or leave "
                               "the device out")
        target = self.dtype if dtype is None else _dtype.resolve(dtype)
        if target is self.dtype:
            return Clone.apply(self) if copy else self
        return ToCopy.apply(self, target)

    def type_as(self, other: "Tensor") -> "Tensor":
        return self.to(other.dtype)

    def float(self) -> "Tensor":
        return self.to(_dtype.float32)

    def double(self) -> "Tensor":
        return self.to(_dtype.float64)

    def long(self) -> "Tensor":
        return self.to(_dtype.int64)

    def bool(self) -> "Tensor":
        return self.to(_dtype.bool_)

    def type(self, dtype=None):
        """With no argument, the type's name ('minigrad.FloatTensor'); else this tensor in that dtype."""
        if dtype is None:
            return f"minigrad.{TORCH_TYPE_NAMES[self.dtype.name]}Tensor"
        if isinstance(dtype, str) and dtype.endswith("Tensor"):  # 'torch.DoubleTensor', as PyTorch code writes it
            names = {f"{v}Tensor": k for k, v in TORCH_TYPE_NAMES.items()}
            dtype = names.get(dtype.split(".")[-1], dtype)
        return self.to(dtype)
