"""Every lesson, run in a real JupyterLab in Chromium the way attendees run it: Run All, then look.

For each notebook: no kernel-selection (or any) dialog, the kernel is this environment's Python, every
code cell runs without error or warning, every drawing shows a real picture, every widget renders and
its slider / step buttons change what it shows.  A screenshot of each notebook after the run is saved in
tests/browser/screenshots/ (git-ignored).
"""
from __future__ import annotations

import json
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
    # a temporary folder under the served root: the checkers come with the installed package (minigrad.lessons)
    folder = Path(tempfile.mkdtemp(prefix="broken-", dir=lab_server.root))
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


@pytest.mark.timeout(300)
def test_blank_pictures_dead_widgets_and_warnings_are_caught(lab_server, lab_page):
    """The page-level checks can fail: a drawing that is a blank box, a slider and a step button that move
    nothing, and a warning on stderr are each reported on their cell, while a live slider and a real plot
    pass."""
    def code(source: str) -> dict:
        return {"cell_type": "code", "source": source, "outputs": [], "execution_count": None, "metadata": {}}

    cells = [
        code("import sys\nimport ipywidgets as w\nimport matplotlib.pyplot as plt\nfrom IPython.display import SVG"),
        code("def draw():  # stands in for a drawing that came out as an empty grey box\n"
             "    return SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"200\">"
             "<rect width=\"300\" height=\"200\" fill=\"#ccc\"/></svg>')\ndraw()"),
        code("slider = w.IntSlider(description='x')\nw.VBox([slider, w.Button(description='next ▶'), "
             "w.Label('nothing moves me')])"),
        code("print('minigrad/viz.py:1: UserWarning: something is off', file=sys.stderr)"),
        code("live = w.IntSlider(description='x')\nlabel = w.Label('x = 0')\n"
             "live.observe(lambda change: setattr(label, 'value', f'x = {change.new}'), names='value')\n"
             "w.VBox([live, label])"),
        code("fig, ax = plt.subplots(figsize=(3, 2))\nax.plot([0, 1, 2], [0, 1, 4])\nplt.show()"),
        code("def draw():  # stands in for a graph too wide for the output area\n"
             "    return SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2000\" height=\"100\">"
             "<rect width=\"1000\" height=\"100\" fill=\"#36c\"/></svg>')\ndraw()"),
    ]
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                      "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    folder = Path(tempfile.mkdtemp(prefix="sick-", dir=lab_server.root))
    (folder / "sick.ipynb").write_text(json.dumps(nb))

    checked: list[str] = []
    problems = check_notebook(lab_page, lab_server, f"{folder.name}/sick.ipynb", checked=checked)

    found = sorted((p.cell, p.message.split(" (")[0].split(":")[0]) for p in problems)
    assert found[:4] == [(1, "shows no rendered picture in the page"),
                         (2, "moving slider 0"), (2, "pressing next ▶ did not change the cell's output"),
                         (3, "printed a warning on stderr")], _report("sick.ipynb", problems)
    assert len(found) == 5 and found[4][0] == 6 and found[4][1].startswith("its picture is 2000 px wide"), found
    assert any(line.startswith("cell 4: slider") for line in checked), checked
    assert any(line.startswith("cell 5: picture") for line in checked), checked


@pytest.mark.timeout(180)
def test_a_kernel_selection_dialog_is_reported(lab_server, lab_page):
    """A notebook asking for a kernel this environment does not have makes JupyterLab ask which kernel to
    use: the checker reports the dialog instead of waiting for a kernel that never comes."""
    nb = {"cells": [{"cell_type": "code", "source": "1 + 1", "outputs": [], "execution_count": None,
                     "metadata": {}}],
          "metadata": {"kernelspec": {"name": "no-such-kernel", "display_name": "Nowhere", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    folder = Path(tempfile.mkdtemp(prefix="nokernel-", dir=lab_server.root))
    (folder / "nokernel.ipynb").write_text(json.dumps(nb))

    problems = check_notebook(lab_page, lab_server, f"{folder.name}/nokernel.ipynb")

    assert len(problems) == 1 and problems[0].cell is None, _report("nokernel.ipynb", problems)
    assert "could not start the kernel: a dialog asked" in str(problems[0]), str(problems[0])
    # JupyterLab's kernel-selection dialog, by its body's words ('Select kernel for: "nokernel.ipynb"'),
    # which every JupyterLab 4 release shows.
    assert 'Select kernel for: "nokernel.ipynb"' in str(problems[0]), str(problems[0])
