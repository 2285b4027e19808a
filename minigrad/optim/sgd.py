"""Stochastic gradient descent, with momentum, weight decay and Nesterov momentum (PyTorch's formulas)."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from ..ops import _ieee
from ..tensor import Tensor
from .optimizer import Optimizer, _bump_version, _check, _implementation_options


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
        # A diverging run's inf and nan come without NumPy's warnings, as in PyTorch: np.errstate
        # (_ieee, once per step: about 1 us), since minigrad's warning filter (ops/_ieee.py) is not
        # enough where the user's filters turn warnings into errors (simplefilter("error")).
        # Everything a group's settings decide is read once per group, every step (so a changed
        # lr or momentum is seen); per parameter, only its arrays and its momentum buffer.
        made = None  # parameters whose momentum buffer this step made (see below)
        state = self.state
        multiply = np.multiply
        with _ieee():  # inf and nan without NumPy's warnings, whatever the warning filters (see above)
            for group in self.param_groups:
                lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
                lr = -(lr if type(lr) is float else float(lr))  # (float: lr may be a 0-dim tensor, as PyTorch allows)
                weight_decay, maximize = group["weight_decay"], group.get("maximize", False)
                nesterov = bool(momentum and group["nesterov"])
                keep = 1 - dampening
                numbers = lr, momentum, keep, weight_decay  # (weight decay last: see _gradients)
                for p, data, g, work, work1, (lr_, momentum_, keep_, _) in self._gradients(
                        group, numbers, maximize, two=nesterov):  # (only nesterov needs work1)
                    if momentum:
                        kept = state.get(p)
                        buffer = kept.get("momentum_buffer") if kept is not None else None
                        # (A parameter listed twice: PyTorch reads all buffers before it updates any, so at its
                        # first step both entries start a buffer of their own, the second one kept.)
                        if buffer is None or (made is not None and id(p) in made):
                            b = g.copy()  # a tensor in state, as in PyTorch (state_dict saves it)
                            state.setdefault(p, {})["momentum_buffer"] = Tensor._make(b)
                            made = (made or set()) | {id(p)}
                        else:
                            b = buffer._data
                            b *= momentum_
                            b += multiply(g, keep_, out=work) if dampening else g
                        if nesterov:  # g + momentum * b (nesterov has no dampening: g is intact)
                            g = np.add(g, multiply(b, momentum_, out=work1), out=work1)
                        else:
                            g = b
                    data += multiply(g, lr_, out=work1 if g is work1 else work)
                    _bump_version(p)
