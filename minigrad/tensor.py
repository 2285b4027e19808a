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
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from . import _dtype
from ._dtype import dtype
from ._format import format_tensor


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

from . import ops  # noqa: E402  (ops builds on Tensor, and attaches the op methods to it when imported)
from .autograd.function import accumulate_grad_node as _accumulate_grad_node  # noqa: E402
