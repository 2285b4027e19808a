"""The optimizers update in place (issue #14): after the first step, which makes the state, a step
allocates no new array; and optim does not import nn (issue #13). Correctness against PyTorch for
every option is tests/test_optim.py's; here every option runs again on several parameters of
different shapes and dtypes at once, since the scratch arrays a step writes into are shared by them.
"""
from __future__ import annotations

import ast
import itertools
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import minigrad
from minigrad import optim

GRIDS = [("SGD", dict(lr=[0.05], momentum=[0, 0.9], dampening=[0, 0.5], nesterov=[False, True],
                      weight_decay=[0, 0.1], maximize=[False, True])),
         ("Adam", dict(lr=[0.05], amsgrad=[False, True], weight_decay=[0, 0.1], maximize=[False, True],
                       decoupled_weight_decay=[False, True]))]
OPTIONS = [(name, dict(zip(grid, values))) for name, grid in GRIDS for values in itertools.product(*grid.values())
           if not (values and dict(zip(grid, values)).get("nesterov")
                   and (dict(zip(grid, values))["momentum"] == 0 or dict(zip(grid, values))["dampening"]))]


def _params(L, big: int = 3):
    """A float64 matrix, a float64 vector and a float32 matrix (shapes that differ, two dtypes)."""
    rng = np.random.default_rng(0)
    return [L.tensor(rng.normal(size=(big, big + 1)), dtype=L.float64, requires_grad=True),
            L.tensor(rng.normal(size=big * big // 2), dtype=L.float64, requires_grad=True),
            L.tensor(rng.normal(size=(big - 1, big)).astype(np.float32), requires_grad=True)]


def _set_grads(L, params, k: int):
    for i, p in enumerate(params):
        p.grad = L.tensor(np.cos(np.arange(p.numel()).reshape(tuple(p.shape)) + k + i), dtype=p.dtype)


def test_the_option_grid_is_every_combination():
    assert len(OPTIONS) == 36


@pytest.mark.parametrize("name, kw", OPTIONS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(OPTIONS)])
def test_several_parameters_at_once_match_pytorch_and_grads_are_left_alone(name, kw):
    torch = pytest.importorskip("torch")
    results = {}
    for L in (minigrad, torch):
        params = _params(L)
        opt = getattr(L.optim, name)(params, **kw)
        for k in range(4):
            _set_grads(L, params, k)
            given = [p.grad.detach().numpy().copy() for p in params]
            opt.step()
            for p, g in zip(params, given):  # the step read .grad and did not write into it
                np.testing.assert_array_equal(p.grad.detach().numpy(), g)
        results[L] = [p.detach().numpy() for p in params]
    for mine, theirs in zip(results[minigrad], results[torch]):
        assert mine.dtype == theirs.dtype
        np.testing.assert_allclose(mine, theirs, rtol=1e-6 if mine.dtype == np.float32 else 1e-12, atol=1e-14)


@pytest.mark.parametrize("name, kw", OPTIONS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(OPTIONS)])
def test_a_step_after_the_first_allocates_no_array(name, kw):
    params = _params(minigrad, big=80)  # arrays of 51 KB, 26 KB and 25 KB
    opt = getattr(optim, name)(params, **kw)
    for k in range(2):  # the first step makes the state and the scratch arrays
        _set_grads(minigrad, params, k)
        opt.step()
    _set_grads(minigrad, params, 2)
    before = [p.detach().numpy().copy() for p in params]
    tracemalloc.start()
    try:
        opt.step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert any((p.detach().numpy() != b).any() for p, b in zip(params, before))  # it did step
    smallest = min(p._data.nbytes for p in params)
    # (a few hundred bytes are Python's own: the generator, floats; no array of any parameter's size)
    assert peak < smallest // 4, f"{name} {kw}: a step allocated {peak} bytes at its peak"


def test_the_check_above_sees_an_allocating_update():
    """Not vacuous: the same measurement sees the one temporary of `p -= lr * g` on the large matrix."""
    p = _params(minigrad, big=60)[0]
    g = np.ones_like(p._data)
    tracemalloc.start()
    try:
        p._data -= 0.1 * g
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak >= p._data.nbytes


def test_optim_does_not_import_nn():
    """optim's modules import nothing from minigrad.nn (Module.zero_grad and Optimizer.zero_grad share
    minigrad/_parameters.py instead)."""
    package = Path(optim.__file__).parent
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                target = ("." * node.level) + (node.module or "")
                assert not (target.startswith("..nn") or target.startswith("minigrad.nn")), f"{path.name}: {target}"
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("minigrad.nn") for a in node.names), path.name
