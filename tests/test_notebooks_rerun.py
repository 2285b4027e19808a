"""Every lesson survives what a room of learners does to it: cells run again, the whole notebook run again
in the same kernel, and solutions asked for after a wrong attempt.

For each notebook, in one kernel: every code cell runs twice in a row (a cell holding only backward()
must rebuild what it walks), then the whole notebook runs a second time; before each solution cell of
that second pass, the exercise's own solution code is run twice in the learner's namespace (a typical
wrong attempt: gradients accumulated by a second backward) and then the answer is set to junk. Each solution
cell must still say "Correct!" (a solution rebuilds what it uses), and no cell may raise.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
SOLUTION = re.compile(r'check\.solution\("(\w+)"\)')

pytestmark = pytest.mark.slow


def _code(source: str):
    return nbformat.v4.new_code_cell(source)


def _html(cell) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in cell.get("outputs", []))


def _errors(cell) -> list[str]:
    return [f"{o.get('ename')}: {o.get('evalue')}" for o in cell.get("outputs", []) if o["output_type"] == "error"]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_cells_and_notebook_rerun_and_solutions_survive_attempts(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code"]
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}})
    ran = {"twice in a row": 0, "second pass": 0, "solutions after a wrong attempt": 0}
    with client.setup_kernel():
        for index, cell in enumerate(cells):                         # pass 1: each cell twice in a row
            for _ in range(2):
                try:
                    client.execute_cell(cell, index)
                except CellExecutionError as error:
                    pytest.fail(f"{path.name}, code cell {index} failed when run again right after itself:\n"
                                f"{cell.source}\n{str(error)[-600:]}")
            ran["twice in a row"] += 1
        for index, cell in enumerate(cells):                         # pass 2: the whole notebook again
            match = SOLUTION.fullmatch(cell.source.strip())
            if match:
                module = re.search(r"lesson_\d\d", "".join(c.source for c in cells[:3])).group(0)
                attempt = _code(f"from minigrad.lessons import {module} as _lesson\n"
                                f"for _ in range(2):\n"
                                f"    exec(_lesson.SOLUTIONS[{match.group(1)!r}], globals())\n"
                                "answer = 'not an answer'")
                client.execute_cell(attempt, len(cells))
                client.execute_cell(cell, index)
                shown = _html(cell)
                assert "<details" in shown and "Correct!" in shown and "Not yet" not in shown and \
                    "failed" not in shown, f"{path.name}: solution {match.group(1)} after a wrong attempt:\n{shown}"
                ran["solutions after a wrong attempt"] += 1
                continue
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as error:
                pytest.fail(f"{path.name}, code cell {index} failed on the notebook's second run in one kernel:\n"
                            f"{cell.source}\n{str(error)[-600:]}")
            ran["second pass"] += 1
    assert ran["twice in a row"] == len(cells)
    assert ran["second pass"] + ran["solutions after a wrong attempt"] == len(cells)
    print(path.name, ran)
