"""Shared helpers for the core tests: an independent finite-difference oracle and torch plumbing.

The oracle here does not use minigrad's own gradcheck: it perturbs NumPy copies of the inputs,
rebuilds fresh tensors for every evaluation and compares with the engine's vector-Jacobian products.
"""
from __future__ import annotations

import contextlib
import io
import re

import numpy as np

import minigrad


def try_torch():
    """torch if it can be imported, else None (tests that need it use pytest.importorskip)."""
    try:
        import torch
    except Exception:  # pragma: no cover - depends on the machine
        return None
    return torch


def _evaluate(func, arrays, requires):
    xs = [minigrad.tensor(a, dtype=minigrad.float64, requires_grad=r) for a, r in zip(arrays, requires)]
    out = func(*xs)
    return out, xs


def numerical_jacobians(func, arrays, requires, eps=1e-6):
    """d(flattened output)/d(flattened input i) by central differences, computed outside autograd."""
    jacobians = []
    for i, a in enumerate(arrays):
        if not requires[i]:
            jacobians.append(None)
            continue
        cols = []
        for k in range(a.size):
            plus = [b.copy() for b in arrays]
            minus = [b.copy() for b in arrays]
            plus[i].reshape(-1)[k] += eps
            minus[i].reshape(-1)[k] -= eps
            with minigrad.no_grad():
                fp = func(*[minigrad.tensor(b, dtype=minigrad.float64) for b in plus])._data.astype(np.float64)
                fm = func(*[minigrad.tensor(b, dtype=minigrad.float64) for b in minus])._data.astype(np.float64)
            cols.append(((fp - fm) / (2 * eps)).reshape(-1))
        jacobians.append(np.stack(cols, axis=1))
    return jacobians


def analytical_jacobians(func, arrays, requires):
    """The same Jacobians from the engine, one autograd.grad call per output element."""
    out, xs = _evaluate(func, arrays, requires)
    wanted = [x for x in xs if x.requires_grad]
    jac = {id(x): np.zeros((out.numel(), x.numel())) for x in wanted}
    if not out.requires_grad:  # the output does not depend on any input through the graph: Jacobian 0
        return [jac[id(x)] if x.requires_grad else None for x in xs]
    for j in range(out.numel()):
        seed = np.zeros(out.numel())
        seed[j] = 1.0
        grads = minigrad.autograd.grad(out, wanted, grad_outputs=minigrad.tensor(seed.reshape(out.shape)),
                                       retain_graph=True, allow_unused=True)
        for x, g in zip(wanted, grads):
            if g is not None:
                assert g.shape == x.shape, f"gradient shape {g.shape} != input shape {x.shape}"
                assert g.dtype == minigrad.float64, f"gradient dtype {g.dtype} for a float64 input"
                jac[id(x)][j] = g._data.reshape(-1)
    return [jac[id(x)] if x.requires_grad else None for x in xs]


def check_gradients(func, *arrays, requires=None, atol=1e-6, rtol=1e-4):
    """Assert that the engine's Jacobian of func matches finite differences (float64)."""
    arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
    requires = requires or [True] * len(arrays)
    num = numerical_jacobians(func, arrays, requires)
    ana = analytical_jacobians(func, arrays, requires)
    for i, (n, a) in enumerate(zip(num, ana)):
        if n is None:
            continue
        np.testing.assert_allclose(a, n, atol=atol, rtol=rtol, err_msg=f"Jacobian w.r.t. input {i}")


def check_second_derivatives(func, *arrays, seed=0, atol=1e-5, rtol=1e-3):
    """gradgradcheck: the gradient function (built with create_graph=True) checked by finite differences.

    The first derivative is a vector-Jacobian product with a fixed random vector v, so that every
    element of the output contributes: g(x) = d(sum(v * f(x)))/dx.
    """
    arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
    with minigrad.no_grad():
        shape = func(*[minigrad.tensor(a, dtype=minigrad.float64) for a in arrays]).shape
    v = np.random.default_rng(seed).uniform(0.5, 1.5, size=shape)

    def first_derivative(*xs):
        if not minigrad.is_grad_enabled():  # finite-difference evaluations: grad still needed inside
            with minigrad.enable_grad():
                return first_derivative(*xs)
        xs = [x if x.requires_grad else x.detach().requires_grad_() for x in xs]
        out = (func(*xs) * minigrad.tensor(v)).sum()
        grads = minigrad.autograd.grad(out, xs, create_graph=True, allow_unused=True)
        parts = [(g if g is not None else minigrad.zeros(x.shape, dtype=minigrad.float64)).reshape(-1)
                 for g, x in zip(grads, xs)]
        return minigrad.cat(parts)

    check_gradients(first_derivative, *arrays, atol=atol, rtol=rtol)


def capture(code: str, module) -> str:
    """Run `code` with `torch` bound to `module`; return what it printed."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(code, {"torch": module, "__name__": "__snippet__"})
    return buffer.getvalue()


_ADDRESS = re.compile(r"( object)? at 0x[0-9a-f]+")


def normalise(text: str) -> str:
    """PyTorch's output in minigrad's spelling: `torch.` -> `minigrad.`, no object addresses."""
    text = _ADDRESS.sub("", text)
    text = text.replace("torch::autograd::AccumulateGrad", "AccumulateGrad")
    return text.replace("torch.", "minigrad.")
