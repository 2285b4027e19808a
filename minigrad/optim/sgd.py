"""Stochastic gradient descent, with momentum, weight decay and Nesterov momentum (PyTorch's formulas)."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from ..ops import _ieee
from ..tensor import Tensor
from .optimizer import Optimizer, _check, _implementation_options, _update


class SGD(Optimizer):
    """For each parameter p with gradient g, every step:

        g = -g                                             (if maximize: climb instead)
        g = g + weight_decay * p                           (if weight_decay)
        b = g  at the first step,  else  b = momentum * b + (1 - dampening) * g     (if momentum)
        g = g + momentum * b   (nesterov)   or   g = b                              (if momentum)
        p = p - lr * g

    >>> import minigrad
    >>> from minigrad import optim
    >>> w = minigrad.tensor([1.0], requires_grad=True)
    >>> opt = optim.SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.zero_grad(); (2 * w).sum().backward(); opt.step()   # g = 2 each time
    >>> w                           # 1 - 0.1*2 - 0.1*(0.9*2 + 2)
    tensor([0.4200], requires_grad=True)
    """

    def __init__(self, params: Iterable, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False, foreach=None,
                 differentiable: bool = False, fused=None) -> None:
        _check("learning rate", lr)
        _check("momentum", momentum)
        _check("weight_decay", weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov, maximize=maximize,
                                      **_implementation_options(differentiable, foreach=foreach, fused=fused)))

    def step(self) -> None:
        # The arithmetic is done on the NumPy arrays (`._data`), in place: it is bookkeeping, not
        # part of any graph. Every intermediate goes into the momentum buffer or a scratch array
        # (NumPy's out=), so a step allocates no array after the first (which makes the buffers).
        # _ieee: a diverging run's inf and nan without NumPy's warnings, as in PyTorch.
        made = set()  # parameters whose momentum buffer this step made (see below)
        with _ieee():
            for group, p, g in self._gradients():
                momentum, dampening = group["momentum"], group["dampening"]
                owned = g is not p.grad._data  # g is scratch 0 (maximize, weight decay): ours to overwrite
                if momentum:
                    state = self.state.setdefault(p, {})
                    buffer = state.get("momentum_buffer")
                    # (A parameter listed twice: PyTorch reads all buffers before it updates any, so at its
                    # first step both entries start a buffer of their own, the second one kept.)
                    if buffer is None or id(p) in made:  # a tensor in state, as in PyTorch (state_dict saves it)
                        b = g.copy()
                        state["momentum_buffer"] = Tensor._make(b)
                        made.add(id(p))
                    else:
                        b = buffer._data
                        b *= momentum
                        b += np.multiply(g, 1 - dampening, out=self._scratch(p, 0)) if dampening else g
                    if group["nesterov"]:  # g + momentum * b (nesterov has no dampening: g is intact)
                        g = np.add(g, np.multiply(b, momentum, out=self._scratch(p, 1)), out=self._scratch(p, 1))
                        owned = True
                    else:
                        g, owned = b, False
                # (float: lr may be a 0-dim tensor, as PyTorch allows)
                _update(p, g, -float(group["lr"]), g if owned else self._scratch(p, 0))
