"""Tensor's autograd attributes: requires_grad, grad, is_leaf, hooks, backward, detach.

They are members of Tensor (set on it by tensor.py, through _registry.py); this module holds them so
that tensor.py is only what a tensor is.

>>> import minigrad
>>> x = minigrad.tensor(3.0, requires_grad=True)
>>> y = x * x
>>> x.is_leaf, y.is_leaf, y.requires_grad
(True, False, True)
>>> y.backward()
>>> x.grad
tensor(6.)
"""
from __future__ import annotations

import warnings
import weakref
from typing import Callable, Sequence

import numpy as np

from .autograd.differentiate import backward as _backward
from .autograd.engine import run_backward as _run_backward
from .autograd.function import RemovableHandle, _sequence
from .autograd.function import accumulate_grad_node as _accumulate_grad_node
from ._registry import tensor_members
from .tensor import Tensor


@tensor_members
class AutogradAttributes:
    """Tensor's members for autograd (this class only gathers them: tensor_members copies each onto Tensor)."""
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
            return RemovableHandle([], hook)
        return node._register_tensor_hook(hook)

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
        if self.grad_fn is None and self._accumulate_grad_node() is None:  # a view made under no_grad
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        if gradient is None and inputs is None and not create_graph and self._data.size == 1 and self._requires_grad:
            # loss.backward(), the call of every training step: its implicit 1, straight to the engine
            shape, dtype = self._data.shape, self._data.dtype
            one = np.array(1, dtype) if not shape else np.ones(shape, dtype)  # (np.array: C, np.ones: Python)
            _run_backward((self,), (Tensor._make(one),), bool(retain_graph), False)
            return
        _backward(self, gradient, retain_graph=retain_graph, create_graph=create_graph, inputs=inputs)

    def detach(self) -> "Tensor":
        """A new leaf sharing this tensor's data, cut off from the graph (requires_grad=False)."""
        t = Tensor._make(self._data)
        t._versions = self._version_counter()  # same memory, so the same version counter
        return t

    def detach_(self) -> "Tensor":
        """Cut this tensor off from the graph in place: it becomes a leaf that requires no grad.

        As in PyTorch, a node that saved this tensor while it had a history can no longer use it:
        its backward raises (detach() out of place is the safe form).

        >>> import minigrad
        >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
        >>> y = x * 2
        >>> y.detach_()
        tensor([2., 4.])
        """
        if self._base is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        if self.grad_fn is not None:
            # The nodes that saved it are made after its grad_fn and before now: note that span. Its version
            # counter becomes one whose value, as their saved_tensors check reads it, equals no version, so the
            # check goes to its slow path, which refuses (function._check_saved); nothing is added to the
            # check's common path, and _version shows the same number as before, as in PyTorch.
            self._versions = _DetachedVersions(self._version_counter(), self.grad_fn.sequence_nr, next(_sequence))
        self.grad_fn = None
        self._requires_grad = False
        return self


class _DetachedVersion(int):
    """A version number equal to no other: what a tensor detached in place shows saved_tensors' check."""

    def __eq__(self, other) -> bool:
        return False

    def __ne__(self, other) -> bool:
        return True

    __hash__ = int.__hash__


class _DetachedVersions:
    """The version counter of a tensor detached in place: the counter it still shares (with its views and
    detached copies, which _version_counter hands on), and the span of node numbers (sequence_nr) of the
    nodes that saved it while it had its history: made after its grad_fn, before detach_()."""

    __slots__ = ("shared", "detached_between")

    def __init__(self, shared, after: int, before: int) -> None:
        self.shared = shared
        self.detached_between = (after, before)

    @property
    def value(self) -> int:
        return _DetachedVersion(self.shared.value)
