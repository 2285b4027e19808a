"""Checkers for lesson 03 (judicious tracking): `from minigrad.lessons import lesson_03 as check`.

Expected values are recomputed with NumPy from the exercise's tensors; which results are tracked follows
the rules the lesson states. A checker never raises: it prints "Correct! ..." or a hint.
`check.solution("name")` shows a solution.

>>> predict_tracked((False, False, True, False))
Correct! Only c is tracked: ...
"""
from __future__ import annotations

import numpy as np

from ._tools import (as_array, as_number, check_predictions, checker, gradient_of, is_recorded, is_tensor, say,
                     solution_function)


@checker
def untracked_triple(answer, x=None) -> None:
    """answer: 3 * x computed without being recorded; x: the exercise's tensor (random, requires_grad=True),
    so that only a computation from x, not numbers typed in, gives its values."""
    xs = as_array(x)
    if xs is None or not is_tensor(x) or not x.requires_grad or xs.shape != (3,):
        say(False, hint="Call the checker with the exercise's tensor too: check.untracked_triple(answer, x), where "
                        "x = torch.rand(3, requires_grad=True) as in the exercise cell.")
        return
    got = as_array(answer)
    if got is None:
        say(False, hint="Set `answer` to a tensor holding 3 * x, computed inside `with torch.no_grad():` "
                        "(or from x.detach()).")
    elif got.shape != xs.shape or not np.allclose(got, 3 * xs, rtol=1e-6, atol=0):
        say(False, hint=f"The values should be 3 * x (x as it is now: {np.round(xs, 4).tolist()}), computed from x "
                        "with torch operations; typed-in numbers are rounded and do not match.")
    elif not is_tensor(answer):
        say(False, hint="The values are right; now make it a tensor: compute it from x with torch operations.")
    elif is_recorded(answer):
        say(False, hint="The values are right but the computation was recorded (requires_grad=True, a grad_fn). "
                        "Compute it inside `with torch.no_grad():` or start from x.detach().")
    else:
        say(True, ok="Correct! The same numbers as 3 * x, and no grad_fn: nothing was added to the graph.")


# The exercise's code, with x = torch.ones(3, requires_grad=True):
#   a = x.detach() * 2;   with torch.no_grad(): b = x * 2;   c = x * 2;   d = (x * 2).detach()
_TRACKED = {
    "a": (False, "x.detach() is a new tensor (sharing x's memory) that does not require grad; a is computed "
                 "from it alone."),
    "b": (False, "inside `with torch.no_grad():` nothing is recorded, whatever the inputs."),
    "c": (True, "after the with block tracking is back on, and x requires grad."),
    "d": (False, "x * 2 is tracked, but .detach() returns a tensor outside the graph."),
}


@checker
def predict_tracked(answer) -> None:
    """answer: (a.requires_grad, b.requires_grad, c.requires_grad, d.requires_grad), predicted."""
    check_predictions(
        answer, _TRACKED, asks="Set `answer` to four True/False values: (a.requires_grad, b.requires_grad, "
                               "c.requires_grad, d.requires_grad).",
        on_wrong=lambda wrong: f"{', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} not right. Which of the "
                               "three ways (detach, requires_grad_(False), no_grad) applies to each line, and when "
                               "does it stop applying?",
        ok="Correct! Only c is tracked: " + " ".join(f"{name}: {why}" for name, (_, why) in _TRACKED.items()))


@checker
def detach_gradient(answer) -> None:
    """answer: the tensor x after z.backward(), for y = x * x and z = y.detach() * x. By hand: y.detach() is a
    constant u = x^2, so dz/dx = u = x^2 (not 3x^2, the derivative of x^3 = y * x)."""
    x0 = as_number(answer) if is_tensor(answer) else None
    if x0 is None:
        say(False, hint="Set `answer = x`, the one-number tensor, after z.backward(): the checker reads x.grad.")
        return
    if np.isclose(x0, 0):
        say(False, hint="At x = 0 every version of z has gradient 0, so nothing can be told apart: use x = 3.")
        return
    grad = gradient_of(answer)
    if grad is None or grad.size != 1:
        say(False, hint="x.grad is empty: create x with requires_grad=True, compute y = x * x and "
                        "z = y.detach() * x, then call z.backward().")
        return
    got = float(grad.reshape(()))
    if np.isclose(got, 3 * x0 ** 2):
        say(False, hint="That is the derivative of x^3: y was not detached, so the gradient also flowed through y. "
                        "Write z = y.detach() * x.")
    elif np.isclose(got, 2 * x0 ** 2):
        say(False, hint="That is twice u: what detaching the other factor gives (y * x.detach()), or backward run "
                        "twice (gradients add up). Start from a fresh x and detach y: z = y.detach() * x.")
    else:
        say(np.isclose(got, x0 ** 2),
            ok=f"Correct! x.grad = {got:g} = u = y.detach(): the detached y counts as a constant, so the gradient "
               "only flows through the second factor x.",
            hint=f"Expected x.grad = u = x^2 = {x0 ** 2:g} for x = {x0:g}; got {got:g}. Start from a fresh x.")


SOLUTIONS = {
    "untracked_triple": """\
x = torch.rand(3, requires_grad=True)
with torch.no_grad():
    answer = 3 * x              # or: answer = 3 * x.detach()
check.untracked_triple(answer, x)
""",
    "predict_tracked": """\
answer = (False, False, True, False)
check.predict_tracked(answer)
""",
    "detach_gradient": """\
x = torch.tensor(3.0, requires_grad=True)
y = x * x
u = y.detach()                  # u = 9, a constant as far as autograd knows
z = u * x
z.backward()
print("x.grad =", x.grad, "   u =", u)
answer = x
check.detach_gradient(answer)
""",
}

solution = solution_function(__name__, SOLUTIONS)
