"""The engine: run the chain rule backward through the graph.

>>> import minigrad
>>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
>>> (x ** 2).sum().backward()
>>> x.grad
tensor([2., 4.])

There is one walk, `walk`: `backward()` and `autograd.grad` drive it (run_backward), and so do
`graph.execution_order` and the viz stepper (through `backward_walk`, its steps one node at a time).
"""
from __future__ import annotations

import heapq
import itertools
import sys
from operator import attrgetter
from typing import Callable, Iterator, Sequence

import numpy as np

from ..tensor import Tensor
from .function import AccumulateGrad, Node
from .grad_mode import _state as _grad_mode


def _call_node(node: Node, grad) -> tuple:
    return node(grad)


def walk(roots: Sequence, grads: Sequence, call: Callable = _call_node,
         sequence_nr: Callable = attrgetter("sequence_nr"), passed: "Callable | None" = None,
         only: "set | None" = None) -> None:
    """Walk the graph backward from `roots` (their gradients: `grads`), calling `call(node, grad)` at
    each node, in the order the engine runs them.

    `grad` is the sum of the gradients that reached the node; `call(node, grad)` (by default
    `node(grad)`, the chain rule) returns one gradient per entry of `node.next_functions`, which are
    then sent on. A node that no gradient reached is not called (`passed(node)` is, if given), and
    sends None on. The order is PyTorch's: a node runs once every node feeding it has run (so its
    gradient is complete); among the ready nodes the newest (largest `sequence_nr`) runs first, and
    leaves (AccumulateGrad) as soon as they are ready. `sequence_nr(node)` reads that number (a
    PyTorch node's is `node._sequence_nr()`): the walk needs nothing else than `next_functions`, so
    it runs over PyTorch's graphs too. Given `only` (a set of nodes), no other node runs, and the
    gradients sent to one are dropped (autograd.grad runs only what its inputs need).

    `backward()` and `autograd.grad` run it through run_backward; `backward_walk` records its steps.
    """
    # Step 1: count, for every node, the edges coming into it: the gradients it waits for.
    # (A loop and a stack, never recursion: a graph 100,000 nodes deep is fine.)
    waiting = dict.fromkeys(roots, 0)  # (a root given twice is one node; its gradients are summed below)
    stack = list(waiting)
    pop, push = stack.pop, stack.append
    while stack:
        for child, _ in pop().next_functions:
            if child is not None:
                if child in waiting:
                    waiting[child] += 1
                else:
                    waiting[child] = 1
                    push(child)
    if only is not None:  # a node left out waits for ever: it never runs, nothing is kept for it
        for node in waiting:
            if node not in only:
                waiting[node] = -1

    # Step 2: run each node once its count falls to zero (Kahn's algorithm), newest first. Gradients
    # wait in `partial` until their node is ready; ready nodes wait in a heap ordered by
    # (-sequence_nr, arrival). A node that becomes ready alone and outranks the heap (every node of a
    # chain) runs next directly, its gradient in hand: no heap entry, no dict entry.
    partial: dict = {}
    for root, grad in zip(roots, grads):
        if grad is not None and waiting[root] >= 0:
            partial[root] = partial[root] + grad if root in partial else grad
    arrival = itertools.count()
    ready = [(-sequence_nr(r), next(arrival), r, partial.pop(r, None)) for r in dict.fromkeys(roots) if waiting[r] == 0]
    if not ready:  # no roots
        return
    heapq.heapify(ready)
    node, grad = heapq.heappop(ready)[2:]
    while True:
        if grad is None:  # no gradient reached it (an input that needs none): its inputs get none either
            input_grads = (None,) * len(node.next_functions)
            if passed is not None:
                passed(node)
        else:
            input_grads = call(node, grad)
            grad = None  # (let go before a leaf below runs: its gradient may view this one's memory, see run_backward)
        held = held_grad = None  # the node last made ready: it arrived after everything in the heap
        i = 0  # (input_grads[i] goes along edge i: indexing is quicker here than zip with nested unpacking)
        for child, _ in node.next_functions:
            if child is not None:
                child_grad = input_grads[i]
                left = waiting[child] - 1
                if left:  # still waiting for others: keep the sum so far (the first gradient as it is)
                    waiting[child] = left
                    if child_grad is not None and left > 0:
                        partial[child] = partial[child] + child_grad if child in partial else child_grad
                else:
                    if partial and child in partial:  # gradients from earlier nodes: the sum is complete now
                        child_grad = partial.pop(child) if child_grad is None else partial.pop(child) + child_grad
                    if child.__class__ is AccumulateGrad:
                        # A leaf runs as soon as it is ready, before any other node: here and now, in the
                        # order its gradient completed (the heap would give the same: it outranks every
                        # node, ties go by arrival). It sends nothing on.
                        if child_grad is not None:
                            call(child, child_grad)
                        elif passed is not None:
                            passed(child)
                    else:
                        if held is not None:
                            heapq.heappush(ready, (-sequence_nr(held), next(arrival), held, held_grad))
                        held, held_grad = child, child_grad
            i += 1
        # From here the next gradient is held in `grad` only (no tuple, loop variable or held_grad), so
        # that nothing is kept longer than needed.
        input_grads = child_grad = None
        if held is not None and (not ready or -sequence_nr(held) < ready[0][0]):
            node, grad, held_grad = held, held_grad, None  # (a tie goes to the heap: there it arrived first)
        elif ready:
            if held is not None:
                heapq.heappush(ready, (-sequence_nr(held), next(arrival), held, held_grad))
            node, grad = heapq.heappop(ready)[2:]
        else:
            return


def backward_walk(roots: Sequence, grads: Sequence, call: Callable = _call_node,
                  sequence_nr: Callable = attrgetter("sequence_nr")) -> Iterator[tuple]:
    """The steps of `walk`, in order: `(node, grad, input_grads)` per node, `input_grads` being what
    `call(node, grad)` returned, or `()` for a node that no gradient reached (`grad` is None).
    graph.execution_order and the viz stepper read the engine's walk through it.

    >>> import minigrad
    >>> x = minigrad.tensor(3.0, requires_grad=True)
    >>> y = x * x
    >>> with minigrad.no_grad():  # (the caller picks the grad mode: run_backward turns it on for create_graph)
    ...     for node, grad, input_grads in backward_walk([y.grad_fn], [minigrad.tensor(1.0)]):
    ...         print(node, grad, input_grads)
    <MulBackward0> tensor(1.) (tensor(3.), tensor(3.))
    <AccumulateGrad> tensor(6.) ()
    >>> x.grad  # the default call is node(grad): the leaf's AccumulateGrad added the gradient
    tensor(6.)
    """
    steps: list = []

    def step(node, grad) -> tuple:
        input_grads = call(node, grad)
        steps.append((node, grad, input_grads))
        return input_grads

    # (The walk runs to its end first: a plain loop calling `step`, rather than a generator yielding
    # every node, is what backward() runs, and quicker.)
    walk(roots, grads, step, sequence_nr, passed=lambda node: steps.append((node, None, ())))
    return iter(steps)


def run_backward(outputs: Sequence, grad_outputs: Sequence, retain_graph: bool, create_graph: bool,
                 inputs: Sequence = (), run_inputs: bool = False) -> dict:
    """Send `grad_outputs` back from `outputs` through the graph.

    Without `inputs`, gradients reaching leaves are accumulated into their `.grad` (this is
    `Tensor.backward`). With `inputs`, nothing is accumulated: the gradient arriving at each input
    is returned in a dict {input's node: gradient} (this is `autograd.grad`), and, as in PyTorch,
    only the nodes on a path from an output to an input run: no hook of another tensor fires, no
    other node frees what it saved. An input's own node runs only if another input is below it, or
    if `run_inputs` (backward(inputs=...), where PyTorch runs it too).
    """
    roots = [out.grad_fn if out.grad_fn is not None else out._accumulate_grad_node() for out in outputs]
    wanted = {t.grad_fn if t.grad_fn is not None else t._accumulate_grad_node(): t for t in inputs}
    captured: dict[Node, object] = {}
    release = not retain_graph
    only = skip = None
    if wanted:
        only, below = _nodes_to_inputs(roots, wanted)
        # An input's node whose gradient is all that is asked for: read, not run (a leaf's never runs:
        # backward(inputs=...) accumulates into .grad itself, after the walk).
        skip = {node for node in wanted if isinstance(node, AccumulateGrad) or not (run_inputs or node in below)}
    # Gradients a node made that nobody else holds are marked with this backward's own token, in their
    # _owner (see _note_unshared): the node each goes to may keep it (a leaf: .grad becomes it) or write
    # into it (relu), without a copy. (A token per backward: a mark left behind, on a gradient a node
    # error stopped the walk with, means nothing to the next backward.)
    owner = object()

    def run(node, grad) -> tuple:
        """What backward does at one node: hooks, retain_grad, capture, then the chain rule."""
        mine = grad._owner is owner  # is grad ours to give away: made by a node, held by nobody else?
        if mine:
            grad._owner = None  # (ours once: whatever happens to it next, it is nobody's gradient to take)
        if node._pre_hooks:  # tensor hooks (register_hook) see the gradient first
            grad = _run_hooks(node, grad)
            mine = False  # a hook may have kept the gradient, or given one it keeps
        if node._retained is not None:  # retain_grad() on a non-leaf: what the hooks gave (it keeps a copy)
            _retain(node, grad)
        if wanted and node in wanted:  # autograd.grad(): keep the gradients of the inputs asked for
            captured[node] = grad
            mine = False
            if node in skip:
                return (None,) * len(node.next_functions)
        if node._node_pre_hooks:  # register_prehook: the tuple of gradients, just before the node runs
            grad = _run_node_hooks(node, grad)
            mine = False  # (a hook may keep the tuple, or give a gradient it keeps)
            if grad is None:  # the hook gave (None,): no gradient goes on from here, as in PyTorch
                if release:
                    node._release()
                return (None,) * len(node.next_functions)
        # The chain rule: local derivative times grad (a leaf: added to .grad, a copy of grad). Called as
        # a method, not as node(grad): Python then runs it in the same frame loop, about 0.1 us a node quicker.
        if not mine:
            input_grads = node.__call__(grad)
        elif isinstance(node, AccumulateGrad):  # a leaf: the gradient is ours, .grad may become it
            return node._accumulate(grad, _memory_unshared(grad))
        elif node._fn.overwrites_gradient and _memory_unshared(grad):
            _lent[0] = grad._data  # the formula may write its result into this array (may_overwrite)
            try:
                input_grads = node.__call__(grad)
            finally:
                _lent[0] = None
        else:
            input_grads = node.__call__(grad)
        if release:  # (a leaf's AccumulateGrad saved nothing: its _release does nothing)
            node._release()
        if node._hands_over and not create_graph:  # (its Function's hands_over_gradients)
            _note_unshared(input_grads, owner)  # (called just so: its counts were measured called so)
        return input_grads

    # create_graph: the backward pass is itself recorded. errstate: a gradient may be inf or nan
    # (1/x at 0, an inf times a 0 of a mask); PyTorch passes those on silently, NumPy would warn.
    # (The grad mode switched and put back here directly: set_grad_enabled's context manager costs a microsecond.)
    previous, _grad_mode.enabled = _grad_mode.enabled, bool(create_graph)
    try:
        _walk_quietly(roots, grad_outputs, run, only=only)
    finally:
        _grad_mode.enabled = previous
    return captured


# walk under np.errstate (see run_backward), as a decorated function: its call enters the state in about
# half the Python steps of a `with np.errstate(...)` block (no errstate object made per backward).
_walk_quietly = np.errstate(divide="ignore", invalid="ignore", over="ignore")(walk)


def _nodes_to_inputs(roots: Sequence, wanted) -> tuple[set, set]:
    """(The nodes on a path from a root to one of the `wanted` nodes, the wanted ones included; those
    of them with a wanted node strictly below). A loop and a stack, children before their parents."""
    below: set = set()  # nodes with a wanted node strictly below them
    seen: set = set()
    stack = [(root, False) for root in dict.fromkeys(roots)]
    while stack:
        node, expanded = stack.pop()
        if expanded:  # its children are done
            for child, _ in node.next_functions:
                if child is not None and (child in wanted or child in below):
                    below.add(node)
                    break
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child, _ in node.next_functions if child is not None and child not in seen)
    return below | (seen & wanted.keys()), below


# -- Who holds a gradient? -------------------------------------------------------------------------
# A gradient a node made is a new tensor, and usually a new array, that only the engine holds: the
# node it goes to may then keep it, or write into it, instead of copying it (PyTorch's AccumulateGrad
# "steals" such a gradient: it becomes .grad as it is). But never one that someone else holds too: a
# tensor a hook kept, the gradient given to backward(gradient=g), the same tensor sent to two inputs
# (x + x), an array a saved tensor views. Python counts the references to every object
# (sys.getrefcount), and the engine knows who it is itself: the tuple a node returned, held only in
# `run`'s local variable; a tensor holding its array in `_data`. So the counts are compared with
# those of objects held in just that way, measured once at import by the same functions called the
# same way (what getrefcount sees from inside a function differs between Python versions).

def _array_reference_counts(tensor) -> tuple[int, int]:
    """sys.getrefcount of a tensor's array, and of the array whose memory it views (0 if none)."""
    array = tensor._data
    base = array.base
    return sys.getrefcount(array), (0 if base is None else sys.getrefcount(base))


def _note_unshared(input_grads: tuple, owner: object, seen: "list | None" = None) -> None:
    """Mark as `owner`'s (the running backward's) the gradients in `input_grads` (what a node returned,
    in run's local variable) that only that tuple holds, once: not the gradient the node was given
    passed on, not one sent to two inputs, not one the node or anyone else kept. With `seen`, mark
    nothing: put there the counts that would be compared (how they are measured at import)."""
    count = sys.getrefcount(input_grads)
    if seen is not None:
        seen.append(count)
    elif count != _TUPLE_HELD_ONCE:  # the tuple is held elsewhere too (a node returning one it keeps)
        return
    for grad in input_grads:
        count = sys.getrefcount(grad)
        if seen is not None:
            seen.append(count)
        elif count == _ENTRY_HELD_ONCE and grad is not None:
            grad._owner = owner


def _counts_when_held_once() -> tuple:
    held = (object(),)  # as run holds what a node returned: in a local variable, and nobody else
    seen: list = []
    _note_unshared(held, None, seen)
    lone = Tensor._make(np.zeros(2))  # an array only its tensor holds
    lone_view = Tensor._make(np.zeros((2, 2)).T)  # a view only its tensor holds, of an array only it holds
    return seen, _array_reference_counts(lone), _array_reference_counts(lone_view)


(_TUPLE_HELD_ONCE, _ENTRY_HELD_ONCE), _ARRAY_HELD_ONCE, _VIEW_HELD_ONCE = _counts_when_held_once()


def _memory_unshared(grad) -> bool:
    """Is the gradient's array the only way to its memory (no other tensor or array holds it, or views
    what it views), and writeable? Checked when the gradient is used, after the node that made it has
    let go of what it was given: the weight's gradient from TBackward0 views the array the matrix
    product made, which only it holds by then."""
    counts = _array_reference_counts(grad)
    array = grad._data
    if not array.flags.writeable:  # (a broadcast view, a read-only buffer)
        return False
    if array.base is None:
        return counts == _ARRAY_HELD_ONCE
    base = array.base
    return counts == _VIEW_HELD_ONCE and base.__class__ is np.ndarray and base.base is None and base.flags.owndata


_lent: list = [None]  # the gradient array the formula running now may overwrite (set by run_backward's run)


def may_overwrite(array: np.ndarray) -> bool:
    """For an op's array formula (an op with `overwrites_gradient`): may it write its result into
    `array`, the gradient it was given? Only if the engine lent it: nobody else holds that gradient
    or its memory, so no one will see it change (e.g. relu's np.multiply(grad, mask, out=grad)).
    A node called any other way (the stepper, your own code) gets False: a new array is made.

    >>> import numpy as np
    >>> may_overwrite(np.ones(3))
    False
    """
    return array is _lent[0]


def _run_hooks(node: Node, grad):
    for hook in node._pre_hooks:
        changed = hook(grad)
        if changed is not None:
            _check_hook_result(hook, changed, grad)
            grad = changed
    return grad


def _run_node_hooks(node: Node, grad):
    """A node's pre-hooks (register_prehook): each gets the tuple of gradients, may return a new one.
    Returns the gradient that goes on, or None if a hook made it None (PyTorch's undefined gradient)."""
    grads = (grad,)
    for hook in node._node_pre_hooks:
        changed = hook(grads)
        if changed is not None:
            name = getattr(hook, "__name__", type(hook).__name__)
            if not isinstance(changed, tuple):
                raise TypeError(f"expected tuple, but hook returned '{type(changed).__name__}'")
            if len(changed) != len(grads):
                raise RuntimeError(f"hook '{name}' has returned an incorrect number of values "
                                   f"(got {len(changed)}, but expected {len(grads)})")
            if changed[0] is not None:
                _check_hook_result(hook, changed[0], grad)
            grads = changed
    return grads[0]


def _check_hook_result(hook, changed, grad) -> None:
    """A hook may replace a gradient, but only with a tensor of the same shape (PyTorch's rule)."""
    name = getattr(hook, "__name__", type(hook).__name__)
    if not hasattr(changed, "shape") or not hasattr(changed, "grad_fn"):
        raise TypeError(f"hook '{name}' returned a {type(changed).__name__}; a hook returns a tensor or None")
    if changed.shape != grad.shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value: it returned shape {list(changed.shape)} "
                           f"for a gradient of shape {list(grad.shape)}; return a tensor of the gradient's shape, or None")
    if changed.dtype is not grad.dtype:
        raise RuntimeError(f"hook '{name}' has changed the type of value (was {_legacy_type(grad)} got "
                           f"{_legacy_type(changed)})")


def _legacy_type(t) -> str:
    """PyTorch's old name for a tensor's type, as its hook error prints it: minigrad.FloatTensor, ..."""
    kind = {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}.get(t.dtype.name, t.dtype.name)
    return f"minigrad.{kind}Tensor"


def _retain(node: Node, grad) -> None:
    """retain_grad(): the tensor's .grad is a copy of the gradient (recorded with create_graph, as
    PyTorch's CloneBackward0), then sums."""
    tensor = node._retained()
    if tensor is None:
        return
    tensor._grad = grad.clone() if tensor._grad is None else tensor._grad + grad
