"""Checkers for lesson 02 (tracking computations): `from minigrad.lessons import lesson_02 as check`.

The expected answers follow the rules the lesson states: a result requires grad when one of its
inputs does; a tensor is a leaf when it was not made by a tracked operation. A checker never
raises: it prints "Correct! ..." or a hint. `check.solution("name")` shows a solution.

>>> predict_tracking((True, False, False, True))
Correct! ...
>>> predict_tracking(None)
Not yet: Set `answer` to four True/False values: ...
"""
from __future__ import annotations

import numpy as np

from ._tools import as_array, check_predictions, checker, is_tensor, say, solution_function


@checker
def tracked_zeros(answer) -> None:
    """answer: a 2x3 tensor of zeros whose computations are tracked (a leaf with requires_grad=True)."""
    got = as_array(answer)
    if got is None:
        say(False, hint="Set `answer` to a tensor: torch.zeros(rows, columns, ...) makes one filled with zeros.")
    elif got.shape != (2, 3):
        say(False, hint=f"The tensor should have 2 rows and 3 columns, shape (2, 3); yours has shape {got.shape}.")
    elif not np.all(got == 0):
        say(False, hint="The tensor should be filled with zeros: torch.zeros, not torch.ones or torch.rand.")
    elif not is_tensor(answer) or not answer.requires_grad:
        say(False, hint="The zeros are right, but computations on them are not tracked: make a tensor with "
                        "torch.zeros(..., requires_grad=True).")
    elif not answer.is_leaf:
        say(False, hint="It is tracked, but it is the result of an operation (it has a grad_fn). Create the zeros "
                        "directly with requires_grad=True, so that they are a leaf.")
    else:
        say(True, ok="Correct! A 2x3 leaf tensor with requires_grad=True: every computation on it will be recorded.")


# The exercise's code:  w = torch.ones(3, requires_grad=True);  b = torch.ones(3);  c = w * b;  d = b + 1
# name: (the value the rules give, a question that leads there)
_RULES = {
    "c.requires_grad": (True, "does c = w * b have an input that requires grad?"),
    "c.is_leaf": (False, "was c created by you directly, or by a tracked operation (does it have a grad_fn)?"),
    "d.requires_grad": (False, "does d = b + 1 have an input that requires grad?"),
    "d.is_leaf": (True, "is there any recorded graph behind d? A tensor with no graph behind it counts as a leaf."),
}


@checker
def predict_tracking(answer) -> None:
    """answer: (c.requires_grad, c.is_leaf, d.requires_grad, d.is_leaf), predicted before running."""
    check_predictions(
        answer, _RULES, asks=f"Set `answer` to four True/False values: ({', '.join(_RULES)}).",
        on_wrong=lambda wrong: f"{len(wrong)} of 4 wrong. Start with {wrong[0]}: {_RULES[wrong[0]][1]}",
        ok="Correct! c = w * b is tracked and not a leaf (it has grad_fn=<MulBackward0>); d = b + 1 is "
           "not tracked, and a tensor that does not require grad counts as a leaf.")


SOLUTIONS = {
    "tracked_zeros": """\
answer = torch.zeros(2, 3, requires_grad=True)
check.tracked_zeros(answer)
""",
    "predict_tracking": """\
answer = (True, False, False, True)
check.predict_tracking(answer)

w = torch.ones(3, requires_grad=True)     # and what the code gives:
b = torch.ones(3)
c = w * b
d = b + 1
print("the code gives:", (c.requires_grad, c.is_leaf, d.requires_grad, d.is_leaf))
""",
}

solution = solution_function(__name__, SOLUTIONS)
