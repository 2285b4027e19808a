"""minigrad.autograd: the graph, the engine that walks it backward, and the tools around it.

>>> import minigrad
>>> x = minigrad.tensor(2.0, requires_grad=True)
>>> (dy_dx,) = minigrad.autograd.grad(x ** 3, x, create_graph=True)
>>> dy_dx                                   # 3 x**2
tensor(12., grad_fn=<MulBackward0>)
>>> minigrad.autograd.grad(dy_dx, x)        # 6 x
(tensor(12.),)
"""
from __future__ import annotations

from . import graph
from .differentiate import backward, grad
from .function import AccumulateGrad, BackwardNode, Function, Node, RemovableHandle
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = ["Function", "Node", "BackwardNode", "AccumulateGrad", "RemovableHandle", "backward", "grad",
           "gradcheck", "gradgradcheck", "GradcheckError", "no_grad", "enable_grad", "set_grad_enabled",
           "is_grad_enabled", "graph"]
