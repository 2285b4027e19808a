"""One lesson notebook runs on its own, with only the installed project: no checkout, no notebooks/ folder.

As a learner who downloaded one notebook (or a hub that copies one file) would run it: the project is built
into a wheel from a copy of its sources, the wheel is installed with `pip install --no-deps --target` into
an empty folder, and the notebook, copied alone into another empty folder outside the repository, is
executed there (nbclient) by this environment's Python with PYTHONPATH pointing at the installed wheel only.
The notebook first proves it imports minigrad from the wheel, not from the checkout.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "notebooks" / "03_judicious_tracking.ipynb"   # checker, solutions, drawings: all it needs

pytestmark = pytest.mark.slow

RUN = """
import json, sys
import nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
nb.cells.insert(0, nbformat.v4.new_code_cell(
    "import minigrad, minigrad.lessons\\n"
    "assert minigrad.lessons.__file__.startswith(%r), minigrad.lessons.__file__\\n"
    "print('minigrad from', minigrad.__file__)"))
NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o["output_type"] == "error"]
print(json.dumps({"cells": sum(c.cell_type == "code" for c in nb.cells), "errors": len(errors),
                  "first": nb.cells[0].outputs[0]["text"]}))
"""


@pytest.mark.timeout(600)
def test_one_notebook_runs_alone_from_the_wheel(tmp_path):
    source = tmp_path / "source"                       # a copy: building must not write into the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "minigrad", source / "minigrad", ignore=shutil.ignore_patterns("__pycache__"))
    wheels, site = tmp_path / "wheels", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(source)],
                   check=True, cwd=tmp_path)
    (wheel,) = wheels.glob("minigrad-*.whl")
    subprocess.run(pip + ["install", "--no-deps", "--target", str(site), str(wheel)], check=True, cwd=tmp_path)
    assert (site / "minigrad" / "lessons" / "lesson_03.py").is_file()

    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(LESSON, alone / LESSON.name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP")}
    env["PYTHONPATH"] = str(site)
    result = subprocess.run([sys.executable, "-c", RUN % str(site), LESSON.name], cwd=alone, env=env,
                            capture_output=True, text=True, timeout=500)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == 0 and report["cells"] > 10, report
    assert str(site) in report["first"] and str(ROOT) not in report["first"], report
    assert sorted(p.name for p in alone.iterdir()) == [LESSON.name]   # nothing else was needed next to it
