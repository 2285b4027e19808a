"""What every lesson's checker module shares: reading an answer, saying the verdict, and showing a solution.

A checker never raises (`@checker` turns any slip of its own into a hint), reads answers that are numbers,
NumPy arrays, minigrad tensors or PyTorch tensors alike, and refuses what it cannot read (a string, `None`,
a bool, an infinite or overflowing number) with a hint instead of guessing.
"""
from __future__ import annotations

import contextlib
import functools
import html
import io
import sys
import traceback
from typing import Callable

import numpy as np

import minigrad


def say(passed: bool, ok: str = "Correct!", hint: str = "") -> None:
    """Print the success message, or the hint: a checker tells, it never raises.

    >>> say(False, hint="Set `answer = ...` first.")
    Not yet: Set `answer = ...` first.
    """
    print(ok if passed else f"Not yet: {hint}")


def checker(function: Callable) -> Callable:
    """Make a checker unable to raise: whatever goes wrong inside becomes a "Not yet" hint.

    The checkers are written to refuse bad answers with a precise hint; this is the net under them, so
    a learner never sees a traceback from a checker (tests count how often the net is needed: never).
    """
    @functools.wraps(function)
    def safe(*args, **kwargs) -> None:
        try:
            function(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - the promise is "never raises"
            say(False, hint=f"the checker could not read this answer ({type(error).__name__}: {error}). "
                            "Set `answer` to what the exercise asks for, then run the cell again.")
    safe.__wrapped_checker__ = True
    return safe


def is_tensor(value) -> bool:
    """A minigrad or PyTorch tensor (anything with the tensor attributes the lessons use)."""
    return all(hasattr(value, name) for name in ("requires_grad", "grad_fn", "detach", "shape"))


def as_array(value) -> "np.ndarray | None":
    """A learner's answer (number, tensor, array, list of numbers) as a finite float64 array; None if it is
    not one: missing, a string, a bool, an object, ragged, infinite/NaN or too large for a float.

    >>> as_array([1, 2.5]).tolist(), as_array("1.5"), as_array(10**400), as_array(float("inf"))
    ([1.0, 2.5], None, None, None)
    """
    if value is None or value is Ellipsis or isinstance(value, (str, bytes, bool, np.bool_)):
        return None
    try:
        if is_tensor(value):
            value = value.detach()
            value = value.cpu() if hasattr(value, "cpu") else value
            value = value.numpy()
        elif isinstance(value, (list, tuple)):
            parts = [as_array(v) for v in value]
            if any(p is None for p in parts):
                return None
            value = parts
        array = np.asarray(value, dtype=np.float64)
    except Exception:  # noqa: BLE001 - unreadable is "no answer", not an error
        return None
    if array.dtype == object or not np.all(np.isfinite(array)):
        return None
    return array


def as_number(value) -> "float | None":
    """One finite number (a Python number or a one-element tensor/array), or None."""
    array = as_array(value)
    return float(array.reshape(())) if array is not None and array.size == 1 else None


def as_whole_number(value) -> "int | None":
    """A whole count: an int (or a float/tensor holding a whole number), or None. 24.5 is not a count."""
    number = as_number(value)
    if number is None or not float(number).is_integer():
        return None
    return int(number)


def gradient_of(tensor) -> "np.ndarray | None":
    """The `.grad` autograd left in `tensor`, as an array; None if `tensor` is not a tensor that required
    grad (so a typed number cannot pass for a gradient autograd computed) or if its .grad is empty."""
    if not is_tensor(tensor) or not tensor.requires_grad:
        return None
    if not getattr(tensor, "is_leaf", True) and not getattr(tensor, "retains_grad", False):
        return None  # a result's .grad stays empty without retain_grad() (reading it would warn)
    if tensor.grad is None:
        return None
    return as_array(tensor.grad)


def is_recorded(tensor) -> bool:
    """Was this tensor made by a recorded (tracked) operation, or does it require grad?"""
    return bool(getattr(tensor, "requires_grad", False)) or getattr(tensor, "grad_fn", None) is not None


def wrong_predictions(answer, rules: dict) -> "list[str] | None":
    """For a predict-then-run exercise: the names in `rules` ({name: (right True/False, why)}) that
    the learner predicted wrongly, in order; None if `answer` is not one True/False per rule."""
    if not isinstance(answer, (tuple, list)) or len(answer) != len(rules) or \
            not all(isinstance(a, (bool, np.bool_)) for a in answer):
        return None
    return [name for name, got in zip(rules, answer) if bool(got) != rules[name][0]]


def check_predictions(answer, rules: dict, asks: str, on_wrong: Callable[[list], str], ok: str) -> None:
    """The verdict on a predict-then-run exercise: the hint `asks` (what to set `answer` to) unless `answer`
    is one True/False per rule; then `ok` if every prediction is right, else the hint `on_wrong(wrong)`,
    `wrong` being the names predicted wrongly, in order.

    >>> rules = {"y.requires_grad": (True, "y = x * 2 with x tracked")}
    >>> check_predictions((False,), rules, "Set `answer` to one True/False value.",
    ...                   lambda wrong: f"{wrong[0]}: {rules[wrong[0]][1]}", ok="Correct!")
    Not yet: y.requires_grad: y = x * 2 with x tracked
    """
    wrong = wrong_predictions(answer, rules)
    if wrong is None:
        say(False, hint=asks)
    elif wrong:
        say(False, hint=on_wrong(wrong))
    else:
        say(True, ok=ok)


def is_the_tensor(answer, values: np.ndarray, not_a_tensor: str, other_values: str) -> bool:
    """For an exercise whose answer is a tensor the exercise made (the checker then reads its .grad): True
    if `answer` is a tensor that requires grad and holds `values`; otherwise says the hint, `not_a_tensor`
    or `other_values`, and returns False.

    >>> is_the_tensor(2.0, np.array([2.0]), "Set `answer = x`, the tensor itself.", "x should be [2.0].")
    Not yet: Set `answer = x`, the tensor itself.
    False
    """
    if not is_tensor(answer) or not answer.requires_grad:
        say(False, hint=not_a_tensor)
        return False
    held = as_array(answer)
    if held is None or held.shape != values.shape or not np.allclose(held, values):
        say(False, hint=other_values)
        return False
    return True


# -- solutions --------------------------------------------------------------------------------------------
# Each lesson module holds SOLUTIONS = {exercise name: code}. The code is self-contained: it rebuilds every
# tensor it uses (so it passes after any attempt of the learner), uses only `torch` and `check` (so it runs
# on minigrad and on PyTorch), and ends with the checker call. A notebook's solution cell holds only
# `check.solution("name")`: nothing to read before running it, nothing shown before a click.


def run_solution(code: str, namespace: dict) -> str:
    """Execute a solution's code in `namespace` and return what it printed (raises if the code fails)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<solution>", "exec"), namespace)  # noqa: S102 - our own code, shown to the learner
    return out.getvalue()


class SolutionView:
    """A solution, folded: JupyterLab shows a "Show the solution" line; a click unfolds the code and what
    running it printed. As text (a terminal), it is the code and the output."""

    def __init__(self, name: str, code: str, output: str):
        self.name, self.code, self.output = name, code, output

    def _repr_html_(self) -> str:
        box = "style='background:#f4f6f8; padding:6px 8px; margin:4px 0; border-left:3px solid #9ab'"
        printed = f"<pre class='minigrad-solution-output' {box}>{html.escape(self.output)}</pre>" if self.output else ""
        return (f"<details class='minigrad-solution'><summary style='cursor:pointer'>Show the solution "
                f"({html.escape(self.name)})</summary><pre class='minigrad-solution-code' {box}><code>"
                f"{html.escape(self.code)}</code></pre>Running it prints:{printed}</details>")

    def __repr__(self) -> str:
        return f"# solution: {self.name}\n{self.code}\n# it prints:\n{self.output}"


def solution_function(module_name: str, solutions: dict) -> Callable:
    """The `solution(name)` of a lesson module whose SOLUTIONS dict is `solutions`."""

    def solution(name: str, insert: bool = False):
        """Show the solution of exercise `name`, folded until you click it; it is run on whichever library
        the notebook imported as `torch`, in a copy of the notebook's variables (yours are left alone).
        `insert=True` also puts its code in a new cell below, to edit and run (JupyterLab)."""
        if name not in solutions:
            known = ", ".join(repr(n) for n in solutions)
            print(f"No solution called {name!r} in this lesson; the exercises are {known}.")
            return None
        code = solutions[name]
        namespace = dict(sys._getframe(1).f_globals)  # the notebook's names, copied: nothing of yours changes
        namespace["check"] = sys.modules[module_name]
        if "torch" not in namespace:  # the set-up cell was not run: use minigrad, as the lessons do
            namespace["torch"] = minigrad
        try:
            output = run_solution(code, namespace)
        except Exception:  # noqa: BLE001 - show what went wrong inside the fold, never a traceback at the top
            output = "The solution failed here:\n" + traceback.format_exc(limit=1)
        if insert:
            with contextlib.suppress(Exception):
                get_ipython().set_next_input(code, replace=False)  # type: ignore[name-defined]  # noqa: F821
        return SolutionView(name, code, output)

    return solution


__all__ = ["say", "checker", "is_tensor", "as_array", "as_number", "as_whole_number", "gradient_of",
           "is_recorded", "wrong_predictions", "check_predictions", "is_the_tensor", "run_solution", "SolutionView", "solution_function"]
