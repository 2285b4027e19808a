"""gradcheck: compare autograd's gradients with finite differences.

The derivative is the slope: (f(x + eps) - f(x - eps)) / (2 eps) approaches f'(x) as eps shrinks.
Computed in float64 this is accurate to about 1e-7, an oracle that does not trust the engine.

>>> import minigrad
>>> x = minigrad.rand(3, dtype=minigrad.float64, requires_grad=True)
>>> minigrad.autograd.gradcheck(lambda t: (t.sin() * t).sum(), (x,))
True
"""
from __future__ import annotations

import warnings
from typing import Callable

import numpy as np

from ..tensor import Tensor
from .differentiate import grad
from .grad_mode import enable_grad, no_grad


class GradcheckError(RuntimeError):
    """Autograd's gradient and the finite-difference one disagree."""


def _outputs(func, inputs) -> tuple:
    out = func(*inputs)
    return (out,) if isinstance(out, Tensor) else tuple(out)


def numerical_jacobian(func: Callable, inputs: tuple, eps: float) -> list:
    """J[i][k] = d(all outputs, flattened)/d(input i, element k), by central differences."""
    jacobians = []
    with no_grad():
        for x in inputs:
            if not getattr(x, "requires_grad", False):
                jacobians.append(None)
                continue
            if not x._data.flags.c_contiguous:
                x._data = np.ascontiguousarray(x._data)
            flat = x._data.reshape(-1)  # a view: nudging it nudges x
            columns = []
            for k in range(flat.size):
                orig = flat[k]
                flat[k] = orig + eps
                plus = np.concatenate([o._data.reshape(-1).astype(np.float64) for o in _outputs(func, inputs)])
                flat[k] = orig - eps
                minus = np.concatenate([o._data.reshape(-1).astype(np.float64) for o in _outputs(func, inputs)])
                flat[k] = orig
                columns.append((plus - minus) / (2 * eps))
            jacobians.append(np.stack(columns, axis=1) if columns else np.zeros((0, 0)))
    return jacobians


def analytical_jacobian(func: Callable, inputs: tuple) -> list:
    """The same Jacobian from autograd: one backward per output element (a vector-Jacobian product)."""
    outputs = _outputs(func, inputs)
    wanted = [x for x in inputs if getattr(x, "requires_grad", False)]
    total = sum(o.numel() for o in outputs)
    rows = {id(x): np.zeros((total, x.numel())) for x in wanted}
    row = 0
    for o in outputs:
        for j in range(o.numel()):
            seed = np.zeros(o.numel(), dtype=o._data.dtype)
            seed[j] = 1
            if o.requires_grad:
                grads = grad(o, wanted, grad_outputs=Tensor(seed.reshape(o.shape)), retain_graph=True,
                             allow_unused=True)
                for x, g in zip(wanted, grads):
                    if g is not None:
                        rows[id(x)][row] = g._data.reshape(-1)
            row += 1
    return [rows[id(x)] if getattr(x, "requires_grad", False) else None for x in inputs]


def gradcheck(func: Callable, inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True) -> bool:
    """True if autograd's Jacobian of `func` at `inputs` matches finite differences.

    Use float64 inputs: in float32 the finite differences themselves are too coarse to judge.
    """
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    for x in inputs:
        if isinstance(x, Tensor) and x.requires_grad and x.dtype.name != "float64":
            warnings.warn("Input #0 requires gradient and is not a double precision floating point. "
                          "gradcheck is only reliable in float64: use dtype=minigrad.float64.", UserWarning)
    numerical = numerical_jacobian(func, inputs, eps)
    analytical = analytical_jacobian(func, inputs)
    for i, (n, a) in enumerate(zip(numerical, analytical)):
        if n is None:
            continue
        if not np.allclose(a, n, rtol=rtol, atol=atol):
            if raise_exception:
                raise GradcheckError(f"Jacobian mismatch for output 0 with respect to input {i},\n"
                                     f"numerical:{n}\nanalytical:{a}\n")
            return False
    return True


def gradgradcheck(func: Callable, inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                  raise_exception: bool = True) -> bool:
    """gradcheck of the gradient itself: checks second derivatives (backward of backward)."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    wanted = [x for x in inputs if getattr(x, "requires_grad", False)]

    def first_derivative(*xs):
        # Grad mode on even while the finite differences run (under no_grad): the first derivative
        # is itself computed by a backward.
        with enable_grad():
            outs = _outputs(func, xs)
            total = sum(o.sum() for o in outs)
            used = [x for x in xs if x.requires_grad]
            grads = grad(total, used, create_graph=True, allow_unused=True)
        # An input the output does not depend on has gradient 0 (and so do all its derivatives).
        return tuple(g if g is not None else x.new_zeros(x.shape) for g, x in zip(grads, used))

    return gradcheck(first_derivative, inputs, eps, atol, rtol, raise_exception) if wanted else True
