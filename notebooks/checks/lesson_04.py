"""Checkers for lesson 04 (calculating gradients).

The exercises use the small fixed tensors below (written out again in the notebook); the expected
gradients are the hand formulas evaluated with NumPy. A checker never raises: it prints "Correct! ..."
or a hint.
"""
from __future__ import annotations

import numpy as np

from ._lesson_tools import as_array, say

REAL = np.array([[0.5, -1.0, 2.0], [0.0, 1.5, -0.5]])
PREDICTED = np.array([[1.0, -0.5, 1.0], [0.5, 1.0, 0.0]])


def mean_loss_gradient(answer) -> None:
    """answer: d/d predicted of mean((predicted - real)^2), by hand: 2 (predicted - real) / N, N = 6."""
    diff = PREDICTED - REAL
    expected = 2 * diff / diff.size
    got = as_array(answer)
    if got is None:
        say(False, hint="Set `answer` to a tensor of the shape of predicted, computed from predicted and real "
                        "inside `with torch.no_grad():`.")
    elif got.shape != expected.shape:
        say(False, hint=f"The gradient has one entry per entry of predicted: shape {expected.shape}, "
                        f"got {got.shape}. (Did you sum or average it?)")
    elif np.allclose(got, 2 * diff):
        say(False, hint="That is the gradient of the *sum*. The mean divides the sum by the number of entries, "
                        "so its gradient is divided by it too.")
    elif np.allclose(got, -expected):
        say(False, hint="The sign is flipped: the derivative of (predicted - real)^2 with respect to predicted is "
                        "2 (predicted - real), not 2 (real - predicted).")
    else:
        say(np.allclose(got, expected, rtol=1e-5, atol=1e-7),
            ok="Correct! 2 (predicted - real) / 6: each entry of the mean counts for one sixth.",
            hint="Expected 2 * (predicted - real) / predicted.numel().")


def abs_loss_gradient(answer) -> None:
    """answer: predicted.grad for loss = |predicted - real|.sum(). By hand: sign(predicted - real)."""
    diff = PREDICTED - REAL
    expected = np.sign(diff)
    got = as_array(answer)
    if got is None:
        say(False, hint="Set `answer = predicted.grad` after loss.backward(). If predicted.grad is None, "
                        "was backward called?")
    elif got.shape != expected.shape:
        say(False, hint=f"Expected the shape of predicted, {expected.shape}; got {got.shape}.")
    elif np.allclose(got, 2 * diff) or np.allclose(got, 2 * diff / diff.size):
        say(False, hint="That is the gradient of a squared loss. The loss here is (predicted - real).abs().sum().")
    elif np.allclose(got, expected + 2 * diff / diff.size):
        say(False, hint="That is this gradient plus exercise 1's: gradients add up in .grad. Set "
                        "predicted.grad = None (or re-create predicted) before loss.backward().")
    else:
        say(np.allclose(got, expected),
            ok="Correct! The derivative of |u| is the sign of u: +1 where predicted is too big, -1 where too small.",
            hint=f"Expected sign(predicted - real) = {expected.tolist()}; got {got.tolist()}.")
