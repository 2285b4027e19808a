"""Small helpers shared by the lessons' checkers."""
from __future__ import annotations

import numpy as np


def say(passed: bool, ok: str = "Correct!", hint: str = "") -> None:
    """Print the success message, or the hint: a checker tells, it never raises."""
    print(ok if passed else f"Not yet: {hint}")


def as_array(value) -> "np.ndarray | None":
    """A learner's answer (tensor, number, list) as a float64 array; None for a missing answer."""
    if value is None or value is Ellipsis:
        return None
    if hasattr(value, "detach"):
        value = value.detach()
    if hasattr(value, "numpy"):
        value = value.numpy()
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def wrong_predictions(answer, rules: dict) -> "list[str] | None":
    """For a predict-then-run exercise: the names in `rules` ({name: (right True/False, why)}) that
    the learner predicted wrongly, in order; None if `answer` is not one True/False per rule."""
    if not isinstance(answer, (tuple, list)) or len(answer) != len(rules) or \
            not all(isinstance(a, (bool, np.bool_)) for a in answer):
        return None
    return [name for name, got in zip(rules, answer) if bool(got) != rules[name][0]]
