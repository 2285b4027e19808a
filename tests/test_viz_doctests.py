"""The examples in minigrad.viz's docstrings run and print what they say."""
from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["minigrad.viz", "minigrad.viz.drawing", "minigrad.viz.stepper",
                                    "minigrad.viz.compare", "minigrad.viz.plots"])
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0, f"{result.failed} docstring example(s) of {module} failed (run pytest --doctest-modules)"
