"""Stochastic gradient descent, with momentum, weight decay and Nesterov momentum (PyTorch's formulas)."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from ..ops import _ieee
from ..tensor import Tensor
from .optimizer import Optimizer, _adjusted, _check, _implementation_options


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

    @_ieee()  # the whole step under np.errstate (see below): as a decorator, half the Python of a `with`
    def step(self) -> None:
        # The arithmetic is done on the NumPy arrays (`._data`), in place: it is bookkeeping, not
        # part of any graph. Every intermediate goes into the momentum buffer or a scratch array
        # (NumPy's out=), so a step allocates no array after the first (which makes the buffers).
        # A diverging run's inf and nan come without NumPy's warnings, as in PyTorch: np.errstate
        # (_ieee, once per step), since minigrad's warning filter (ops/_ieee.py) is not enough
        # where the user's filters turn warnings into errors (simplefilter("error")).
        # Everything a group's settings decide is read once per group, every step (so a changed
        # lr or momentum is seen); per parameter, only its arrays and its momentum buffer, in as
        # few Python operations as is clear: a training step runs these lines for every parameter,
        # and they are part of the time minigrad takes beyond the NumPy arithmetic (issue #14).
        state = self.state
        multiply = np.multiply
        for group in self.param_groups:
            made = None  # parameters of the group whose momentum buffer this step made (see below)
            lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
            lr = -(lr if type(lr) is float else float(lr))  # (float: lr may be a 0-dim tensor, as PyTorch allows)
            weight_decay, maximize = group["weight_decay"], group.get("maximize", False)
            adjust = weight_decay or maximize  # g changed before the momentum (see _adjusted)
            nesterov = bool(momentum and group["nesterov"])
            plan = self._plan(group, (lr, momentum, 1 - dampening, weight_decay), two=nesterov)
            numbers, numbers32 = plan.numbers, plan.numbers32
            for p, (data, work, work1, single) in zip(plan.params, plan.entries):
                grad = p._grad
                if grad is None:  # skipped, as in PyTorch
                    if p.grad_fn is not None:  # a parameter that became a non-leaf: .grad warns, as PyTorch's
                        p.grad
                    continue
                if p._data is not data:  # the plan's entry was made for another array (see Optimizer._plan)
                    data, work, work1, single = self._fresh_entry(plan, p)
                lr_, momentum_, keep_, decay_ = numbers32 if single else numbers  # (in p's precision)
                g = grad._data
                if adjust:
                    g = _adjusted(g, data, decay_, maximize, work)
                if momentum:
                    try:
                        buffer = state[p]["momentum_buffer"]
                    except KeyError:  # (its first step)
                        buffer = None
                    # (A parameter listed twice in a group: PyTorch reads the group's buffers before it updates
                    # any, so at its first step both entries start a buffer of their own, the second one kept.)
                    if buffer is None or made and id(p) in made:
                        b = g.copy()  # a tensor in state, as in PyTorch (state_dict saves it)
                        state.setdefault(p, {})["momentum_buffer"] = Tensor._make(b)
                        made = (made or set()) | {id(p)}
                    else:
                        b = buffer._data
                        b *= momentum_
                        if dampening:  # (1 - dampening) * g, not into g (it may be work): nesterov reads g below
                            b += multiply(g, keep_, out=work1 if nesterov else work)
                        else:
                            b += g
                    if nesterov:  # g + momentum * b
                        g = np.add(g, multiply(b, momentum_, out=work1), out=work1)
                    else:
                        g = b
                data += multiply(g, lr_, out=work)  # (work may be g itself: NumPy reads each element before writing it)
                try:  # p's version + 1, as PyTorch's in-place update makes it (_bump_version written out)
                    p._versions.value += 1
                except AttributeError:  # (no counter yet, or detached in place: see _bump_version)
                    p._bump_version()
