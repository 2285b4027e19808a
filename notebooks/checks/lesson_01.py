"""Checkers for lesson 01 (derivatives).

Expected values come from derivatives worked out by hand, evaluated with plain Python/NumPy.
A checker never raises: it prints "Correct! ..." or a hint.
"""
from __future__ import annotations

import numpy as np

from ._lesson_tools import as_array, say


def _number(answer) -> "float | None":
    got = as_array(answer)
    return float(got) if got is not None and got.size == 1 else None


def derivative(answer) -> None:
    """answer: f'(2) for f(x) = x^3 - 2x. By hand: f'(x) = 3x^2 - 2, so 10."""
    x = 2.0
    expected = 3 * x ** 2 - 2
    got = _number(answer)
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


def chain_rule(answer) -> None:
    """answer: h'(1) for h(x) = (2x + 1)^3. Chain rule: 3 (2x + 1)^2 * 2, so 54."""
    x = 1.0
    expected = 3 * (2 * x + 1) ** 2 * 2
    got = _number(answer)
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


def gradient(answer) -> None:
    """answer: (x.grad, y.grad) for q = x^2 y + y^3 at (1.5, -1). By hand: (2xy, x^2 + 3y^2) = (-3, 5.25)."""
    x, y = 1.5, -1.0
    expected = np.array([2 * x * y, x ** 2 + 3 * y ** 2])
    try:
        parts = [as_array(a) for a in answer]
    except TypeError:
        parts = []
    if len(parts) != 2 or any(p is None or p.size != 1 for p in parts):
        say(False, hint="Set `answer = (x.grad, y.grad)`, after q.backward(). If a .grad is None, was the tensor "
                        "created with requires_grad=True?")
        return
    got = np.array([float(p) for p in parts])
    if np.allclose(got, expected[::-1]):
        say(False, hint="The two partial derivatives are swapped: answer = (x.grad, y.grad).")
    elif np.allclose(got, 2 * expected):
        say(False, hint="Twice the gradient: did backward run twice? Gradients add up in .grad; run the cell that "
                        "creates x and y again, then call backward once.")
    else:
        say(np.allclose(got, expected),
            ok=f"Correct! The gradient is (2xy, x^2 + 3y^2) = ({expected[0]:g}, {expected[1]:g}), the two partial "
               "derivatives autograd found.",
            hint=f"Expected (2xy, x^2 + 3y^2) = ({expected[0]:g}, {expected[1]:g}) at x = 1.5, y = -1; got "
                 f"({got[0]:g}, {got[1]:g}). Build q from x and y (q = x**2 * y + y**3), then q.backward().")
