"""Adam: momentum plus a per-element step size from the running mean of squared gradients."""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np

from ..ops import _ieee
from ..tensor import Tensor
from .optimizer import Optimizer, _adjusted, _bump_version, _check, _implementation_options


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

    @_ieee()  # the whole step under np.errstate, as in SGD.step
    def step(self) -> None:
        # NumPy arithmetic on `._data`, in place (see SGD.step): every intermediate goes into the
        # state's arrays or a scratch array (NumPy's out=), so a step allocates no array after the
        # first (which makes the state). The group's settings are read once per group, every step;
        # inf and nan come silently (_ieee, as in SGD.step).
        state = self.state
        multiply = np.multiply
        for group in self.param_groups:
            lr = group["lr"]
            # lr may be a 0-dim tensor, as PyTorch allows: lr / (1 - beta1**t) and 1 - lr * weight_decay are
            # then tensors in lr's dtype in PyTorch (rounded to float32 for a float32 lr): the same here
            lr = lr._data if isinstance(lr, Tensor) else float(lr)
            (beta1, beta2), eps, amsgrad = group["betas"], group["eps"], group["amsgrad"]
            weight_decay, maximize = group["weight_decay"], group.get("maximize", False)
            decoupled = group.get("decoupled_weight_decay", False) and weight_decay
            shrink = float(1 - lr * weight_decay) if decoupled else 1  # AdamW: p shrinks, g is untouched
            l2 = 0 if decoupled else weight_decay
            plan = self._plan(group, (1 - beta1, beta2, 1 - beta2, eps, shrink, l2))
            numbers, numbers32 = plan.numbers, plan.numbers32
            t_last = corrections = None
            for p, (data, work0, work, single) in zip(plan.params, plan.entries):  # (see SGD.step)
                grad = p._grad
                if grad is None:  # skipped, as in PyTorch
                    if p.grad_fn is not None:  # a parameter that became a non-leaf: .grad warns, as PyTorch's
                        p.grad
                    continue
                if p._data is not data:  # the plan's entry was made for another array (see Optimizer._plan)
                    data, work0, work, single = self._fresh_entry(plan, p)
                keep1, beta2_, keep2, eps_, shrink_, l2_ = numbers32 if single else numbers  # (in p's precision)
                # (g may be work0: the intermediates go into work)
                g = grad._data if not (l2 or maximize) else _adjusted(grad._data, data, l2_, maximize, work0)
                kept = state.get(p)
                if not kept:  # tensors, as PyTorch keeps them (the step count a float32 0-dim tensor)
                    kept = state.setdefault(p, {})
                    kept["step"] = Tensor._make(np.zeros((), dtype=np.float32))
                    kept["exp_avg"] = Tensor._make(np.zeros_like(data))
                    kept["exp_avg_sq"] = Tensor._make(np.zeros_like(data))
                    if amsgrad:
                        kept["max_exp_avg_sq"] = Tensor._make(np.zeros_like(data))
                # step += 1 (in its float32: past 2**24 it stops counting, as PyTorch's), written as one rounding
                # of the exact sum: += on a 0-dim array costs about 1 us, as much as the rest of a small step
                count = kept["step"]._data
                count[()] = count.item() + 1.0
                if decoupled:  # (an in-place change of its own: p's version + 1 here too, as PyTorch's mul_)
                    data *= shrink_
                    _bump_version(p)
                m, v = kept["exp_avg"]._data, kept["exp_avg_sq"]._data
                m += multiply(np.subtract(g, m, out=work), keep1, out=work)  # m += (1 - beta1)(g - m): lerp_
                v *= beta2_
                v += multiply(multiply(g, keep2, out=work), g, out=work)  # v += (1 - beta2) g g
                t = count.item()
                if t != t_last:  # (the parameters of a group have mostly taken the same number of steps)
                    step_size, root = -float(lr / (1 - beta1 ** t)), math.sqrt(1 - beta2 ** t)
                    corrections = (step_size, root), (np.float32(step_size), np.float32(root))
                    t_last = t
                step_size, root = corrections[single]  # (in p's precision, as numbers)
                if amsgrad:  # the largest v so far: the step size never grows back
                    largest = kept["max_exp_avg_sq"]._data
                    v = np.maximum(largest, v, out=largest)
                denom = np.sqrt(v, out=work)
                denom /= root
                denom += eps_
                data += multiply(np.divide(m, denom, out=work), step_size, out=work)
                _bump_version(p)
