"""Adam: momentum plus a per-element step size from the running mean of squared gradients."""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np

from ..ops import _ieee
from ..tensor import Tensor
from .optimizer import Optimizer, _check, _implementation_options, _update


class Adam(Optimizer):
    """For each parameter p with gradient g, at step t = 1, 2, ... (PyTorch's formulas):

        g = g + weight_decay * p                          (if weight_decay: L2, not AdamW)
        m = beta1 * m + (1 - beta1) * g                   running mean of g
        v = beta2 * v + (1 - beta2) * g**2                running mean of g**2
        v_max = max(v_max, v), used for v below                  (if amsgrad)
        p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)
    (maximize turns g's sign first; decoupled_weight_decay multiplies p by 1 - lr * weight_decay
    instead of adding weight_decay * p to g: AdamW.)

    (the two (1 - beta**t) factors undo the bias of m and v starting at 0).

    >>> import minigrad
    >>> from minigrad import optim
    >>> w = minigrad.tensor([1.0], requires_grad=True)
    >>> opt = optim.Adam([w], lr=0.1)
    >>> (3 * w).sum().backward(); opt.step()   # the first step moves by about lr, whatever g is
    >>> w
    tensor([0.9000], requires_grad=True)
    """

    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *, foreach=None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False, fused=None,
                 decoupled_weight_decay: bool = False) -> None:
        _check("learning rate", lr)
        _check("epsilon", eps)
        _check("weight_decay", weight_decay)
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize, **_implementation_options(
                                          differentiable, foreach=foreach, capturable=capturable, fused=fused),
                                      decoupled_weight_decay=decoupled_weight_decay))

    def step(self) -> None:
        # NumPy arithmetic on `._data`, in place (see SGD.step): every intermediate goes into the
        # state's arrays or a scratch array (NumPy's out=), so a step allocates no array after the
        # first (which makes the state).
        with _ieee():
            for group, p, g in self._gradients():
                (beta1, beta2), eps = group["betas"], group["eps"]
                state = self.state.setdefault(p, {})
                if not state:  # tensors, as PyTorch keeps them (the step count a float32 0-dim tensor)
                    state["step"] = Tensor._make(np.zeros((), dtype=np.float32))
                    state["exp_avg"] = Tensor._make(np.zeros_like(p._data))
                    state["exp_avg_sq"] = Tensor._make(np.zeros_like(p._data))
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = Tensor._make(np.zeros_like(p._data))
                state["step"]._data += 1
                if group["decoupled_weight_decay"] and group["weight_decay"]:  # AdamW: p shrinks, g is untouched
                    p._data *= 1 - float(group["lr"]) * group["weight_decay"]
                t, m, v = float(state["step"]._data), state["exp_avg"]._data, state["exp_avg_sq"]._data
                work = self._scratch(p, 1)  # (g may be scratch 0)
                m += np.multiply(np.subtract(g, m, out=work), 1 - beta1, out=work)  # m += (1 - beta1)(g - m): lerp_
                v *= beta2
                v += np.multiply(np.multiply(g, 1 - beta2, out=work), g, out=work)  # v += (1 - beta2) g g
                step_size = float(group["lr"]) / (1 - beta1 ** t)  # (float: lr may be a 0-dim tensor)
                if group["amsgrad"]:  # the largest v so far: the step size never grows back
                    v = np.maximum(state["max_exp_avg_sq"]._data, v, out=state["max_exp_avg_sq"]._data)
                denom = np.sqrt(v, out=work)
                denom /= math.sqrt(1 - beta2 ** t)
                denom += eps
                _update(p, np.divide(m, denom, out=work), -step_size, work)
