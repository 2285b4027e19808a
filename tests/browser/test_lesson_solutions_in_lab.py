"""In JupyterLab, an exercise's solution is out of sight until asked for, and a lesson graph shows every value.

After Run All of lesson 03: the solution cell's source is only `check.solution("...")` (nothing to preview),
its output is a folded "Show the solution" line with the code hidden; one click on it shows the code and
"Correct!". Lesson 01's first drawing shows a value in every box. Screenshots of each state are saved in
tests/browser/screenshots/ (git-ignored; docs/images/lesson_*.png are copies of them).
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from .lab import _PANEL, check_notebook

SCREENSHOTS = Path(__file__).parent / "screenshots"
pytestmark = pytest.mark.browser

CELLS = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell"
SOLUTION = re.compile(r'check\.solution\("(\w+)"\)')


def _clip(page, cells, first: int, last: int) -> dict:
    """The page rectangle covering cells first..last (scrolled into view first)."""
    cells.nth(first).scroll_into_view_if_needed()
    boxes = [cells.nth(i).bounding_box() for i in range(first, last + 1)]
    top, bottom = min(b["y"] for b in boxes), max(b["y"] + b["height"] for b in boxes)
    return {"x": 0, "y": max(0, top - 8), "width": page.viewport_size["width"], "height": bottom - top + 16}


@pytest.mark.timeout(300)
def test_a_solution_is_hidden_until_clicked(lab_server, lab_page):
    page = lab_page
    page.set_viewport_size({"width": 1280, "height": 1400})
    problems = check_notebook(page, lab_server, "notebooks/03_judicious_tracking.ipynb")
    assert not problems, "\n".join(map(str, problems))
    nb = json.loads((Path(lab_server.root) / "notebooks" / "03_judicious_tracking.ipynb").read_text())
    index = max(i for i, c in enumerate(nb["cells"]) if SOLUTION.fullmatch("".join(c["source"]).strip()))
    name = SOLUTION.fullmatch("".join(nb["cells"][index]["source"]).strip()).group(1)
    cells = page.locator(CELLS)
    cell = cells.nth(index)
    cell.scroll_into_view_if_needed()
    page.wait_for_timeout(300)

    assert cell.locator(".jp-InputArea").inner_text().strip().endswith(f'check.solution("{name}")')
    details = cell.locator("details.minigrad-solution")
    assert details.count() == 1 and details.evaluate("d => d.open") is False
    assert "Show the solution" in details.locator("summary").inner_text()
    code = details.locator("pre.minigrad-solution-code")
    assert not code.is_visible() and not cell.get_by_text("Correct!").is_visible()
    clip = _clip(page, cells, index - 3, index)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "lesson_solution_before.png"), clip=clip)

    details.locator("summary").click()
    page.wait_for_timeout(300)
    assert code.is_visible() and "z.backward()" in code.inner_text()
    assert details.locator("pre.minigrad-solution-output").get_by_text("Correct!").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "lesson_solution_after.png"), clip=_clip(page, cells, index - 3, index))


@pytest.mark.timeout(300)
def test_a_lesson_graph_shows_every_value(lab_server, lab_page):
    page = lab_page
    page.set_viewport_size({"width": 1280, "height": 1400})
    problems = check_notebook(page, lab_server, "notebooks/01_derivatives.ipynb")
    assert not problems, "\n".join(map(str, problems))
    nb = page.evaluate(f"() => {_PANEL}.context.model.toJSON()")      # the notebook as run in the page
    index = next(i for i, c in enumerate(nb["cells"]) if "".join(c["source"]).strip() == "viz.draw(s)")
    svg = "".join("".join(o.get("data", {}).get("image/svg+xml", "")) for o in nb["cells"][index]["outputs"])
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", svg)).split())
    for value in ("value 1.5", "value 2.25", "value 0.7781", "grad -1.885", "grad -0.6282", "grad 1"):
        assert value in shown, f"the drawing of s should show {value!r}: {shown!r}"
    output = page.locator(CELLS).nth(index).locator(".jp-OutputArea-output").first
    output.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    SCREENSHOTS.mkdir(exist_ok=True)
    output.screenshot(path=str(SCREENSHOTS / "lesson_graph_values.png"))
