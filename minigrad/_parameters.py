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
    """Forget the gradients of `params`: None (the default, as in PyTorch) or zeros in place."""
    for p in params:
        if p.grad is None:
            continue
        if set_to_none:
            p.grad = None
        else:
            p.grad.zero_()
