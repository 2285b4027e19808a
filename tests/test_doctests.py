"""The examples in every minigrad module's docstrings run and print what they say.

The package's source is teaching material, and its docstring examples are the first code a reader
tries: they must not rot. Modules are found by walking the package, so a new one is covered too.
"""
from __future__ import annotations

import doctest
import importlib
import pkgutil
import re

import pytest

import minigrad

MODULES = ["minigrad"] + sorted(m.name for m in pkgutil.walk_packages(minigrad.__path__, "minigrad."))
# Modules with nothing for a reader to try: internal helpers whose callers' docstrings show their use.
NO_EXAMPLES = {"minigrad.viz._picture"}


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS, report=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {module} failed (run python -m pytest --doctest-modules {module.replace('.', '/')}.py)"
    if module not in NO_EXAMPLES:
        assert result.attempted > 0, f"{module} has no docstring example: add a tiny one (the brief asks for one on public code)"


def test_the_module_list_is_real():
    # The walk found the package's modules, so the test above is not vacuous.
    assert {"minigrad.tensor", "minigrad.ops", "minigrad.autograd.engine", "minigrad.viz.drawing"} <= set(MODULES)
    assert NO_EXAMPLES <= set(MODULES)


def test_every_operation_states_its_derivative():
    # The brief's rule for minigrad's source: each op's docstring states the formula its backward uses
    # (a derivative such as dz/dx, or for shape ops where the gradient goes), beside its forward.
    from minigrad.autograd import Function

    importlib.import_module("minigrad.nn.functional")
    functions, stack = [], list(Function.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("minigrad."):
            functions.append(cls)
    assert len(functions) > 40  # the walk found the built-in operations
    rule = re.compile(r"d\w*/d\w+|[Tt]he gradient|the gradient's")
    missing = sorted(f"{f.__module__}.{f.__name__}" for f in functions if not rule.search(f.__doc__ or ""))
    assert not missing, f"these operations do not state their derivative in their docstring: {missing}"


def test_the_api_page_is_up_to_date():
    # docs/api.md is generated from the code; a new or changed public name must be regenerated into it.
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, str(root / "docs" / "make_api.py"), "--check"], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (root / "docs" / "api.md").read_text()
    for entry in ("`x.backward(", "`x.shape -> Size`", "`nn.Linear(in_features: int", "`minigrad.viz.draw(",
                  "`optim.SGD(", "`minigrad.no_grad()`"):
        assert entry in page, entry
