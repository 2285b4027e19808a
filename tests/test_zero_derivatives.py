"""Ops whose derivative is 0 everywhere (sign, x ** 0, and the overwritten tensor of zero_, fill_ and
copy_) give PyTorch's zeros_like(grad) as its gradient, against PyTorch: grad * 0 gave nan where the
incoming gradient is inf or nan, and, under create_graph, a gradient that required grad where PyTorch's
zeros do not (found by probing the ops like F10/F11 at stop 13)."""
from __future__ import annotations

import math

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

inf, nan = math.inf, math.nan
OPS = {
    "sign": lambda T, y: y.sign(),
    "x ** 0": lambda T, y: y ** 0,
    "zero_": lambda T, y: y.zero_(),
    "fill_": lambda T, y: y.fill_(2.0),
    "copy_": lambda T, y: y.copy_(T.tensor([1.0, 2.0, 3.0], dtype=y.dtype)),
}


def _gradients(lib, name: str, dtype: str):
    dt = getattr(lib, dtype)
    x = lib.tensor([1.5, 0.0, -2.0], dtype=dt, requires_grad=True)
    OPS[name](lib, x * 1).backward(lib.tensor([inf, nan, -inf], dtype=dt))
    incoming = lib.tensor([inf, 1.0, nan], dtype=dt, requires_grad=True)
    (g,) = lib.autograd.grad(OPS[name](lib, x * 1), x, incoming, create_graph=True)
    return x.grad.numpy(), g.detach().numpy(), g.requires_grad


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(OPS))
def test_a_zero_derivative_gives_zeros_even_for_an_inf_or_nan_gradient(name, dtype):
    ours, theirs = _gradients(minigrad, name, dtype), _gradients(torch, name, dtype)
    np.testing.assert_array_equal(ours[0], theirs[0])
    np.testing.assert_array_equal(ours[1], theirs[1])
    assert ours[2] == theirs[2]
