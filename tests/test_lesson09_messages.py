"""Lesson 09 prints PyTorch's own error messages, and the same lines on minigrad and on PyTorch.

Every code cell of notebooks/09_autograd_errors.ipynb that makes an error on purpose (it calls the
lesson's `first_sentence(error)`) is run here as the lesson runs it, once with `torch` bound to minigrad
and once to PyTorch 2.13 (skipped without torch). The printed lines must be the notebook's committed
output on minigrad, identical on both libraries, and each printed message must be the start of PyTorch's
own message for that error (so the lesson quotes PyTorch, not minigrad's rewording).
"""
from __future__ import annotations

import ast
import contextlib
import io
import json
import warnings
from pathlib import Path

import pytest

import minigrad

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "09_autograd_errors.ipynb"

# The lines the lesson must print: PyTorch 2.13's wording (its first sentence), one per error it makes.
EXPECTED = [
    "RuntimeError: a leaf Variable that requires grad is being used in an in-place operation",
    "RuntimeError: one of the variables needed for gradient computation has been modified by an inplace operation",
    "RuntimeError: Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed)",
    "RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn",
    "RuntimeError: grad can be implicitly created only for scalar outputs",
    "UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed",
    "TypeError: unsupported operand type(s) for *: 'float' and 'NoneType'",
]


def _cells() -> list[dict]:
    return [c for c in json.loads(NOTEBOOK.read_text())["cells"] if c["cell_type"] == "code"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _first_sentence_function():
    """The lesson's own `first_sentence`, taken from its set-up cell (not a copy of it)."""
    setup = _source(_cells()[0])
    tree = ast.parse(setup)
    (node,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "first_sentence"]
    namespace: dict = {}
    exec(compile(ast.Module([node], type_ignores=[]), str(NOTEBOOK), "exec"), namespace)
    return namespace["first_sentence"]


def _error_cells() -> list[tuple[int, dict]]:
    return [(i, c) for i, c in enumerate(_cells()) if "first_sentence(" in _source(c) and i > 0]


def _committed_stdout(cell: dict) -> str:
    return "".join("".join(o["text"]) for o in cell.get("outputs", [])
                   if o["output_type"] == "stream" and o["name"] == "stdout")


def _run(cell: dict, library) -> tuple[str, list[tuple[str, str]]]:
    """Run one lesson cell with `torch` bound to `library`: what it printed, and for every error or warning
    it passed to first_sentence, the line that made and the full message."""
    lesson_first_sentence = _first_sentence_function()
    seen: list[tuple[str, str]] = []

    def first_sentence(error):
        line = lesson_first_sentence(error)
        seen.append((line, str(error)))
        return line

    namespace = {"torch": library, "warnings": warnings, "first_sentence": first_sentence}
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        exec(compile(_source(cell), f"{NOTEBOOK.name} cell", "exec"), namespace)
    return out.getvalue(), seen


def _printed_messages(stdout: str) -> list[str]:
    return [line.split(" | ")[0] for line in stdout.splitlines()
            if line.split(":")[0] in ("RuntimeError", "UserWarning", "TypeError")]


def test_the_lesson_makes_every_error_and_prints_it_on_minigrad():
    cells = _error_cells()
    assert len(cells) >= 6, "the lesson should make each error in a cell that prints it with first_sentence"
    printed = []
    for index, cell in cells:
        stdout, seen = _run(cell, minigrad)
        assert seen, f"cell {index} printed no error: did the error stop happening?"
        assert stdout == _committed_stdout(cell), f"cell {index}: the committed output is stale"
        printed += _printed_messages(stdout)
    assert sorted(set(printed)) == sorted(EXPECTED)


def test_pytorch_prints_the_same_lines_in_its_own_words():
    torch = pytest.importorskip("torch")
    compared = 0
    for index, cell in _error_cells():
        ours, ours_seen = _run(cell, minigrad)
        theirs, theirs_seen = _run(cell, torch)
        assert ours == theirs, f"cell {index} prints differently on PyTorch:\n{ours}\n---\n{theirs}"
        assert [line for line, _ in ours_seen] == [line for line, _ in theirs_seen]
        for (line, torch_message), (_, our_message) in zip(theirs_seen, ours_seen):
            assert line in theirs.splitlines() or any(printed.startswith(line) for printed in theirs.splitlines())
            sentence = line.split(": ", 1)[1]
            assert torch_message.startswith(sentence), f"not PyTorch's text: {sentence!r} vs {torch_message!r}"
            assert our_message.startswith(sentence), f"minigrad's message does not start with PyTorch's: {our_message!r}"
            compared += 1
    assert compared >= len(EXPECTED) - 1  # the TypeError is printed whole, by Python, not by first_sentence


@pytest.mark.parametrize("message", [m for m in EXPECTED if m.startswith(("RuntimeError", "UserWarning"))])
def test_each_message_appears_in_the_lesson_text(message):
    """Each error's words are in the lesson's prose too (the section heading quotes PyTorch's text)."""
    text = "".join("".join(c["source"]) for c in json.loads(NOTEBOOK.read_text())["cells"]
                   if c["cell_type"] == "markdown")
    words = message.split(": ", 1)[1]
    if words.startswith("The .grad attribute"):
        words = ".grad` is `None"
    elif words.startswith("Trying to backward"):
        words = "Trying to backward through the graph a second time"
    assert words in text


def _printed(cell) -> list[str]:
    """A cell's outputs as text: streams joined per stream name (a kernel may split them), results' text/plain."""
    out: list[str] = []
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream":
            text = "".join(o["text"])
            if out and out[-1].startswith(o["name"] + ":"):
                out[-1] += text
            else:
                out.append(f"{o['name']}:{text}")
        elif o["output_type"] == "error":
            out.append(f"error:{o['ename']}: {o['evalue']}")
        elif "data" in o:
            out.append("data:" + "".join(o["data"].get("text/plain", "")))
    return out


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_whole_lesson_prints_the_same_on_pytorch(monkeypatch):
    """With `import torch` instead of `import minigrad as torch`, every cell whose output nbval compares
    prints what the committed notebook shows (numbers, messages, checker verdicts, drawing summaries)."""
    pytest.importorskip("torch")
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    committed = nbformat.read(NOTEBOOK, as_version=4)
    on_torch = nbformat.read(NOTEBOOK, as_version=4)
    (setup,) = [c for c in on_torch.cells if c.cell_type == "code" and "import minigrad as torch" in c.source]
    setup.source = setup.source.replace("import minigrad as torch", "import torch")
    NotebookClient(on_torch, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    compared = 0
    for index, (ours, theirs) in enumerate(zip(committed.cells, on_torch.cells)):
        if ours.cell_type != "code" or "solution" in ours.metadata.get("tags", []):
            continue
        if "nbval-ignore-output" in ours.metadata.get("tags", []):
            assert not any(o["output_type"] == "error" for o in theirs.outputs), f"cell {index} raised on PyTorch"
            continue
        assert _printed(theirs) == _printed(ours), f"cell {index} prints differently on PyTorch"
        compared += 1
    assert compared >= 25
