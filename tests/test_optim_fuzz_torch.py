"""Random optimizer programs run on minigrad and on PyTorch (the oracle), outcomes counted.

Each program draws SGD or Adam with random options, a few parameters (float32 and float64, shapes
with 0 elements, 0-dim), one or two param groups with their own settings, lr as a float or a 0-dim
tensor, sometimes a parameter listed twice, and runs several steps in which gradients are given
fresh or taken away, lr is changed, zero_grad runs either way, and the optimizer is sometimes
rebuilt from its state_dict. Compared after every step: the parameters, their version counters,
the gradients (a step reads them, never writes them) and, at the end, the state and the groups.

Bit for bit where PyTorch's order of operations can be followed. PyTorch's `add_(x, alpha=a)`
is one fused multiply-add (one rounding of p + a*x), which NumPy has no ufunc for: its two
roundings give the same number exactly when a*x is exact, so SGD programs whose lr, weight decay,
1 - dampening and (with nesterov) momentum are powers of two must match bit for bit; the others, and
Adam (its lerp_, addcmul_ and addcdiv_ fuse too), are held to a few units in the last place and
counted by how many elements differ at all.
"""
from __future__ import annotations

import random
import warnings

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

PROGRAMS = 160
STEPS = 5
POWERS = [0.5, 0.25, 0.125, 2.0 ** -10]


def _options(r: random.Random, exact: bool) -> tuple[str, dict]:
    if exact or r.random() < 0.5:
        pick = (lambda values: r.choice(POWERS)) if exact else r.choice
        kw = dict(lr=pick([0.1, 0.01, 0.3]), momentum=r.choice([0, 0.9, 0.5, 0.75]),
                  dampening=r.choice([0, 0.5, 0.75] if exact else [0, 0.1, 0.3]), weight_decay=r.choice([0, pick([1e-2, 0.1])]),
                  maximize=r.random() < 0.3)
        kw["nesterov"] = kw["momentum"] > 0 and kw["dampening"] == 0 and r.random() < 0.5
        if kw["nesterov"] and exact:
            kw["momentum"] = r.choice([0.5, 0.75 - 0.25])  # (nesterov adds b with alpha=momentum)
        return "SGD", kw
    return "Adam", dict(lr=r.choice([0.1, 1e-3, 0.5]), betas=r.choice([(0.9, 0.999), (0.75, 0.5), (0.5, 0.9)]),
                        eps=r.choice([1e-8, 1e-3]), weight_decay=r.choice([0, 0.1]), amsgrad=r.random() < 0.5,
                        maximize=r.random() < 0.3, decoupled_weight_decay=r.random() < 0.3)


def _program(L, seed: int) -> dict:
    """Run program `seed` with library L (minigrad or torch); what to compare, as NumPy values."""
    r, rng = random.Random(seed), np.random.default_rng(seed)
    exact = seed % 2 == 0  # half the programs: SGD with powers of two (bit for bit)
    name, kw = _options(r, exact)
    dtypes = [r.choice([np.float32, np.float64]) for _ in range(r.randint(1, 4))]
    shapes = [r.choice([(), (0,), (3,), (4, 5), (2, 0, 3), (33,)]) for _ in dtypes]
    arrays = [rng.normal(size=s).astype(d) for s, d in zip(shapes, dtypes)]
    params = [L.tensor(a, requires_grad=True) for a in arrays]
    listed = params + ([params[0]] if r.random() < 0.2 else [])  # a parameter twice: warns, updated twice
    if r.random() < 0.3:
        kw["lr"] = L.tensor(kw["lr"], dtype=r.choice([L.float32, L.float64]))
    if len(listed) > 2 and len(listed) == len(params) and r.random() < 0.4:
        groups = [{"params": listed[:1]}, {"params": listed[1:], "lr": r.choice(POWERS), "weight_decay": 0}]
    else:
        groups = [{"params": listed}]
    make = getattr(L.optim, name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opt = make(groups, **kw)
    out = {"warnings": sorted(str(w.message) for w in caught), "steps": []}
    for step in range(STEPS):
        for i, p in enumerate(params):
            if r.random() < 0.2:
                p.grad = None
            else:
                scale = r.choice([1.0, 1e-3, 1e3])
                p.grad = L.tensor(rng.normal(size=shapes[i]).astype(dtypes[i]) * scale)
        given = [None if p.grad is None else p.grad.detach().numpy().copy() for p in params]
        if r.random() < 0.25:  # lr changed between steps, as a scheduler does
            opt.param_groups[-1]["lr"] = r.choice(POWERS) if exact else r.choice([0.05, 0.0, 0.2])
        if r.random() < 0.2:  # a fresh optimizer from the state_dict (what resuming training does)
            saved = opt.state_dict()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                opt = make(groups, **kw)
            opt.load_state_dict(saved)
        opt.step()
        out["steps"].append(([p.detach().numpy().copy() for p in params], [p._version for p in params],
                             [None if p.grad is None else p.grad.detach().numpy().copy() for p in params], given))
        if r.random() < 0.3:
            opt.zero_grad(set_to_none=r.random() < 0.5)
    state = opt.state_dict()
    out["state"] = {i: {k: np.asarray(v.detach().numpy().copy()) for k, v in s.items()}
                    for i, s in state["state"].items()}
    out["groups"] = [sorted(k for k in g if k != "params") for g in state["param_groups"]]
    out["name"], out["kw"], out["exact"] = name, kw, exact and name == "SGD"
    return out


def _ulps(a: np.ndarray, b: np.ndarray) -> float:
    """Largest distance between a and b in units in the last place of b's largest finite element (an
    element near 0 after cancellation has a tiny ulp of its own; nan and inf must agree)."""
    if a.size == 0:
        return 0.0
    both = np.isfinite(a) & np.isfinite(b)
    if not np.array_equal(np.isfinite(a), np.isfinite(b)) or not np.array_equal(a[~both], b[~both], equal_nan=True):
        return np.inf
    scale = np.spacing(np.abs(b[both]).max(initial=np.finfo(b.dtype).tiny).astype(b.dtype))
    return float((np.abs(a[both] - b[both]) / scale).max(initial=0.0))


def compare_runs(mine: dict, theirs: dict, where: str, counts: dict) -> None:
    """Assert that one program's run on minigrad (`mine`) is PyTorch's (`theirs`), step by step (see the
    module's docstring); counts elements, and those that differ, at the last step, and the worst ulps."""
    for step, (m, t) in enumerate(zip(mine["steps"], theirs["steps"])):
        (m_params, m_versions, m_grads, m_given), (t_params, t_versions, t_grads, _) = m, t
        assert m_versions == t_versions, f"{where}, step {step}: versions {m_versions} != {t_versions}"
        for g, given in zip(m_grads, m_given):  # the step read .grad and did not write into it
            assert (g is None) == (given is None) and (g is None or np.array_equal(g, given)), where
        assert [g is None for g in m_grads] == [g is None for g in t_grads], where
        for a, b in zip(m_params, t_params):
            assert a.dtype == b.dtype and a.shape == b.shape, where
            if mine["exact"]:
                assert np.array_equal(a, b, equal_nan=True), f"{where}, step {step}: not bit for bit"
            ulps = _ulps(a, b)
            assert ulps <= 64, f"{where}, step {step}: {ulps} ulps from PyTorch: {a} {b}"
            counts["worst_ulps"] = max(counts["worst_ulps"], ulps)
            if step == len(mine["steps"]) - 1:
                counts["elements"] += a.size
                counts["elements_differ"] += int((a != b).sum())
    assert sorted(mine["state"]) == sorted(theirs["state"]), where
    for i, s in theirs["state"].items():
        assert sorted(mine["state"][i]) == sorted(s), where
        for k, v in s.items():
            a = mine["state"][i][k]
            assert a.dtype == v.dtype and a.shape == v.shape, f"{where}: state {i} {k}"
            assert (np.array_equal(a, v, equal_nan=True) if mine["exact"] else _ulps(a, v) <= 64), \
                f"{where}: state {i} {k}"


def test_random_programs_match_pytorch():
    counts = dict(programs=0, exact_programs=0, sgd=0, adam=0, elements=0, elements_differ=0, worst_ulps=0.0)
    for seed in range(PROGRAMS):
        with np.errstate(all="ignore"):
            mine, theirs = _program(minigrad, seed), _program(torch, seed)
        where = f"program {seed}: {mine['name']} {mine['kw']}"
        assert mine["warnings"] == theirs["warnings"], where
        assert mine["groups"] == theirs["groups"], where
        compare_runs(mine, theirs, where, counts)
        counts["programs"] += 1
        counts["exact_programs"] += mine["exact"]
        counts["sgd" if mine["name"] == "SGD" else "adam"] += 1
    print(counts)
    # every kind of program was drawn (the counts are what the docstring promises, not a vacuous pass)
    assert counts["programs"] == PROGRAMS and counts["exact_programs"] >= PROGRAMS // 2 and counts["adam"] >= 20
    assert counts["elements"] > 1000 and counts["elements_differ"] > 0  # (the inexact programs do differ a little)


def test_the_exact_class_is_needed_and_seen():
    """Not vacuous: a non-power-of-two lr makes PyTorch's fused update differ from two roundings
    somewhere, so the exact programs' bit-for-bit check is a real one."""
    rng = np.random.default_rng(0)
    p, g = rng.normal(size=1000).astype(np.float32), rng.normal(size=1000).astype(np.float32)
    fused = torch.from_numpy(p.copy()).add_(torch.from_numpy(g), alpha=-0.1).numpy()
    assert (fused != p + np.float32(-0.1) * g).any()
    fused = torch.from_numpy(p.copy()).add_(torch.from_numpy(g), alpha=-0.125).numpy()
    assert np.array_equal(fused, p + np.float32(-0.125) * g)


GRADS = {  # the kinds of tensor .grad can be, made the same way in both libraries
    "plain": lambda L, p: L.ones(p.shape) * 2,
    "0-size": None,
    "a view": lambda L, p: (L.ones(2, *p.shape) * 3)[1],
    "expanded": lambda L, p: L.tensor(5.0).expand(*p.shape),
    "requires grad": lambda L, p: (L.ones(p.shape) * 4).requires_grad_(),
    "from create_graph": "create_graph",
}


@pytest.mark.parametrize("kind", sorted(GRADS))
@pytest.mark.parametrize("through", ["optimizer", "module"])
def test_zero_grad_keeping_tensors_as_pytorch(kind, through):
    """zero_grad(set_to_none=False): the same .grad tensor, zeros, its version one up, out of any graph."""
    seen = []
    for L in (minigrad, torch):
        layer = L.nn.Linear(3, 2 if kind != "0-size" else 0)
        p = layer.weight
        if GRADS[kind] == "create_graph":
            (layer(L.ones(1, 3)) ** 2).sum().backward(create_graph=True)
        elif GRADS[kind] is None:
            layer(L.ones(1, 3)).sum().backward()
        else:
            p.grad = GRADS[kind](L, p)
        g, version = p.grad, p.grad._version
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (PyTorch's create_graph reference-cycle warning)
            (L.optim.SGD(layer.parameters(), lr=0.1) if through == "optimizer" else layer).zero_grad(set_to_none=False)
        seen.append((p.grad is g, p.grad.tolist(), p.grad._version - version, p.grad.requires_grad,
                     p.grad.grad_fn is None, p.grad.shape == p.shape))
    assert seen[0] == seen[1]
    assert seen[0][0] and not any(np.asarray(seen[0][1]).ravel())


def test_zero_grad_to_none_as_pytorch():
    """zero_grad(): every .grad None, in a group with parameters that never had one."""
    seen = []
    for L in (minigrad, torch):
        a, b = L.ones(2, requires_grad=True), L.ones(3, requires_grad=True)
        (a * 2).sum().backward()
        opt = L.optim.Adam([a, b])
        opt.zero_grad()
        seen.append((a.grad, b.grad, a._version))
    assert seen[0] == seen[1] == (None, None, 0)


@pytest.mark.parametrize("start", [0.0, 2.0 ** 24 - 2, 2.0 ** 24 + 2])
def test_adam_step_count_stops_where_pytorchs_float32_count_does(start):
    """Adam's step count is a float32 tensor: past 2**24 adding 1 no longer changes it (PyTorch's and
    minigrad's alike), and the bias corrections use what it holds."""
    seen = []
    for L in (minigrad, torch):
        w = L.tensor([0.5, -1.5, 2.0], requires_grad=True)
        opt = L.optim.Adam([w], lr=0.1)
        opt.load_state_dict({"state": {0: {"step": L.tensor(start), "exp_avg": L.ones(3) * 0.1,
                                           "exp_avg_sq": L.ones(3) * 0.01}},
                             "param_groups": [{**opt.param_groups[0], "params": [0]}]})
        counts = []
        for _ in range(3):
            w.grad = L.tensor([1.0, -2.0, 0.5])
            opt.step()
            counts.append(opt.state[w]["step"].item())
        seen.append((counts, str(opt.state[w]["step"].dtype).split(".")[-1], w.tolist()))
    assert seen[0] == seen[1]
    assert (seen[0][0][0] == seen[0][0][-1]) == (start > 2 ** 24)  # it stopped counting only past 2**24


@pytest.mark.parametrize("call", ["step", "zero_grad"])
@pytest.mark.parametrize("make", ["SGD", "Adam"])
def test_a_parameter_that_became_a_non_leaf_warns_as_in_pytorch(make, call):
    """The steps and zero_grad read `._grad`, not `.grad`, but a parameter made a non-leaf by an
    in-place op after it was given to the optimizer still gets PyTorch's warning about reading .grad."""
    seen = []
    for L in (minigrad, torch):
        p = L.ones(3)  # (requires_grad=False: an in-place op with a tensor that requires grad makes it a non-leaf)
        opt = getattr(L.optim, make)([p], lr=0.1)
        p.mul_(L.ones(3, requires_grad=True))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            getattr(opt, call)()
        seen.append(([str(w.message).split(".")[0] for w in caught], p.is_leaf))
    assert seen[0] == seen[1] and len(seen[0][0]) == 1 and not seen[0][1]
