"""Checkers for lesson 01 (derivatives): `from minigrad.lessons import lesson_01 as check`.

Expected values come from derivatives worked out by hand, evaluated with plain Python/NumPy.
A checker never raises: it prints "Correct! ..." or a hint. `check.solution("name")` shows a solution.

>>> derivative(3 * 2**2 - 2)
Correct! f'(x) = 3x^2 - 2, so f'(2) = 10.
>>> derivative("10")
Not yet: Set `answer` to one number: ...
"""
from __future__ import annotations

import numpy as np

from ._tools import as_number, checker, gradient_of, is_tensor, say, solution_function


@checker
def derivative(answer) -> None:
    """answer: f'(2) for f(x) = x^3 - 2x. By hand: f'(x) = 3x^2 - 2, so 10."""
    x = 2.0
    expected = 3 * x ** 2 - 2
    got = as_number(answer)
    if got is None:
        say(False, hint="Set `answer` to one number: the slope of f(x) = x**3 - 2*x at x = 2.")
    elif np.isclose(got, x ** 3 - 2 * x):
        say(False, hint="That is f(2), the value of the function. The derivative is its rate of change: "
                        "differentiate x^3 and -2x term by term first.")
    elif np.isclose(got, 3 * x ** 2):
        say(False, hint="Almost: 3x^2 is the derivative of x^3; the term -2x changes too, at rate -2.")
    else:
        say(np.isclose(got, expected),
            ok=f"Correct! f'(x) = 3x^2 - 2, so f'(2) = {expected:g}.",
            hint="Differentiate term by term: (x^n)' = n x^(n-1), (c x)' = c. Then put in x = 2.")


@checker
def chain_rule(answer) -> None:
    """answer: h'(1) for h(x) = (2x + 1)^3. Chain rule: 3 (2x + 1)^2 * 2, so 54."""
    x = 1.0
    expected = 3 * (2 * x + 1) ** 2 * 2
    got = as_number(answer)
    if got is None:
        say(False, hint="Set `answer` to one number: the derivative of (2x + 1)**3 at x = 1.")
    elif np.isclose(got, 3 * (2 * x + 1) ** 2):
        say(False, hint="You differentiated the outer function (u^3 -> 3u^2) but not the inner one: multiply by "
                        "d(2x + 1)/dx = 2.")
    elif np.isclose(got, (2 * x + 1) ** 3):
        say(False, hint="That is h(1) itself; the question asks for its derivative.")
    else:
        say(np.isclose(got, expected),
            ok=f"Correct! outer derivative 3u^2 = 27 at u = 2x + 1 = 3, times inner derivative 2: {expected:g}.",
            hint="Write h = u^3 with u = 2x + 1. Chain rule: dh/dx = dh/du * du/dx = 3u^2 * 2.")


@checker
def gradient(answer) -> None:
    """answer: the tensors (x, y) after q.backward(), for q = x^2 y + y^3 at (1.5, -1); the checker reads
    x.grad and y.grad (so the gradient must come from autograd). By hand: (2xy, x^2 + 3y^2) = (-3, 5.25)."""
    x0, y0 = 1.5, -1.0
    expected = np.array([2 * x0 * y0, x0 ** 2 + 3 * y0 ** 2])
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        say(False, hint="Set `answer = (x, y)`: the two tensors, after q.backward(). The checker reads their .grad.")
        return
    if not all(is_tensor(t) and t.requires_grad for t in answer):
        say(False, hint="Give the tensors themselves, `answer = (x, y)`, created with requires_grad=True, after "
                        "q.backward(): the checker reads x.grad and y.grad, so it can see autograd computed them "
                        "(numbers typed in, or copies of the .grad, cannot show that).")
        return
    values = [as_number(t) for t in answer]
    if values != [x0, y0]:
        say(False, hint=f"x and y should be 1.5 and -1.0; got {values}. Run the exercise cell that creates them again.")
        return
    grads = [gradient_of(t) for t in answer]
    if any(g is None or g.size != 1 for g in grads):
        say(False, hint="x.grad or y.grad is None: build q = x**2 * y + y**3 from x and y, then call q.backward().")
        return
    got = np.array([float(g.reshape(())) for g in grads])
    if np.allclose(got, expected[::-1]):
        say(False, hint="The two partial derivatives are swapped: answer = (x, y).")
    elif np.allclose(got, 2 * expected):
        say(False, hint="Twice the gradient: did backward run twice? Gradients add up in .grad; run the cell that "
                        "creates x and y again, then call backward once.")
    else:
        say(np.allclose(got, expected),
            ok=f"Correct! x.grad = {got[0]:g} and y.grad = {got[1]:g}: the gradient (2xy, x^2 + 3y^2) = "
               f"({expected[0]:g}, {expected[1]:g}), found by autograd.",
            hint=f"Expected (2xy, x^2 + 3y^2) = ({expected[0]:g}, {expected[1]:g}) at x = 1.5, y = -1; the .grad "
                 f"hold ({got[0]:g}, {got[1]:g}). Build q from x and y (q = x**2 * y + y**3), then q.backward().")


SOLUTIONS = {
    "derivative": """\
answer = 3 * 2**2 - 2      # f'(x) = 3x^2 - 2, at x = 2
check.derivative(answer)
""",
    "chain_rule": """\
answer = 3 * (2*1 + 1)**2 * 2      # dh/du = 3u^2 at u = 2x + 1 = 3, times du/dx = 2
check.chain_rule(answer)
""",
    "gradient": """\
x = torch.tensor(1.5, requires_grad=True)
y = torch.tensor(-1.0, requires_grad=True)
q = x**2 * y + y**3
q.backward()
print(x.grad, y.grad)
answer = (x, y)            # the checker reads x.grad and y.grad
check.gradient(answer)
""",
}

solution = solution_function(__name__, SOLUTIONS)
