"""torch.autograd.backward and torch.autograd.grad: start the engine from outputs and their gradients.

They live in a module of their own (PyTorch keeps them in autograd/__init__.py) so that gradcheck can
import `grad` at load time without importing the package that imports gradcheck.

>>> import minigrad
>>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
>>> minigrad.autograd.grad((x * x).sum(), x)          # d(sum x**2)/dx = 2x
(tensor([2., 4.]),)
>>> minigrad.autograd.backward((x * 3).sum())         # accumulates into x.grad, as y.backward() does
>>> x.grad
tensor([3., 3.])
"""
from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .engine import run_backward
from .grad_mode import set_grad_enabled


def _as_tuple(x) -> tuple:
    if x is None:
        return ()
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _grad_outputs(outputs: tuple, grad_outputs) -> list:
    """The starting gradients: given ones, or 1 for a scalar output, as PyTorch allows."""
    given = list(_as_tuple(grad_outputs)) if grad_outputs is not None else [None] * len(outputs)
    if len(given) != len(outputs):
        raise RuntimeError("grad can be implicitly created only for scalar outputs" if not given else
                           f"got {len(given)} gradients for {len(outputs)} outputs")
    result = []
    for i, (out, g) in enumerate(zip(outputs, given)):
        if not out.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs. "
                                   f"This output has shape {list(out.shape)}: pass gradient=, a tensor of that "
                                   "shape (often ones), or reduce it first, e.g. y.sum().backward()")
            g = Tensor._make(np.ones(out._data.shape, out._data.dtype))  # (a new one: hooks may change it in place)
        elif g.shape != out.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and "
                               f"output[{i}] has a shape of {out.shape}.")
        elif g.dtype is not out.dtype:  # as PyTorch: the gradient takes the output's dtype (a float32 leaf
            g = g.to(out.dtype)         # given a float64 or int gradient gets a float32 .grad)
        result.append(g)
    return result


def backward(tensors, grad_tensors=None, retain_graph: bool | None = None, create_graph: bool = False,
             inputs=None) -> None:
    """Accumulate into `.grad` of the leaves the gradient of `tensors` (see Tensor.backward)."""
    outputs = _as_tuple(tensors)
    grads = _grad_outputs(outputs, grad_tensors)
    retain = create_graph if retain_graph is None else retain_graph
    if inputs is None:
        run_backward(outputs, grads, retain, create_graph)
        return
    # Only these inputs receive gradients: capture them, then accumulate as a leaf would.
    inputs = _as_tuple(inputs)
    for t in inputs:  # a non-leaf input retains its gradient from now on, as PyTorch makes it
        if t.grad_fn is not None:
            t.retain_grad()
    captured = run_backward(outputs, grads, retain, create_graph, inputs=inputs, run_inputs=True)
    # A non-leaf input got its .grad during the walk (it retains its gradient); a leaf's is added here.
    with set_grad_enabled(create_graph):
        for t in inputs:
            node = t._accumulate_grad_node() if t.grad_fn is None else None
            g = captured.get(node) if node is not None else None
            if g is not None:
                node(g)


def grad(outputs, inputs, grad_outputs=None, retain_graph: bool | None = None, create_graph: bool = False,
         allow_unused: bool = False) -> tuple:
    """The gradients of `outputs` w.r.t. `inputs`, returned rather than accumulated into .grad.

    With create_graph=True the result is itself part of a graph, so it can be differentiated again
    (second derivatives, gradient penalties).
    """
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    grads = _grad_outputs(outputs, grad_outputs)
    retain = create_graph if retain_graph is None else retain_graph
    captured = run_backward(outputs, grads, retain, create_graph, inputs=inputs)
    result = []
    for i, t in enumerate(inputs):
        g = captured.get(t.grad_fn if t.grad_fn is not None else t._accumulate_grad_node())
        if g is None and not allow_unused:
            raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have been used in the "
                               "graph. Set allow_unused=True if this is the desired behavior.")
        result.append(g)
    return tuple(result)
