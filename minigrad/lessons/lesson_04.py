"""Checkers for lesson 04 (calculating gradients): `from minigrad.lessons import lesson_04 as check`.

The exercises use random tensors, which the checker is given too: the expected gradients are the hand
formulas evaluated with NumPy on their values, so only a computation from those tensors (not numbers typed
in) matches. A checker never raises: it prints "Correct! ..." or a hint. `check.solution("name")` shows a
solution.

>>> mean_loss_gradient(None)
Not yet: Call the checker with the exercise's tensors: check.mean_loss_gradient(answer, predicted, real).
"""
from __future__ import annotations

import numpy as np

from ._tools import as_array, checker, gradient_of, is_recorded, is_tensor, say, solution_function

_TOLERANCE = {"rtol": 1e-5, "atol": 1e-7}


def _values(predicted, real):
    """The exercise's tensors as arrays of one shape, or None."""
    p, r = as_array(predicted), as_array(real)
    if p is None or r is None or p.shape != r.shape or not is_tensor(predicted):
        return None
    return p, r


@checker
def mean_loss_gradient(answer, predicted=None, real=None) -> None:
    """answer: d/d predicted of mean((predicted - real)^2), by hand: 2 (predicted - real) / N, computed from
    predicted and real without recording. Call as check.mean_loss_gradient(answer, predicted, real)."""
    tensors = _values(predicted, real)
    if tensors is None:
        say(False, hint="Call the checker with the exercise's tensors: "
                        "check.mean_loss_gradient(answer, predicted, real).")
        return
    p, r = tensors
    diff = p - r
    expected = 2 * diff / diff.size
    got = as_array(answer)
    if got is None:
        say(False, hint="Set `answer` to a tensor of the shape of predicted, computed from predicted and real "
                        "inside `with torch.no_grad():`.")
    elif got.shape != expected.shape:
        say(False, hint=f"The gradient has one entry per entry of predicted: shape {expected.shape}, "
                        f"got {got.shape}. (Did you sum or average it?)")
    elif np.allclose(got, 2 * diff, **_TOLERANCE):
        say(False, hint="That is the gradient of the *sum*. The mean divides the sum by the number of entries, "
                        "so its gradient is divided by it too.")
    elif np.allclose(got, -expected, **_TOLERANCE):
        say(False, hint="The sign is flipped: the derivative of (predicted - real)^2 with respect to predicted is "
                        "2 (predicted - real), not 2 (real - predicted).")
    elif not np.allclose(got, expected, **_TOLERANCE):
        say(False, hint="Expected 2 * (predicted - real) / predicted.numel(), computed from the tensors "
                        "(typed-in numbers are rounded and do not match).")
    elif answer is getattr(predicted, "grad", None):
        say(False, hint="That is autograd's predicted.grad. Here, compute it by hand, from the formula.")
    elif not is_tensor(answer):
        say(False, hint="The values are right; compute it with torch operations on predicted and real, so it is a "
                        "tensor.")
    elif is_recorded(answer):
        say(False, hint="The values are right, but the computation was recorded (it has a grad_fn): do it inside "
                        "`with torch.no_grad():`, as lesson 03 showed.")
    else:
        say(True, ok="Correct! 2 (predicted - real) / N: each entry of the mean counts for 1/N, here 1/6; "
                     "and nothing was recorded.")


@checker
def abs_loss_gradient(answer, real=None) -> None:
    """answer: the tensor predicted after loss.backward(), for loss = |predicted - real|.sum(); the checker reads
    predicted.grad. By hand: sign(predicted - real). Call as check.abs_loss_gradient(answer, real)."""
    r = as_array(real)
    if r is None:
        say(False, hint="Call the checker with the exercise's `real` too: check.abs_loss_gradient(answer, real).")
        return
    p = as_array(answer) if is_tensor(answer) and answer.requires_grad else None
    if p is None or p.shape != r.shape:
        say(False, hint="Set `answer = predicted`, the tensor itself (it requires grad), after loss.backward(): "
                        "the checker reads predicted.grad, so it sees that autograd computed it.")
        return
    got = gradient_of(answer)
    diff = p - r
    expected = np.sign(diff)
    if got is None:
        say(False, hint="predicted.grad is None: compute loss = (predicted - real).abs().sum(), then loss.backward().")
    elif np.allclose(got, 2 * diff) or np.allclose(got, 2 * diff / diff.size):
        say(False, hint="That is the gradient of a squared loss. The loss here is (predicted - real).abs().sum().")
    elif np.allclose(got, expected + 2 * diff / diff.size) or np.allclose(got, 2 * expected):
        say(False, hint="That is this gradient plus another one: gradients add up in .grad. Set "
                        "predicted.grad = None (or re-create predicted) before loss.backward().")
    else:
        say(np.allclose(got, expected),
            ok="Correct! The derivative of |u| is the sign of u: +1 where predicted is too big, -1 where too small.",
            hint=f"Expected sign(predicted - real) = {expected.tolist()}; got {got.tolist()}.")


SOLUTIONS = {
    "mean_loss_gradient": """\
real = torch.rand(2, 3)
predicted = torch.rand(2, 3, requires_grad=True)
with torch.no_grad():
    answer = 2 * (predicted - real) / predicted.numel()     # the mean divides by 6 entries
check.mean_loss_gradient(answer, predicted, real)

loss = (predicted - real).pow(2).mean()                      # autograd agrees:
loss.backward()
print("autograd agrees:", torch.allclose(answer, predicted.grad))
""",
    "abs_loss_gradient": """\
real = torch.rand(2, 3)
predicted = torch.rand(2, 3, requires_grad=True)             # a fresh leaf: its .grad starts empty
loss = (predicted - real).abs().sum()
loss.backward()
print(predicted.grad)
answer = predicted
check.abs_loss_gradient(answer, real)
""",
}

solution = solution_function(__name__, SOLUTIONS)
