"""Checkers for lesson 05 (several variables).

Expected values come from partial derivatives worked out by hand, evaluated with NumPy.
A checker never raises: it prints "Correct! ..." or a hint.
"""
from __future__ import annotations

import numpy as np

from ._lesson_tools import as_array, say


def partials_by_hand(answer) -> None:
    """answer: (df/dx, df/dy) of f(x, y) = x^2 y + 3y at x = 1.5, y = -2: (2xy, x^2 + 3)."""
    x, y = 1.5, -2.0
    expected = np.array([2 * x * y, x ** 2 + 3])
    got = as_array(answer)
    if got is None or got.shape != (2,):
        say(False, hint="Set `answer = (df_dx, df_dy)`: two numbers.")
    elif np.allclose(got, [x ** 2 * y + 3 * y] * 2):
        say(False, hint="Those are values of f itself; the question asks for its partial derivatives.")
    elif np.isclose(got[0], expected[0]) and not np.isclose(got[1], expected[1]):
        say(False, hint="df/dx is right. For df/dy, hold x constant: x^2 y + 3y is (x^2 + 3) times y.")
    elif np.isclose(got[1], expected[1]) and not np.isclose(got[0], expected[0]):
        say(False, hint="df/dy is right. For df/dx, hold y constant: the derivative of x^2 y is 2x y, and 3y "
                        "does not change with x.")
    else:
        say(np.allclose(got, expected),
            ok=f"Correct! df/dx = 2xy = {expected[0]:g} and df/dy = x^2 + 3 = {expected[1]:g}.",
            hint="Differentiate with respect to one variable while holding the other constant: df/dx = 2xy, "
                 "df/dy = x^2 + 3, then put in x = 1.5, y = -2.")


def autograd_partials(answer) -> None:
    """answer: (x.grad, y.grad) for g = sum(sin(x) * y): (cos(x) y, sin(x))."""
    x = np.array([0.0, 1.0, 2.0])
    y = np.array([3.0, -1.0, 0.5])
    expected = (np.cos(x) * y, np.sin(x))
    try:
        gx, gy = (as_array(a) for a in answer)
    except (TypeError, ValueError):
        say(False, hint="Set `answer = (x.grad, y.grad)` after calling g.backward().")
        return
    if gx is None or gy is None:
        say(False, hint="One of the gradients is None: did you create x and y with requires_grad=True and call "
                        "g.backward() before reading x.grad and y.grad?")
    elif gx.shape != (3,) or gy.shape != (3,):
        say(False, hint="Each gradient should have the shape of its tensor, (3,).")
    elif np.allclose(gx, expected[1], atol=1e-6) and np.allclose(gy, expected[0], atol=1e-6):
        say(False, hint="The two gradients are swapped: answer = (x.grad, y.grad).")
    else:
        say(np.allclose(gx, expected[0], atol=1e-6) and np.allclose(gy, expected[1], atol=1e-6),
            ok="Correct! x.grad = cos(x) * y and y.grad = sin(x), the partial derivatives by hand.",
            hint=f"Expected x.grad = cos(x) * y = {np.round(expected[0], 4).tolist()} and y.grad = sin(x) = "
                 f"{np.round(expected[1], 4).tolist()}.")


def chain_rule_step(answer) -> None:
    """answer: (upstream, local) at the node of y**3 in e = 2x^4 - y^3 + 3z^2, y = 3: (-1, 3y^2 = 27)."""
    y = 3.0
    expected = np.array([-1.0, 3 * y ** 2])
    got = as_array(answer)
    if got is None or got.shape != (2,):
        say(False, hint="Set `answer = (upstream, local)`: two numbers.")
    elif np.isclose(got[0], 1.0):
        say(False, hint="The upstream gradient is the derivative of e with respect to the output of y**3. e "
                        "*subtracts* y**3: what does the subtraction send back to its second input?")
    elif np.isclose(got[1], -3 * y ** 2) or np.isclose(got[1], -27.0):
        say(False, hint="The local derivative belongs to y**3 alone (d y^3 / dy = 3y^2), without the minus sign: "
                        "the minus comes from upstream.")
    else:
        say(np.allclose(got, expected),
            ok="Correct! The subtraction sends -1 upstream, y**3 has local derivative 3y^2 = 27, and their "
               "product -27 is y.grad.",
            hint="upstream = d e / d (y**3) (look at the sign in e), local = d (y**3) / d y at y = 3.")
