"""The Tensor itself: creation dtypes, conversions, comparisons, and regressions found while testing."""
from __future__ import annotations

import numpy as np
import pytest

import minigrad
from helpers import try_torch


def test_invert_returns_a_new_mask_and_leaves_the_original_alone():
    """Regression: ~m used np.logical_not(m, m), which wrote the result into m (NumPy's `out`)."""
    m = minigrad.tensor([True, False, True])
    n = ~m
    assert n.tolist() == [False, True, False]
    assert m.tolist() == [True, False, True]
    assert (~minigrad.tensor([5, 0])).tolist() == [-6, -1]  # bitwise not on integers, as PyTorch


def test_where_gradient_is_stable_across_repeated_backward_calls():
    """Regression: Where.backward used ~cond, which flipped the saved condition on every call."""
    x = minigrad.tensor([1.0, -1.0], requires_grad=True)
    out = minigrad.where(x > 0, x, x * 3)
    for _ in range(3):
        (g,) = minigrad.autograd.grad(out.sum(), x, retain_graph=True)
        assert g.tolist() == [1.0, 3.0]


def test_reductions_with_dim_work():
    """Regression: ops.py's own max() shadowed the builtin inside the dim check."""
    x = minigrad.arange(6).reshape(2, 3).float()
    assert x.sum(1).tolist() == [3.0, 12.0]
    assert x.mean(0, keepdim=True).tolist() == [[1.5, 2.5, 3.5]]
    assert x.max(1).values.tolist() == [2.0, 5.0] and x.min(0).indices.tolist() == [0, 0, 0]
    assert minigrad.tensor(2.0).sum(0).item() == 2.0


def test_comparison_with_none():
    x = minigrad.ones(2)
    assert (x == None) is False and (x != None) is True  # noqa: E711 - that is the point
    assert x in [None, x]
    with pytest.raises(TypeError):
        x < None  # noqa: B015


def test_creation_dtypes_match_pytorch():
    assert minigrad.tensor([1, 2]).dtype is minigrad.int64
    assert minigrad.tensor([1.0, 2]).dtype is minigrad.float32
    assert minigrad.tensor([True]).dtype is minigrad.bool
    assert minigrad.tensor(np.array([1.0])).dtype is minigrad.float64   # NumPy keeps its dtype
    assert minigrad.ones(2).dtype is minigrad.float32 and minigrad.arange(3).dtype is minigrad.int64
    assert minigrad.zeros(2, dtype=minigrad.float64).dtype is minigrad.double
    assert repr(minigrad.ones(2, 3).shape) == "minigrad.Size([2, 3])"


def test_shape_helpers():
    x = minigrad.zeros(2, 3)
    assert x.size() == (2, 3) and x.size(1) == 3 and x.dim() == 2 and x.numel() == 6 and len(x) == 2
    assert [row.shape for row in x] == [(3,), (3,)]
    assert minigrad.tensor(3.5).item() == 3.5 and minigrad.tensor([[1, 2]]).tolist() == [[1, 2]]


def test_to_double_gradient_comes_back_in_the_leaf_dtype():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)  # float32
    y = (x.double() * 3).sum()
    assert y.dtype is minigrad.float64
    y.backward()
    assert x.grad.dtype is minigrad.float32 and x.grad.tolist() == [3.0, 3.0]
    assert x.to(minigrad.float32) is x


def test_grad_setter_checks_shape():
    x = minigrad.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="assigned grad has data of a different size"):
        x.grad = minigrad.ones(3)


def test_numpy_shares_memory_and_detach_numpy_works():
    x = minigrad.ones(3, requires_grad=True)
    a = x.detach().numpy()
    assert np.shares_memory(a, x._data)
    b = minigrad.zeros(2)
    assert b.numpy() is b._data


def test_all_any_eq_module_functions():
    a = minigrad.tensor([1.0, 2.0])
    assert minigrad.eq(a, a).all().item() is True
    assert minigrad.eq(a, a * 2).any().item() is False
    assert minigrad.gt(a, 1.5).tolist() == [False, True]


def test_repr_flags_match_torch():
    torch = pytest.importorskip("torch")
    for code in ("T.ones(2, requires_grad=True)", "T.ones(2, requires_grad=True) * 2", "T.ones(2)",
                 "T.ones(2, requires_grad=True).detach()", "T.tensor([1, 2])", "T.tensor(1.5, dtype=T.float64)"):
        t = repr(eval(code, {"T": torch}))
        m = repr(eval(code, {"T": minigrad}))
        assert m == t.replace("torch.", "minigrad."), code


def test_python_number_operands_keep_float32():
    x = minigrad.ones(2)
    for y in (x * 2.5, 2.5 * x, x + 1, x / 3, 1 - x, x ** 2, 2 ** x, -x):
        assert y.dtype is minigrad.float32
    torch = try_torch()
    if torch is not None:
        np.testing.assert_array_equal((minigrad.ones(3) / 3)._data, (torch.ones(3) / 3).numpy())
