"""clamp with tensor bounds: PyTorch's tensor overload (ClampBackward0, three edges, gradients to the
bounds too). Before, a 0-dim tensor bound was read as a number: the node was ClampBackward1 and a bound
that required grad silently got no gradient. Generated cases compared with PyTorch; a float64 gradcheck."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

import minigrad
from minigrad.autograd import gradcheck

torch = pytest.importorskip("torch")

SHAPES = [(), (4,), (3, 4), (1, 4)]  # bound shapes that broadcast against x of shape (3, 4)


def _cases():
    rng = np.random.default_rng(0)
    for dtype, lo_shape, hi_shape, grads in itertools.product(
            ("float32", "float64", "int64"), SHAPES + [None], SHAPES + [None], (False, True)):
        if lo_shape is None and hi_shape is None:
            continue
        if grads and dtype == "int64":
            continue
        # values on a grid of halves, so that x ties with a bound and lo >= hi both happen
        x = rng.integers(-4, 5, (3, 4)) / 2
        lo = None if lo_shape is None else rng.integers(-4, 3, lo_shape) / 2
        hi = None if hi_shape is None else rng.integers(-2, 5, hi_shape) / 2
        yield pytest.param(dtype, x, lo, hi, grads, id=f"{dtype}-{lo_shape}-{hi_shape}-{'grad' if grads else 'plain'}")


def _run(T, dtype, x, lo, hi, grads):
    dt = getattr(T, dtype)
    make = (lambda a: None if a is None else T.tensor(a, dtype=dt, requires_grad=grads))
    tx, tlo, thi = make(x), make(lo), make(hi)
    z = tx.clamp(tlo, thi)
    out = {"value": z.detach().numpy().tolist(), "dtype": str(z.dtype).split(".")[-1],
           "node": type(z.grad_fn).__name__ if z.grad_fn is not None and T is torch else
           (z.grad_fn.name() if z.grad_fn is not None else None)}
    if grads:
        out["edges"] = [n is None for n, _ in z.grad_fn.next_functions]
        (z * T.arange(12, dtype=dt).reshape(3, 4)).sum().backward()
        out["grads"] = [None if t is None else t.grad.numpy().tolist() for t in (tx, tlo, thi)]
    return out


@pytest.mark.parametrize("dtype, x, lo, hi, grads", list(_cases()))
def test_clamp_with_tensor_bounds_matches_pytorch(dtype, x, lo, hi, grads):
    assert _run(minigrad, dtype, x, lo, hi, grads) == _run(torch, dtype, x, lo, hi, grads)


def test_clamp_with_tensor_bounds_gradcheck():
    rng = np.random.default_rng(1)
    x = minigrad.tensor(rng.normal(size=(3, 4)), dtype=minigrad.float64, requires_grad=True)
    lo = minigrad.tensor(rng.normal(size=(4,)) - 0.5, dtype=minigrad.float64, requires_grad=True)
    hi = minigrad.tensor(rng.normal(size=(3, 1)) + 0.5, dtype=minigrad.float64, requires_grad=True)
    assert gradcheck(lambda a, b, c: a.clamp(b, c), (x, lo, hi))


def test_a_number_and_a_tensor_bound_use_the_number_overload():
    """PyTorch reads a 0-dim tensor as a number when the other bound is a number: ClampBackward1."""
    for T in (minigrad, torch):
        x = T.tensor([0.2, 0.7], requires_grad=True)
        z = x.clamp(min=0.5, max=T.tensor(0.6))
        assert len(z.grad_fn.next_functions) == 1 and z.detach().tolist() == pytest.approx([0.5, 0.6])


def _variants(T):
    """Other ways in: 0-size x, x a view (transposed, stepped), no_grad, in place on a non-leaf and on a
    leaf, an int tensor bound on a float x, bounds that broadcast x to a larger shape."""
    base = np.arange(-6, 6).reshape(3, 4) / 4
    lo, hi = T.tensor(-0.5, requires_grad=True), T.tensor([0.25, 1.0, -1.0, 0.5], requires_grad=True)
    leaf = lambda: T.tensor(base, requires_grad=True)  # noqa: E731
    return {
        "0-size": lambda: (T.zeros(0, 4, requires_grad=True), lambda x: x.clamp(lo, hi)),
        "transposed view": lambda: (leaf(), lambda x: x.t().clamp(min=hi.reshape(4, 1))),
        "stepped view": lambda: (leaf(), lambda x: x[:, ::2].clamp(max=hi[::2])),
        "no_grad": lambda: (leaf(), lambda x: _no_grad(T, lambda: x.clamp(lo, hi))),
        "in place, non-leaf": lambda: (leaf(), lambda x: (x * 1).clamp_(lo, hi)),
        "in place, leaf": lambda: (leaf(), lambda x: x.clamp_(min=lo)),
        "int bound": lambda: (leaf(), lambda x: x.clamp(min=T.tensor(0))),
        "broadcast up": lambda: (leaf(), lambda x: x.clamp(min=T.zeros(2, 3, 4))),
    }, (lo, hi)


def _no_grad(T, f):
    with T.no_grad():
        return f()


def _outcome(T, name):
    variants, bounds = _variants(T)
    x, f = variants[name]()
    try:
        z = f(x)
    except Exception as e:
        return ("error", type(e).__name__)
    out = [z.detach().numpy().tolist(), str(z.dtype).split(".")[-1], z.requires_grad]
    if z.requires_grad:
        z.sum().backward()
        out += [None if t.grad is None else t.grad.numpy().tolist() for t in (x, *bounds)]
    return out


@pytest.mark.parametrize("name", list(_variants(minigrad)[0]))
def test_clamp_with_tensor_bounds_other_ways_in_match_pytorch(name):
    assert _outcome(minigrad, name) == _outcome(torch, name)


def test_clamp_with_tensor_bounds_second_derivative():
    """create_graph through ClampBackward0: the masks are constants, so d2z/dx2 = 0, as PyTorch says."""
    for T in (minigrad, torch):
        x = T.tensor([0.2, 0.7, 1.5], dtype=T.float64, requires_grad=True)
        lo = T.tensor(0.5, dtype=T.float64, requires_grad=True)
        (g,) = T.autograd.grad((x.clamp(min=lo) ** 2).sum(), x, create_graph=True)
        (h,) = T.autograd.grad(g.sum(), x)
        assert g.detach().tolist() == pytest.approx([0.0, 1.4, 3.0]) and h.tolist() == pytest.approx([0.0, 2.0, 2.0])
