"""minigrad against PyTorch on many small random programs: values, gradients, graph flags, dtypes.

Each program is the same Python code run twice, once with `T = torch` and once with `T = minigrad`.
Deliberate difference (listed in docs/architecture.md): minigrad's leaf node is "AccumulateGrad" where
PyTorch says "torch::autograd::AccumulateGrad".
"""
from __future__ import annotations

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

# ------------------------------------------------------------------ the op list: (name, arity, function)
# Each function takes the module T and tensors, and returns a tensor (or None when the shapes do not fit).


def _bcast(a, b):
    try:
        np.broadcast_shapes(tuple(a.shape), tuple(b.shape))
        return True
    except ValueError:
        return False


def _matmul(T, a, b):
    if a.dim() == 0 or b.dim() == 0:
        return None
    inner_b = b.shape[-2] if b.dim() > 1 else b.shape[0]
    if a.shape[-1] != inner_b:
        return None
    if a.dim() > 2 and b.dim() > 2 and not _bcast(a[..., 0, 0], b[..., 0, 0]):
        return None
    return a @ b


def _dim(a, k):
    return None if a.dim() == 0 or a.numel() == 0 else k % a.dim()


UNARY = [
    ("neg", lambda T, a: -a),
    ("exp", lambda T, a: a.tanh().exp()),
    ("log", lambda T, a: (a.abs() + 0.5).log()),
    ("sqrt", lambda T, a: (a * a + 0.1).sqrt()),
    ("abs", lambda T, a: a.abs()),
    ("sin", lambda T, a: T.sin(a)),
    ("cos", lambda T, a: a.cos()),
    ("tanh", lambda T, a: T.tanh(a)),
    ("sigmoid", lambda T, a: a.sigmoid()),
    ("relu", lambda T, a: a.relu()),
    ("scalar_ops", lambda T, a: (a * 2.5 + 1) / 3 - 0.5),
    ("rsub_rdiv", lambda T, a: 1 - 2 / (a.abs() + 1)),
    ("pow_scalar", lambda T, a: a ** 2),
    ("pow_method", lambda T, a: a.pow(3)),
    ("rpow", lambda T, a: 2 ** a.tanh()),
    ("clamp", lambda T, a: a.clamp(-0.5, 0.7)),
    ("clamp_min", lambda T, a: T.clamp(a, min=0.1)),
    ("sum", lambda T, a: a.sum()),
    ("sum_dim", lambda T, a: None if _dim(a, 1) is None else a.sum(_dim(a, 1))),  # (x.sum(None): see below)
    ("sum_keepdim", lambda T, a: None if a.dim() == 0 else a.sum(-1, keepdim=True)),
    ("mean", lambda T, a: a.mean()),
    ("mean_dim", lambda T, a: None if a.dim() == 0 else a.mean(0, keepdim=True)),
    ("max", lambda T, a: a.max() if a.numel() else None),
    ("max_dim", lambda T, a: None if a.dim() == 0 else a.max(_dim(a, 1)).values),
    ("min_dim", lambda T, a: None if a.dim() == 0 or not a.numel() else a.min(0, keepdim=True)[0]),
    ("reshape", lambda T, a: a.reshape(-1)),
    ("view", lambda T, a: a.view(1, -1) if a.dim() else None),
    ("transpose", lambda T, a: a.transpose(0, -1) if a.dim() >= 2 else None),
    ("T", lambda T, a: a.T if a.dim() == 2 else None),
    ("t", lambda T, a: a.t() if a.dim() == 2 else None),
    ("permute", lambda T, a: a.permute(2, 0, 1) if a.dim() == 3 else None),
    ("unsqueeze", lambda T, a: a.unsqueeze(0)),
    ("squeeze", lambda T, a: a.unsqueeze(-1).squeeze(-1)),
    ("expand", lambda T, a: a.unsqueeze(0).expand(2, *a.shape)),
    ("index_int", lambda T, a: a[0] if a.dim() and a.shape[0] else None),
    ("index_slice", lambda T, a: a[1:] if a.dim() and a.shape[0] > 1 else None),
    ("index_repeat", lambda T, a: a[[0, 0, -1]] if a.dim() and a.shape[0] else None),
    ("index_mask", lambda T, a: a[a > 0] if a.dim() else None),
    ("clone", lambda T, a: a.clone()),
    ("square", lambda T, a: a.square()),
    ("norm", lambda T, a: a.norm() if a.numel() else None),
    ("norm_dim", lambda T, a: None if a.dim() == 0 else (a + 3).norm(p=3, dim=-1)),
    ("var", lambda T, a: a.var() if a.numel() > 1 else None),
    ("std_dim", lambda T, a: None if a.dim() == 0 or a.shape[0] < 2 else a.std(0, keepdim=True)),
    ("cumsum", lambda T, a: None if a.dim() == 0 else T.cumsum(a, -1)),
    ("softmax", lambda T, a: None if a.dim() == 0 else a.softmax(-1)),
    ("log_softmax", lambda T, a: None if a.dim() == 0 else T.log_softmax(a, 0)),
    ("masked_fill", lambda T, a: a.masked_fill(a < 0, 0.25)),
    ("to_double", lambda T, a: a.to(T.float64)),
    ("detach", lambda T, a: a.detach()),
    ("no_grad", lambda T, a: _under_no_grad(T, a)),
    ("inplace_mul", lambda T, a: _inplace(T, a)),
    ("setitem", lambda T, a: _setitem(T, a)),
]

BINARY = [
    ("add", lambda T, a, b: a + b if _bcast(a, b) else None),
    ("sub", lambda T, a, b: a - b if _bcast(a, b) else None),
    ("mul", lambda T, a, b: a * b if _bcast(a, b) else None),
    ("div", lambda T, a, b: a / (b.abs() + 1) if _bcast(a, b) else None),
    ("pow", lambda T, a, b: (a.abs() + 0.5) ** b.tanh() if _bcast(a, b) else None),
    ("where", lambda T, a, b: T.where(a > b, a, b) if _bcast(a, b) else None),
    ("maximum", lambda T, a, b: T.maximum(a, b) if _bcast(a, b) else None),
    ("minimum", lambda T, a, b: a.minimum(b) if _bcast(a, b) else None),
    ("matmul", _matmul),
    ("cat", lambda T, a, b: T.cat([a, b], 0) if a.dim() and a.dim() == b.dim() and a.shape[1:] == b.shape[1:] else None),
    ("stack", lambda T, a, b: T.stack([a, b], -1) if a.shape == b.shape else None),
]


def _under_no_grad(T, a):
    with T.no_grad():
        return a * 2


def _inplace(T, a):
    b = a * 1
    b.mul_(3)
    return b


def _setitem(T, a):
    if a.dim() == 0 or a.shape[0] == 0:
        return None
    b = a.clone()
    b[0] = 0.5
    return b


def random_shape(rng):
    return tuple(int(s) for s in rng.integers(1, 4, size=rng.integers(0, 4)))


def make_program(seed: int):
    """A list of steps (op index, operand positions) over 1-3 inputs, and the inputs' shapes."""
    rng = np.random.default_rng(seed)
    n_inputs = int(rng.integers(1, 4))
    base = random_shape(rng)
    shapes = [base] + [tuple(1 if rng.random() < 0.3 else s for s in base[int(rng.integers(0, len(base) + 1)):])
                       for _ in range(n_inputs - 1)]
    if rng.random() < 0.2 and n_inputs > 1:  # a matmul-friendly pair now and then
        k = int(rng.integers(1, 4))
        shapes[0], shapes[1] = (int(rng.integers(1, 4)), k), (k, int(rng.integers(1, 4)))
    inputs = [rng.normal(size=s) for s in shapes]
    requires = [True] + [bool(rng.random() < 0.8) for _ in range(n_inputs - 1)]
    steps = [(int(rng.integers(0, 1 << 30)), int(rng.integers(0, 1 << 30)), int(rng.integers(0, 1 << 30)),
              bool(rng.random() < 0.35)) for _ in range(int(rng.integers(3, 9)))]
    return inputs, requires, steps


def run_program(T, inputs, requires, steps):
    """Run the program on module T; return leaves, all values and the op name of each step."""
    leaves = [T.tensor(a, dtype=T.float64, requires_grad=r) for a, r in zip(inputs, requires)]
    values = list(leaves)
    names = []
    for pick, i, j, binary in steps:
        a, b = values[i % len(values)], values[j % len(values)]
        result = None
        if binary:
            name, fn = BINARY[pick % len(BINARY)]
            result = fn(T, a, b)
        if result is None:
            name, fn = UNARY[pick % len(UNARY)]
            result = fn(T, a)
        if result is None:
            name, result = "identity_mul", a * 1.0
        names.append(name)
        values.append(result)
    return leaves, values, names


def node_name(node) -> str | None:
    if node is None:
        return None
    return node.name().replace("torch::autograd::", "")


def _same_node(t_node, m_node) -> bool:
    """Same PyTorch name (matmul included: minigrad records PyTorch's reshapes around mm/mv/bmm too)."""
    return node_name(t_node) == node_name(m_node)


@pytest.mark.parametrize("chunk", range(8))
def test_random_programs_match_torch(chunk):
    """400 seeded programs of 3-8 ops: values, leaf gradients and every intermediate's flags."""
    checked_grads = 0
    for seed in range(chunk * 50, chunk * 50 + 50):
        inputs, requires, steps = make_program(seed)
        t_leaves, t_values, names = run_program(torch, inputs, requires, steps)
        m_leaves, m_values, m_names = run_program(minigrad, inputs, requires, steps)
        assert names == m_names
        where = f"program {seed}: {names}"
        for k, (tv, mv) in enumerate(zip(t_values, m_values)):
            step = f"{where}, value {k}"
            assert tuple(tv.shape) == tuple(mv.shape), step
            assert str(tv.dtype).replace("torch.", "") == mv.dtype.name, step
            np.testing.assert_allclose(mv._data, tv.detach().numpy(), rtol=1e-10, atol=1e-12, err_msg=step)
            assert tv.requires_grad == mv.requires_grad, step
            assert tv.is_leaf == mv.is_leaf, step
            tn, mn = node_name(tv.grad_fn), node_name(mv.grad_fn)
            assert _same_node(tv.grad_fn, mv.grad_fn), f"{step}: torch {tn}, minigrad {mn}"
            if tv.grad_fn is not None and tn == mn:
                t_next = [n for n, _ in tv.grad_fn.next_functions]
                m_next = [n for n, _ in mv.grad_fn.next_functions]
                assert len(t_next) == len(m_next) and all(map(_same_node, t_next, m_next)), \
                    f"{step} {tn}: torch next {list(map(node_name, t_next))}, minigrad {list(map(node_name, m_next))}"
        t_out, m_out = t_values[-1], m_values[-1]
        if not t_out.requires_grad:
            continue
        weights = np.random.default_rng(seed).normal(size=tuple(t_out.shape))
        (t_out * torch.tensor(weights)).sum().backward()
        (m_out * minigrad.tensor(weights)).sum().backward()
        for tl, ml in zip(t_leaves, m_leaves):
            assert (tl.grad is None) == (ml.grad is None), where
            if tl.grad is not None:
                np.testing.assert_allclose(ml.grad._data, tl.grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=where)
                checked_grads += 1
    assert checked_grads >= 20  # the programs really exercised backward


# ------------------------------------------------------------------ dtype promotion
PROMOTION_CASES = [
    "T.tensor([1, 2]) * 2.5",
    "T.tensor([1, 2]) * 2",
    "T.tensor([1, 2]) + True",
    "T.tensor([1.0, 2.0]) + T.tensor([1.0], dtype=T.float64)",
    "T.tensor([1.0, 2.0]) + T.tensor(1.0, dtype=T.float64)",
    "T.tensor(1.0, dtype=T.float64) + T.tensor([1, 2])",
    "T.tensor([1, 2]) / T.tensor([2, 2])",
    "T.tensor([1, 2]) / 2",
    "T.tensor([1, 2]) + T.tensor(2.5, dtype=T.float64)",
    "T.tensor([1.0, 2.0], dtype=T.float64) * 2.5",
    "T.tensor([True, False]) + T.tensor([True, True])",
    "T.tensor([True, False]) * 1.5",
    "T.tensor([True, False]) + 1",
    "2.5 * T.tensor([1, 2])",
    "1 - T.tensor([1, 2])",
    "1.5 - T.tensor([1, 2])",
    "2 / T.tensor([1, 2])",
    "T.tensor([1, 2]) ** 2",
    "T.tensor([1, 2]) ** 0.5",
    "2 ** T.tensor([1, 2])",
    "2.0 ** T.tensor([1, 2])",
    "T.tensor([4.0, 9.0], dtype=T.float64).sqrt()",
    "T.tensor([1, 2]).exp()",
    "T.tensor([1, 2]).sum()",
    "T.tensor([True, True]).sum()",
    "T.tensor([1, 2]).float().mean()",
    "T.tensor([1, 2]).abs()",
    "-T.tensor([1, 2])",
    "T.tensor([1, 2]).clamp(0, 1)",
    "T.tensor([[1, 2]]) @ T.tensor([[1], [2]])",
    "T.where(T.tensor([True, False]), T.tensor([1, 2]), 0.5)",
    "T.cat([T.tensor([1]), T.tensor([1.5])])",
    "T.stack([T.tensor([1.0]), T.tensor([1.5], dtype=T.float64)])",
    "T.tensor([1, 2]) > 1.5",
    "T.tensor(3).to(T.float32) * T.tensor([1.0], dtype=T.float64)",
    "T.ones(2) + T.zeros(2, dtype=T.int64)",
    "T.arange(3) * 1.0",
    "T.arange(0, 1, 0.5)",
    "T.tensor(2) * T.tensor([1.5])",
    "T.tensor([2]) * T.tensor(1.5, dtype=T.float64)",
]


@pytest.mark.parametrize("expr", PROMOTION_CASES)
def test_dtype_promotion(expr):
    t = eval(expr, {"T": torch})
    m = eval(expr, {"T": minigrad})
    assert str(t.dtype).replace("torch.", "minigrad.") == repr(m.dtype), expr
    assert tuple(t.shape) == tuple(m.shape)
    np.testing.assert_allclose(m._data.astype(np.float64), t.numpy().astype(np.float64), rtol=1e-6)


def test_float32_computation_stays_float32_and_matches():
    """float32 results match PyTorch to float32 precision (python numbers do not upcast)."""
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 4)).astype(np.float32)
    for T in (torch, minigrad):
        x = T.tensor(a, requires_grad=True)
        y = ((x * 0.1 + 2.0) ** 2).tanh().sum()
        y.backward()
        if T is torch:
            ty, tg = y.detach().numpy(), x.grad.numpy()
        else:
            assert y.dtype is minigrad.float32 and x.grad.dtype is minigrad.float32
            np.testing.assert_allclose(y._data, ty, rtol=1e-5)
            np.testing.assert_allclose(x.grad._data, tg, rtol=1e-4, atol=1e-6)


def _second_derivatives(T, inputs, requires, steps, seed):
    """Gradients of the program's output w.r.t. its leaves (create_graph=True), then the gradient of the
    sum of their squares: what each first gradient requires, and the second-order values."""
    leaves, values, _ = run_program(T, inputs, requires, steps)
    out = values[-1]
    if not out.requires_grad:
        return None
    weights = T.tensor(np.random.default_rng(seed).normal(size=tuple(out.shape)))
    wanted = [leaf for leaf in leaves if leaf.requires_grad]
    first = T.autograd.grad((out * weights).sum(), wanted, create_graph=True, allow_unused=True)
    flags = [None if g is None else g.requires_grad for g in first]
    tracked = [g for g in first if g is not None and g.requires_grad]
    if not tracked:
        return flags, None
    total = sum((g * g).sum() for g in tracked)
    second = T.autograd.grad(total, wanted, allow_unused=True)
    as_array = (lambda g: g.detach().numpy(force=True)) if T is torch else (lambda g: g.numpy())
    return flags, [None if g is None else as_array(g) for g in second]


def test_random_programs_second_derivatives_match_torch():
    """200 seeded programs differentiated twice (create_graph=True): the same first gradients keep
    a graph, and the second-order gradients agree. (This found relu's gradient falling out of the graph.)"""
    compared = 0
    for seed in range(200):
        inputs, requires, steps = make_program(seed)
        t = _second_derivatives(torch, inputs, requires, steps, seed)
        m = _second_derivatives(minigrad, inputs, requires, steps, seed)
        assert (t is None) == (m is None), seed
        if t is None:
            continue
        assert t[0] == m[0], f"program {seed}: which first gradients keep a graph: torch {t[0]}, minigrad {m[0]}"
        if t[1] is None:
            continue
        for tg, mg in zip(t[1], m[1]):
            assert (tg is None) == (mg is None), seed
            if tg is not None:
                np.testing.assert_allclose(mg, tg, rtol=1e-7, atol=1e-9, err_msg=f"program {seed}")
                compared += 1
    assert compared >= 50  # the programs really reached second order
