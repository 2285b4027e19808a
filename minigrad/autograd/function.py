"""Function and Node: how one operation records itself in the graph.

A `Function` says how to compute an operation (`forward`) and how to send a gradient back through
it (`backward`), in the shape of PyTorch's `torch.autograd.Function`. Every time a Function is
applied to tensors that require grad, `Function.apply` creates a `Node`: the record of that one
call, which is also the `ctx` that forward and backward share. The output tensor's `grad_fn` is that
node, and the node's `next_functions` point to the nodes of its inputs, so the graph is a chain of
nodes from the output back to the leaves.

>>> import minigrad
>>> x = minigrad.ones(3, requires_grad=True)
>>> y = (x * 2).sum()
>>> y.grad_fn
<SumBackward0>
>>> y.grad_fn.next_functions
((<MulBackward0>, 0),)
"""
from __future__ import annotations

import itertools
import weakref
from typing import Any, Callable

import numpy as np

from .grad_mode import _state as _grad_mode
from .grad_mode import is_grad_enabled

_sequence = itertools.count()  # creation order of nodes: the engine runs newer nodes first
_observers: list = []  # called as observe(node, result) for every node recorded (graph.observe_nodes)

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)


class RemovableHandle:
    """What `register_hook` returns: call `.remove()` to take the hook off again."""

    def __init__(self, hooks: list, hook: Callable) -> None:
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)

    def __repr__(self) -> str:
        return "<minigrad.autograd.RemovableHandle>"


class Node:
    """One step of the backward graph.

    Public attributes (what the drawing code reads):
      name()            PyTorch's name for the node, e.g. "MulBackward0"
      next_functions    ((node or None, 0), ...): one edge per tensor input, in argument order
      inputs            the input tensors (held weakly: None once they are garbage-collected)
      output            the tensor this node produced (held weakly)
      saved_tensors     what forward saved for backward (gone after a backward without retain_graph)
      sequence_nr       creation order
      metadata          a dict free for tools
    Calling a node, `node(grad)`, returns the gradients for its inputs.
    """

    node_name = "Node"
    # Defaults live on the class; a node gets its own value only when it differs. Thousands of
    # nodes are made per second, so each attribute not set in __init__ is time saved.
    next_functions: tuple = ()
    _pre_hooks: "list | tuple" = ()  # hooks of the output tensor: run on its gradient first
    _retained = None  # weakref to the output tensor if it asked for retain_grad()
    _metadata = None

    def __init__(self) -> None:
        self.sequence_nr = next(_sequence)

    @property
    def metadata(self) -> dict:
        """A dict free for tools (made on first use: most nodes never need one)."""
        if self._metadata is None:
            self._metadata = {}
        return self._metadata

    def name(self) -> str:
        return self.node_name

    def register_prehook(self, hook: Callable) -> RemovableHandle:
        """Run `hook(grad)` on the gradient arriving at this node; a returned tensor replaces it."""
        if not isinstance(self._pre_hooks, list):  # the first hook: this node gets its own list
            self._pre_hooks = []
        self._pre_hooks.append(hook)
        return RemovableHandle(self._pre_hooks, hook)

    def __repr__(self) -> str:
        # No memory address: notebooks commit this text and compare it on every run.
        return f"<{self.name()}>"


class BackwardNode(Node):
    """The node (and `ctx`) of one application of a Function."""

    needs_input_grad: tuple = ()
    _saved: tuple = ()  # (tensor, its version when saved) pairs
    _freed = False
    _inputs: tuple = ()  # weak references to the input tensors
    _input_meta: tuple = ()  # (shape, NumPy dtype) of each input, to shape its gradient
    _output = None

    def __init__(self, fn: type) -> None:
        self.sequence_nr = next(_sequence)
        self._fn = fn
        self.node_name = fn.node_name

    # -- what forward and backward use (PyTorch's ctx) ------------------------------------------
    def save_for_backward(self, *tensors) -> None:
        """Keep these tensors for backward, noting their version to catch later in-place changes."""
        if True not in self.needs_input_grad:  # no backward will run (untracked): nothing to keep
            return
        self._saved = tuple([(t, t._version) if t is not None else (None, 0) for t in tensors])

    @property
    def saved_tensors(self) -> tuple:
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        unpacked = []
        for t, version in self._saved:
            if t is not None and t._version != version:
                raise RuntimeError(_modified_message(t, version, self))
            unpacked.append(t)
        return tuple(unpacked)

    # -- what the graph shows -----------------------------------------------------------------
    @property
    def inputs(self) -> tuple:
        return tuple(ref() for ref in self._inputs)

    @property
    def output(self):
        return self._output() if self._output is not None else None

    def __call__(self, *grad_outputs) -> tuple:
        """Gradients w.r.t. each tensor input, given the gradient w.r.t. the output."""
        grads = self._fn.backward(self, *grad_outputs)
        if not isinstance(grads, tuple):
            grads = (grads,)
        if len(grads) != len(self._input_meta):
            raise RuntimeError(f"function {self.name()} returned an incorrect number of gradients "
                               f"(expected {len(self._input_meta)}, got {len(grads)})")
        # (map rather than a comprehension: no function object to build, and this runs for every node)
        return tuple(map(_shape_gradient, grads, self._input_meta, self.needs_input_grad, itertools.repeat(self),
                         itertools.count()))

    def _release(self) -> None:
        """Free what forward saved: called after a backward without retain_graph."""
        self._saved = ()
        self._freed = True
        if not _NODE_FIELDS.issuperset(self.__dict__):  # one quick test first: most ops keep nothing extra
            for k in [k for k in self.__dict__ if k not in _NODE_FIELDS]:
                del self.__dict__[k]  # arrays an op kept on ctx directly (e.g. ctx.mask) go too

    def __getattr__(self, attr: str) -> Any:
        # Only reached for a missing attribute: after _release, say why rather than AttributeError.
        if not attr.startswith("__") and self.__dict__.get("_freed"):
            raise RuntimeError(FREED_MESSAGE)
        raise AttributeError(f"'{self.name()}' object has no attribute '{attr}'")


# What a node keeps after _release: its place in the graph. Anything else on ctx was the op's.
_NODE_FIELDS = {"sequence_nr", "_fn", "node_name", "next_functions", "_pre_hooks", "_retained", "_metadata",
                "needs_input_grad", "_saved", "_freed", "_inputs", "_input_meta", "_output"}


class AccumulateGrad(Node):
    """The node of a leaf tensor: it adds the gradient that reaches it into `variable.grad`."""

    node_name = "AccumulateGrad"

    def __init__(self, variable) -> None:
        super().__init__()
        self.variable = variable
        # Leaves run as soon as they are ready, as in PyTorch, whatever their creation order.
        self.sequence_nr = float("inf")

    def __call__(self, grad):
        leaf = self.variable
        if not leaf.requires_grad:  # requires_grad_(False) since the graph was built: PyTorch drops it too
            return ()
        if leaf.grad is None:
            # A private copy: the incoming gradient may be shared with other nodes or read-only.
            leaf._grad = Tensor._make(grad._data.copy()) if not is_grad_enabled() else grad
        elif is_grad_enabled():  # create_graph=True: keep the sum in the graph
            leaf._grad = leaf._grad + grad
        else:
            leaf._grad._data += grad._data  # in place, like PyTorch: references to .grad see it
            leaf._grad._bump_version()
        return ()


def _shape_gradient(grad, meta, needed, node, index):
    """Sum a broadcast gradient back to its input's shape and cast it to the input's dtype."""
    if grad is None or not needed:  # (an input that needs no gradient gets None, whatever backward gave)
        return None
    if not isinstance(grad, Tensor):
        grad = Tensor(np.asarray(grad))
    shape, np_dtype = meta
    if grad._data.shape == shape and grad._data.dtype is np_dtype:
        return grad  # the common case, tested first: already the input's shape and dtype
    if grad._data.shape != shape:
        try:
            grad = grad.sum_to_size(shape)
        except RuntimeError:
            raise RuntimeError(f"Function {node.name()} returned an invalid gradient at index {index} - "
                               f"got {list(grad.shape)} but expected shape compatible with {list(shape)}") from None
    if grad._data.dtype != np_dtype and np_dtype.kind == "f":
        grad = grad.to(np_dtype)
    return grad


def _modified_message(t, version, node) -> str:
    made_by = f"output 0 of {t.grad_fn.name()}" if t.grad_fn is not None else "a leaf tensor"
    return ("one of the variables needed for gradient computation has been modified by an inplace "
            f"operation: [{t.dtype} {list(t.shape)}], which is {made_by}, is at version {t._version}; "
            f"expected version {version} instead. Hint: {node.name()} saved this tensor in the forward "
            "pass and it was changed in place afterwards; use an out-of-place operation (y = y + 1 "
            "instead of y += 1) or .clone() the tensor before changing it.")


class Function:
    """Base class of every differentiable operation, built in or your own.

    Subclass it with two static methods, then call `YourFunction.apply(...)`:

    >>> import minigrad
    >>> from minigrad.autograd import Function
    >>> class Cube(Function):
    ...     '''y = x**3,   dy/dx = 3 x**2'''
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x.data ** 3
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return grad * 3 * x ** 2
    >>> x = minigrad.tensor(2.0, requires_grad=True)
    >>> Cube.apply(x).backward()
    >>> x.grad
    tensor(12.)

    forward gets tensors (and any other arguments) and returns a NumPy array or a tensor; backward
    gets the gradient of the output and returns one gradient per tensor argument (None for one that
    needs none). Gradients of broadcast inputs are summed back to the input's shape for you.
    """

    node_name: str = ""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "node_name" not in cls.__dict__:
            cls.node_name = cls.__name__ + "Backward"  # PyTorch's naming for custom Functions

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError("a Function subclass must define forward(ctx, ...)")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("a Function subclass must define backward(ctx, grad) to be differentiated")

    @staticmethod
    def result_dtype(*args):
        """The output dtype, given apply's arguments; None keeps what forward's NumPy code produced."""
        return None

    #: True for operations whose result shares memory with their input (view, transpose, ...):
    #: the result then shares the input's version counter, so an in-place change to either is seen.
    is_view: bool = False

    @classmethod
    def apply(cls, *args):
        """Run forward, and record a node in the graph if the result needs one.

        This is the one place that decides whether a result is tracked: grad mode must be on and at
        least one tensor input must require grad.
        """
        ctx = BackwardNode(cls)
        # Grad mode off (no_grad, or the formulas run by backward): the result is a plain tensor and
        # there is nothing to record, so there is no need to look at the inputs.
        if not _grad_mode.enabled:  # is_grad_enabled(), read directly: this runs for every op
            ctx.needs_input_grad = (False,) * len(args)  # (at least one False per tensor input)
            return _result(cls, cls.forward(ctx, *args), args)
        tensors = [a for a in args if isinstance(a, Tensor)]
        needs = tuple([t._requires_grad for t in tensors])
        ctx.needs_input_grad = needs
        _grad_mode.enabled = False  # forward is plain computation, as in PyTorch: nothing inside it is recorded
        try:
            out = cls.forward(ctx, *args)
        finally:
            _grad_mode.enabled = True
        result = _result(cls, out, args)
        if True not in needs:  # no input requires grad (`True in` rather than any(): no generator to run)
            return result
        result._requires_grad = True
        # One pass over the inputs (quicker than one comprehension per field): where each input's
        # gradient goes next, and the shape and dtype its gradient must have.
        edges, meta = [], []
        for t in tensors:
            edges.append((t.grad_fn, 0) if t.grad_fn is not None else _edge(t))
            meta.append((t._data.shape, t._data.dtype))  # NumPy's dtype: cheaper to read
        ctx.next_functions, ctx._input_meta = tuple(edges), tuple(meta)
        ctx._inputs = tuple([weakref.ref(t) for t in tensors])
        ctx._output = weakref.ref(result)
        result.grad_fn = ctx
        if _observers:  # tools watching the graph being built (see graph.observe_nodes)
            for observe in _observers:
                observe(ctx, result)
        return result


def _result(fn: type, out, args: tuple) -> "Tensor":
    """Forward's output as a Tensor of the dtype PyTorch gives (a view shares its input's versions)."""
    data = out._data if isinstance(out, Tensor) else np.asarray(out)
    dtype = fn.result_dtype(*args)
    if dtype is not None and data.dtype is not dtype.numpy:
        data = data.astype(dtype.numpy)
    result = Tensor._make(data)
    if fn.is_view and np.may_share_memory(data, args[0]._data):
        result._versions, result._base = args[0]._version_counter(), args[0]
    return result


def _edge(t) -> tuple:
    """Where a gradient for tensor t goes next: its grad_fn, its AccumulateGrad, or nowhere."""
    if t.grad_fn is not None:
        return (t.grad_fn, 0)
    if t._requires_grad:
        return (t._accumulate_grad_node(), 0)
    return (None, 0)


# Imported last, and at module level rather than inside apply (which runs for every op): tensor.py
# itself imports this package, so Tensor exists only once this module is fully defined.
from ..tensor import Tensor  # noqa: E402
