"""Checkers for lesson 08 (beyond the basics).

Each checker recomputes the expected answer with NumPy from a hand-derived formula, compares,
and prints either "Correct! ..." or a hint. A checker never raises: a learner's mistake is a
message, not a traceback.
"""
from __future__ import annotations

import numpy as np

from ._lesson_tools import as_array, say

# Exercise 1: the data, written out again here so the checker does not reuse the learner's code.
X1, T1 = np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([1.0, 0.0])
X2, T2 = np.array([[3.0, -1.0], [2.0, 2.0]]), np.array([2.0, 1.0])
W0 = np.array([0.5, -1.0])


def accumulated_gradient(answer) -> None:
    """answer: w.grad after backward on both halves. Expected: d/dw sum((Xw - t)^2) = 2 X^T (Xw - t) over all rows."""
    X, t = np.vstack([X1, X2]), np.concatenate([T1, T2])
    expected = 2 * X.T @ (X @ W0 - t)
    first_half_only = 2 * X1.T @ (X1 @ W0 - T1)
    second_half_only = 2 * X2.T @ (X2 @ W0 - T2)
    got = as_array(answer)
    if got is None:
        say(False, hint="Set `answer = w.grad` after calling backward on loss_1 and on loss_2 (without zeroing in between).")
    elif got.shape != expected.shape:
        say(False, hint=f"`answer` should have the shape of w, (2,), got {got.shape}.")
    elif np.allclose(got, second_half_only, rtol=1e-5) or np.allclose(got, first_half_only, rtol=1e-5):
        say(False, hint="That is the gradient of one half only: was w.grad reset (or w re-created) between the two "
                        "backward calls? Let the two gradients add up.")
    elif np.allclose(got, 2 * expected, rtol=1e-5):
        say(False, hint="That is twice the expected gradient: did backward run more than once on one of the halves? "
                        "Start again from w.grad = None.")
    else:
        say(np.allclose(got, expected, rtol=1e-5),
            ok=f"Correct! {got.tolist()} is exactly the full-batch gradient 2 X^T (Xw - t): accumulating the two halves "
               "gives what one backward on the whole batch would.",
            hint=f"Expected {expected.tolist()} (the gradient of the loss on all four rows), got {got.tolist()}.")


def second_derivative(answer) -> None:
    """answer: d^2/dx^2 of x sin(x) at x = 0, 1, 2. By hand: 2 cos(x) - x sin(x)."""
    x = np.array([0.0, 1.0, 2.0])
    expected = 2 * np.cos(x) - x * np.sin(x)
    first = np.sin(x) + x * np.cos(x)
    got = as_array(answer)
    if got is None:
        say(False, hint="Set `answer` to the second derivative, e.g. `(d2,) = torch.autograd.grad(d1.sum(), x)`.")
    elif got.shape != expected.shape:
        say(False, hint=f"Expected one value per point of x, shape (3,), got {got.shape}.")
    elif np.allclose(got, first, rtol=1e-4, atol=1e-6):
        say(False, hint="That is the first derivative, sin(x) + x cos(x). Differentiate it once more: this needs "
                        "create_graph=True in the first autograd.grad call.")
    else:
        say(np.allclose(got, expected, rtol=1e-4, atol=1e-6),
            ok="Correct! It matches 2 cos(x) - x sin(x), the second derivative worked out by hand.",
            hint=f"Expected 2 cos(x) - x sin(x) = {np.round(expected, 4).tolist()}, got {np.round(got, 4).tolist()}.")


def intermediate_gradient(answer) -> None:
    """answer: the gradient of loss = (h ** 2).sum() w.r.t. h = 3 x at x = [1, -1, 2]: 2 h = 6 x."""
    x = np.array([1.0, -1.0, 2.0])
    expected = 2 * (3 * x)
    got = as_array(answer)
    if got is None:
        say(False, hint="Set `answer = h.grad` after loss.backward(). h is not a leaf, so h.grad stays None unless "
                        "you call h.retain_grad() before backward (or collect the gradient with h.register_hook).")
    elif got.shape != expected.shape:
        say(False, hint=f"Expected one value per entry of h, shape {expected.shape}, got {got.shape}.")
    elif np.allclose(got, 3 * expected, rtol=1e-5):
        say(False, hint="That is the gradient w.r.t. x (18 x). The question asks for the gradient arriving at h.")
    else:
        say(np.allclose(got, expected, rtol=1e-5),
            ok="Correct! d(sum h^2)/dh = 2h: that is what arrives at h before the chain rule multiplies it by dh/dx = 3.",
            hint=f"Expected 2 h = {expected.tolist()}, got {got.tolist()}.")
