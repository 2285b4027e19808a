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

import functools
import itertools
import sys
import weakref
from typing import Any, Callable

import numpy as np

from .grad_mode import _state as _grad_mode

_PACKAGE = __name__.split(".")[0] + "."  # "minigrad."
_AUTOGRAD = __name__.rsplit(".", 1)[0] + "."  # "minigrad.autograd.": Functions defined here follow the user rule
_sequence = itertools.count()  # creation order of nodes: the engine runs newer nodes first
_observers: list = []  # called as observe(node, result) for every node recorded (graph.observe_nodes)

DETACHED_MESSAGE = ("Trying to use a saved tensor that has been detached in-place, i.e. with .detach_()."
                    "This is not supported, please use out-of-place `.detach()` instead")  # (PyTorch's words)
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
    _pre_hooks: "list | tuple" = ()  # hooks of the output tensor (Tensor.register_hook): run on its gradient first
    _node_pre_hooks: "list | tuple" = ()  # register_prehook's: run on the tuple of gradients, if the node runs
    _retained = None  # weakref to the output tensor if it asked for retain_grad()
    _hands_over = False  # its Function's hands_over_gradients (set on each Function's node class)
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

    def _release(self) -> None:
        """Free what the node saved for backward, after a backward without retain_graph: here nothing
        (a leaf's AccumulateGrad saves nothing); a BackwardNode frees its saved tensors."""

    def register_prehook(self, hook: Callable[[tuple], "tuple | None"]) -> RemovableHandle:
        """Run `hook(grad_outputs)` before this node runs: it gets the tuple of the gradients reaching
        the node (one here: a node has one output) and may return a tuple to replace them. As PyTorch's,
        it runs only if the node runs (not for an input autograd.grad only reads), after the tensor's own
        hooks (Tensor.register_hook, which get the gradient itself).

        >>> import minigrad
        >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
        >>> y = x * 3
        >>> handle = y.grad_fn.register_prehook(lambda grads: (grads[0] * 10,))
        >>> y.sum().backward()
        >>> x.grad
        tensor([30., 30.])
        """
        if not isinstance(self._node_pre_hooks, list):  # the first hook: this node gets its own list
            self._node_pre_hooks = []
        self._node_pre_hooks.append(hook)
        return RemovableHandle(self._node_pre_hooks, hook)

    def _register_tensor_hook(self, hook: Callable) -> RemovableHandle:
        """Tensor.register_hook on the tensor this node produced: `hook(grad)` on its gradient."""
        if not isinstance(self._pre_hooks, list):  # the first hook: this node gets its own list
            self._pre_hooks = []
        self._pre_hooks.append(hook)
        return RemovableHandle(self._pre_hooks, hook)

    def __repr__(self) -> str:
        # No memory address: notebooks commit this text and compare it on every run.
        return f"<{self.name()}>"


class _SavedResult:
    """A node's own output, saved for backward without holding the output tensor (PyTorch's SavedVariable).

    Holding the tensor would make a cycle (node -> output -> grad_fn -> node), and a graph nobody ran
    backward on would then wait for Python's cycle collector instead of being freed with its result.
    So the node keeps the result's memory and its version counter (shared with the result, so an
    in-place change to it is still caught), and unpacking builds a new tensor on that memory whose
    grad_fn is the node, as PyTorch's `grad_fn._saved_result` is: create_graph differentiates through it.
    """

    __slots__ = ("data", "versions", "version")

    def __init__(self, result) -> None:
        self.data = result._data
        self.versions = result._version_counter()
        self.version = self.versions.value

    def unpack(self, node):
        t = Tensor._make(self.data, requires_grad=True)
        t._versions = self.versions
        t.grad_fn = node
        if self.versions.value != self.version:
            raise RuntimeError(_modified_message(t, self.version, node))
        return t


class BackwardNode(Node):
    """The node (and `ctx`) of one application of a Function.

    Every field a node keeps is declared here, with its default: a node sets its own value only when
    it differs (thousands of nodes are made per second, so each attribute left unset is time saved), and
    `_release` tells the node's fields from what an op kept on ctx by looking here.
    """

    sequence_nr = -1  # (set when the node is recorded: a ctx of an untracked call never enters a graph)
    _fn = None  # the Function class this node is an application of
    needs_input_grad: tuple = ()  # one bool per argument of forward, as in PyTorch
    # What save_for_backward got: tensors, None, a _SavedResult for the node's own output, and for a
    # number's tensor (x * 2) its 0-dim array, made a tensor again when read (see _saved_number).
    _saved: tuple = ()
    _saved_versions = None  # their versions when saved, one int each; None when all were 0 (the usual case)
    _inputs = None  # per tensor input: None (read through next_functions), a weakref, or an index into _saved
    # The shape and NumPy dtype each input's gradient must have: per tensor input, flat, shape, dtype and
    # requires_grad; or None when every argument is a tensor and each that needs a gradient has the
    # result's shape and dtype, kept as _shape and _dtype (an op whose inputs did not broadcast).
    _input_meta = None
    _shape: tuple = ()
    _dtype = None
    _output = None  # weakref to the result
    _dirty = ()  # tensors forward changed in place (ctx.mark_dirty)
    _non_differentiable = ()  # outputs that get no gradient (ctx.mark_non_differentiable)
    _arg_is_tensor: tuple = ()  # for your own Functions: which arguments of forward were tensors
    materialize_grads = True
    _released_class: type  # what the node becomes when _release frees what it saved
    _as_arrays = False  # set while a backward formula runs on arrays: saved_tensors then gives arrays
    _kept_fields: frozenset  # what _release keeps: every field declared here, and the op's ctx_plain
    _ctx_arrays = None  # the op's ctx_arrays (a built-in op's declaration), or None: _release looks at every field
    _freed = False  # True once _release freed the saved tensors: saved_tensors then says so

    def __init__(self, fn: type) -> None:
        self.sequence_nr = next(_sequence)
        self._fn = fn
        self.node_name = fn.node_name

    # -- what forward and backward use (PyTorch's ctx) ------------------------------------------
    def save_for_backward(self, *tensors) -> None:
        """Keep these tensors for backward, noting their version to catch later in-place changes.

        Save inputs, or the tensor forward returns (its output): an output is kept without a
        reference cycle (see _SavedResult).
        """
        if True not in self.needs_input_grad:  # no backward will run (untracked): nothing to keep
            return
        saved, versions = [], None
        for t in tensors:
            if t is not None:
                if t._wrapped_number:  # a number (never changed in place): its array, not a tensor
                    t = t._data
                elif t._versions is not None:  # changed in place before, maybe: note its version (else 0)
                    if versions is None:
                        versions = [0] * len(tensors)
                    versions[len(saved)] = int(t._versions.value)  # (int: see Tensor._version)
            saved.append(t)
        self._saved = tuple(saved)
        if versions is not None:
            self._saved_versions = tuple(versions)

    def mark_dirty(self, *tensors) -> None:
        """Say that forward changed these input tensors in place (and returns one of them)."""
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors) -> None:
        """Say that these outputs of forward get no gradient (e.g. indices): they will not require grad."""
        self._non_differentiable = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """PyTorch's switch for turning missing output gradients into zeros. A minigrad Function has one
        output, whose gradient backward always gets, so there is never a missing one to materialize."""
        self.materialize_grads = bool(value)

    @property
    def saved_tensors(self) -> tuple:
        if self._freed:  # (a backward without retain_graph freed them: see _release)
            raise RuntimeError(FREED_MESSAGE)
        versions, arrays = self._saved_versions, self._as_arrays
        unpacked = []
        for i, t in enumerate(self._saved):
            if t is None:
                pass
            elif t.__class__ is np.ndarray:  # a number's array
                if not arrays:
                    t = self._saved_number(i)
            elif t.__class__ is _SavedResult:
                if not arrays or t.versions.value != t.version:  # (a tensor, or PyTorch's error if it changed)
                    t = t.unpack(self)
                else:
                    t = t.data
            else:
                version = versions[i] if versions is not None else 0
                if (t._versions.value if t._versions is not None else 0) != version:
                    _check_saved(t, version, self)  # (raises, unless only a detach_() mark differed)
                if arrays:
                    t = t._data
            unpacked.append(t)
        return tuple(unpacked)

    def _saved_number(self, i: int):
        """The tensor of a number forward saved (x * 2 saves the 2), made from its array when first read,
        then kept: a graph of many `x * 2` keeps no tensor (and nothing for the collector) for them.
        (A copy of the array: the array itself may be shared with other nodes, see _apply_number.)"""
        t = Tensor._make(self._saved[i].copy())
        t._wrapped_number = True
        saved = list(self._saved)
        saved[i] = t
        self._saved = tuple(saved)
        return t

    # -- what the graph shows -----------------------------------------------------------------
    @property
    def inputs(self) -> tuple:
        """The input tensors, None for those no longer alive.

        Most are not stored: an input that an earlier node produced is that node's `output`, and a
        leaf is its AccumulateGrad's `variable`. Only the others are: constants weakly, a number's
        tensor as its place in the saved tensors, or -1 if forward did not save it (it is gone).
        """
        stored = self._inputs
        found = []
        for i, (child, _) in enumerate(self.next_functions):
            entry = stored[i] if stored is not None else None
            if entry is None:
                t = child.variable if child.__class__ is AccumulateGrad else child.output
            elif entry.__class__ is int:
                t = None if entry < 0 or not self._saved else self._saved[entry]
                if t.__class__ is np.ndarray:
                    t = self._saved_number(entry)
            else:
                t = entry()
            found.append(t)
        return tuple(found)

    @property
    def output(self):
        return self._output() if self._output is not None else None

    def __call__(self, *grad_outputs) -> tuple:
        """Gradients w.r.t. each tensor input, given the gradient w.r.t. the output."""
        fn = self._fn
        given = None  # the gradient's array, when the formula runs on arrays
        if fn.array_backward and not _grad_mode.enabled and self._arrays_fit(grad_outputs):
            # no graph is built from this backward (no create_graph): the formula runs on arrays
            given = grad_outputs[0]._data
            self._as_arrays = True
            try:
                grads = fn.backward(self, given)
            finally:
                self._as_arrays = False
        else:
            grads = fn.backward(self, *grad_outputs)
        if grads.__class__ is not tuple:
            grads = (grads,)
        if self._arg_is_tensor:  # your own Function: one gradient per argument of forward (PyTorch's rule)
            grads = _tensor_gradients(self, _as_tensors(grads) if given is not None else grads)
        meta, needs = self._input_meta, self.needs_input_grad
        if meta is not None:  # per input: shape, dtype, requires_grad
            needs = meta[2::3]
        else:  # every input has the result's shape and dtype
            shape, dtype = self._shape, self._dtype
        if len(grads) != len(needs):  # a built-in op: one per tensor input
            raise RuntimeError(f"function {self.name()} returned an incorrect number of gradients "
                               f"(expected {len(needs)}, got {len(grads)})")
        shaped = []
        i = 0
        for grad in grads:
            if grad is None or not needs[i]:  # an input that needs no gradient gets None, whatever backward gave
                grad = None
            else:
                if meta is not None:  # the shape and dtype this input has
                    shape, dtype = meta[3 * i], meta[3 * i + 1]
                if grad.__class__ is not Tensor and given is not None:  # (a NumPy scalar, from 0-dim arrays, too)
                    if grad is given and not fn.overwrites_gradient:
                        grad = grad_outputs[0]  # passed on as it is: the same tensor goes on, as in PyTorch
                        # (not for a formula that wrote its result into the gradient it was lent, relu's:
                        # a new tensor of that array, which the engine may lend again, as before)
                    else:
                        grad = Tensor._make(grad if grad.__class__ is np.ndarray else np.asarray(grad))
                if grad.__class__ is not Tensor or grad._data.dtype is not dtype or grad._data.shape != shape:
                    grad = _shape_gradient(grad, shape, dtype, self, i)
            shaped.append(grad)
            i += 1
        return tuple(shaped)

    def _arrays_fit(self, grad_outputs: tuple) -> bool:
        """Would the formula give the same numbers on arrays? Yes when the gradient and every saved
        tensor have one dtype: NumPy then computes as minigrad does (their promotion rules differ only
        across dtypes, e.g. for a 0-dim float64 tensor beside a float32 one)."""
        if len(grad_outputs) != 1 or grad_outputs[0].__class__ is not Tensor:
            return False
        dtype = grad_outputs[0]._data.dtype
        for t in self._saved:
            if t is not None and (t if t.__class__ is np.ndarray else t.data if t.__class__ is _SavedResult
                                  else t._data).dtype is not dtype:
                return False
        return True

    def _release(self) -> None:
        """Free what forward saved: called after a backward without retain_graph.

        As in PyTorch, only saved tensors go (a second backward through a node that saved none works):
        those given to save_for_backward, and, for built-in ops, arrays kept on ctx directly (a mask,
        indices), which are PyTorch's saved tensors too. Numbers and shapes stay. Reading the saved
        tensors then says why they are gone (_freed); a node that lost a ctx attribute becomes a
        _ReleasedNode, which says so for those too.
        """
        if self._saved:
            self._saved = ()
            self._freed = True  # (a flag: changing the node's class makes Python build its __dict__, several times slower)
        if self._arg_is_tensor:  # your own Function's ctx attributes are yours: they stay
            return
        lost = False
        declared = self._ctx_arrays
        if declared is not None:  # the op says which of its ctx attributes hold arrays: only those go
            for name in declared:
                try:
                    delattr(self, name)
                    lost = True
                except AttributeError:  # (not set by this call of forward)
                    pass
        else:  # look at every ctx attribute (reading __dict__ makes Python build the node's dict: slower)
            fields = self.__dict__
            kept = self._kept_fields  # the node's own fields and the op's ctx_plain
            if not kept.issuperset(fields):  # (quick test first: most ops keep no array on ctx)
                for k in fields.keys() - kept:  # what else the op kept on ctx
                    v = fields[k]
                    if v.__class__ not in _PLAIN_VALUES and _holds_array(v):  # (a flag, a dim, a name: kept)
                        del fields[k]
                        lost = True
        if lost:  # reading a lost attribute says why it is gone, not just that it is missing
            self.__class__ = self._released_class


class _ReleasedNode(BackwardNode):
    """A node whose saved tensors a backward without retain_graph freed: reading them says so.

    A live node has no __getattr__ (Python looks attributes up faster on a class without one); a node
    changes to this class when it is released."""

    @property
    def saved_tensors(self) -> tuple:
        raise RuntimeError(FREED_MESSAGE)

    def __getattr__(self, attr: str) -> Any:
        # Only reached for a missing attribute: an array the op kept on ctx, now freed.
        if attr.startswith("__"):
            raise AttributeError(attr)
        raise RuntimeError(FREED_MESSAGE)


# What a node keeps after _release: its place in the graph, every field declared on the node classes.
# Anything else on ctx was put there by the op's forward.
_NODE_FIELDS = frozenset(k for cls in BackwardNode.__mro__ for k in vars(cls))
_PLAIN_VALUES = frozenset({bool, int, float, str, type(None)})  # what an op keeps on ctx that is never an array
BackwardNode._released_class = _ReleasedNode


class _NumberOpNode(BackwardNode):
    """The node of `x op number` (x * 2, y + 0.001), recorded by Function._apply_number: the most
    common node of lesson code. It is named, drawn and differentiated as any node of its op
    (MulBackward0, whose formula runs); what differs is how it is kept and run, for speed:

    - its edges, ((x's node, 0), (None, 0)), are made in forward (the walk reads them twice);
    - the number is saved as its 0-dim array (a tensor is made of it only when read: _saved_number);
    - without create_graph, given a gradient of the result's dtype, its formula runs on arrays
      straight away: with a 0-dim number the gradient keeps the result's shape and dtype, so the
      general path's checks would find nothing to do;
    - a backward without retain_graph frees the number by setting _saved to None; the node keeps its class.
    """

    needs_input_grad = (True, False)  # (x requires grad, or no node is recorded; the number never does)
    # Where `inputs` finds each input (see BackwardNode.inputs): x through next_functions; the number in
    # the saved tensors (1) if the op saved it, else gone (-1). Set per class; a node sets its own only
    # when x must be kept weakly.
    _inputs = (None, -1)
    _on_arrays = False  # the op's formula works on arrays (Function.array_backward), set per class

    def __call__(self, grad, *more) -> tuple:
        if not more and grad.__class__ is Tensor and not _grad_mode.enabled and grad._data.dtype is self._dtype:
            if not self._on_arrays:  # (Add: the formula passes grad on as it is)
                return self._fn.backward(self, grad)[0], None
            self._as_arrays = True
            try:
                g = self._fn.backward(self, grad._data)[0]
            finally:
                self._as_arrays = False
            if g is grad._data:  # passed on as it is (x - 2): the same tensor goes on, as in PyTorch
                return grad, None
            return Tensor._make(g if g.__class__ is np.ndarray else np.asarray(g)), None
        if self._saved is None:  # freed (the general path reads _saved before the formula would say so)
            raise RuntimeError(FREED_MESSAGE)
        return BackwardNode.__call__(self, grad, *more)

    @property
    def saved_tensors(self) -> tuple:
        saved = self._saved
        if saved is None:  # freed by a backward without retain_graph (see _release)
            raise RuntimeError(FREED_MESSAGE)
        # For a formula on arrays: None and the number's array are what it wants, as they are (a number
        # is never changed in place). Once read as a tensor, the number takes the general path.
        if self._as_arrays and (not saved or saved[-1].__class__ is np.ndarray):
            return saved
        return BackwardNode.saved_tensors.fget(self)

    def _release(self) -> None:
        # Only the number to free (it ran no forward, so it kept nothing on ctx). None marks the node as
        # freed, for saved_tensors to say so: quicker than turning it into its released twin class (a
        # class change costs three times this store, on the most common node of a backward).
        if self._saved:
            self._saved = None


def _holds_array(value) -> bool:
    """Is this ctx attribute a saved tensor in PyTorch's sense: an array or a tensor, or a tuple holding one?"""
    if isinstance(value, (np.ndarray, Tensor)):
        return True
    if isinstance(value, (tuple, list)):
        for v in value:  # (a loop: a generator for any() costs more than the few items it looks at)
            if isinstance(v, (np.ndarray, Tensor)):
                return True
    return False


def _as_tensors(grads: tuple) -> tuple:
    """The arrays a formula computed on arrays returned, as tensors (a NumPy scalar as a 0-dim one)."""
    tensors = []
    for g in grads:
        if g is not None and g.__class__ is not Tensor:
            g = Tensor._make(g if g.__class__ is np.ndarray else np.asarray(g))
        tensors.append(g)
    return tuple(tensors)


def _tensor_gradients(node, grads: tuple) -> tuple:
    """Your own Function's gradients, one per argument of forward, as those of its tensor arguments.

    PyTorch's rule, and its errors: one gradient per argument (extra ones allowed only if None), None
    for an argument that is not a tensor."""
    expected = len(node._arg_is_tensor)
    if len(grads) > expected and all(g is None for g in grads[expected:]):
        grads = grads[:expected]
    if len(grads) != expected:
        raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients "
                           f"(expected {expected}, got {len(grads)})")
    picked = []
    for position, (g, is_tensor) in enumerate(zip(grads, node._arg_is_tensor), start=1):
        if is_tensor:
            if g is not None and not isinstance(g, Tensor):
                raise RuntimeError(f"expected Variable or None (got {type(g).__name__})")
            picked.append(g)
        elif g is not None:
            raise RuntimeError(f"function {node.name()} returned a gradient different than None at position "
                               f"{position}, but the corresponding forward input was not a Variable")
    return tuple(picked)


class AccumulateGrad(Node):
    """The node of a leaf tensor: it adds the gradient that reaches it into `variable.grad`.

    The node holds its leaf; the leaf holds its node only weakly (PyTorch's tensor keeps a weak_ptr to
    its grad accumulator). The graph's nodes hold it strongly, so while a graph is alive the leaf has
    one accumulator; once no graph does, it is freed, and the next graph gets a new one. Were the two
    to point at each other strongly, every leaf would wait for Python's cycle collector to be freed
    (a training loop making fresh leaves grew by gigabytes with the collector off).
    """

    node_name = "AccumulateGrad"
    # Leaves run as soon as they are ready, as in PyTorch, whatever their creation order.
    sequence_nr = float("inf")

    def __init__(self, variable) -> None:
        self.variable = variable

    def _register_tensor_hook(self, hook: Callable) -> RemovableHandle:
        # The hooks belong to the leaf (x.register_hook): its reference to this node carries them on
        # to the next accumulator, after this one is gone with its graph.
        handle = super()._register_tensor_hook(hook)
        leaf = self.variable
        if not isinstance(leaf._accumulator, _HookedRef):
            leaf._accumulator = _HookedRef(self)
        leaf._accumulator.hooks = self._pre_hooks
        return handle

    def __call__(self, grad):
        """Add `grad` into the leaf's .grad (into a copy of it when .grad is None: the caller keeps grad)."""
        return self._accumulate(grad, False)

    def _accumulate(self, grad, owned: bool) -> tuple:
        """What the node does; `owned` is the engine's word that nobody else holds `grad` nor its
        memory (run_backward checks it), so that grad may become .grad as it is, as PyTorch "steals"
        an incoming gradient instead of copying it: one copy fewer per leaf per backward."""
        leaf = self.variable
        if not leaf._requires_grad:  # requires_grad_(False) since the graph was built: PyTorch drops it too
            return ()
        if leaf._grad is None:
            data = grad._data
            if _grad_mode.enabled:  # create_graph=True: .grad is a copy made in the graph (PyTorch's
                # CopyBackwards), not the gradient itself, which a + b also sends to b
                leaf._grad = Tensor._make(np.empty_like(data)).copy_(grad)
            elif (owned and data.flags.c_contiguous and data.flags.writeable and grad.__class__ is Tensor
                  and grad._base is None and not grad._requires_grad):
                leaf._grad = grad  # (laid out as the copy below would be: row-major, writeable)
            else:  # the gradient may be someone else's (a hook kept it, backward(gradient=) gave it, ...)
                leaf._grad = Tensor._make(data.copy())
        elif _grad_mode.enabled:  # create_graph=True: keep the sum in the graph
            leaf._grad = leaf._grad + grad
        else:
            leaf._grad._data += grad._data  # in place, like PyTorch: references to .grad see it
            leaf._grad._bump_version()
        return ()


class _HookedRef(weakref.ref):
    """A leaf's weak reference to its AccumulateGrad that also keeps the leaf's hooks."""
    __slots__ = ("hooks",)


# -- Quick recording: the ops of a training step record their usual case themselves --------------
# Function.apply decides, for every op, whether a result is tracked, and records its node in general
# terms (any arguments, any Function). Five ops that a training step calls every time (a Linear layer's
# W^T and product, relu, log_softmax, nll_loss) also have an `apply` of their own, for the one case whose
# outcome is certain: they ask `tracked_input` (or, for a leaf, `tracked_leaf`) and, given that, make
# exactly the node Function.apply would make, finished by `finish_recording`; any other case they hand
# to Function.apply. tests/test_record_fast_paths.py records generated cases both ways and
# compares every field.

def tracked_input(t) -> "BackwardNode | None":
    """t's node, if a result made from t is surely recorded here and now as Function.apply would record
    it: grad mode on, no tool observing the graph, and t in the graph as its node's own output (so that
    the node's edge and `inputs` find it). Otherwise None: record through Function.apply."""
    node = t.grad_fn
    if node is not None and _grad_mode.enabled and not _observers:
        ref = node._output
        if ref is not None and ref() is t:
            return node
    return None


def tracked_leaf(t) -> "AccumulateGrad | None":
    """t's AccumulateGrad (the one a live graph holds, else a new one), if a result made from t is surely
    recorded here and now: grad mode on, no tool observing the graph, t a leaf that requires grad and is
    no view (a view made under no_grad collects no gradient). Otherwise None."""
    if t._requires_grad and t.grad_fn is None and t._base is None and _grad_mode.enabled and not _observers:
        return accumulate_grad_node(t)
    return None


def finish_recording(node: "BackwardNode", result, edges: tuple, meta: "tuple | None" = None):
    """The last steps of recording `node` for `result`, as Function.apply takes them: the result requires
    grad, the node gets its number, edges and input metadata (`meta`; None: one input of the result's
    shape and dtype), and the two point at each other (the node weakly). Returns the result."""
    result._requires_grad = True
    node.sequence_nr = next(_sequence)
    node.next_functions = edges
    if meta is None:
        node._shape, node._dtype = result._data.shape, result._data.dtype
    else:
        node._input_meta = meta
    node._output = weakref.ref(result)
    result.grad_fn = node
    return result


def accumulate_grad_node(leaf) -> AccumulateGrad:
    """The leaf's AccumulateGrad: the one a live graph holds, else a new one (held weakly by the leaf)."""
    ref = leaf._accumulator
    if ref is not None:
        node = ref()
        if node is not None:
            return node
    node = AccumulateGrad.__new__(AccumulateGrad)  # (AccumulateGrad(leaf) without the __init__ call: once per leaf per graph)
    node.variable = leaf
    hooks = getattr(ref, "hooks", None)  # (only a _HookedRef has them)
    if hooks:
        node._pre_hooks = hooks
        leaf._accumulator = _HookedRef(node)
        leaf._accumulator.hooks = hooks
    else:
        leaf._accumulator = weakref.ref(node)
    return node


def _shape_gradient(grad, shape: tuple, np_dtype, node, index: int):
    """Sum a broadcast gradient back to its input's shape and cast it to the input's dtype."""
    if not isinstance(grad, Tensor):
        raise RuntimeError(f"expected Variable or None (got {type(grad).__name__}): {node.name()}'s backward "
                           f"returned a {type(grad).__name__} at index {index}; return a tensor, e.g. grad * 2")
    if grad._data.shape != shape:
        try:
            grad = grad.sum_to_size(shape)
        except RuntimeError:
            raise RuntimeError(f"Function {node.name()} returned an invalid gradient at index {index} - "
                               f"got {list(grad.shape)} but expected shape compatible with {list(shape)}") from None
    if grad._data.dtype != np_dtype and np_dtype.kind == "f":
        grad = grad.to(np_dtype)
    return grad


def _check_saved(t, version: int, node) -> None:
    """saved_tensors' slow path, for a saved input whose version differs from the one noted when it
    was saved. Changed in place: PyTorch's "modified by an inplace operation". Detached in place
    (detach_()) after the node saved it with its history: its version then differs from every noted
    one (see Tensor.detach_), and using it in a built-in formula raises PyTorch's error for that, while
    reading it from outside (grad_fn.saved_tensors, a drawing) or in a Function of yours still gives
    it, as PyTorch's _saved_self and ctx.saved_tensors do."""
    span = getattr(t._versions, "detached_between", None)
    if (span is not None and t.grad_fn is None and span[0] < node.sequence_nr < span[1]
            and not node._arg_is_tensor and _formula_running(node)):
        raise RuntimeError(DETACHED_MESSAGE)
    if t._version != version:
        raise RuntimeError(_modified_message(t, version, node))


def _formula_running(node) -> bool:
    """Is this node's backward running (called by the engine or by you), as opposed to its saved
    tensors read from outside? Looks for the node's __call__ up the Python stack (only on the slow
    path above: never for a backward that uses unchanged tensors)."""
    calls = (BackwardNode.__call__.__code__, _NumberOpNode.__call__.__code__)
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code in calls and frame.f_locals.get("self") is node:
            return True
        frame = frame.f_back
    return False


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
    ...         return x ** 3
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return grad * 3 * x ** 2
    >>> x = minigrad.tensor(2.0, requires_grad=True)
    >>> Cube.apply(x).backward()
    >>> x.grad
    tensor(12.)

    forward gets tensors (and any other arguments) and returns a tensor (nothing inside it is
    recorded); backward gets the gradient of the output and returns one gradient per argument of
    forward, as in PyTorch: None for an argument that is not a tensor or needs none. Gradients of
    broadcast inputs are summed back to the input's shape for you.
    """

    node_name: str = ""

    #: minigrad's own operations return one gradient per *tensor* input (their other arguments are
    #: dims, numbers, flags: a row of Nones in every backward would say nothing); your Functions follow
    #: PyTorch's rule, one per argument of forward. Decided by the module the class is defined in.
    _builtin: bool = False

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "node_name" not in cls.__dict__:
            cls.node_name = cls.__name__ + "Backward"  # PyTorch's naming for custom Functions
        # (minigrad's op modules, found from this module's own name: the package may be imported under another)
        cls._builtin = cls.__module__.startswith(_PACKAGE) and not cls.__module__.startswith(_AUTOGRAD)

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

    #: True for operations whose backward formula works on NumPy arrays as it does on tensors (only
    #: arithmetic operators, no tensor methods): without create_graph it then runs on the arrays,
    #: several times quicker on small tensors than going through the tensor operations.
    array_backward: bool = False

    #: Two hints to the engine, for built-in ops whose backward makes large new gradient arrays (a
    #: matrix product's, relu's). They save copies, never change a number: the engine itself checks
    #: that nobody else holds a gradient before it lets a node keep or overwrite it (engine.py, run_backward).
    #: hands_over_gradients: the engine notes which gradients this op's backward made that nobody else
    #: holds, so that the node each goes to may take it over (a leaf's .grad becomes it, no copy).
    hands_over_gradients: bool = False
    #: overwrites_gradient: given such a gradient, the op's array formula writes its result into it
    #: (asking engine.may_overwrite) instead of into a new array.
    overwrites_gradient: bool = False

    #: For the binary arithmetic ops (see _apply_number): `x op 2` may skip making the 2 a tensor.
    numbers_directly: bool = False
    saves_number: bool = False

    #: True for an op whose backward uses its own result (exp, relu, softmax: PyTorch's derivative formulas
    #: name it `result`): apply saves the result after forward, as the last of the saved tensors, without
    #: holding the result tensor (see _SavedResult). Its forward returns an array, as most forwards do.
    saves_result: bool = False

    #: The ctx attributes this op's forward sets that never hold an array or a tensor (a flag, a dim, a
    #: shape): a backward without retain_graph then need not look at them to free what the op saved.
    ctx_plain: tuple = ()

    #: For a built-in op: the ctx attributes its forward may set that hold an array or a tensor (an
    #: index, a mask), all of them. A backward without retain_graph frees exactly these (with the saved
    #: tensors) and looks at no other attribute. None (the default): it looks at every attribute.
    ctx_arrays: "tuple | None" = None

    #: True for operations whose result shares memory with their input (view, transpose, ...):
    #: the result then shares the input's version counter, so an in-place change to either is seen.
    is_view: bool = False

    #: The class this op's nodes derive from: BackwardNode, or a subclass whose __call__ has a quicker
    #: path for the op's usual case and takes BackwardNode.__call__ otherwise (the nodes of a training
    #: step's ops: TBackward0, AddmmBackward0, ReluBackward0, LogSoftmaxBackward0, NllLossBackward0).
    node_base: type = None  # (None: BackwardNode, defined below)

    @classmethod
    def apply(cls, *args):
        """Run forward, and record a node in the graph if the result needs one.

        This is the one place that decides whether a result is tracked: grad mode must be on, at
        least one tensor input must require grad, and the result must be floating-point (an integer
        or bool result never requires grad, as in PyTorch).

        (It runs for every operation, forward and backward, so it is written for speed, once here:
        one flat function with plain loops, no helper calls on the common path, fields left at their
        class defaults unless they differ. benchmarks/ shows what each of these saves.)
        """
        node_class = _NODE_CLASSES.get(cls)
        if node_class is None:
            node_class = cls.__dict__.get("_node_class") or cls._make_node_class()
        ctx = _new(node_class)
        if _grad_mode.enabled:
            needs = []  # one per argument, as in PyTorch
            for a in args:
                needs.append(isinstance(a, Tensor) and a._requires_grad)
            ctx.needs_input_grad = needs = tuple(needs)
            _grad_mode.enabled = False  # forward is plain computation, as in PyTorch: nothing inside it is recorded
            try:
                out = cls.forward(ctx, *args)
            finally:
                _grad_mode.enabled = True
        else:  # no_grad, or the formulas run by backward: nothing to record, no need to look at the inputs
            needs = None
            ctx.needs_input_grad = (False,) * len(args)
            out = cls.forward(ctx, *args)
        data = out if out.__class__ is np.ndarray else _forward_result(cls, ctx, out, args)
        if data.__class__ is np.ndarray:  # the result: a new tensor of the dtype PyTorch gives
            if cls.result_dtype is not _KEEPS_DTYPE:  # (an op that keeps what forward computed: no call)
                dtype = cls.result_dtype(*args)
                if dtype is not None and data.dtype is not dtype.numpy:
                    data = data.astype(dtype.numpy)
            result = Tensor._make(data)
            # A view shares its input's versions. (data.base is the input's array: surely shared, no need
            # to ask NumPy, unless the view is empty: may_share_memory says no for those, as PyTorch counts.)
            if cls.is_view and ((data.base is args[0]._data and data.size) or np.may_share_memory(data, args[0]._data)):
                result._versions, result._base = args[0]._version_counter(), args[0]
        else:
            result = data
        if needs is None or True not in needs or result._data.dtype.kind != "f":
            return result
        if out.__class__ is not np.ndarray:  # forward returned a tensor: it may have marked it
            if ctx._non_differentiable and _is_one_of(out, ctx._non_differentiable):
                return result  # requires_grad stays False, as PyTorch leaves a non-differentiable output
            if ctx._dirty and result is out and _is_one_of(out, ctx._dirty):
                _check_dirty(result)
            if ctx._saved:  # forward may have saved its own output
                ctx._saved = tuple([_SavedResult(result) if t is out and t is not None else t for t in ctx._saved])
        result._requires_grad = True
        ctx.sequence_nr = next(_sequence)
        if cls.saves_result:
            ctx._saved += (_SavedResult(result),)
        # One pass over the inputs: where each input's gradient goes next, and how `inputs` finds it
        # again (see BackwardNode.inputs); and whether every input is a tensor of the result's shape and dtype.
        shape, dtype = result._data.shape, result._data.dtype
        uniform = True
        edges, meta, stored = [], [], None
        for t in args:
            if not isinstance(t, Tensor):
                uniform = False
                continue
            data = t._data
            meta += (data.shape, data.dtype, t._requires_grad)  # (NumPy's dtype: cheaper to read)
            if uniform and t._requires_grad and (data.dtype is not dtype or data.shape != shape):
                uniform = False
            node = t.grad_fn
            if node is not None:
                edges.append((node, 0))
                ref = node._output
                if ref is not None and ref() is t:  # `inputs` reads it as node.output
                    if stored is not None:
                        stored.append(None)
                    continue
            elif t._requires_grad:
                node = t._accumulator() if t._accumulator is not None else None  # the one a live graph holds
                if node is None:
                    node = t._accumulate_grad_node()
                edges.append((node, 0))
                if node is not None:  # `inputs` reads it as node.variable
                    if stored is not None:
                        stored.append(None)
                    continue
            else:
                edges.append(_NO_EDGE)
            if stored is None:
                stored = [None] * (len(edges) - 1)
            stored.append(_input_entry(t, ctx._saved))
        ctx.next_functions = tuple(edges)
        if stored is not None:
            ctx._inputs = tuple(stored)
        if uniform:
            ctx._shape, ctx._dtype = shape, dtype
        else:
            ctx._input_meta = tuple(meta)
        if not cls._builtin:
            ctx._arg_is_tensor = tuple([isinstance(a, Tensor) for a in args])
        ctx._output = weakref.ref(result)
        result.grad_fn = ctx
        if _observers:  # tools watching the graph being built (see graph.observe_nodes)
            for observe in _observers:
                observe(ctx, result)
        return result

    @classmethod
    def _apply_number(cls, x, number):
        """`x op number` for a floating-point tensor x and a Python number: what apply(x, wrap(number))
        records, made without the number's tensor and without the general bookkeeping.

        For the binary arithmetic ops that set `numbers_directly` (their forward is `numpy(x, y)`, and
        `saves_number` says whether their backward reads the number, as Mul's does). The number is kept
        as its 0-dim array of x's dtype (what wrap would give), made a tensor when something reads it.
        """
        data = x._data
        # The number as a 0-dim array of x's dtype. Making one costs more than the arithmetic, so the
        # arrays of recent numbers are kept, read-only, and shared (a loop's `y * 1.001` makes one). Keyed
        # by the number object itself (its id, checked by `is`; the entry holds it, so its id is not reused
        # meanwhile): so -0.0 and 0.0, equal as keys, stay apart.
        hit = _NUMBER_ARRAYS.get((id(number), data.dtype))
        if hit is None or hit[0] is not number:
            c = np.array(number, data.dtype)  # (np.array: quicker than np.asarray for a Python number)
            c.flags.writeable = False
            if len(_NUMBER_ARRAYS) >= 64:
                _NUMBER_ARRAYS.clear()
            # (with the saved tensors of Mul, which are the same for every node of this number)
            hit = _NUMBER_ARRAYS[id(number), data.dtype] = number, c, (None, c)
        c = hit[1]
        out = cls.numpy(data, c)
        result = Tensor._make(out if out.__class__ is np.ndarray else np.asarray(out))  # (0-dim: a NumPy scalar)
        if not x._requires_grad or not _grad_mode.enabled:
            return result
        node_class = _NUMBER_NODE_CLASSES.get(cls)
        if node_class is None:
            node_class = _make_number_node_class(cls)
        ctx = _new(node_class)  # (needs_input_grad and, usually, _inputs are its class's: see _NumberOpNode)
        ctx.sequence_nr = next(_sequence)
        node = x.grad_fn
        if node is None:  # a leaf: its AccumulateGrad (the one a live graph holds, else a new one)
            node = x._accumulator() if x._accumulator is not None else None
            if node is None:
                node = x._accumulate_grad_node()
            if node is None:  # (`inputs` reads x as node.variable, or else keeps it weakly)
                ctx._inputs = (weakref.ref(x), ctx._inputs[1])
        elif node._output is None or node._output() is not x:  # (`inputs` reads x as node.output, or ...)
            ctx._inputs = (weakref.ref(x), ctx._inputs[1])
        ctx.next_functions = ((node, 0), _NO_EDGE)  # (x's edge; the number gets no gradient)
        if cls.saves_number:
            ctx._saved = hit[2]
        ctx._shape, ctx._dtype = data.shape, data.dtype
        ctx._output = weakref.ref(result)
        result._requires_grad = True
        result.grad_fn = ctx
        return result

    @classmethod
    def _make_node_class(cls) -> type:
        """The class of this Function's nodes, named as the node is (MulBackward0), made on first use.

        Its name and Function are class attributes, so a node need not store them; and Python's own
        errors name the node as PyTorch's do ("'MulBackward0' object has no attribute 'x'"). A built-in
        op's is kept in _NODE_CLASSES (the op lives as long as the process); your Function keeps its
        own, so that it is freed with it."""
        name = cls.node_name if cls.node_name.isidentifier() else "BackwardNode"
        fields = {"_fn": cls, "node_name": cls.node_name, "__module__": BackwardNode.__module__,
                  "_hands_over": cls.hands_over_gradients, "_kept_fields": _NODE_FIELDS | frozenset(cls.ctx_plain),
                  "_ctx_arrays": cls.ctx_arrays if cls._builtin else None}
        # (a built-in op's quick node; your Function's nodes, even of a subclass of one, are general ones)
        node_class = type(name, ((cls.node_base if cls._builtin else None) or BackwardNode,), fields)
        node_class._released_class = type(name, (_ReleasedNode, node_class), {"__module__": BackwardNode.__module__})
        if cls._builtin:
            _NODE_CLASSES[cls] = node_class
        else:
            cls._node_class = node_class
        return node_class


_new = object.__new__
_KEEPS_DTYPE = Function.result_dtype  # (the default: None, the dtype forward's NumPy code produced)
_NODE_CLASSES: dict = {}  # built-in op -> the class of its nodes
_NUMBER_NODE_CLASSES: dict = {}  # built-in op -> the class of its nodes of `x op number`
_NUMBER_ARRAYS: dict = {}  # (id(number), NumPy dtype) -> (number, its read-only 0-dim array, (None, array)): see _apply_number


def _make_number_node_class(fn: type) -> type:
    """The class of fn's nodes recorded by _apply_number: a _NumberOpNode that is also one of fn's
    nodes (same name), made on first use."""
    node_class = _NODE_CLASSES.get(fn) or fn._make_node_class()
    name = node_class.__name__
    number_class = type(name, (_NumberOpNode, node_class), {"__module__": BackwardNode.__module__,
                                                             "_on_arrays": fn.array_backward,
                                                             "_inputs": (None, 1 if fn.saves_number else -1)})
    _NUMBER_NODE_CLASSES[fn] = number_class  # (no released twin: its _release marks it freed instead)
    return number_class


_NO_EDGE = (None, 0)  # the edge of an input that needs no gradient


def _input_entry(t, saved: tuple):
    """How a node keeps an input it cannot find through next_functions: a number's tensor as its place
    in the saved tensors, or -1 if forward did not save it (nothing else holds it: it is gone once
    apply returns, but for tools watching apply, which read it); anything else, weakly."""
    if t._wrapped_number:
        for i, s in enumerate(saved):
            if s is t or (s.__class__ is np.ndarray and s is t._data):
                return i
        if not _observers:
            return -1
    return weakref.ref(t)


def _forward_result(fn: type, ctx: BackwardNode, out, args: tuple):
    """What forward returned other than a NumPy array: the result tensor, or the array to make it of.

    A new tensor that forward made is the result itself (so what forward saved of it is the output),
    and so is an input that forward changed in place and marked dirty. An input returned as it is
    becomes a view of it, as in PyTorch; a tensor of another dtype than PyTorch's gives its array.
    """
    if isinstance(out, Tensor):
        if _is_one_of(out, args):
            if _is_one_of(out, ctx._dirty):
                out._bump_version()  # the change forward made, as PyTorch counts it
                return out
            view = Tensor._make(out._data)
            view._versions, view._base = out._version_counter(), out
            return view
        dtype = fn.result_dtype(*args)
        if (out.grad_fn is None and not out._requires_grad and out._base is None and out._versions is None
                and (dtype is None or out._data.dtype is dtype.numpy)):
            if out._data.__class__ is not np.ndarray:  # a NumPy scalar (np.exp of a 0-dim array is one)
                out._data = np.asarray(out._data)
            return out
        return out._data
    return np.asarray(out)


def _is_one_of(x, items) -> bool:
    """Is x one of items, by identity? (`x in items` would call Tensor.__eq__; a loop is quicker than any().)"""
    for item in items:
        if item is x:
            return True
    return False


def _check_dirty(t) -> None:
    """An input that forward changed in place (ctx.mark_dirty) takes the new node as its history."""
    if t.grad_fn is None and t._requires_grad:
        raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
    if t._base is not None and t._base._requires_grad:
        raise RuntimeError("minigrad does not record a custom Function's in-place change (mark_dirty) to a view "
                           "of a tensor that requires grad, where PyTorch rewrites the viewed tensor's history; "
                           "pass a .clone() to the Function instead.")


def once_differentiable(backward: Callable) -> Callable:
    """Decorate a Function's backward whose formulas are not themselves differentiable (e.g. NumPy code).

    As PyTorch's: backward then runs with grad mode off; under create_graph, the gradients it returns
    are kept in the graph behind a node that refuses to be differentiated, so a second derivative
    fails with a clear error instead of being silently wrong.

    >>> import minigrad
    >>> class Square(Function):
    ...     '''y = x**2,   dy/dx = 2x, computed with NumPy: backward itself is not recorded'''
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x
    ...     @staticmethod
    ...     @once_differentiable
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return minigrad.tensor(2 * x.detach().numpy() * grad.numpy())
    >>> x = minigrad.tensor(3.0, requires_grad=True)
    >>> Square.apply(x).backward()
    >>> x.grad
    tensor(6.)
    """
    @functools.wraps(backward)
    def wrapper(ctx, *grad_outputs):
        previous = _grad_mode.enabled
        _grad_mode.enabled = False
        try:
            grads = backward(ctx, *grad_outputs)
        finally:
            _grad_mode.enabled = previous
        if not previous or not any(isinstance(g, Tensor) and g._requires_grad for g in grad_outputs):
            return grads  # no graph is being built (no create_graph): nothing to guard
        if not isinstance(grads, tuple):
            grads = (grads,)
        return tuple(_DelayedError.apply(g.detach().requires_grad_()) if isinstance(g, Tensor)
                     and g.dtype.is_floating_point else g for g in grads)

    return wrapper


class _DelayedError(Function):
    """z = g, standing in the graph for a gradient computed by a once_differentiable backward.
    dz/dg is not known (that backward's formulas were not recorded): going back through it is an error."""
    node_name = "DelayedError"

    @staticmethod
    def forward(ctx, g):
        return g._data

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("trying to differentiate twice a function that was marked with @once_differentiable")


# Imported last, and at module level rather than inside apply (which runs for every op): tensor.py
# itself imports this package, so Tensor exists only once this module is fully defined.
from ..tensor import Tensor  # noqa: E402
