"""Every idea of the tutorial is taught by a lesson notebook, and every notebook is committed runnable.

TUTORIAL maps each `tutorial:<id>` cell tag (the fixed list of the notebook conventions) to a short
quote of the seed text it stands for. The quotes are checked against the seed files (whitespace
normalised), so the mapping cannot drift from the tutorial; the tags are checked against the notebooks,
so removing the last cell that teaches an idea fails here, naming the idea.

The seed files live outside the repository (/work/shared/seeds, or $MINIGRAD_SEEDS); without them only
the quote check is skipped.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SEEDS = Path(os.environ.get("MINIGRAD_SEEDS", "/work/shared/seeds"))

# id -> a short quote of the seed text it stands for
TUTORIAL = {
    "definitions": "Rate of change of a function with a single variable w.r.t. its variable",
    "tracking-computations": "x = torch.rand(3, 7, requires_grad=True)",
    "grad-fn": "Whenever a tensor is created by an operation involving a tracked tensor, it has a grad_fun attribute",
    "why-track": "this would be extremely memory intensive",
    "detach": "stop tracking computations on a tensor with the method detach",
    "requires-grad-flag": "You can change its requires_grad flag",
    "no-grad": "Alternatively, you can wrap any code you don’t want to track with with torch.no_grad():",
    "real-predicted": "predicted = torch.rand(3, 8, requires_grad=True)",
    "loss-function": "loss = (predicted - real).pow(2).sum()",
    "manual-derivative": "manual_gradient_predicted = 2.0 * (predicted - real)",
    "automatic-derivative": "auto_gradient_predicted = predicted.grad",
    "same-result": "The result is the same, as can be tested with",
    "backpropagation": "the backward pass following each forward pass and which adjusts the model’s parameters",
    "gd-terminology": "Stochastic gradient descent uses a single example at each iteration",
    "several-variables": "e=2x^4-y^3+3z^2",
    "several-variables-autograd": "we need to define our model parameters with `requires_grad`",
    "several-variables-compare": "The result is the same, as can be tested with",  # the seeds say it twice
    "beyond-first-derivative": "as simple as calling them with the attribute grad once the function "
                               "torch.Tensor.backward() has been run",
    "why-autograd": "imagine how tedious and lengthy it would be to write the chain rules",
}

PICTURE_OR_WIDGET = {"image/svg+xml", "image/png", "application/vnd.jupyter.widget-view+json"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def missing_tutorial_tags(notebook_dir: Path) -> list[str]:
    """The tutorial ids that no cell of any notebook in notebook_dir carries as `tutorial:<id>`."""
    found = {tag for nb in notebook_dir.glob("*.ipynb") for cell in _cells(nb) for tag in _tags(cell)}
    return [name for name in TUTORIAL if f"tutorial:{name}" not in found]


def notebook_problems(path: Path) -> list[str]:
    """What stops this notebook from opening on a kernel and passing nbval as committed."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    kernelspec = nb.get("metadata", {}).get("kernelspec", {})
    if kernelspec.get("name") != "python3" or kernelspec.get("language") != "python":
        problems.append(f"kernelspec is {kernelspec!r}, expected name 'python3', language 'python'")
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    if not code or "import minigrad as torch" not in _source(code[0]):
        problems.append("the first code cell does not `import minigrad as torch`")
    counts = [c.get("execution_count") for c in code]
    if counts != list(range(1, len(code) + 1)):
        problems.append(f"code cells were not all executed once, top to bottom, in one kernel: execution counts "
                        f"{counts}")
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        where = f"cell {i} ({_source(cell).splitlines()[0][:40] if _source(cell) else 'empty'!r})"
        outputs = cell.get("outputs", [])
        errors = [o for o in outputs if o.get("output_type") == "error"
                  or (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        if errors:
            problems.append(f"{where} has an error or stderr output")
        if "solution" in _tags(cell):
            if outputs or not re.fullmatch(r'check\.solution\("\w+"\)\s*', _source(cell)) or \
                    "nbval-ignore-output" not in _tags(cell):
                problems.append(f"{where} is a solution cell: it must hold only check.solution(\"name\"), be tagged "
                                "nbval-ignore-output and be committed without output")
            continue
        if "nbval-ignore-output" in _tags(cell):
            mimes = {m for o in outputs for m in o.get("data", {})}
            prints = any(o.get("output_type") == "stream" for o in outputs)
            draws = bool(mimes & PICTURE_OR_WIDGET) or re.search(r"\b(viz|plt)\.", _source(cell))
            versions = "__version__" in _source(cell)  # versions change from machine to machine
            if not versions and (not draws or prints):
                problems.append(f"{where} is tagged nbval-ignore-output but is not a picture or widget cell "
                                f"(outputs {sorted(mimes) or 'none'}{', and it prints' if prints else ''})")
    return problems


@pytest.mark.parametrize("name", TUTORIAL)
def test_quote_is_in_the_seed(name):
    if not SEEDS.is_dir():
        pytest.skip(f"the tutorial's seed files are not here ({SEEDS}); set MINIGRAD_SEEDS")
    seed = _squash(" ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))))
    assert _squash(TUTORIAL[name]) in seed, f"tutorial:{name}: the quote {TUTORIAL[name]!r} is not in the seeds"


def test_every_tutorial_idea_is_tagged_in_a_notebook():
    missing = missing_tutorial_tags(NOTEBOOKS)
    assert not missing, f"no notebook cell carries the tag(s): {', '.join('tutorial:' + m for m in missing)}"


def test_no_unknown_tutorial_tags():
    used = {tag for nb in NOTEBOOKS.glob("*.ipynb") for cell in _cells(nb) for tag in _tags(cell)
            if tag.startswith("tutorial:")}
    unknown = sorted(used - {f"tutorial:{name}" for name in TUTORIAL})
    assert not unknown, f"tags not in the tutorial id list (typo?): {unknown}"


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_is_committed_runnable(path):
    problems = notebook_problems(path)
    assert not problems, f"{path.name}:\n- " + "\n- ".join(problems)


def test_the_series_is_complete():
    names = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert names == ["00_setup_check", "01_derivatives", "02_tracking", "03_judicious_tracking",
                     "04_calculating_gradients", "05_several_variables", "06_backprop_network", "07_under_the_hood",
                     "08_beyond_the_basics", "09_autograd_errors"]


# The checks above must be able to fail: run them on damaged copies of the notebooks.

def _copy_notebooks(tmp_path: Path) -> Path:
    for nb in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(nb, tmp_path / nb.name)
    return tmp_path


def test_removing_the_only_tag_of_an_idea_is_caught(tmp_path):
    copies = _copy_notebooks(tmp_path)
    target = copies / "03_judicious_tracking.ipynb"
    nb = json.loads(target.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if "tutorial:detach" in tags:
            tags.remove("tutorial:detach")
    target.write_text(json.dumps(nb), encoding="utf-8")
    assert missing_tutorial_tags(copies) == ["detach"]
    assert missing_tutorial_tags(NOTEBOOKS) == []


def test_damaged_notebooks_are_caught(tmp_path):
    source = NOTEBOOKS / "02_tracking.ipynb"
    nb = json.loads(source.read_text(encoding="utf-8"))
    assert notebook_problems(source) == []
    del nb["metadata"]["kernelspec"]
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    code[3]["execution_count"], code[3]["outputs"] = None, []                    # a cell never run
    code[4]["outputs"].append({"output_type": "error", "ename": "NameError", "evalue": "x", "traceback": []})
    code[5].setdefault("metadata", {})["tags"] = ["nbval-ignore-output"]          # hides a compared tensor
    damaged = tmp_path / "damaged.ipynb"
    damaged.write_text(json.dumps(nb), encoding="utf-8")
    problems = "\n".join(notebook_problems(damaged))
    assert "kernelspec" in problems
    assert "execution counts" in problems
    assert "error" in problems
    assert "not a picture or widget cell" in problems
