"""The engine: run the chain rule backward through the graph.

>>> import minigrad
>>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
>>> (x ** 2).sum().backward()
>>> x.grad
tensor([2., 4.])
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .function import AccumulateGrad, Node
from .grad_mode import set_grad_enabled
from .graph import execution_order


def run_backward(outputs: Sequence, grad_outputs: Sequence, retain_graph: bool, create_graph: bool,
                 inputs: Sequence = ()) -> dict:
    """Send `grad_outputs` back from `outputs` through the graph.

    Without `inputs`, gradients reaching leaves are accumulated into their `.grad` (this is
    `Tensor.backward`). With `inputs`, nothing is accumulated: the gradient arriving at each input
    is returned in a dict {input's node: gradient} (this is `autograd.grad`).
    """
    pending: dict[Node, object] = {}  # node -> sum of the gradients that reached it so far
    for out, grad in zip(outputs, grad_outputs):
        node = out.grad_fn if out.grad_fn is not None else out._accumulate_grad_node()
        pending[node] = grad if node not in pending else pending[node] + grad

    wanted = {}
    for t in inputs:
        wanted[t.grad_fn if t.grad_fn is not None else t._accumulate_grad_node()] = t
    captured: dict[Node, object] = {}

    # create_graph: the backward pass is itself recorded. errstate: a gradient may be inf or nan
    # (1/x at 0, an inf times a 0 of a mask); PyTorch passes those on silently, NumPy would warn.
    with set_grad_enabled(create_graph), np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for node in execution_order(*pending):
            grad = pending.pop(node, None)
            if grad is None:  # no gradient flows through this node (e.g. a branch not needed)
                continue
            for hook in node._pre_hooks:  # tensor hooks (register_hook) see the gradient first
                changed = hook(grad)
                if changed is not None:
                    _check_hook_result(hook, changed, grad)
                    grad = changed
            if wanted:  # autograd.grad(): keep the gradients of the inputs asked for, accumulate nothing
                if node in wanted:
                    captured[node] = grad
                if isinstance(node, AccumulateGrad):
                    continue
            else:
                if node._retained is not None:  # retain_grad() on a non-leaf
                    _retain(node, grad)
                if isinstance(node, AccumulateGrad):
                    node(grad)
                    continue
            input_grads = node(grad)  # the chain rule: local derivative times grad
            if not retain_graph:
                node._release()
            for (child, _), child_grad in zip(node.next_functions, input_grads):
                if child is not None and child_grad is not None:
                    # the first gradient to reach a node is stored; later ones are added to it
                    pending[child] = child_grad if child not in pending else pending[child] + child_grad
    return captured


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
    tensor = node._retained()
    if tensor is None:
        return
    if tensor._grad is None:
        tensor._grad = grad.detach().clone() if not grad.requires_grad else grad
    else:
        tensor._grad = tensor._grad + grad
