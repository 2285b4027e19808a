"""The order in which backward visits the graph.

>>> import minigrad
>>> from minigrad.autograd.graph import execution_order
>>> a = minigrad.tensor(2.0, requires_grad=True)
>>> b = a * a
>>> [node.name() for node in execution_order(b.grad_fn)]
['MulBackward0', 'AccumulateGrad']
"""
from __future__ import annotations

from typing import Callable

from . import function
from .engine import backward_walk
from .function import Node, RemovableHandle


def incoming_edges(*roots: Node) -> tuple[list[Node], dict[Node, int]]:
    """Every node reachable from `roots` (roots first), and how many edges come into each.

    A loop and a stack, never recursion, so deep graphs are fine. A node that no edge reaches (a
    root) is left out of the counts.

    >>> import minigrad
    >>> a = minigrad.tensor(2.0, requires_grad=True)
    >>> nodes, into = incoming_edges((a * a).grad_fn)
    >>> [(n.name(), into.get(n, 0)) for n in nodes]
    [('MulBackward0', 0), ('AccumulateGrad', 2)]
    """
    into: dict[Node, int] = {}
    stack = list(dict.fromkeys(roots))
    seen, order = set(stack), []
    while stack:
        node = stack.pop()
        order.append(node)
        for child, _ in node.next_functions:
            if child is None:
                continue
            into[child] = into.get(child, 0) + 1
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return order, into


def execution_order(*roots: Node) -> list[Node]:
    """Every node reachable from `roots`, in the order the engine calls them during backward.

    A node may run only after every node that feeds it a gradient has run: otherwise a tensor used
    twice would pass on a gradient that is still missing one of its parts. Among the nodes that are
    ready, the newest runs first, as in PyTorch. This is the engine's own walk (`backward_walk`),
    run without gradients: it calls no node, it only lists them.
    """
    return [node for node, _, _ in backward_walk(roots, ())]


def observe_nodes(observer: Callable[[Node, object], None]) -> RemovableHandle:
    """Call `observer(node, result)` each time an operation records a node, until `.remove()`.

    For tools that want more than the graph keeps, e.g. a drawing that shows the value of every
    intermediate result: at that moment the result and all of `node.inputs` are alive. minigrad's
    counterpart of wrapping the computation in PyTorch's `torch.overrides.TorchFunctionMode`.

    >>> import minigrad
    >>> seen = []
    >>> handle = observe_nodes(lambda node, result: seen.append(node.name()))
    >>> y = minigrad.tensor(2.0, requires_grad=True) * 3
    >>> handle.remove()
    >>> seen
    ['MulBackward0']
    """
    function._observers.append(observer)
    return RemovableHandle(function._observers, observer)
