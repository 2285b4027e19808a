"""minigrad's modules load in any order: whichever is imported first, `import minigrad` then works.

Each case starts a fresh interpreter, registers the package without running its __init__, imports one
module first, then runs __init__.py: what `from .X import ...` as the first line of __init__.py would do.
Until stop 11 tensor.py imported autograd.grad_mode at its top (unused), which loaded autograd/function.py,
whose `from ..tensor import Tensor` then found tensor.py half-run, before its `class Tensor`: loading tensor
(or creation, data, ops, nn, optim) first failed with "partially initialized module". An import that a
module needs from one that imports it back goes below the definitions the other side needs, or is used
as `module.name` at call time.
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
    assert result.returncode == 0, result.stderr


def test_the_module_list_covers_the_core():
    assert {"minigrad.tensor", "minigrad.ops", "minigrad.autograd.function", "minigrad.nn.modules"} <= set(MODULES)
