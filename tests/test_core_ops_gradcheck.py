"""Every differentiable op against finite differences in float64 (first and second derivatives).

The oracle is tests/helpers.check_gradients: central differences on NumPy copies of the inputs,
compared with the engine's vector-Jacobian products. Shapes are drawn at random (seeded), with
broadcasting between the operands of binary ops.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from helpers import check_gradients, check_second_derivatives

RNG_SEEDS = range(4)


def away_from(values, points=(0.0,), gap=0.1):
    """Move values that are within `gap` of a kink (abs at 0, clamp at its bounds) away from it."""
    values = np.array(values, dtype=np.float64)
    for p in points:
        close = np.abs(values - p) < gap
        values[close] = p + np.where(values[close] >= p, gap, -gap) * 2
    return values


def random_shape(rng, ndim=None, low=1, high=4):
    ndim = rng.integers(0, 4) if ndim is None else ndim
    return tuple(int(s) for s in rng.integers(low, high + 1, size=ndim))


def broadcast_partner(rng, shape):
    """A shape that broadcasts with `shape`: some dims dropped from the front, some set to 1."""
    drop = rng.integers(0, len(shape) + 1)
    partner = [1 if rng.random() < 0.4 else s for s in shape[drop:]]
    if rng.random() < 0.3:  # and sometimes extra leading dims on the partner instead
        partner = [int(rng.integers(1, 3))] + list(shape)
    return tuple(partner)


# ----------------------------------------------------------------------------- unary elementwise
UNARY = {
    "neg": (lambda x: -x, lambda r, s: r.normal(size=s)),
    "exp": (lambda x: x.exp(), lambda r, s: r.normal(size=s)),
    "log": (lambda x: x.log(), lambda r, s: r.uniform(0.5, 3, size=s)),
    "sqrt": (lambda x: x.sqrt(), lambda r, s: r.uniform(0.5, 3, size=s)),
    "abs": (lambda x: x.abs(), lambda r, s: away_from(r.normal(size=s))),
    "sin": (lambda x: x.sin(), lambda r, s: r.normal(size=s)),
    "cos": (lambda x: x.cos(), lambda r, s: r.normal(size=s)),
    "tanh": (lambda x: x.tanh(), lambda r, s: r.normal(size=s)),
    "sigmoid": (lambda x: x.sigmoid(), lambda r, s: r.normal(size=s) * 3),
    "relu": (lambda x: x.relu(), lambda r, s: away_from(r.normal(size=s))),
    "reciprocal": (lambda x: x.reciprocal(), lambda r, s: away_from(r.normal(size=s), gap=0.3)),
    "pow_2": (lambda x: x ** 2, lambda r, s: r.normal(size=s)),
    "pow_3": (lambda x: x.pow(3), lambda r, s: r.normal(size=s)),
    "pow_0": (lambda x: x ** 0, lambda r, s: r.normal(size=s)),
    "pow_half": (lambda x: x ** 0.5, lambda r, s: r.uniform(0.5, 3, size=s)),
    "pow_neg": (lambda x: x ** -1.5, lambda r, s: r.uniform(0.5, 3, size=s)),
    "rpow_2": (lambda x: 2 ** x, lambda r, s: r.normal(size=s)),
    "rpow_e": (lambda x: 2.718 ** x, lambda r, s: r.normal(size=s)),
    "rsub": (lambda x: 1 - x, lambda r, s: r.normal(size=s)),
    "rdiv": (lambda x: 2 / x, lambda r, s: away_from(r.normal(size=s), gap=0.3)),
    "radd_rmul": (lambda x: 3 * x + 1, lambda r, s: r.normal(size=s)),
    "sub_scalar_div_scalar": (lambda x: (x - 2) / 4, lambda r, s: r.normal(size=s)),
    "clamp": (lambda x: x.clamp(-0.5, 0.5), lambda r, s: away_from(r.normal(size=s), (-0.5, 0.5))),
    "clamp_min": (lambda x: x.clamp(min=0.2), lambda r, s: away_from(r.normal(size=s), (0.2,))),
    "clamp_max": (lambda x: minigrad.clamp(x, max=0.2), lambda r, s: away_from(r.normal(size=s), (0.2,))),
    "clone": (lambda x: x.clone() * 1.5, lambda r, s: r.normal(size=s)),
    "to_double": (lambda x: x.to(minigrad.float64).double() * 2, lambda r, s: r.normal(size=s)),
    "module_functions": (lambda x: minigrad.tanh(minigrad.exp(x)), lambda r, s: r.normal(size=s)),
}
SMOOTH_UNARY = ["neg", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "reciprocal", "pow_2", "pow_3",
                "pow_half", "pow_neg", "rpow_2", "rpow_e", "rsub", "rdiv", "radd_rmul", "module_functions"]


@pytest.mark.parametrize("seed", RNG_SEEDS)
@pytest.mark.parametrize("name", list(UNARY))
def test_unary(name, seed):
    f, sample = UNARY[name]
    rng = np.random.default_rng(seed)
    check_gradients(f, sample(rng, random_shape(rng)))


@pytest.mark.parametrize("name", SMOOTH_UNARY)
def test_unary_second_derivative(name):
    f, sample = UNARY[name]
    rng = np.random.default_rng(1)
    check_second_derivatives(f, sample(rng, random_shape(rng, ndim=2)))


# ----------------------------------------------------------------------------- binary with broadcasting
BINARY = {
    "add": (lambda x, y: x + y, "any", "any"),
    "sub": (lambda x, y: x - y, "any", "any"),
    "mul": (lambda x, y: x * y, "any", "any"),
    "div": (lambda x, y: x / y, "any", "nonzero"),
    "pow_tensor": (lambda x, y: x ** y, "positive", "any"),
    "where": (lambda x, y: minigrad.where(x > y, x, y * 2), "any", "any"),
    "method_forms": (lambda x, y: x.add(y, alpha=2).mul(y).sub(x).div(y.abs() + 1), "any", "any"),
    "module_forms": (lambda x, y: minigrad.mul(minigrad.add(x, y), minigrad.sub(x, y)), "any", "any"),
}
SAMPLERS = {
    "any": lambda r, s: r.normal(size=s),
    "nonzero": lambda r, s: away_from(r.normal(size=s), gap=0.4),
    "positive": lambda r, s: r.uniform(0.5, 2.0, size=s),
}
SMOOTH_BINARY = ["add", "sub", "mul", "div", "pow_tensor", "method_forms", "module_forms"]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("name", list(BINARY))
def test_binary_broadcasting(name, seed):
    f, kx, ky = BINARY[name]
    rng = np.random.default_rng(100 + seed)
    sx = random_shape(rng)
    sy = broadcast_partner(rng, sx)
    if seed % 2:
        sx, sy = sy, sx
    check_gradients(f, SAMPLERS[kx](rng, sx), SAMPLERS[ky](rng, sy))


@pytest.mark.parametrize("name", SMOOTH_BINARY)
def test_binary_second_derivative(name):
    f, kx, ky = BINARY[name]
    rng = np.random.default_rng(7)
    check_second_derivatives(f, SAMPLERS[kx](rng, (2, 3)), SAMPLERS[ky](rng, (3,)))


def test_binary_with_only_one_input_requiring_grad():
    rng = np.random.default_rng(3)
    for f in (lambda x, y: x * y, lambda x, y: x / y, lambda x, y: x ** y.abs()):
        check_gradients(f, rng.uniform(0.5, 2, (2, 3)), rng.uniform(0.5, 2, (3,)), requires=[True, False])
        check_gradients(f, rng.uniform(0.5, 2, (2, 3)), rng.uniform(0.5, 2, (3,)), requires=[False, True])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=0, max_size=3), st.integers(0, 2 ** 31 - 1),
       st.sampled_from(["add", "sub", "mul", "div"]))
def test_binary_broadcasting_hypothesis(shape, seed, name):
    f, kx, ky = BINARY[name]
    rng = np.random.default_rng(seed)
    partner = broadcast_partner(rng, tuple(shape))
    check_gradients(f, SAMPLERS[kx](rng, tuple(shape)), SAMPLERS[ky](rng, partner))


def test_pow_tensor_at_zero_base():
    """d(x**y)/dy = x**y ln x has the limit 0 at x = 0 (y > 0); PyTorch returns 0 there too, not nan."""
    x = minigrad.tensor([0.0, 2.0], dtype=minigrad.float64, requires_grad=True)
    y = minigrad.tensor([2.0, 3.0], dtype=minigrad.float64, requires_grad=True)
    (x ** y).sum().backward()
    np.testing.assert_allclose(y.grad._data, [0.0, 8 * np.log(2)])
    np.testing.assert_allclose(x.grad._data, [0.0, 12.0])


# ----------------------------------------------------------------------------- reductions
REDUCTIONS = {
    "sum": lambda x, dim, keep: x.sum() if dim is None else x.sum(dim, keepdim=keep),
    "mean": lambda x, dim, keep: x.mean() if dim is None else x.mean(dim, keepdim=keep),
    "max": lambda x, dim, keep: x.max() if dim is None else x.max(dim, keepdim=keep).values,
    "min": lambda x, dim, keep: x.min() if dim is None else x.min(dim=dim, keepdim=keep)[0],
}


# max/min take a single dim, as in PyTorch; sum/mean also take a tuple of dims
REDUCTION_CASES = [(name, dim, keep) for name in REDUCTIONS for dim in (None, 0, 1, -1, (0, 2), (-1, 0))
                   for keep in (False, True) if not (isinstance(dim, tuple) and name in ("max", "min"))]


@pytest.mark.parametrize("name,dim,keep", REDUCTION_CASES)
def test_reduction(name, dim, keep):
    rng = np.random.default_rng(5)
    x = rng.permutation(24).reshape(2, 3, 4) / 7.0  # distinct values: no ties at the max
    f = REDUCTIONS[name]
    check_gradients(lambda t: f(t, dim, keep) * 1.0, x)
    if name in ("sum", "mean"):
        check_second_derivatives(lambda t: f(t, dim, keep) ** 2, x)


def test_reduction_of_0d_and_1d():
    for f in (lambda t: t.sum(), lambda t: t.mean(), lambda t: t.max(), lambda t: t.sum(0), lambda t: t.mean(-1)):
        check_gradients(f, np.array(1.5))
        check_gradients(f, np.array([1.0, 3.0, 2.0]))


def test_max_with_ties_splits_the_gradient_evenly():
    """PyTorch's max() (no dim) shares the gradient evenly between tied maxima; max(dim) picks one index."""
    x = minigrad.tensor([1.0, 3.0, 3.0, 2.0], requires_grad=True)
    x.max().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5, 0.0]
    x.grad = None
    values, indices = x.max(0)
    values.backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0, 0.0] and indices.item() == 1


# ----------------------------------------------------------------------------- matmul
MATMUL_SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
                 ((2, 3), (5, 3, 4)), ((5, 2, 3), (5, 3, 4)), ((1, 2, 3), (5, 3, 4)), ((3,), (5, 3, 4)),
                 ((5, 2, 3), (3,)), ((2, 1, 2, 3), (4, 3, 2))]


@pytest.mark.parametrize("sx,sy", MATMUL_SHAPES)
def test_matmul(sx, sy):
    rng = np.random.default_rng(11)
    x, y = rng.normal(size=sx), rng.normal(size=sy)
    check_gradients(lambda a, b: a @ b, x, y)
    check_gradients(lambda a, b: minigrad.matmul(a, b), x, y, requires=[False, True])
    check_second_derivatives(lambda a, b: (a @ b) * (a @ b), x, y)


# ----------------------------------------------------------------------------- shape ops
SHAPE_OPS = {
    "reshape": ((2, 3, 4), lambda x: x.reshape(4, 6)),
    "reshape_tuple_infer": ((2, 3, 4), lambda x: x.reshape((-1, 2))),
    "view": ((2, 3, 4), lambda x: x.view(6, 4)),
    "flatten": ((2, 3, 4), lambda x: x.flatten()),
    "transpose": ((2, 3, 4), lambda x: x.transpose(0, 2)),
    "transpose_neg": ((2, 3, 4), lambda x: x.transpose(-1, -2)),
    "T": ((2, 3), lambda x: x.T),
    "t": ((2, 3), lambda x: x.t()),
    "T_3d": ((2, 3, 4), lambda x: x.T),
    "permute": ((2, 3, 4), lambda x: x.permute(2, 0, 1)),
    "permute_tuple": ((2, 3, 4), lambda x: x.permute((1, 2, 0))),
    "unsqueeze": ((2, 3), lambda x: x.unsqueeze(1)),
    "unsqueeze_neg": ((2, 3), lambda x: x.unsqueeze(-1)),
    "squeeze_all": ((1, 3, 1, 2), lambda x: x.squeeze()),
    "squeeze_dim": ((1, 3, 1, 2), lambda x: x.squeeze(2)),
    "squeeze_noop": ((1, 3, 1, 2), lambda x: x.squeeze(1)),
    "expand": ((3, 1), lambda x: x.expand(2, 3, 4)),
    "expand_minus_one": ((3, 1), lambda x: x.expand(-1, 5)),
    "view_then_transpose_then_reshape": ((2, 3, 4), lambda x: x.view(6, 4).transpose(0, 1).reshape(-1)),
    "expand_then_sum_to_size": ((3, 1), lambda x: x.expand(2, 3, 4).sum_to_size(3, 4)),
}


@pytest.mark.parametrize("name", list(SHAPE_OPS))
def test_shape_op(name):
    shape, f = SHAPE_OPS[name]
    rng = np.random.default_rng(13)
    w = None

    def g(x):
        out = f(x)
        nonlocal w
        if w is None:  # weigh each output element differently so a misplaced gradient shows
            w = minigrad.tensor(rng.normal(size=out.shape))
        return out * w

    check_gradients(g, rng.normal(size=shape))
    check_second_derivatives(lambda x: f(x) ** 2, rng.normal(size=shape))


# ----------------------------------------------------------------------------- indexing
INDEXES = {
    "int": lambda x: x[1],
    "neg_int": lambda x: x[-1],
    "int_int": lambda x: x[1, 2],
    "slice": lambda x: x[1:],
    "slice_step": lambda x: x[::2, 1:3],
    "neg_slice": lambda x: x[:, -2:],
    "ellipsis": lambda x: x[..., 1],
    "none": lambda x: x[None, :, 1],
    "index_list": lambda x: x[[0, 2]],
    "index_repeated": lambda x: x[[0, 0, 2, 0]],
    "index_tensor_repeated": lambda x: x[minigrad.tensor([1, 1, 1])],
    "index_2d_tensor": lambda x: x[minigrad.tensor([[0, 2], [2, 2]])],
    "index_two_arrays": lambda x: x[[0, 1, 1], [2, 2, 0]],
    "index_array_and_slice": lambda x: x[1:, [3, 0, 3]],
    "bool_mask": lambda x: x[x > 0],
    "bool_mask_rows": lambda x: x[minigrad.tensor([True, False, True])],
}


@pytest.mark.parametrize("name", list(INDEXES))
def test_indexing(name):
    rng = np.random.default_rng(17)
    f = INDEXES[name]
    x = away_from(rng.normal(size=(3, 4)))
    check_gradients(lambda t: f(t) * 2.0, x)
    check_second_derivatives(lambda t: f(t) ** 2, x)


def test_repeated_index_accumulates():
    """x[[0, 0, 2]] uses x[0] twice: its gradient is the sum of both uses (hand-derived)."""
    x = minigrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x[[0, 0, 2]] * minigrad.tensor([10.0, 20.0, 30.0])).sum().backward()
    assert x.grad.tolist() == [30.0, 0.0, 30.0]


# ----------------------------------------------------------------------------- joining
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cat(dim):
    rng = np.random.default_rng(19)
    shapes = {0: [(1, 3), (2, 3), (3, 3)], 1: [(2, 1), (2, 2), (2, 3)], -1: [(2, 1), (2, 2), (2, 3)]}[dim]
    arrays = [rng.normal(size=s) for s in shapes]
    check_gradients(lambda a, b, c: minigrad.cat([a, b * 2, c], dim) ** 2, *arrays)
    check_second_derivatives(lambda a, b, c: minigrad.cat((a, b, c), dim=dim) ** 3, *arrays)


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_stack(dim):
    rng = np.random.default_rng(23)
    arrays = [rng.normal(size=(2, 3)) for _ in range(3)]
    check_gradients(lambda a, b, c: minigrad.stack([a, b, c * c], dim) * 3, *arrays)
    check_second_derivatives(lambda a, b, c: minigrad.stack((a, b, c), dim=dim) ** 2, *arrays)


def test_cat_same_tensor_twice():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    minigrad.cat([x, x * 3, x]).sum().backward()
    assert x.grad.tolist() == [5.0, 5.0]


# ----------------------------------------------------------------------------- in place and setitem
INPLACE = {
    "add_": lambda x, y: (x * 1).add_(y) * x,
    "add_alpha": lambda x, y: (x * 1).add_(y, alpha=3) * x,
    "sub_": lambda x, y: (x * 2).sub_(y) * x,
    "mul_": lambda x, y: (x + 0).mul_(y) * x,
    "div_": lambda x, y: (x + 0).div_(y.abs() + 1) * x,
    "iadd": lambda x, y: _iadd(x * 1, y),
    "clamp_": lambda x, y: (x * 1).clamp_(-0.5, 0.5) * y,
    "zero_": lambda x, y: (x * 1).zero_() + y * x,
    "fill_": lambda x, y: (x * 1).fill_(2.0) * y,
    "copy_": lambda x, y: (x * 1).copy_(y * 3) * x,
    "setitem_slice": lambda x, y: _set(x * 1, (slice(0, 1),), y[:1] * 2) * x,
    "setitem_int": lambda x, y: _set(x * 1, 1, y[0]) * x,
    "setitem_number": lambda x, y: _set(x * y, (0, 1), 5.0) * x,
    "setitem_mask": lambda x, y: _set(x * 1, x > 0, 0.0) * y,
    "setitem_index_array": lambda x, y: _set(x * 1, [0, 1], y[1:] * y[1:]) * x,
    "setitem_broadcast_row": lambda x, y: _set(x * 1, (slice(None), 2), y[0, 0]) * x,
}


def _iadd(a, b):
    a += b
    return a


def _set(t, key, value):
    t[key] = value
    return t


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_ops(name):
    rng = np.random.default_rng(29)
    x = away_from(rng.normal(size=(2, 3)), (-0.5, 0.0, 0.5))
    y = rng.normal(size=(2, 3))
    check_gradients(INPLACE[name], x, y)
