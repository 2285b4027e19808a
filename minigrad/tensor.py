"""The Tensor: a NumPy array plus what autograd needs to know about it.

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
import warnings
import weakref
from typing import Any, Callable, Iterator, NamedTuple, Sequence

import numpy as np

from . import _dtype
from ._dtype import dtype
from ._format import format_tensor
from .autograd.grad_mode import is_grad_enabled, no_grad


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
    """

    __slots__ = ("_data", "grad_fn", "_requires_grad", "_grad", "_versions", "_base",
                 "_accumulator", "_wrapped_number", "_retains_grad", "__weakref__")
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
        return self._versions.value if self._versions is not None else 0

    def _version_counter(self) -> _VersionCounter:
        """This tensor's version counter, made on first use, to share with a view or a detached copy."""
        if self._versions is None:
            self._versions = _VersionCounter()
        return self._versions

    def _bump_version(self) -> None:
        self._version_counter().value += 1

    # ---------------------------------------------------------------- autograd state
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        if self.grad_fn is not None:
            if flag and self._requires_grad:  # already so: PyTorch lets a non-leaf say it again
                return
            hint = ("" if flag else " If you want to use a computed variable in a subgraph that doesn't "
                    "require differentiation use var_no_grad = var.detach().")
            raise RuntimeError("you can only change requires_grad flags of leaf variables." + hint)
        if not isinstance(flag, (bool, np.bool_)):
            raise RuntimeError(f"requires_grad must be a bool (True or False), got {type(flag).__name__}")
        if flag and not self.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point dtype can require gradients "
                               f"(this one is {self.dtype}); make it with dtype=minigrad.float32 or call .float()")
        self._requires_grad = bool(flag)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Set requires_grad in place and return self.

        >>> import minigrad
        >>> minigrad.zeros(2).requires_grad_()
        tensor([0., 0.], requires_grad=True)
        """
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(f"requires_grad_(): argument 'requires_grad' (position 1) must be bool, not "
                            f"{type(requires_grad).__name__}")
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by you (or under no_grad), False for results of tracked operations."""
        return self.grad_fn is None

    @property
    def grad(self) -> "Tensor | None":
        # PyTorch warns only while the gradient is missing: backward(inputs=[h]) does fill a non-leaf h.
        if self.grad_fn is not None and not self._retains_grad and self._grad is None:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
                "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
                "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
                "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead.",
                UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: "Tensor | None") -> None:
        if value is not None and not isinstance(value, Tensor):
            raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type "
                            f"{type(value).__name__}")
        if value is not None and value.shape != self.shape:
            raise RuntimeError(f"assigned grad has data of a different size: expected {list(self.shape)}, "
                               f"got {list(value.shape)}")
        if value is not None and value.dtype is not self.dtype:
            raise RuntimeError(f"attempting to assign a gradient with dtype '{value.dtype.name}' to a tensor of dtype "
                               f"'{self.dtype.name}': the gradient must have the tensor's dtype (use .to({self.dtype}))")
        self._grad = value

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self) -> None:
        """Keep this non-leaf tensor's gradient in `.grad` after backward (leaves always keep it)."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None and not self._retains_grad:
            self._retains_grad = True
            self.grad_fn._retained = weakref.ref(self)

    def register_hook(self, hook: Callable[["Tensor"], "Tensor | None"]):
        """Call `hook(grad)` when this tensor's gradient is computed; a returned tensor replaces it.

        >>> import minigrad
        >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
        >>> handle = x.register_hook(lambda g: g * 10)
        >>> x.sum().backward()
        >>> x.grad
        tensor([10., 10.])
        """
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        node = self.grad_fn if self.grad_fn is not None else self._accumulate_grad_node()
        if node is None:  # a view made under no_grad: no gradient ever reaches it, so the hook never runs
            from .autograd.function import RemovableHandle
            return RemovableHandle([], hook)
        return node.register_prehook(hook)

    def _accumulate_grad_node(self):
        """The AccumulateGrad node of this leaf (the one a live graph holds, else a new one; the leaf
        holds it weakly, as in PyTorch); None for a view made under no_grad, which requires grad as its
        base does but, as in PyTorch, collects no gradient."""
        if self._base is not None and self._base._requires_grad:
            return None
        return _accumulate_grad_node(self)

    def backward(self, gradient: "Tensor | None" = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs: Sequence["Tensor"] | None = None) -> None:
        """Compute the gradient of this tensor w.r.t. every leaf that requires grad, into `.grad`.

        >>> import minigrad
        >>> x = minigrad.tensor(3.0, requires_grad=True)
        >>> (x * x).backward()
        >>> x.grad
        tensor(6.)
        """
        from .autograd import backward

        if self.grad_fn is None and self._accumulate_grad_node() is None:  # a view made under no_grad
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        backward(self, gradient, retain_graph=retain_graph, create_graph=create_graph, inputs=inputs)

    def detach(self) -> "Tensor":
        """A new leaf sharing this tensor's data, cut off from the graph (requires_grad=False)."""
        t = Tensor._make(self._data)
        t._versions = self._version_counter()  # same memory, so the same version counter
        return t

    def detach_(self) -> "Tensor":
        """Cut this tensor off from the graph in place: it becomes a leaf that requires no grad."""
        if self._base is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self.grad_fn = None
        self._requires_grad = False
        return self

    # ---------------------------------------------------------------- leaving minigrad
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
            raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous")
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

    __hash__ = object.__hash__  # == builds a tensor, so hash by identity as PyTorch does

    def __repr__(self) -> str:
        extras = []
        if self.grad_fn is not None:
            extras.append(f"grad_fn=<{self.grad_fn.name()}>")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        return format_tensor(self._data, self.dtype.name, extras)

    # ---------------------------------------------------------------- dtype conversion
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
            return ops.Clone.apply(self) if copy else self
        return ops.ToCopy.apply(self, target)

    # New tensors with this one's dtype (PyTorch's new_* methods); they start outside any graph.
    def new_zeros(self, *size, dtype=None, requires_grad: bool = False) -> "Tensor":
        from . import creation
        return creation.zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, requires_grad: bool = False) -> "Tensor":
        from . import creation
        return creation.ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, requires_grad: bool = False) -> "Tensor":
        from . import creation
        return creation.full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_tensor(self, data, dtype=None, requires_grad: bool = False) -> "Tensor":
        from . import creation
        return creation.tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

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
            return f"minigrad.{ops.TORCH_TYPE_NAMES[self.dtype.name]}Tensor"
        if isinstance(dtype, str) and dtype.endswith("Tensor"):  # 'torch.DoubleTensor', as PyTorch code writes it
            names = {f"{v}Tensor": k for k, v in ops.TORCH_TYPE_NAMES.items()}
            dtype = names.get(dtype.split(".")[-1], dtype)
        return self.to(dtype)

    # ---------------------------------------------------------------- arithmetic
    def __add__(self, other): return ops.add(self, other)
    def __radd__(self, other): return ops.add(self, other)  # 2 + x is add(x, 2) in PyTorch: x's edge first
    def __sub__(self, other): return ops.sub(self, other)
    def __rsub__(self, other): return ops.rsub(self, other)
    def __mul__(self, other): return ops.mul(self, other)
    def __rmul__(self, other): return ops.mul(self, other)  # (likewise: mul(x, 2))
    def __truediv__(self, other): return ops.div(self, other)
    def __rtruediv__(self, other): return ops.rdiv(self, other)
    def __floordiv__(self, other): return ops.floor_divide(self, other)
    def __rfloordiv__(self, other): return ops.floor_divide(other, self)
    def __mod__(self, other): return ops.remainder(self, other)
    def __rmod__(self, other): return ops.remainder(other, self)
    def __pow__(self, other): return ops.pow(self, other)
    def __rpow__(self, other): return ops.rpow(self, other)
    def __matmul__(self, other): return ops.matmul(self, other)
    def __rmatmul__(self, other): return ops.matmul(other, self)
    def __neg__(self): return ops.Neg.apply(self)
    def __pos__(self):
        if self._data.dtype.kind == "b":
            raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
        return self
    def __abs__(self): return self.abs()

    def add(self, other, *, alpha=1): return ops.add(self, other) if alpha == 1 else ops.add_alpha(self, other, alpha)
    def sub(self, other, *, alpha=1):
        return ops.sub(self, other) if alpha == 1 else ops.add_alpha(self, other, alpha, subtract=True)
    def mul(self, other): return ops.mul(self, other)
    def div(self, other): return ops.div(self, other)
    def floor_divide(self, other): return ops.floor_divide(self, other)
    def remainder(self, other): return ops.remainder(self, other)
    def fmod(self, other): return ops.fmod(self, other)
    def pow(self, exponent): return ops.pow(self, exponent)
    def matmul(self, other): return ops.matmul(self, other)
    def neg(self): return ops.Neg.apply(self)
    # Functions whose result is floating point take an integer or bool tensor as PyTorch does: to float32,
    # here computed in float64 and rounded once (NumPy alone would compute a bool in float16: exp(True) = 2.719).
    def _floating(self, fn: type) -> "Tensor":
        if self._data.dtype.kind == "f":
            return fn.apply(self)
        return fn.apply(self.double()).float()  # (no graph: integer tensors never require grad)

    def exp(self): return self._floating(ops.Exp)
    def log(self): return self._floating(ops.Log)
    def sqrt(self): return self._floating(ops.Sqrt)
    def sin(self): return self._floating(ops.Sin)
    def cos(self): return self._floating(ops.Cos)
    def tanh(self): return self._floating(ops.Tanh)
    def sigmoid(self): return self._floating(ops.Sigmoid)
    def reciprocal(self): return self._floating(ops.Reciprocal)

    def abs(self):
        if self._data.dtype.kind == "b":
            raise ops.not_implemented("abs_cpu", self.dtype)
        return ops.Abs.apply(self)

    def relu(self):
        if self._data.dtype.kind == "b":
            raise RuntimeError("Boolean inputs not supported for relu")
        return ops.Relu.apply(self)

    def sign(self):
        return ops.Sign.apply(self) if self._data.dtype.kind != "b" else self.clone()  # a bool is its own sign
    def clamp(self, min=None, max=None): return ops.clamp(self, min, max)
    clip = clamp

    def square(self): return ops.pow(self, 2)
    def maximum(self, other): return ops.maximum(self, other)
    def minimum(self, other): return ops.minimum(self, other)
    def masked_fill(self, mask, value): return ops.masked_fill(self, mask, value)
    def dot(self, other): return ops.dot(self, other)
    def mm(self, other): return ops.mm(self, other)
    def mv(self, vec): return ops.mv(self, vec)

    def norm(self, p=2, dim=None, keepdim: bool = False) -> "Tensor":
        """(sum |x|^p)^(1/p): the length of x for p = 2 (the default), of all elements or along `dim`.

        >>> import minigrad
        >>> minigrad.tensor([3.0, 4.0]).norm()
        tensor(5.)
        """
        return ops.norm(self, p, dim, keepdim)

    def softmax(self, dim: int) -> "Tensor":
        """e**x / sum(e**x) along `dim`, as minigrad.nn.functional.softmax."""
        if dim is None:  # (the method takes no None, unlike F.softmax)
            raise TypeError("softmax(): argument 'dim' (position 1) must be int, not NoneType")
        from .nn import functional  # (nn builds on Tensor, so it is imported on first use)
        return functional.softmax(self, dim)

    def log_softmax(self, dim: int) -> "Tensor":
        """log(softmax(x)) along `dim`, as minigrad.nn.functional.log_softmax."""
        if dim is None:
            raise TypeError("log_softmax(): argument 'dim' (position 1) must be int, not NoneType")
        from .nn import functional
        return functional.log_softmax(self, dim)

    # ---------------------------------------------------------------- reductions
    def sum(self, dim=None, keepdim: bool = False, *, dtype=None) -> "Tensor":
        if dtype is None:
            return ops.sum(self, dim, keepdim)
        dtype = _dtype.resolve(dtype)  # the sum is computed in this dtype: one SumBackward node, as in PyTorch
        return ops.sum(self, dim, keepdim, dtype)

    def mean(self, dim=None, keepdim: bool = False) -> "Tensor":
        return ops.mean(self, dim, keepdim)

    def var(self, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> "Tensor":
        """Variance, divided by n - 1 unless correction (or unbiased=False) says otherwise.

        >>> import minigrad
        >>> minigrad.tensor([1.0, 2.0, 3.0]).var()
        tensor(1.)
        """
        return ops.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> "Tensor":
        return ops.std(self, dim, unbiased, keepdim, correction=correction)

    def cumsum(self, dim: int) -> "Tensor":
        return ops.cumsum(self, dim)

    def max(self, dim=None, keepdim: bool = False):
        return ops.max(self, dim, keepdim)

    def min(self, dim=None, keepdim: bool = False):
        return ops.min(self, dim, keepdim)

    def argmax(self, dim=None, keepdim: bool = False) -> "Tensor":
        return ops.argmax(self, dim, keepdim)

    def argmin(self, dim=None, keepdim: bool = False) -> "Tensor":
        return ops.argmin(self, dim, keepdim)

    def sum_to_size(self, *size) -> "Tensor":
        """Sum this tensor down to `size` (the inverse of broadcasting to this tensor's shape)."""
        if not size:
            raise TypeError('sum_to_size() missing 1 required positional arguments: "size"')
        return ops.sum_to_size(self, _sizes(size))

    # ---------------------------------------------------------------- shape
    def reshape(self, *shape) -> "Tensor":
        # PyTorch's three cases, and its node names: the usual row-major memory is simply viewed
        # (ViewBackward0); another layout (after a transpose, a slice or an expand) is viewed if its
        # strides allow it (ReshapeAliasBackward0), else copied first (CloneBackward0) and the copy
        # viewed (UnsafeViewBackward0).
        shape = ops.infer_shape(self, _sizes(shape))
        if self._data.flags.c_contiguous:
            return ops.View.apply(self, shape, True)
        if ops.viewable(self._data, shape):
            return ops.View.apply(self, shape, True, "ReshapeAliasBackward0")
        out = ops.View.apply(self.clone(), shape, True, "UnsafeViewBackward0")
        out._base = None  # the copy is out's own memory: out is not a view (of x or of anything else)
        return out

    def view(self, *shape) -> "Tensor":
        return ops.View.apply(self, ops.infer_shape(self, _sizes(shape)), True)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> "Tensor":
        """The dimensions from start_dim to end_dim (all, by default) merged into one.

        >>> import minigrad
        >>> minigrad.zeros(2, 3, 4).flatten(1).shape
        minigrad.Size([2, 12])
        """
        for name, position, d in (("start_dim", 1, start_dim), ("end_dim", 2, end_dim)):
            if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
                raise TypeError(f"flatten(): argument '{name}' (position {position}) must be int, not {type(d).__name__}")
        start, end = ops.dim_index(start_dim, self.ndim), ops.dim_index(end_dim, self.ndim)
        if self.ndim == 0:
            return self.reshape(1)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        if start == end:  # nothing to merge: PyTorch returns the tensor itself
            return self
        shape = self.shape
        return self.reshape(shape[:start] + (math.prod(shape[start:end + 1]),) + shape[end + 1:])

    def transpose(self, dim0: int, dim1: int) -> "Tensor":
        if self.ndim == 0:  # dims 0 and -1 of a 0-dim tensor: nothing to swap, as in PyTorch
            ops.dim_index(dim0, 0), ops.dim_index(dim1, 0)
            return ops.Transpose.apply(self, 0, 0)
        return ops.Transpose.apply(self, ops.dim_index(dim0, self.ndim), ops.dim_index(dim1, self.ndim))

    def t(self) -> "Tensor":
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return ops.Transpose.apply(self, 0, -1 if self.ndim == 2 else 0, "TBackward0")  # (< 2 dims: a view as it is)

    @property
    def T(self) -> "Tensor":
        return ops.Permute.apply(self, tuple(range(self.ndim - 1, -1, -1)))

    def permute(self, *dims) -> "Tensor":
        if not dims:
            raise TypeError('permute() missing 1 required positional arguments: "dims"')
        dims = _sizes(dims)
        if len(dims) != self.ndim:
            raise RuntimeError("permute(): number of dimensions in the tensor input does not match the length of the "
                               f"desired ordering of dimensions i.e. input.dim() = {self.ndim} is not equal to "
                               f"len(dims) = {len(dims)}")
        dims = tuple(ops.dim_index(d, self.ndim) for d in dims)
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"permute(): duplicate dims are not allowed (got {list(dims)}): list each dimension once")
        return ops.Permute.apply(self, dims)

    def unsqueeze(self, dim: int) -> "Tensor":
        return ops.Unsqueeze.apply(self, ops.dim_index(dim, self.ndim + 1))  # the new dim may go after the last

    def squeeze(self, *args, **kwargs) -> "Tensor":
        """This tensor without its dimensions of size 1: all of them, or those of `dim` (an int or a tuple).

        `x.squeeze()`, `x.squeeze(1)`, `x.squeeze(dim=(0, 2))`; as in PyTorch, `dim=None` is not a way to say "all".

        >>> import minigrad
        >>> minigrad.zeros(2, 1).squeeze().shape
        minigrad.Size([2])
        """
        if not args and not kwargs:
            return ops.Squeeze.apply(self, None)
        if len(args) + len(kwargs) != 1 or (kwargs and "dim" not in kwargs):
            raise TypeError(f"squeeze() takes one argument, dim (an int or a tuple of ints), or none; "
                            f"got {len(args)} positional and {sorted(kwargs)} keyword arguments")
        dim = args[0] if args else kwargs["dim"]
        if dim is None or isinstance(dim, bool):
            raise TypeError(f"squeeze() received an invalid combination of arguments - got ({type(dim).__name__}): "
                            "dim must be an int or a tuple of ints; to remove every dimension of size 1, call squeeze()")
        if isinstance(dim, (tuple, list)):
            dims = tuple(ops.dim_index(d, self.ndim) for d in dim)
            for d in dims:
                if dims.count(d) > 1:
                    raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
            return ops.Squeeze.apply(self, dims, "SqueezeBackward2")
        return ops.Squeeze.apply(self, (ops.dim_index(dim, self.ndim),), "SqueezeBackward1")

    def expand(self, *size) -> "Tensor":
        return ops.Expand.apply(self, _sizes(size))

    def clone(self) -> "Tensor":
        return ops.Clone.apply(self)

    # Shaped like another tensor (PyTorch's *_as methods).
    def view_as(self, other: "Tensor") -> "Tensor": return self.view(other.shape)
    def reshape_as(self, other: "Tensor") -> "Tensor": return self.reshape(other.shape)
    def expand_as(self, other: "Tensor") -> "Tensor": return self.expand(other.shape)

    def is_contiguous(self) -> bool:
        """True if the elements lie in memory row after row, with no gaps (false after .t(), x[:, ::2], expand)."""
        return self._data.flags.c_contiguous

    def contiguous(self) -> "Tensor":
        """This tensor if it is contiguous, else a contiguous copy (recorded as CloneBackward0, as in PyTorch).

        >>> import minigrad
        >>> a = minigrad.arange(4.0).view(2, 2)
        >>> c = a.t().contiguous()
        >>> c.is_contiguous(), a.contiguous() is a
        (True, True)
        """
        return self if self._data.flags.c_contiguous else ops.Clone.apply(self)

    def stride(self, dim: int | None = None) -> "tuple | int":
        """How many elements to step in memory to move one place along each dimension."""
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        return strides if dim is None else strides[ops.dim_index(dim, self.ndim)]

    # PyTorch code calls this for the device; minigrad has one, so it changes nothing.
    def cpu(self) -> "Tensor": return self

    def __getitem__(self, key) -> "Tensor":
        return ops.index(self, key)

    # ---------------------------------------------------------------- comparisons: no graph
    def __eq__(self, other): return ops.compare(np.equal, self, other)  # type: ignore[override]
    def __ne__(self, other): return ops.compare(np.not_equal, self, other)  # type: ignore[override]
    def __lt__(self, other): return ops.compare(np.less, self, other)
    def __le__(self, other): return ops.compare(np.less_equal, self, other)
    def __gt__(self, other): return ops.compare(np.greater, self, other)
    def __ge__(self, other): return ops.compare(np.greater_equal, self, other)
    # &, |, ^, ~: bitwise on integers, logical on bools (refused on floats, as in PyTorch); no graph.
    def __and__(self, other): return ops.bitwise(np.bitwise_and, "bitwise_and_cpu", self, other)
    def __or__(self, other): return ops.bitwise(np.bitwise_or, "bitwise_or_cpu", self, other)
    def __xor__(self, other): return ops.bitwise(np.bitwise_xor, "bitwise_xor_cpu", self, other)
    def __rand__(self, other): return ops.bitwise(np.bitwise_and, "bitwise_and_cpu", other, self)
    def __ror__(self, other): return ops.bitwise(np.bitwise_or, "bitwise_or_cpu", other, self)
    def __rxor__(self, other): return ops.bitwise(np.bitwise_xor, "bitwise_xor_cpu", other, self)
    def __invert__(self): return ops.invert(self)
    def __iand__(self, other): return ops.inplace_bitwise(self, np.bitwise_and, "bitwise_and_cpu", other)
    def __ior__(self, other): return ops.inplace_bitwise(self, np.bitwise_or, "bitwise_or_cpu", other)
    def __ixor__(self, other): return ops.inplace_bitwise(self, np.bitwise_xor, "bitwise_xor_cpu", other)
    bitwise_and, bitwise_or, bitwise_xor, bitwise_not = __and__, __or__, __xor__, __invert__

    # Logical ops: nonzero counts as True, whatever the dtype; the result is a bool tensor.
    def logical_not(self) -> "Tensor": return Tensor._make(np.logical_not(self._data))
    def logical_and(self, other) -> "Tensor": return ops.logical(np.logical_and, self, other)
    def logical_or(self, other) -> "Tensor": return ops.logical(np.logical_or, self, other)
    def logical_xor(self, other) -> "Tensor": return ops.logical(np.logical_xor, self, other)

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    # Which elements are nan, infinite, or neither (bool tensors, outside any graph), e.g. to spot a
    # diverging training run: `if not loss.isfinite(): ...`.
    def isnan(self) -> "Tensor": return Tensor._make(np.isnan(self._data))
    def isinf(self) -> "Tensor": return Tensor._make(np.isinf(self._data))
    def isfinite(self) -> "Tensor": return Tensor._make(np.isfinite(self._data))

    def all(self, dim=None, keepdim: bool = False) -> "Tensor":
        """tensor(True) if every element is nonzero (as in `torch.eq(a, b).all()`); along `dim` if given.

        >>> import minigrad
        >>> minigrad.tensor([[1, 0], [2, 3]]).all(dim=1)
        tensor([False,  True])
        """
        return ops.all_or_any(np.all, self, dim, keepdim)

    def any(self, dim=None, keepdim: bool = False) -> "Tensor":
        """tensor(True) if at least one element is nonzero; along `dim` if given."""
        return ops.all_or_any(np.any, self, dim, keepdim)

    # ---------------------------------------------------------------- in place
    def __setitem__(self, key, value) -> None:
        ops.setitem(self, key, value)

    def add_(self, other, *, alpha=1): return ops.inplace(self, ops.Add, other if alpha == 1 else other * alpha)
    def sub_(self, other, *, alpha=1): return ops.inplace(self, ops.Sub, other if alpha == 1 else other * alpha)
    def mul_(self, other): return ops.inplace(self, ops.Mul, other)
    def div_(self, other): return ops.inplace(self, ops.Div, other)
    def zero_(self): return ops.inplace(self, ops.Fill, 0.0, "ZeroBackward0")

    def fill_(self, value):
        if isinstance(value, Tensor):  # a 0-dim tensor: its gradient is the sum of the filled places' (FillBackward3)
            if value.ndim:
                raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} "
                                   "dimensions.")
            return ops.inplace(self, ops.Copy, value, "FillBackward3")
        if self._data.dtype.kind == "i" and isinstance(value, (float, np.floating)) and not math.isfinite(value):
            raise RuntimeError("value cannot be converted to type int64_t without overflow")  # (NumPy: a wrapped number)
        return ops.inplace(self, ops.Fill, value)
    def copy_(self, src): return ops.inplace(self, ops.Copy, src)
    def clamp_(self, min=None, max=None): return ops.inplace(self, ops.Clamp, min, max)

    def floor_divide_(self, other): return ops.inplace_rounding(self, ops.FloorDivide, "div_floor_cpu", other)
    def remainder_(self, other): return ops.inplace_rounding(self, ops.Remainder, "remainder_cpu", other)
    def fmod_(self, other): return ops.inplace_rounding(self, ops.Fmod, "fmod_cpu", other)

    __iadd__, __isub__, __imul__, __itruediv__ = add_, sub_, mul_, div_
    __ifloordiv__, __imod__ = floor_divide_, remainder_


class _MinMax(NamedTuple):
    """What `max(dim)` and `min(dim)` return: the values and where they are."""

    values: Tensor
    indices: Tensor


def _sizes(args: tuple) -> tuple:
    """Accept both f(2, 3) and f((2, 3)), as PyTorch does."""
    if len(args) == 1 and isinstance(args[0], (tuple, list, Size)):
        return tuple(args[0])
    return tuple(args)


_NUMPY_DTYPES = {d.numpy: d for d in (_dtype.bool_, _dtype.int64, _dtype.float32, _dtype.float64)}

from . import ops  # noqa: E402  (ops builds on Tensor, and Tensor's methods call ops)
from .autograd.function import accumulate_grad_node as _accumulate_grad_node  # noqa: E402
