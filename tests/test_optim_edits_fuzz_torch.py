"""Random optimizer programs that change what the optimizer holds between steps, run on minigrad and
on PyTorch (the oracle), outcomes counted.

A step keeps what it found for each param group (its scratch arrays, one entry per parameter: see
Optimizer._plan) and checks it cheaply before using it (issue #14); these programs do, between
steps, what that check must see: a parameter given a new array (p.data = ...), the params list
edited in place (an element replaced, one appended, one taken away, one listed a second time in
its group or in another), a param group added, the
group's settings changed (lr as a float or a 0-dim tensor, momentum, dampening, nesterov, weight
decay, maximize; Adam's betas and eps), the optimizer rebuilt from its state_dict, gradients given
or taken away, zero_grad either way. Compared after every step: the parameters, their version
counters, the gradients; at the end the state and the groups. Bit for bit in the programs whose
numbers are powers of two (see test_optim_fuzz_torch.py, whose tolerance this shares), within a
few units in the last place in the others.
"""
from __future__ import annotations

import random
import warnings

import numpy as np
import pytest

import minigrad
from test_optim_fuzz_torch import POWERS, _options, compare_runs

torch = pytest.importorskip("torch")

PROGRAMS = 120
STEPS = 6
EDITS = ["data", "replace", "append", "remove", "twice", "add group", "settings", "reload", "none"]


def _new_param(L, rng, shape, dtype):
    return L.tensor(rng.normal(size=shape).astype(dtype), requires_grad=True)


def _settings(r: random.Random, name: str, exact: bool) -> dict:
    """New values for some of the group's settings (what a scheduler or a user changes by hand)."""
    pick = (lambda values: r.choice(POWERS)) if exact else r.choice
    if name == "SGD":
        choices = dict(lr=pick([0.05, 0.0, 0.2]), momentum=r.choice([0, 0.5, 0.75]),
                       dampening=r.choice([0, 0.5] if exact else [0, 0.1]),
                       weight_decay=r.choice([0, pick([0.1])]), maximize=r.random() < 0.3)
        changed = {k: v for k, v in choices.items() if r.random() < 0.4}
        changed["nesterov"] = r.random() < 0.3  # (PyTorch checks nesterov's needs only in the constructor)
        if exact and changed["nesterov"]:
            changed["momentum"] = r.choice([0, 0.5])  # (nesterov adds b with alpha=momentum)
        return changed
    choices = dict(lr=r.choice([0.1, 1e-3]), betas=r.choice([(0.9, 0.999), (0.5, 0.9)]), eps=r.choice([1e-8, 1e-3]),
                   weight_decay=r.choice([0, 0.1]), maximize=r.random() < 0.3)
    return {k: v for k, v in choices.items() if r.random() < 0.4}


def _program(L, seed: int) -> dict:
    """Run program `seed` with library L (minigrad or torch); what to compare, as NumPy values."""
    r, rng = random.Random(seed), np.random.default_rng(seed)
    exact = seed % 2 == 0
    name, kw = _options(r, exact)
    kinds = [(r.choice([(), (3,), (4, 5), (0,), (17,)]), r.choice([np.float32, np.float64]))
             for _ in range(r.randint(1, 4))]
    params = [_new_param(L, rng, s, d) for s, d in kinds]
    groups = [{"params": list(params)}]
    make = getattr(L.optim, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt = make(groups, **kw)
    out = {"steps": [], "edits": [], "error": None}
    for step in range(STEPS):
        try:
            _edit_and_step(L, r, rng, opt, make, name, exact, kinds, out)
        except Exception as e:  # (both libraries must fail alike: a rebuild after a parameter went into two groups)
            out["error"] = f"{type(e).__name__}: {e}"
            break
        opt = out.pop("opt")
    state = opt.state_dict() if out["error"] is None else {"state": {}, "param_groups": []}
    out["state"] = {i: {k: np.asarray(v.detach().numpy().copy()) for k, v in s.items()}
                    for i, s in state["state"].items()}
    out["groups"] = [{k: (float(v) if k == "lr" else v) for k, v in g.items()} for g in state["param_groups"]]
    out["name"], out["exact"] = name, exact and name == "SGD"
    return out


def _edit_and_step(L, r, rng, opt, make, name, exact, kinds, out) -> None:
    """One edit (see EDITS), new gradients, one step; its outcome into `out`, the optimizer as out["opt"]."""
    edit = r.choice(EDITS)
    group = opt.param_groups[r.randrange(len(opt.param_groups))]
    every = [p for g in opt.param_groups for p in g["params"]]
    if edit == "data":  # a new array for a parameter, same shape and dtype (p.data = ...)
        p = every[r.randrange(len(every))]
        p.data = L.tensor(rng.normal(size=tuple(p.shape)).astype(str(p.dtype).split(".")[-1]))
    elif edit == "replace" and group["params"]:  # the params list edited in place: same length
        i = r.randrange(len(group["params"]))
        old = group["params"][i]
        group["params"][i] = _new_param(L, rng, tuple(old.shape), str(old.dtype).split(".")[-1])
        opt.state.pop(old, None)  # (see "remove")
    elif edit == "append":
        group["params"].append(_new_param(L, rng, *r.choice(kinds)))
    elif edit == "remove" and len(group["params"]) > 1:  # (its state too: state_dict() numbers only what is listed)
        opt.state.pop(group["params"].pop(r.randrange(len(group["params"]))), None)
    elif edit == "twice":  # a parameter listed again, in its group or another (no warning: only add_param_group checks)
        group["params"].append(every[r.randrange(len(every))])
    elif edit == "add group":
        opt.add_param_group({"params": [_new_param(L, rng, *r.choice(kinds))], "lr": r.choice(POWERS)})
    elif edit == "settings":
        changed = _settings(r, name, exact)
        if "lr" in changed and r.random() < 0.3:
            changed["lr"] = L.tensor(changed["lr"], dtype=r.choice([L.float32, L.float64]))
        group.update(changed)
    elif edit == "reload":  # a fresh optimizer over the same groups, from the state_dict
        saved = opt.state_dict()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opt = make([{**g, "params": list(g["params"])} for g in opt.param_groups])
        opt.load_state_dict(saved)
    every = [p for g in opt.param_groups for p in g["params"]]
    for p in every:
        if r.random() < 0.2:
            p.grad = None
        else:
            dtype = str(p.dtype).split(".")[-1]
            p.grad = L.tensor(rng.normal(size=tuple(p.shape)).astype(dtype) * r.choice([1.0, 1e-3]))
    given = [None if p.grad is None else p.grad.detach().numpy().copy() for p in every]
    opt.step()
    out["edits"].append(edit)
    out["steps"].append(([p.detach().numpy().copy() for p in every], [p._version for p in every],
                         [None if p.grad is None else p.grad.detach().numpy().copy() for p in every], given))
    if r.random() < 0.3:
        opt.zero_grad(set_to_none=r.random() < 0.5)
    out["opt"] = opt


def test_random_edits_between_steps_match_pytorch():
    counts = dict(programs=0, exact_programs=0, errors=0, elements=0, elements_differ=0, worst_ulps=0.0,
                  **{f"edit {e}": 0 for e in EDITS})
    for seed in range(PROGRAMS):
        with np.errstate(all="ignore"):
            mine, theirs = _program(minigrad, seed), _program(torch, seed)
        where = f"program {seed}: {mine['name']}, edits {mine['edits']}"
        assert mine["error"] == theirs["error"], where
        assert mine["edits"] == theirs["edits"] and mine["groups"] == theirs["groups"], where
        compare_runs(mine, theirs, where, counts)
        counts["programs"] += 1
        counts["exact_programs"] += mine["exact"]
        counts["errors"] += mine["error"] is not None
        for e in mine["edits"]:
            counts[f"edit {e}"] += 1
    print(counts)
    # every kind of edit was drawn many times (the counts are what the docstring promises)
    assert counts["programs"] == PROGRAMS and counts["exact_programs"] >= PROGRAMS // 4
    assert counts["errors"] <= PROGRAMS // 10  # (the others ran every step)
    assert all(counts[f"edit {e}"] >= PROGRAMS // 2 for e in EDITS), counts
    assert counts["elements"] > 1000 and counts["elements_differ"] > 0  # (the inexact programs do differ a little)


@pytest.mark.parametrize("make", ["SGD", "Adam"])
def test_a_parameter_detached_in_place_still_steps_as_in_pytorch(make):
    """A tensor detached in place keeps a version counter shared with its views (see
    tensor_autograd.detach_), whose `value` cannot be set directly: the step's version bump finds it."""
    seen = []
    for L in (minigrad, torch):
        p = L.ones(3)
        opt = L.optim.SGD([p], lr=0.5, momentum=0.9) if make == "SGD" else L.optim.Adam([p], lr=0.5)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p.mul_(L.ones(3, requires_grad=True))  # (a non-leaf now; then a leaf again, detached in place)
            p.detach_()
        p.grad = L.ones(3)
        before = p._version
        opt.step()
        opt.step()
        seen.append((p.tolist(), p._version - before))
    assert seen[0] == seen[1] and seen[0][1] == 2
