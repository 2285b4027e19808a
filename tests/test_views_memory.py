"""Views and memory, against PyTorch on generated programs: what shares memory, what a write reaches,
version counters, contiguity and strides, and views made under no_grad.

Each program is one Python function run twice, with `T = torch` and with `T = minigrad`; what it
observes (values, shapes, flags, the error raised) must be the same. The generators draw many keys,
shapes and chains of view ops from a seeded random source, and each test counts its outcomes.
"""
from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")


def observe(T, program, *args):
    """What `program(T, ...)` shows: its list of observations, or the error it raised (type and text)."""
    try:
        return ("ok", program(T, *args))
    except Exception as e:  # both libraries are expected to raise the same type with the same words
        return ("error", type(e).__name__, str(e))


def values(t) -> tuple:
    """A tensor as comparable plain data (shape, dtype name, values)."""
    return tuple(t.shape), str(t.dtype).split(".")[-1], t.detach().numpy().tolist()


def maybe_values(t):
    return None if t is None else values(t)


def compare_all(cases, program) -> Counter:
    """Run `program` on every case with both libraries; return the outcome counts and the differences."""
    counts, differences = Counter(), []
    for case in cases:
        mine, theirs = observe(minigrad, program, *case), observe(torch, program, *case)
        if mine == theirs:
            counts["same, " + mine[0]] += 1
        else:
            counts["different"] += 1
            differences.append((case, mine, theirs))
    print(dict(counts))
    assert not differences, "\n".join(f"{c}:\n  minigrad {m}\n  torch    {t}" for c, m, t in differences[:5])
    return counts


# ------------------------------------------------------------------ generators
def random_shape(rng: random.Random) -> tuple:
    return tuple(rng.randint(1, 4) for _ in range(rng.randint(0, 3)))


def random_basic_key(rng: random.Random, shape: tuple):
    """A basic index (ints, slices, None, Ellipsis) that fits `shape`."""
    parts, dim = [], 0
    ellipsis_used = False
    while dim < len(shape) and rng.random() < 0.8:
        kind = rng.choice(["int", "slice", "none", "ellipsis"])
        if kind == "int":
            parts.append(rng.randint(-shape[dim], shape[dim] - 1))
            dim += 1
        elif kind == "slice":
            start = rng.choice([None, rng.randint(-shape[dim], shape[dim])])
            stop = rng.choice([None, rng.randint(-shape[dim], shape[dim])])
            parts.append(slice(start, stop, rng.choice([None, 1, 2, 3])))
            dim += 1
        elif kind == "none":
            parts.append(None)
        elif not ellipsis_used:
            parts.append(Ellipsis)
            ellipsis_used = True
            dim = len(shape)  # the rest of the dimensions: nothing more may follow that needs one
    if rng.random() < 0.3 and not ellipsis_used:
        parts.append(Ellipsis)
    if len(parts) == 1 and rng.random() < 0.5:
        return parts[0]
    return tuple(parts)


def basic_key_cases(n: int, seed: int):
    rng = random.Random(seed)
    cases = []
    for _ in range(n):
        shape = random_shape(rng)
        if not shape:
            shape = (rng.randint(1, 4),)
        key = random_basic_key(rng, shape)
        cases.append((shape, key, random_basic_key(rng, shape) if rng.random() < 0.5 else None))
    return cases


VIEW_OPS = {
    "t": lambda x: x.t(),
    "transpose": lambda x: x.transpose(0, -1),
    "permute": lambda x: x.permute(*reversed(range(x.dim()))),
    "unsqueeze": lambda x: x.unsqueeze(0),
    "squeeze": lambda x: x.squeeze(),
    "view": lambda x: x.view(-1),
    "reshape": lambda x: x.reshape(-1),
    "expand": lambda x: x.expand(2, *x.shape),
    "slice": lambda x: x[..., ::2],
    "select": lambda x: x[0],
    "index": lambda x: x[[0]],
    "contiguous": lambda x: x.contiguous(),
    "detach": lambda x: x.detach(),
    "data": lambda x: x.data,
    "T": lambda x: x.T if x.dim() == 2 else x.t() if x.dim() < 2 else x.permute(*reversed(range(x.dim()))),
}


def chain_cases(n: int, seed: int):
    rng = random.Random(seed)
    return [(random_shape(rng) or (3,), tuple(rng.choice(sorted(VIEW_OPS)) for _ in range(rng.randint(1, 3))))
            for _ in range(n)]


# ------------------------------------------------------------------ programs
def index_then_write(T, shape, key, second_key):
    """Basic indexing is a view: writing into the result reaches the base (and shares its versions)."""
    a = T.arange(float(np.prod(shape))).reshape(shape)
    s = a[key]
    if second_key is not None:
        try:
            s = s[second_key]
        except IndexError:
            return ["second key does not fit"]
    before = s._version
    s += 3
    return [values(a), values(s), s._version - before, a._version - before, s.is_contiguous(),
            [st for st, n in zip(s.stride(), s.shape) if n > 1]]


def chain_then_write(T, shape, ops):
    """A chain of view ops, then contiguity, strides and a write: does it reach the base?"""
    a = T.arange(float(np.prod(shape))).reshape(shape)
    x, seen = a, []
    for name in ops:
        x = VIEW_OPS[name](x)
        seen.append((name, tuple(x.shape), x.is_contiguous()))
    c = x.contiguous()
    seen.append(("contiguous() is itself", c is x, c.is_contiguous(), values(c)))
    flat = c.view(-1)
    flat += 100
    seen.append(values(a))
    x.add_(1)
    seen.append(values(a))
    seen.append([st for st, n in zip(x.stride(), x.shape) if n > 1])
    return seen


def no_grad_view(T, shape, ops, write_in_no_grad, second_in_grad_mode, leaf_is_a_view):
    """Views made under no_grad of a tensor that requires grad: flags, gradients, and in-place rules.
    The leaf is a fresh tensor, or itself a view of one that does not require grad (PyTorch then
    follows the view to that tensor)."""
    x = T.arange(1.0, float(np.prod(shape)) + 1).reshape(shape)
    x = x.requires_grad_() if leaf_is_a_view else T.tensor(x.numpy(), requires_grad=True)
    seen = []
    with T.no_grad():
        v = VIEW_OPS[ops[0]](x)
    seen.append((v.requires_grad, v.is_leaf, v.grad_fn is None))
    if second_in_grad_mode and len(ops) > 1:
        v = VIEW_OPS[ops[1]](v)
        seen.append((v.requires_grad, v.is_leaf, v.grad_fn is None))
    if v.requires_grad:
        (v * 2).sum().backward()
        seen.append((maybe_values(x.grad), maybe_values(v.grad) if v.is_leaf else "non-leaf"))
    if write_in_no_grad:
        with T.no_grad():
            v.add_(1)
    else:
        v.add_(1)
    seen.append(values(x))
    return seen


# ------------------------------------------------------------------ tests
def test_basic_indexing_is_a_view_for_every_basic_key():
    counts = compare_all(basic_key_cases(400, seed=1), index_then_write)
    assert counts["same, ok"] > 300  # most generated keys fit; the rest raise the same error in both


def test_chains_of_views_share_memory_and_contiguous_copies_do_not():
    counts = compare_all(chain_cases(300, seed=2), chain_then_write)
    assert counts["same, ok"] > 100


def test_views_made_under_no_grad_of_a_tensor_that_requires_grad():
    rng = random.Random(3)
    cases = [(random_shape(rng) or (3,), (rng.choice(sorted(VIEW_OPS)), rng.choice(sorted(VIEW_OPS))),
              rng.random() < 0.3, rng.random() < 0.5, rng.random() < 0.2) for _ in range(400)]
    counts = compare_all(cases, no_grad_view)
    assert counts["same, error"] > 50 and counts["same, ok"] > 30  # both refusals and allowed writes were seen


def test_the_no_grad_view_refusals_in_pytorch_words():
    x = minigrad.ones(2, 2, requires_grad=True)
    with minigrad.no_grad():
        v = x[0]
    assert (v.requires_grad, v.is_leaf, v.grad_fn) == (True, True, None)
    with pytest.raises(RuntimeError, match=r"^A view was created in no_grad mode and is being modified inplace"):
        v += 1
    with pytest.raises(RuntimeError, match=r"^Output 0 of Slice is a view of a view which was created in no_grad"):
        v[0:1].add_(1)
    assert x.tolist() == [[1.0, 1.0], [1.0, 1.0]]  # nothing was written
    with minigrad.no_grad():
        v += 1  # both under no_grad: allowed, and it reaches x
    assert x.tolist() == [[2.0, 2.0], [1.0, 1.0]]


def test_contiguous_copies_a_transposed_tensor_and_returns_a_contiguous_one_itself():
    a = minigrad.arange(4.0).reshape(2, 2)
    c = a.t().contiguous()
    assert c.is_contiguous() and not a.t().is_contiguous() and a.contiguous() is a
    c.view(4)[0] = 50.0
    assert a.tolist() == [[0.0, 1.0], [2.0, 3.0]]
    x = minigrad.ones(2, 3, requires_grad=True)
    assert x.t().contiguous().grad_fn.name() == "CloneBackward0"
    assert x.t().stride() == (1, 3)


def test_integer_indexing_of_a_vector_is_a_view_with_the_shared_version_counter():
    a = minigrad.tensor([1.0, 2.0, 3.0])
    s = a[1]
    s += 3
    assert a.tolist() == [1.0, 5.0, 3.0] and s._version == a._version == 1


def test_writing_into_an_expanded_tensor_that_repeats_elements_is_refused():
    e = minigrad.ones(3, 1).expand(3, 4)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor refers to a single"):
        e += 1
    a = minigrad.ones(3, 1)
    a.expand(3, 1).add_(1)  # expanded to its own shape: nothing repeats, the write reaches a
    assert a.tolist() == [[2.0], [2.0], [2.0]]


def test_random_like_fills_in_the_memory_order_of_a_permuted_tensor():
    """rand_like / randn_like of a transposed or permuted tensor: PyTorch fills it in memory order
    (preserve_format), and a non-contiguous normal is made pair by pair."""
    rng = random.Random(5)
    cases = []
    for _ in range(60):
        shape = tuple(rng.randint(1, 5) for _ in range(rng.randint(1, 3)))
        perm = list(range(len(shape)))
        rng.shuffle(perm)
        cases.append((shape, tuple(perm), rng.choice(["rand_like", "randn_like"]), rng.choice(["float32", "float64"]),
                      rng.randint(0, 99)))

    def program(T, shape, perm, fn, dtype, seed):
        x = T.zeros(shape).permute(*perm)
        T.manual_seed(seed)
        out = getattr(T, fn)(x, dtype=getattr(T, dtype))
        return [tuple(out.shape), np.round(out.numpy().astype(np.float64), 5).tolist()]
    counts = compare_all(cases, program)
    assert counts["same, ok"] == 60


def test_fills_and_whole_tensor_assignments_record_pytorchs_nodes():
    """fill_(number) FillBackward2, fill_(0-dim tensor) and x[...] = v / x[:] = v FillBackward3, zero_()
    ZeroBackward0, x[0] = v CopySlices: node names, values and both gradients, against PyTorch."""
    forms = ["y.fill_(2.0)", "y.fill_(w)", "y.zero_()", "y[...] = 2.0", "y[:] = w", "y[...] = w", "y[0] = 2.0",
             "y[0] = w"]
    cases = [(form, shape) for form in forms for shape in [(3,), (2, 3)]]

    def program(T, form, shape):
        x = T.arange(1.0, float(np.prod(shape)) + 1).reshape(shape).requires_grad_()
        w = T.tensor(5.0, requires_grad=True)
        y = x * 1
        exec(form, {"y": y, "w": w})
        y.sum().backward()
        name = y.grad_fn.name().replace("torch::autograd::", "")
        return [name, values(y), values(x.grad), None if w.grad is None else values(w.grad)]
    counts = compare_all(cases, program)
    assert counts["same, ok"] == len(cases)
