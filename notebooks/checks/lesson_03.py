"""Checkers for lesson 03 (judicious tracking).

Expected values are recomputed with NumPy; which results are tracked follows the rules the lesson
states. A checker never raises: it prints "Correct! ..." or a hint.
"""
from __future__ import annotations

import numpy as np

from ._lesson_tools import as_array, say, wrong_predictions

X = np.array([1.0, 2.0, 3.0])  # the exercise's x


def untracked_triple(answer) -> None:
    """answer: 3 * x for x = [1, 2, 3] (requires_grad=True), computed without being recorded."""
    got = as_array(answer)
    if got is None:
        say(False, hint="Set `answer` to a tensor holding 3 * x, computed inside `with torch.no_grad():` "
                        "(or from x.detach()).")
    elif got.shape != X.shape or not np.allclose(got, 3 * X):
        say(False, hint=f"The values should be 3 * x = {(3 * X).tolist()}; got {got.tolist()}.")
    elif not hasattr(answer, "requires_grad"):
        say(False, hint="The values are right; now make it a tensor: compute it from x with torch operations.")
    elif answer.requires_grad or getattr(answer, "grad_fn", None) is not None:
        say(False, hint="The values are right but the computation was recorded (requires_grad=True). Compute it "
                        "inside `with torch.no_grad():` or start from x.detach().")
    else:
        say(True, ok="Correct! The same numbers, and no grad_fn: nothing was added to the graph.")


# The exercise's code, with x = torch.ones(3, requires_grad=True):
#   a = x.detach() * 2;   with torch.no_grad(): b = x * 2;   c = x * 2;   d = (x * 2).detach()
_TRACKED = {
    "a": (False, "x.detach() is a new tensor that does not require grad; a is computed from it alone."),
    "b": (False, "inside `with torch.no_grad():` nothing is recorded, whatever the inputs."),
    "c": (True, "after the with block tracking is back on, and x requires grad."),
    "d": (False, "x * 2 is tracked, but .detach() returns a new tensor outside the graph."),
}


def predict_tracked(answer) -> None:
    """answer: (a.requires_grad, b.requires_grad, c.requires_grad, d.requires_grad), predicted."""
    wrong = wrong_predictions(answer, _TRACKED)
    if wrong is None:
        say(False, hint="Set `answer` to four True/False values: (a.requires_grad, b.requires_grad, "
                        "c.requires_grad, d.requires_grad).")
        return
    say(not wrong,
        ok="Correct! Only c is tracked: " + " ".join(f"{name}: {why}" for name, (_, why) in _TRACKED.items()),
        hint=f"{', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} not right. Which of the three ways "
             "(detach, requires_grad_(False), no_grad) applies to each line, and when does it stop applying?")
