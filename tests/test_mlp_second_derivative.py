"""An MLP's loss (linear -> relu -> linear -> relu -> linear -> cross_entropy) differentiated once and
twice: its first derivative runs its backward formulas on bare arrays (no create_graph), its second
the tensor formulas (create_graph=True). Both are checked against PyTorch and finite differences,
so a change to one path that the other does not share shows up here."""
import numpy as np
import pytest

import minigrad
import minigrad.nn.functional as F
from minigrad.autograd import gradcheck, gradgradcheck

SHAPES = [(5, 4), (5,), (6, 5), (6,), (3, 6), (3,)]  # W1, b1, W2, b2, W3, b3


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((7, 4))
    params = [rng.standard_normal(s) * 0.7 for s in SHAPES]
    target = rng.integers(0, 3, 7)
    return x, params, target


def _loss(lib, fn, x, params, target, reduction="mean"):
    w1, b1, w2, b2, w3, b3 = params
    h = fn.relu(fn.linear(x, w1, b1))
    h = fn.relu(fn.linear(h, w2, b2))
    loss = fn.cross_entropy(fn.linear(h, w3, b3), target, reduction=reduction)
    return loss if reduction != "none" else (loss * lib.tensor(np.linspace(0.5, 2.0, 7))).sum()


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_first_and_second_derivatives_match_pytorch(reduction):
    torch = pytest.importorskip("torch")
    x, params, target = _data()
    vectors = [np.random.default_rng(1).standard_normal(s) for s in SHAPES]
    results = {}
    for name, lib, fn in (("minigrad", minigrad, F), ("torch", torch, torch.nn.functional)):
        ps = [lib.tensor(p, requires_grad=True) for p in params]
        loss = _loss(lib, fn, lib.tensor(x), ps, lib.tensor(target), reduction)
        # first derivatives without create_graph (minigrad: the array path)
        first = lib.autograd.grad(loss, ps, retain_graph=True)
        # the same with create_graph, then a Hessian-vector product through them
        grads = lib.autograd.grad(loss, ps, create_graph=True)
        hvp = lib.autograd.grad(sum((g * lib.tensor(v)).sum() for g, v in zip(grads, vectors)), ps)
        results[name] = ([g.detach().numpy() for g in first], [g.detach().numpy() for g in grads],
                         [h.numpy() for h in hvp])
    for ours, theirs in zip(results["minigrad"], results["torch"]):
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    # and the two minigrad first derivatives agree exactly (array path vs tensor path)
    for a, b in zip(results["minigrad"][0], results["minigrad"][1]):
        np.testing.assert_array_equal(a, b)


def test_second_derivatives_match_finite_differences():
    x, params, target = _data(2)
    ps = [minigrad.tensor(p, requires_grad=True) for p in params]
    xt, tt = minigrad.tensor(x), minigrad.tensor(target)

    def loss(*ps):
        return _loss(minigrad, F, xt, ps, tt)

    assert gradcheck(loss, ps)
    assert gradgradcheck(loss, ps)


def test_float32_step_gradients_match_pytorch():
    torch = pytest.importorskip("torch")
    x, params, target = _data(3)
    grads = {}
    for name, lib, fn in (("minigrad", minigrad, F), ("torch", torch, torch.nn.functional)):
        ps = [lib.tensor(p.astype(np.float32), requires_grad=True) for p in params]
        _loss(lib, fn, lib.tensor(x.astype(np.float32)), ps, lib.tensor(target)).backward()
        grads[name] = [p.grad.numpy() for p in ps]
    for a, b in zip(grads["minigrad"], grads["torch"]):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
