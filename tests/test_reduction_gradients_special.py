"""max / min (of all elements and along a dim), std and where backward against PyTorch when the gradient
coming in is inf or nan: PyTorch puts the gradient at the places holding the maximum (grad / k for k ties;
the nans' places when the maximum is nan), chooses 0 where std is 0, and where gives grad on its chosen
side and 0 on the other, so no 0 * inf = nan appears where PyTorch has none. minigrad multiplied by masks
(found by probing the ops like F10/F11 at stop 13)."""
from __future__ import annotations

import math

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

inf, nan = math.inf, math.nan
ROWS = [[1.0, 3.0, 3.0, -2.0], [0.5, 0.5, 0.5, 0.5], [nan, 1.0, nan, 2.0]]


def _cases(lib, dtype: str) -> list:
    dt = getattr(lib, dtype)
    out = []
    for row in ROWS:  # of all elements: ties, a constant row, nans
        for name in ("max", "min"):
            for g in (inf, -inf, nan, 2.0):
                x = lib.tensor(row, dtype=dt, requires_grad=True)
                getattr(x, name)().backward(lib.tensor(g, dtype=dt))
                out.append((f"{name}() of {row}, grad {g}", x.grad))
    for name in ("max", "min"):  # along a dim: values, with and without keepdim
        for keepdim in (False, True):
            x = lib.tensor(ROWS, dtype=dt, requires_grad=True)
            values = getattr(x, name)(1, keepdim=keepdim)[0]
            incoming = lib.tensor([inf, nan, -inf], dtype=dt)
            values.backward(incoming.view(3, 1) if keepdim else incoming)
            out.append((f"{name}(1, keepdim={keepdim})", x.grad))
    for dim in (None, 1):  # std of constant rows (0): PyTorch's 0, and of others
        x = lib.tensor(ROWS[:2], dtype=dt, requires_grad=True)
        s = x.std() if dim is None else x.std(dim)
        s.backward(lib.full(tuple(s.shape), inf, dtype=dt))
        out.append((f"std({dim})", x.grad))
    return out


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_an_inf_or_nan_gradient_is_put_not_multiplied(dtype):
    for (what, ours), (_, theirs) in zip(_cases(minigrad, dtype), _cases(torch, dtype)):
        a, b = ours.numpy(), theirs.numpy()
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=0, err_msg=what)
        np.testing.assert_array_equal(a == 0, b == 0, err_msg=what)


def _second_order(lib):
    x = lib.tensor([1.0, 3.0, 3.0], requires_grad=True)
    incoming = lib.tensor(2.0, requires_grad=True)
    (g,) = lib.autograd.grad(x.max(), x, incoming, create_graph=True)
    (g * lib.tensor([inf, 1.0, 2.0])).sum().backward()  # d g / d incoming: the places, chosen
    return [g.detach().numpy(), incoming.grad.numpy()]


def test_the_gradient_of_max_stays_differentiable():
    for a, b in zip(_second_order(minigrad), _second_order(torch)):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def _where(lib):
    cond = lib.tensor([True, False, True, False])
    a = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    b = lib.tensor([5.0, 6.0, 7.0, 8.0], requires_grad=True)
    lib.where(cond, a, b).backward(lib.tensor([inf, nan, -inf, 1.0]))
    c = lib.tensor([0.5, -1.0], requires_grad=True)
    lib.where(c > 0, c, c * 3).backward(lib.tensor([nan, inf]))  # both sides are c
    return [a.grad.numpy(), b.grad.numpy(), c.grad.numpy()]


def test_where_backward_chooses_as_pytorch():
    # torch.where's backward: grad where cond, else 0 (minigrad multiplied by the mask: nan on the other side)
    for a, b in zip(_where(minigrad), _where(torch)):
        np.testing.assert_array_equal(a, b)
