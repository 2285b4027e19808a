"""relu at nan, infinities and signed zeros, forward and backward, against PyTorch: relu keeps -0.0,
and its gradient passes where the input is nan (PyTorch zeroes it only where the output is <= 0), and
is +0.0 where the output is 0 even when the gradient coming in is inf or nan there (PyTorch's
threshold_backward chooses; a product with the mask would give 0 * inf = nan).
Three backward paths: the array formula given a gradient it may overwrite (after a matrix product),
the array formula on a gradient others hold (backward(gradient=g)), and create_graph (ReluGradient)."""
from __future__ import annotations

import math

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

VALUES = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1.5, -2.0, 1e-30, -1e-30]


def _same(a, b, signs: bool = False) -> None:
    a, b = np.asarray(a), np.asarray(b)
    np.testing.assert_array_equal(a, b)
    if signs:  # (and the signs of zeros)
        np.testing.assert_array_equal(np.signbit(a[a == 0]), np.signbit(b[b == 0]))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_relu_forward_and_backward_at_special_values(dtype):
    results = []
    for lib in (minigrad, torch):
        F = lib.nn.functional
        x = lib.tensor(VALUES, dtype=getattr(lib, dtype), requires_grad=True)
        out = x.relu()
        given = lib.tensor(np.linspace(-2, 2, len(VALUES)), dtype=getattr(lib, dtype))
        out.backward(given)  # the gradient the caller holds: a new array
        g_given = x.grad.detach().numpy().copy()
        x.grad = None
        w = lib.tensor(np.eye(len(VALUES)), dtype=getattr(lib, dtype), requires_grad=True)
        (F.linear(F.relu(x[None] * 1), w) * 3).sum().backward()  # relu's gradient made by a matrix product
        g_product = x.grad.detach().numpy().copy()
        x.grad = None
        (g,) = lib.autograd.grad((x.relu() * 2).sum(), x, create_graph=True)
        (gg,) = lib.autograd.grad(g.sum(), x)
        results.append([out.detach().numpy(), g_given, g_product, g.detach().numpy(), gg.numpy()])
    # The forward keeps -0.0 as PyTorch; the gradients are chosen, so their zeros are +0.0 as PyTorch's.
    for ours, theirs in zip(*results):
        _same(ours, theirs, signs=True)


# Gradients coming in: inf, -inf and nan at every kind of unit (off, at 0, at -0.0, on, at nan, at inf).
INPUTS = [-2.0, 0.0, -0.0, 1.5, math.nan, math.inf, -2.0, 0.0, 1.5, math.nan]
INCOMING = [math.inf, -math.inf, math.nan, math.inf, math.nan, -math.inf, math.nan, math.nan, -1.0, math.inf]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_relu_gradient_is_0_where_the_unit_is_off_even_for_an_inf_or_nan_gradient(dtype):
    # Found by the fuzzer (F10): minigrad multiplied by the mask, so inf * 0 = nan where PyTorch gives 0.
    results = []
    for lib in (minigrad, torch):
        F = lib.nn.functional
        dt = getattr(lib, dtype)
        x = lib.tensor(INPUTS, dtype=dt, requires_grad=True)
        incoming = lib.tensor(INCOMING, dtype=dt)
        x.relu().backward(incoming)  # a gradient the caller holds: the formula makes a new array
        g_given = x.grad.detach().numpy().copy()
        x.grad = None
        eye = lib.tensor(np.eye(len(INPUTS)), dtype=dt, requires_grad=True)
        (F.relu(F.linear(x[None], eye)) * incoming).sum().backward()  # relu's gradient made by *: lent, overwritten
        g_lent = x.grad.detach().numpy().copy()
        x.grad = None
        held = lib.tensor(INCOMING, dtype=dt, requires_grad=True)
        (g,) = lib.autograd.grad(x.relu(), x, held, create_graph=True)  # the choice recorded as a node
        (g * incoming).sum().backward()
        results.append([g_given, g_lent, g.detach().numpy(), held.grad.numpy(), x.grad.numpy(), g.grad_fn.name()])
    for ours, theirs in zip(results[0][:-1], results[1][:-1]):
        _same(ours, theirs, signs=True)
    assert results[0][-1] == results[1][-1] == "ThresholdBackwardBackward0"
