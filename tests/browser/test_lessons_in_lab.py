"""Every lesson, run in a real JupyterLab in Chromium the way attendees run it: Run All, then look.

For each notebook: no kernel-selection (or any) dialog, the kernel is this environment's Python, every
code cell runs without error or warning, every drawing shows a real picture, every widget renders and
its slider / step buttons change what it shows.  A screenshot of each notebook after the run is saved in
tests/browser/screenshots/ (git-ignored).
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from .conftest import CHECKED
from .lab import NOTEBOOKS, Problem, check_notebook, model_problems

SCREENSHOTS = Path(__file__).parent / "screenshots"
# globbed at collection time: lessons appear as they are written
LESSONS = sorted(NOTEBOOKS.glob("*.ipynb"))

pytestmark = pytest.mark.browser


def _report(name: str, problems: list[Problem]) -> str:
    return f"{name}: {len(problems)} problem(s) in JupyterLab:\n" + "\n".join(f"  - {p}" for p in problems)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_in_jupyterlab(lesson: Path, lab_server, lab_page):
    checked: list[str] = []
    problems = check_notebook(lab_page, lab_server, f"notebooks/{lesson.name}",
                              screenshot=SCREENSHOTS / f"{lesson.stem}.png", checked=checked)
    CHECKED[lesson.name] = checked
    assert not problems, _report(lesson.name, problems)
    assert (SCREENSHOTS / f"{lesson.stem}.png").stat().st_size > 10_000


@pytest.mark.timeout(300)
def test_a_broken_copy_fails_naming_the_cell(lab_server, lab_page):
    """Insert `1/0` in one cell of a copy of the smallest lesson: the checker names that cell, and only it."""
    if not LESSONS:
        pytest.skip("no notebooks in notebooks/ yet")
    lesson = min(LESSONS, key=lambda p: p.stat().st_size)
    nb = json.loads(lesson.read_text())
    code = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    broken = code[min(2, len(code) - 1)]  # the third code cell: past the imports, early enough to be quick
    source = "".join(nb["cells"][broken]["source"])
    nb["cells"][broken]["source"] = "1/0\n" + source
    # a temporary folder under the served root, with the lesson's helpers next to it as in notebooks/
    folder = Path(tempfile.mkdtemp(prefix="broken-", dir=lab_server.root))
    if (NOTEBOOKS / "checks").is_dir():
        shutil.copytree(NOTEBOOKS / "checks", folder / "checks")
    (folder / lesson.name).write_text(json.dumps(nb))

    problems = check_notebook(lab_page, lab_server, f"{folder.name}/{lesson.name}")

    errors = [p for p in problems if "ZeroDivisionError" in p.message]
    assert [p.cell for p in errors] == [broken], _report(lesson.name, problems)
    assert all(p.cell is not None and p.cell >= broken for p in problems), _report(lesson.name, problems)
    message = str(errors[0])
    assert lesson.name in message and f"cell {broken}" in message and "1/0" in message, message


def test_model_checks_catch_what_the_browser_would_show():
    """The model-level rules on a hand-made notebook: a drawing without picture, a warning on stderr,
    a cell Run All never reached, compare() without its table; and a healthy notebook passes."""
    def code(source, outputs=(), count=1):
        return {"cell_type": "code", "source": source, "outputs": list(outputs), "execution_count": count}

    svg = {"output_type": "display_data", "data": {"image/svg+xml": "<svg/>", "text/plain": "<Drawing>"}}
    text = {"output_type": "execute_result", "data": {"text/plain": "<minigrad.viz.Drawing>"}}
    html = {"output_type": "execute_result", "data": {"text/html": "<table/>", "text/plain": "ok"}}
    warning = {"output_type": "stream", "name": "stderr", "text": "minigrad/x.py:3: UserWarning: careful\n"}
    healthy = {"cells": [code("viz.draw(e)", [svg]), code("viz.compare(a, b)", [html]),
                         {"cell_type": "markdown", "source": "viz.draw(e)"}, code("", count=None)]}
    assert model_problems("ok.ipynb", healthy) == []

    sick = {"cells": [code("import minigrad"), code("viz.draw(e)", [text]), code("x.grad", [warning]),
                      code("viz.compare(a, b)", [text]), code("plt.show()", count=None)]}
    found = {(p.cell, p.message.split(",")[0].split(":")[0]) for p in model_problems("sick.ipynb", sick)}
    assert found == {(1, "draws"), (2, "printed a warning on stderr"), (3, "calls compare()"),
                     (4, "was not executed by Run All")}
