"""log1p and expm1: the worked example of adding an op (docs/architecture.md, "How to add an operation").

Each is one class in minigrad/ops/elementwise.py; these tests check what that one definition gives:
the derivative against finite differences (float64, first and second), the values, dtypes, errors
and gradients against PyTorch, the in-place variants, minigrad.<name>, the stepper's formula and the
accuracy near 0 that is the reason the two functions exist.
"""
from __future__ import annotations

import numpy as np
import pytest

import minigrad
from helpers import check_gradients, check_second_derivatives
from minigrad.viz import BackwardStepper

SAMPLES = {"log1p": lambda r, s: r.uniform(-0.9, 3, size=s), "expm1": lambda r, s: r.normal(size=s)}


@pytest.mark.parametrize("name", sorted(SAMPLES))
@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_gradcheck_float64(name, shape):
    x = SAMPLES[name](np.random.default_rng(len(shape)), shape)
    check_gradients(lambda t: getattr(t, name)(), x)
    check_second_derivatives(lambda t: getattr(t, name)(), x)


def test_the_derivatives_by_hand():
    x = minigrad.tensor([-0.5, 0.0, 2.0], dtype=minigrad.float64, requires_grad=True)
    (g,) = minigrad.autograd.grad(x.log1p().sum(), x)
    assert np.allclose(g.numpy(), 1 / (1 + np.array([-0.5, 0.0, 2.0])))   # d/dx ln(1 + x) = 1 / (1 + x)
    (g,) = minigrad.autograd.grad(x.expm1().sum(), x)
    assert np.allclose(g.numpy(), np.exp([-0.5, 0.0, 2.0]))                # d/dx (e**x - 1) = e**x


def test_exact_near_zero_where_the_naive_formulas_lose_every_digit():
    tiny = minigrad.tensor([1e-17], dtype=minigrad.float64)  # 1 + 1e-17 rounds to 1 in float64
    assert tiny.log1p().item() == pytest.approx(1e-17, rel=1e-12) and (1 + tiny).log().item() == 0.0
    assert tiny.expm1().item() == pytest.approx(1e-17, rel=1e-12) and (tiny.exp() - 1).item() == 0.0


@pytest.mark.parametrize("name", sorted(SAMPLES))
@pytest.mark.parametrize("dtype", ["bool", "int64", "float32", "float64"])
def test_against_pytorch(name, dtype):
    torch = pytest.importorskip("torch")
    values = [True, False, True] if dtype == "bool" else [-2, -1, 0, 3] if dtype == "int64" else [-2.0, -1.0, -0.5, 0.0, 1e-8, 3.0]
    outcomes = []
    for T in (minigrad, torch):
        x = T.tensor(values, dtype=getattr(T, dtype))
        out = getattr(x, name)()
        also = getattr(T, name)(x)
        grad = None
        if dtype.startswith("float"):
            leaf = x.clone().requires_grad_()
            getattr(leaf, name)().sum().backward()
            grad = leaf.grad.tolist()
        outcomes.append((str(out.dtype).split(".")[-1], out.tolist(), also.tolist(), grad))
    (d1, v1, f1, g1), (d2, v2, f2, g2) = outcomes
    assert d1 == d2 and np.allclose(v1, v2, equal_nan=True) and np.allclose(f1, v1, equal_nan=True)
    assert (g1 is None) == (g2 is None) and (g1 is None or np.allclose(g1, g2, equal_nan=True))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_in_place_variant_as_in_pytorch(name):
    torch = pytest.importorskip("torch")
    for T in (minigrad, torch):
        x = T.tensor([0.5, 2.0])
        y = x * 1
        assert getattr(y, name + "_")() is y and np.allclose(y.tolist(), getattr(x, name)().tolist())
        with pytest.raises(RuntimeError, match="can't be cast to the desired output type Long"):
            getattr(T.tensor([1, 2]), name + "_")()
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            getattr(T.tensor([1.0], requires_grad=True), name + "_")()
    w = minigrad.tensor([0.5, 2.0], requires_grad=True)
    y = w * 1
    getattr(y, name + "_")()
    y.sum().backward()
    expected = 1 / (1 + np.array([0.5, 2.0])) if name == "log1p" else np.exp([0.5, 2.0])
    assert y.grad_fn.name() == {"log1p": "Log1PBackward0", "expm1": "Expm1Backward0"}[name]  # PyTorch's names
    assert np.allclose(w.grad.tolist(), expected)


def test_the_stepper_shows_their_formulas():
    x = minigrad.tensor(1.0, requires_grad=True)
    steps = BackwardStepper(x.log1p() + x.expm1(), names={"x": x}).steps
    formulas = {s.node: s.formula for s in steps}
    assert formulas["Log1PBackward0"] == "z = ln(1 + a):  dz/da = 1 / (1 + a)"
    assert formulas["Expm1Backward0"] == "z = exp(a) - 1:  dz/da = exp(a) = z + 1"
