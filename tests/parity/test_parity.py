"""The differential suite under pytest: one test per category, failing on any outcome that is not
`same` or `clear error, other type` and that the allow-list does not excuse. The counts table is
printed at the end of the run (conftest.py). `-m slow` runs the whole catalogue and 5,000 random programs.
"""
from __future__ import annotations

import pytest

from . import suite

torch = pytest.importorskip("torch")

_CACHE: dict = {}


def _outcomes(full: bool):
    if full not in _CACHE:
        outcomes, seconds = suite.timed_run(torch, 5000 if full else None, 1 if full else None)
        _CACHE[full] = outcomes
        suite.RUNS.append(("whole catalogue, 5000 random programs" if full else "default run", outcomes, seconds))
    return _CACHE[full]


CATEGORIES = ["unary", "dim", "binary", "matmul", "index", "inplace", "creation", "autograd", "nn", "optim", "random",
              "sampling", "names"]


def _check(outcomes, category):
    mine = [o for o in outcomes if o.case.category == category]
    assert mine, f"no programs in category {category}"
    bad = suite.failures(mine)
    assert not bad, f"{len(bad)} of {len(mine)} {category} programs differ from PyTorch:\n" + suite.report(bad, 40)


@pytest.mark.parametrize("category", CATEGORIES)
def test_minigrad_behaves_like_pytorch(category):
    _check(_outcomes(False), category)


@pytest.mark.slow
@pytest.mark.parametrize("category", CATEGORIES)
def test_minigrad_behaves_like_pytorch_everywhere(category):
    _check(_outcomes(True), category)


def test_the_suite_runs_thousands_of_programs_and_every_catalogue_name():
    outcomes = _outcomes(False)
    assert len(outcomes) >= 3000
    names = {(o.case.category, o.case.name) for o in outcomes}
    every = {(c.category, c.name) for c in suite.catalogue_cases(1)}
    assert every <= names, sorted(every - names)[:10]
