"""Checkers for lesson 08 (beyond the basics): `from minigrad.lessons import lesson_08 as check`.

Each checker recomputes the expected answer with NumPy from a hand-derived formula, compares, and prints
either "Correct! ..." or a hint. A checker never raises: a learner's mistake is a message, not a traceback.
`check.solution("name")` shows a solution.

>>> second_derivative([2.0, 0.24, -2.65])
Not yet: Set `answer` to the tensor torch.autograd.grad gives ...
"""
from __future__ import annotations

import numpy as np

from ._tools import as_array, checker, gradient_of, is_tensor, is_the_tensor, say, solution_function

# Exercise 1: the data, written out again here so the checker does not reuse the learner's code.
X1, T1 = np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([1.0, 0.0])
X2, T2 = np.array([[3.0, -1.0], [2.0, 2.0]]), np.array([2.0, 1.0])
W0 = np.array([0.5, -1.0])


@checker
def accumulated_gradient(answer) -> None:
    """answer: the tensor w after backward on both halves; the checker reads w.grad.
    Expected: d/dw sum((Xw - t)^2) = 2 X^T (Xw - t) over all rows."""
    X, t = np.vstack([X1, X2]), np.concatenate([T1, T2])
    expected = 2 * X.T @ (X @ W0 - t)
    first_half_only = 2 * X1.T @ (X1 @ W0 - T1)
    second_half_only = 2 * X2.T @ (X2 @ W0 - T2)
    if not is_the_tensor(answer, W0, not_a_tensor="Set `answer = w`, the tensor itself, after calling backward on "
                                                  "loss_1 and on loss_2 (without zeroing in between): the checker "
                                                  "reads w.grad.",
                         other_values=f"w should be {W0.tolist()}, shape (2,): run the cell that creates it again."):
        return
    got = gradient_of(answer)
    if got is None:
        say(False, hint="w.grad is None: call loss_1.backward() and loss_2.backward() first.")
    elif np.allclose(got, second_half_only, rtol=1e-5) or np.allclose(got, first_half_only, rtol=1e-5):
        say(False, hint="That is the gradient of one half only: was w.grad reset (or w re-created) between the two "
                        "backward calls? Let the two gradients add up.")
    elif np.allclose(got, 2 * expected, rtol=1e-5):
        say(False, hint="That is twice the expected gradient: did backward run more than once on one of the halves? "
                        "Start again from a fresh w.")
    else:
        say(np.allclose(got, expected, rtol=1e-5),
            ok=f"Correct! {got.tolist()} is exactly the full-batch gradient 2 X^T (Xw - t): accumulating the two halves "
               "gives what one backward on the whole batch would.",
            hint=f"Expected {expected.tolist()} (the gradient of the loss on all four rows), got {got.tolist()}.")


@checker
def second_derivative(answer) -> None:
    """answer: d^2/dx^2 of x sin(x) at x = 0, 1, 2, the tensor torch.autograd.grad returns. By hand:
    2 cos(x) - x sin(x)."""
    x = np.array([0.0, 1.0, 2.0])
    expected = 2 * np.cos(x) - x * np.sin(x)
    first = np.sin(x) + x * np.cos(x)
    got = as_array(answer)
    if got is None or not is_tensor(answer):
        say(False, hint="Set `answer` to the tensor torch.autograd.grad gives for the second derivative, e.g. "
                        "`(d2,) = torch.autograd.grad(d1.sum(), x)`.")
    elif got.shape != expected.shape:
        say(False, hint=f"Expected one value per point of x, shape (3,), got {got.shape}.")
    elif np.allclose(got, first, rtol=1e-4, atol=1e-6):
        say(False, hint="That is the first derivative, sin(x) + x cos(x). Differentiate it once more: this needs "
                        "create_graph=True in the first autograd.grad call.")
    else:
        say(np.allclose(got, expected, rtol=1e-4, atol=1e-6),
            ok="Correct! It matches 2 cos(x) - x sin(x), the second derivative worked out by hand.",
            hint=f"Expected 2 cos(x) - x sin(x) = {np.round(expected, 4).tolist()}, got {np.round(got, 4).tolist()}.")


@checker
def intermediate_gradient(answer) -> None:
    """answer: the tensor h = 3 x (x = [1, -1, 2]) after loss = (h ** 2).sum() went backward; the checker reads
    h.grad: 2 h = 6 x."""
    x = np.array([1.0, -1.0, 2.0])
    expected = 2 * (3 * x)
    if not is_the_tensor(answer, 3 * x, not_a_tensor="Set `answer = h`, the tensor itself, after loss.backward(): the "
                                                     "checker reads h.grad. h is not a leaf, so call h.retain_grad() "
                                                     "before backward.",
                         other_values=f"h should be 3 * x = {(3 * x).tolist()}: run the exercise cell again."):
        return
    got = gradient_of(answer)
    if got is None:
        say(False, hint="h.grad is None: h is not a leaf, so its .grad stays empty unless you call h.retain_grad() "
                        "before loss.backward().")
    elif np.allclose(got, 3 * expected, rtol=1e-5):
        say(False, hint="That is the gradient w.r.t. x (18 x). The question asks for the gradient arriving at h.")
    elif np.allclose(got, 2 * expected, rtol=1e-5):
        say(False, hint="Twice the gradient: backward ran twice. Run the exercise cell again, then backward once.")
    else:
        say(np.allclose(got, expected, rtol=1e-5),
            ok="Correct! d(sum h^2)/dh = 2h: that is what arrives at h before the chain rule multiplies it by dh/dx = 3.",
            hint=f"Expected 2 h = {expected.tolist()}, got {got.tolist()}.")


SOLUTIONS = {
    "accumulated_gradient": """\
w = torch.tensor([0.5, -1.0], requires_grad=True)
X1, t1 = torch.tensor([[1., 2.], [0., 1.]]), torch.tensor([1., 0.])
X2, t2 = torch.tensor([[3., -1.], [2., 2.]]), torch.tensor([2., 1.])
loss_1 = ((X1 @ w - t1) ** 2).sum()
loss_2 = ((X2 @ w - t2) ** 2).sum()
loss_1.backward()
loss_2.backward()                  # adds to w.grad
print(w.grad)
answer = w
check.accumulated_gradient(answer)
""",
    "second_derivative": """\
x = torch.tensor([0., 1., 2.], requires_grad=True)
f = x * x.sin()
(df_dx,) = torch.autograd.grad(f.sum(), x, create_graph=True)
(d2f_dx2,) = torch.autograd.grad(df_dx.sum(), x)
answer = d2f_dx2
check.second_derivative(answer)
""",
    "intermediate_gradient": """\
x = torch.tensor([1., -1., 2.], requires_grad=True)
h = 3 * x
h.retain_grad()                    # h is not a leaf: ask autograd to keep its .grad
loss = (h ** 2).sum()
loss.backward()
print(h.grad)
answer = h
check.intermediate_gradient(answer)
""",
}

solution = solution_function(__name__, SOLUTIONS)
