"""Re-execute lesson notebooks in place, the way their committed outputs are made (not a test).

    .venv/bin/python tests/refresh_notebooks.py notebooks/03_judicious_tracking.ipynb [more.ipynb ...]

Each notebook runs top to bottom in a fresh kernel (the set-up cell seeds the random numbers), its outputs
are saved, and then the outputs of solution cells (tagged `solution`) are removed: a solution is committed
without output, so nobody sees it before asking for it. Needs nbclient (a test dependency).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

SOLUTION_TAG = "solution"


def strip_solution_outputs(nb) -> int:
    """Empty the outputs of the cells tagged `solution`; returns how many there were."""
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and SOLUTION_TAG in cell.get("metadata", {}).get("tags", []):
            cell.outputs = []
            count += 1
    return count


def refresh(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    solutions = strip_solution_outputs(nb)
    nbformat.write(nb, path)
    print(f"{path}: executed in {seconds:.1f} s (kernel start included), {solutions} solution cell(s) stripped of output")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        refresh(Path(name))
