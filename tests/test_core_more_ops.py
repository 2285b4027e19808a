"""maximum, minimum, masked_fill, norm, var, std, cumsum, dot, mm, mv, square, and the *_as, new_* and
layout methods.

Oracles: finite differences in float64 (first and second derivatives), values worked out by hand,
and PyTorch where it is importable (values, gradients, node names, error wording).
"""
from __future__ import annotations

import numpy as np
import pytest

import minigrad
from helpers import check_gradients, check_second_derivatives, try_torch

RNG = np.random.default_rng(7)
A = RNG.normal(size=(3, 4))
B = RNG.normal(size=(4,))  # broadcasts against A, and is never equal to it
MASK = RNG.random(size=(3, 4)) < 0.5

CASES = {
    "maximum": (lambda x, y: minigrad.maximum(x, y), (A, B)),
    "minimum": (lambda x, y: x.minimum(y), (A, B)),
    "masked_fill": (lambda x: x.masked_fill(minigrad.tensor(MASK), 2.5), (A,)),
    "norm": (lambda x: x.norm(), (A,)),
    "norm_dim": (lambda x: x.norm(dim=1), (A,)),
    "norm_dim_keepdim": (lambda x: x.norm(dim=0, keepdim=True), (A,)),
    "norm_p1": (lambda x: x.norm(p=1, dim=-1), (A,)),
    "norm_p3": (lambda x: minigrad.norm(x, 3), (A,)),
    "dot": (lambda x, y: x.dot(y), (B, B[::-1].copy())),
    "mm": (lambda x, y: x.mm(y), (A, A.T.copy())),
    "mv": (lambda x, y: x.mv(y), (A, B)),
    "square": (lambda x: x.square(), (A,)),
    "var": (lambda x: x.var(), (A,)),
    "var_dim_keepdim_biased": (lambda x: x.var(1, keepdim=True, correction=0), (A,)),
    "std": (lambda x: x.std(), (A,)),
    "std_dims": (lambda x: minigrad.std(x, (0, 1)), (A,)),
    "std_dim": (lambda x: x.std(0), (A,)),
    "cumsum": (lambda x: x.cumsum(1), (A,)),
    "cumsum_first_dim": (lambda x: minigrad.cumsum(x, 0), (A,)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_first_and_second_derivatives_against_finite_differences(name):
    func, arrays = CASES[name]
    check_gradients(func, *arrays)
    check_second_derivatives(func, *arrays)


def test_by_hand():
    x = minigrad.tensor([3.0, -4.0], requires_grad=True)
    x.norm().backward()
    assert x.grad.tolist() == pytest.approx([0.6, -0.8])        # x / |x|
    a, b = minigrad.tensor([1.0, 5.0], requires_grad=True), minigrad.tensor([1.0, 3.0], requires_grad=True)
    minigrad.maximum(a, b).sum().backward()
    assert a.grad.tolist() == [0.5, 1.0] and b.grad.tolist() == [0.5, 0.0]  # a tie shares the gradient
    z = minigrad.zeros(3, requires_grad=True)
    z.norm().backward()
    assert z.grad.tolist() == [0.0, 0.0, 0.0]                   # 0 at the kink, not nan
    m = minigrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    m.masked_fill(m > 1.5, 0.0).sum().backward()
    assert m.grad.tolist() == [1.0, 0.0, 0.0]
    v = minigrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    v.var().backward()                                          # mean 2, (1 + 0 + 1) / (3 - 1) = 1
    assert v.var().item() == 1.0 and v.grad.tolist() == [-1.0, 0.0, 1.0]  # 2 (x - mean) / 2
    c = minigrad.full((3,), 5.0, requires_grad=True)
    c.std().backward()
    assert c.grad.tolist() == [0.0, 0.0, 0.0]                   # 0 where std = 0, as in PyTorch
    s = minigrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    s.cumsum(0).backward(minigrad.tensor([1.0, 10.0, 100.0]))
    assert s.cumsum(0).tolist() == [1.0, 3.0, 6.0] and s.grad.tolist() == [111.0, 110.0, 100.0]


def test_layout_and_shape_like_methods():
    x = minigrad.arange(6.0)
    assert x.contiguous() is x and x.cpu() is x
    other = minigrad.zeros(2, 3, dtype=minigrad.float64)
    assert x.view_as(other).shape == other.shape and x.view_as(other).grad_fn is None
    assert x.reshape_as(other).shape == (2, 3)
    assert minigrad.ones(3).expand_as(other).shape == (2, 3)
    assert x.type_as(other).dtype is minigrad.float64
    assert other.new_zeros(2).dtype is minigrad.float64 and other.new_ones(2, 2).shape == (2, 2)
    made = other.new_tensor([1, 2])
    assert made.dtype is minigrad.float64 and made.tolist() == [1.0, 2.0] and not made.requires_grad
    assert other.new_full((2,), 3).tolist() == [3.0, 3.0]


TORCH_EXPRS = ["T.maximum(x, y)", "x.minimum(y)", "x.maximum(x.detach())", "x.masked_fill(x > 0, -1.0)",
               "x.norm()", "x.norm(dim=1)", "x.norm(p=1)", "x.norm(3, 0, True)", "x[0].dot(y)", "x.mm(x.T)",
               "x.mv(y)", "x.square()", "T.square(x)", "T.norm(x)", "x.view_as(x.T)", "x.expand_as(x[None])",
               "x.var()", "x.var(1)", "x.var(0, keepdim=True)", "x.var(unbiased=False)", "x.var(correction=0)",
               "T.var(x, 1)", "x.std()", "x.std(1, True)", "T.std(x, (0, 1))", "x.cumsum(1)", "T.cumsum(x, 0)",
               # reshape's three cases, named as PyTorch names them: a view, an aliasing view, a copy then a view
               "x.reshape(12)", "x.t().reshape(4, 1, 3)", "x[:, :2].reshape(3, 2)", "x.t().reshape(12)",
               "x[:, 1:].flatten()", "x[0].expand(2, 4).reshape(2, 1, 4)", "x[0].expand(2, 4).reshape(8)"]


@pytest.mark.parametrize("expr", TORCH_EXPRS)
def test_matches_torch(expr):
    torch = pytest.importorskip("torch")
    results = []
    for T in (torch, minigrad):
        x = T.tensor(A, requires_grad=True)
        y = T.tensor(B, requires_grad=True)
        out = eval(expr, {"T": T, "x": x, "y": y})
        out.sum().backward()
        name = out.grad_fn.name()
        grads = [None if t.grad is None else np.asarray(t.grad.tolist()) for t in (x, y)]
        results.append((np.asarray(out.tolist()), name, grads))
    (t_out, t_name, t_grads), (m_out, m_name, m_grads) = results
    np.testing.assert_allclose(m_out, t_out, rtol=1e-12)
    assert m_name == t_name
    for m_g, t_g in zip(m_grads, t_grads):
        assert (m_g is None) == (t_g is None)
        if t_g is not None:
            np.testing.assert_allclose(m_g, t_g, rtol=1e-10, atol=1e-12)


ERRORS = {
    "dot of a matrix": ("T.ones(2).dot(T.ones(2, 2))", "1D tensors expected, but got 1D and 2D tensors"),
    "dot of different lengths": ("T.ones(3).dot(T.ones(2))", "inconsistent tensor size"),
    "mm of a vector": ("T.ones(2).mm(T.ones(2, 2))", "self must be a matrix"),
    "mm by a vector": ("T.ones(2, 2).mm(T.ones(2))", "mat2 must be a matrix"),
    "mv with the wrong length": ("T.ones(2, 2).mv(T.ones(3))", "size mismatch, got input (2), mat (2x2), vec (3)"),
    "mv of two matrices": ("T.ones(2, 2).mv(T.ones(2, 2))", "vector + matrix @ vector expected"),
    "masked_fill with a float mask": ("T.ones(2, 3).masked_fill(T.ones(2, 3), 0.0)",
                                      "masked_fill_ only supports boolean masks, but got mask with dtype float"),
    "masked_fill with a vector value": ("T.ones(2, 3).masked_fill(T.ones(3) > 0, T.ones(2))",
                                        "masked_fill_ only supports a 0-dimensional value tensor"),
    "masked_fill with a mask that does not broadcast": ("T.ones(2, 3).masked_fill(T.ones(4) > 0, 1.0)",
                                                        "The size of tensor a (4) must match the size of tensor b (3)"),
    "norm of an integer tensor": ("T.ones(2, dtype=T.long).norm()", "Expected a floating point or complex tensor"),
    "maximum of shapes that do not broadcast": ("T.maximum(T.ones(2, 3), T.ones(4))",
                                                "The size of tensor a (3) must match the size of tensor b (4)"),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors_say_what_was_wrong(case):
    code, phrase = ERRORS[case]
    libraries = [minigrad] + [t for t in [try_torch()] if t is not None]
    for T in libraries:  # the phrase is PyTorch's: both libraries must say it
        with pytest.raises(RuntimeError) as info:
            eval(code, {"T": T})
        assert phrase in str(info.value), f"{T.__name__}: {info.value}"


def test_norm_refuses_what_it_does_not_support():
    with pytest.raises(RuntimeError, match="finite p >= 1"):
        minigrad.ones(2).norm(p=0.5)



def test_norm_over_several_dims_matches_pytorch():
    torch = pytest.importorskip("torch")
    data = np.arange(24.0).reshape(2, 3, 4) - 11.5
    for dim in [(0, 1), [0, -1], (1, 2), [], (2,), -1]:
        for keepdim in (False, True):
            got, want = [], []
            for L, out in ((minigrad, got), (torch, want)):
                x = L.tensor(data, dtype=L.float64, requires_grad=True)
                y = x.norm(dim=dim, keepdim=keepdim)
                (y * L.arange(float(y.numel()), dtype=L.float64).reshape(y.shape)).sum().backward()
                out.extend([y.detach().numpy(), x.grad.numpy(), y.grad_fn.name()])
            np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
            np.testing.assert_allclose(got[1], want[1], rtol=1e-12)
            assert got[2] == want[2]


def test_dims_of_a_0_dim_tensor_and_negative_dims():
    # PyTorch accepts dims 0 and -1 on a 0-dim tensor; negative dims count from the end everywhere.
    s = minigrad.tensor(2.0, requires_grad=True)
    assert s.transpose(0, -1).shape == () and s.squeeze(0).shape == () and s.unsqueeze(-1).shape == (1,)
    s.transpose(0, 0).backward()
    assert s.grad.item() == 1.0
    x = minigrad.ones(2, 3, 1)
    assert x.unsqueeze(-1).shape == (2, 3, 1, 1) and x.unsqueeze(-4).shape == (1, 2, 3, 1)
    assert x.permute(-1, 0, 1).shape == (1, 2, 3) and x.squeeze(-1).shape == (2, 3)
    assert x.sum((0, -2)).shape == (1,)


def test_second_derivative_through_relu_is_zero_not_an_error():
    # PyTorch keeps relu's gradient in the graph (its slope is flat, so the second derivative is 0);
    # minigrad's comparison mask used to cut it off, and asking for the second derivative then failed.
    x = minigrad.tensor([1.0, -3.0, 2.0], requires_grad=True)
    (g,) = minigrad.autograd.grad(x.relu().sum(), x, create_graph=True)
    assert g.requires_grad and g.tolist() == [1.0, 0.0, 1.0]
    (g2,) = minigrad.autograd.grad(g.sum(), x)
    assert g2.tolist() == [0.0, 0.0, 0.0]
    (h,) = minigrad.autograd.grad((x.relu() ** 2).sum(), x, create_graph=True)
    (h2,) = minigrad.autograd.grad(h.sum(), x)
    assert h2.tolist() == [2.0, 0.0, 2.0]  # d2/dx2 of relu(x)^2 = 2 where x > 0


def test_spread_of_a_single_value_warns_as_pytorch_does():
    for T in [minigrad] + [t for t in [try_torch()] if t is not None]:
        with pytest.warns(UserWarning, match=r"std\(\): degrees of freedom is <= 0"):
            assert np.isnan(T.tensor([2.0]).std().item())
        with pytest.warns(UserWarning, match=r"var\(\): degrees of freedom is <= 0"):
            assert np.isnan(T.tensor([[1.0, 2.0]]).var(0).tolist()).all()


def test_isnan_isinf_isfinite_match_torch():
    values = [1.0, float("nan"), float("inf"), -float("inf"), 0.0]
    for T in [minigrad] + [t for t in [try_torch()] if t is not None]:
        x = T.tensor(values, requires_grad=True) * 1
        assert x.isnan().tolist() == [False, True, False, False, False]
        assert T.isinf(x).tolist() == [False, False, True, True, False]
        assert x.isfinite().tolist() == [True, False, False, False, True]
        assert x.isnan().dtype == T.bool and not x.isnan().requires_grad
    assert minigrad.tensor([1, 2]).isfinite().tolist() == [True, True]  # integers are always finite
