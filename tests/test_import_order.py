"""minigrad's modules load in any order: whichever is imported first, `import minigrad` then works.

Each case starts a fresh interpreter, registers the package without running its __init__, imports one
module first, then runs __init__.py: what `from .X import ...` as the first line of __init__.py would do.
/work/notes/stop11/imports.md (stop 11) traces the one cycle that still breaks this: minigrad.tensor
imports minigrad.autograd.grad_mode at line 23 (unused there), which loads autograd/function.py, whose
`from ..tensor import Tensor` then finds tensor.py half-run, before its `class Tensor`.
"""
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import minigrad

ROOT = Path(__file__).resolve().parents[1]
# Submodules of viz and lessons are loaded after minigrad by construction; the core is what can cycle.
MODULES = sorted(m.name for m in pkgutil.walk_packages(minigrad.__path__, "minigrad.")
                 if not m.name.startswith(("minigrad.viz.", "minigrad.lessons.")))
# Loading tensor.py first (or a module that imports it before autograd: creation, data, the ops package,
# nn, optim) fails today through tensor.py:23, always with this error. Deleting that unused import makes
# every module load first (measured in a copy); then no case xfails and the test guards every order.
KNOWN_CYCLE = "cannot import name 'Tensor' from partially initialized module 'minigrad.tensor'"
TENSOR_LINE = "    from .autograd.grad_mode import is_grad_enabled, no_grad\n"  # tensor.py:23, in the traceback

FIRST = """
import importlib, importlib.util, sys
spec = importlib.util.find_spec("minigrad")
package = importlib.util.module_from_spec(spec)
sys.modules["minigrad"] = package
importlib.import_module(sys.argv[1])
spec.loader.exec_module(package)
import minigrad
x = minigrad.tensor([1.0, 2.0], requires_grad=True)
(x * x).sum().backward()
assert x.grad.tolist() == [2.0, 4.0]
"""


def _loads_first(module: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", FIRST, module], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES)
def test_any_module_can_be_imported_first(module):
    result = _loads_first(module)
    if result.returncode and KNOWN_CYCLE in result.stderr and TENSOR_LINE in result.stderr:
        pytest.xfail("the tensor -> autograd -> function -> tensor cycle through tensor.py:23 (imports.md)")
    assert result.returncode == 0, result.stderr


def test_the_module_list_covers_the_core():
    assert {"minigrad.tensor", "minigrad.ops", "minigrad.autograd.function", "minigrad.nn.modules"} <= set(MODULES)
