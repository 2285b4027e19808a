"""Checkers for lesson 09 (the autograd errors you will meet): `from minigrad.lessons import lesson_09 as check`.

Each checker recomputes the expected answer with NumPy from a formula worked out by hand (or, for the
predict-before-you-run exercises, from the rule the lesson states), compares, and prints either
"Correct! ..." or a hint. A checker never raises: a learner's mistake, or an answer of a type nobody
expected, is a message, not a traceback. `check.solution("name")` shows an exercise's solution.

>>> weighted_gradient([3.0, 0.0, 6.0])          # typed numbers are not a gradient autograd computed
Not yet: Set `answer = x`: the tensor itself (the checker reads x.grad), after y.backward(gradient=v).
"""
from __future__ import annotations

import numpy as np

from ._tools import as_array, check_predictions, checker, gradient_of, is_tensor, say, solution_function


def _close(got: "np.ndarray | None", expected: np.ndarray) -> bool:
    return got is not None and got.shape == expected.shape and np.allclose(got, expected, rtol=1e-5, atol=1e-6)


def _leaf_hint(answer) -> "str | None":
    """What is wrong with `answer` as a parameter that is being trained: None when it is a leaf that requires grad."""
    if not is_tensor(answer):
        return "Set `answer = w`: the tensor itself (not its values, not w.grad)."
    if not answer.requires_grad:
        return ("w no longer requires grad: it was replaced by a tensor that is not tracked (detach() or a new "
                "torch.tensor). Update it in place under `with torch.no_grad():` instead.")
    if not answer.is_leaf:
        return ("w is not a leaf any more (it has a grad_fn): `w = w - lr * w.grad` makes a new tensor out of the "
                "old one. Update it in place: `with torch.no_grad(): w -= lr * w.grad`.")
    return None


# -- section 1: one SGD step by hand --------------------------------------------------------------
SGD_W0, SGD_T, SGD_LR = np.array([3.0, -1.0]), np.array([1.0, 1.0]), 0.25


@checker
def sgd_step(answer) -> None:
    """answer: w after one step w <- w - lr * dL/dw of L = sum((w - t)^2), done in place, with w.grad reset."""
    gradient = 2 * (SGD_W0 - SGD_T)
    expected = SGD_W0 - SGD_LR * gradient
    problem = _leaf_hint(answer)
    got = as_array(answer)
    if problem:
        say(False, hint=problem)
    elif _close(got, SGD_W0):
        say(False, hint="w still holds its first value: the update did not happen. Subtract lr * w.grad from it.")
    elif _close(got, SGD_W0 + SGD_LR * gradient):
        say(False, hint="w moved uphill: a step of gradient descent subtracts lr * w.grad.")
    elif not _close(got, expected):
        say(False, hint=f"Expected w - lr * 2 (w - t) = {expected.tolist()}, got "
                        f"{got.tolist() if got is not None else answer!r}. Did the loop run more than one step?")
    elif answer.grad is not None and np.any(as_array(answer.grad) != 0):
        say(False, hint="w is right, but w.grad still holds this step's gradient: the next backward() would add to "
                        "it. Reset it with `w.grad = None` (or `w.grad.zero_()`).")
    else:
        say(True, ok=f"Correct! w = {np.round(expected, 4).tolist()}, still a leaf that requires grad, "
                     "ready for the next step.")


# -- section 2: which in-place changes break backward ---------------------------------------------
_INPLACE_RULES = {
    "a": (True, "MulBackward0 saved h (d(h*w)/dw = h), and h was changed after it was saved."),
    "b": (False, "AddBackward0 saves nothing (the derivative of a sum is 1), so changing h afterwards harms no one."),
    "c": (False, "MulBackward0 saved the clone, a separate tensor; h itself may change."),
    "d": (True, "h ** 2 saves h (the derivative is 2 h); h.zero_() changes it in place, even though the "
                "multiplication by 3 came later."),
    "e": (False, "h * 3 needs only the 3 for its derivative (d(3h)/dh = 3), so MulBackward0 saves no tensor "
                 "of h's: zeroing h harms no one."),
}


@checker
def predict_inplace(answer) -> None:
    """answer: for snippets a to e, whether backward() raises the 'modified by an inplace operation' error."""
    check_predictions(
        answer, _INPLACE_RULES, asks="Set `answer` to five True/False values, one per snippet (a, b, c, d, e): "
                                     "True where backward() raises.",
        on_wrong=lambda wrong: f"{len(wrong)} of 5 wrong. Look again at snippet {wrong[0]}: which node saved "
                               "which tensor? (Draw it with show_saved=True.)",
        ok="Correct! Backward fails only where a node saved the tensor that changed: "
           + " ".join(f"{name}: {why}" for name, (_, why) in _INPLACE_RULES.items()))


# -- section 3: two losses that share a graph ------------------------------------------------------
TWO_LOSSES_X = np.array([1.0, 0.5, -2.0])


def _gradient_hint(answer, x0: np.ndarray, name: str, when: str) -> "str | None":
    """Why `answer` is not the tensor `name` (values x0) with a gradient autograd left in it; None if it is."""
    if not is_tensor(answer) or not answer.requires_grad or not answer.is_leaf:
        return f"Set `answer = {name}`: the tensor itself (the checker reads {name}.grad), {when}."
    if not _close(as_array(answer), x0):
        return f"{name} should keep its values {x0.tolist()}: re-run the cell from its first line."
    if gradient_of(answer) is None:
        return f"{name}.grad is None: nothing reached {name} yet. Call backward(), {when}."
    return None


@checker
def two_losses(answer) -> None:
    """answer: x, after backward on loss_1 = sum(x^2) and loss_2 = sum((x^2)^2); x.grad should be 2x + 4x^3."""
    x = TWO_LOSSES_X
    expected, first, second = 2 * x + 4 * x ** 3, 2 * x, 4 * x ** 3
    problem = _gradient_hint(answer, x, "x", "after both backward() calls (the first one with retain_graph=True)")
    got = gradient_of(answer)
    if problem:
        say(False, hint=problem)
    elif _close(got, first):
        say(False, hint="x.grad is the gradient of loss_1 alone (2x). loss_2's backward must add to it.")
    elif _close(got, second):
        say(False, hint="x.grad is the gradient of loss_2 alone (4x^3): was x.grad reset, or x re-created, in "
                        "between?")
    else:
        say(_close(got, expected),
            ok="Correct! x.grad = 2x + 4x^3: the two gradients added up, and the graph of h = x ** 2 was kept "
               "alive for the second backward by retain_graph=True.",
            hint=f"Expected x.grad = 2x + 4x^3 = {expected.tolist()}, got {got.tolist()}.")


# -- section 4: a loss that was not tracked --------------------------------------------------------
TRACK_W0 = np.array([1.0, -2.0, 0.5])


@checker
def tracked_again(answer) -> None:
    """answer: the tensor w, after the fixed code ran backward: w.grad = d/dw sum((w - 1)^2) = 2 (w - 1)."""
    expected = 2 * (TRACK_W0 - 1)
    if not is_tensor(answer):
        say(False, hint="Set `answer = w`: the tensor itself, after loss.backward() has run.")
    elif not answer.requires_grad:
        say(False, hint="w does not require grad: create it with requires_grad=True (or call w.requires_grad_()).")
    elif not answer.is_leaf:
        say(False, hint="`answer` has a grad_fn: set it to the leaf w you created, not to a result.")
    elif not _close(as_array(answer), TRACK_W0):
        say(False, hint=f"w should keep its values {TRACK_W0.tolist()}; this exercise does no update step.")
    elif answer.grad is None:
        say(False, hint="w.grad is None: backward() has not reached w. Compute the loss outside `torch.no_grad()`, "
                        "then call loss.backward().")
    elif _close(as_array(answer.grad), 2 * expected):
        say(False, hint="w.grad is twice 2 (w - 1): backward ran twice on the same w. Re-run the whole cell.")
    else:
        say(_close(as_array(answer.grad), expected),
            ok="Correct! The loss was recorded this time, and w.grad = 2 (w - 1) = [0, -6, -1].",
            hint=f"Expected w.grad = 2 (w - 1) = {expected.tolist()}.")


# -- section 5: a weighted gradient of a vector ----------------------------------------------------
VJP_X, VJP_V = np.array([1.0, 2.0, -1.0]), np.array([1.0, 0.0, 2.0])


@checker
def weighted_gradient(answer) -> None:
    """answer: x, after y = x^3 and y.backward(gradient=v); x.grad should be v * 3x^2 (each y_i depends on x_i only)."""
    local = 3 * VJP_X ** 2
    expected = VJP_V * local
    problem = _gradient_hint(answer, VJP_X, "x", "after y.backward(gradient=v)")
    got = gradient_of(answer)
    if problem:
        say(False, hint=problem)
    elif _close(got, local):
        say(False, hint="x.grad is 3x^2, the gradient of y.sum() (gradient=ones). Weigh each y_i by v_i: gradient=v.")
    else:
        say(_close(got, expected),
            ok="Correct! x.grad = v * 3x^2 = [3, 0, 6]: backward(gradient=v) gives the gradient of (v * y).sum(), "
               "v times the Jacobian.",
            hint=f"Expected x.grad = v * 3x^2 = {expected.tolist()}, got {got.tolist()}.")


# -- section 6: which .grad is None ----------------------------------------------------------------
_NONE_RULES = {
    "a.grad is None": (False, "a is a leaf that requires grad: backward() fills its .grad."),
    "b.grad is None": (True, "b is an intermediate result: its gradient passes through and is not kept."),
    "c.grad is None": (False, "c is not a leaf, but c.retain_grad() asked to keep its gradient."),
    "a_new.grad is None": (True, "a_new = a - 0.1 * a.grad is a new tensor made by an operation: not a leaf, "
                                 "and nothing has run backward through it."),
}


@checker
def predict_grad_none(answer) -> None:
    """answer: (a.grad is None, b.grad is None, c.grad is None, a_new.grad is None), predicted before running."""
    check_predictions(
        answer, _NONE_RULES, asks=f"Set `answer` to four True/False values: ({', '.join(_NONE_RULES)}).",
        on_wrong=lambda wrong: f"{len(wrong)} of 4 wrong. Start with `{wrong[0]}`: is it a leaf, and did anything "
                               "ask to keep its gradient?",
        ok="Correct! " + " ".join(why for _, why in _NONE_RULES.values()))


# -- section 7: a training loop that forgets zero_grad ---------------------------------------------
LOOP_X = np.linspace(-1.0, 1.0, 5)
LOOP_T = 3.0 - LOOP_X
LOOP_LR, LOOP_STEPS = 0.3, 10


def loop_losses(zero_grad: bool) -> list[float]:
    """The losses of the exercise's loop (w, b from 0; mean squared error of w x + b against t = 3 - x), with or without
    resetting the gradients each step: NumPy, with the hand-derived gradient of the mean squared error."""
    w = b = 0.0
    grad_w = grad_b = 0.0
    losses = []
    for _ in range(LOOP_STEPS):
        error = w * LOOP_X + b - LOOP_T
        losses.append(float(np.mean(error ** 2)))
        if zero_grad:
            grad_w = grad_b = 0.0
        grad_w += float(np.mean(2 * error * LOOP_X))
        grad_b += float(np.mean(2 * error))
        w, b = w - LOOP_LR * grad_w, b - LOOP_LR * grad_b
    return losses


def _losses(answer) -> "np.ndarray | None":
    """A list of numbers (Python floats, or one-element tensors) or a 1-D tensor, as a 1-D array; else None."""
    if is_tensor(answer):
        got = as_array(answer)
        return got if got is not None and got.ndim == 1 else None
    if not isinstance(answer, (list, tuple)):
        return None
    values = [as_array(v) for v in answer]
    if any(v is None or v.size != 1 or isinstance(v0, bool) for v, v0 in zip(values, answer)):
        return None
    return np.array([float(v.reshape(())) for v in values])


@checker
def fixed_loop(answer) -> None:
    """answer: the list of the ten losses of the loop with optimizer.zero_grad() in it."""
    expected, broken = np.array(loop_losses(True)), np.array(loop_losses(False))
    got = _losses(answer)
    if got is None or got.shape != expected.shape:
        say(False, hint=f"Set `answer = losses`: the list of the {LOOP_STEPS} losses the fixed loop recorded "
                        "(one number per step).")
    elif np.allclose(got, broken, rtol=1e-4):
        say(False, hint="These are the losses of the loop as it was: the gradients still add up from step to step. "
                        "Call optimizer.zero_grad() before each backward().")
    else:
        say(np.allclose(got, expected, rtol=1e-4, atol=1e-6),
            ok=f"Correct! The loss falls at every step, from {expected[0]:.2f} to {expected[-1]:.4f}.",
            hint=f"Expected the losses to start {np.round(expected[:3], 4).tolist()}...; got "
                 f"{np.round(got[:3], 4).tolist()}...")


# Each solution rebuilds everything it uses, so it passes after any attempt; it uses only `torch` and `check`.
SOLUTIONS = {
    "sgd_step": """\
w = torch.tensor([3.0, -1.0], requires_grad=True)
t = torch.tensor([1.0, 1.0])
lr = 0.25
loss = ((w - t) ** 2).sum()
loss.backward()
with torch.no_grad():
    w -= lr * w.grad
w.grad = None
answer = w
check.sgd_step(answer)
""",
    "predict_inplace": """\
answer = (True, False, False, True, False)   # a and d: a node saved h (h * w saves h; h ** 2 saves h)
check.predict_inplace(answer)
""",
    "two_losses": """\
x = torch.tensor([1.0, 0.5, -2.0], requires_grad=True)
h = x ** 2
loss_1 = h.sum()
loss_2 = (h ** 2).sum()
loss_1.backward(retain_graph=True)  # h's node must keep x for loss_2's pass
loss_2.backward()
answer = x
check.two_losses(answer)
""",
    "tracked_again": """\
w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
loss = ((w - 1) ** 2).sum()          # outside no_grad: recorded
loss.backward()
answer = w
check.tracked_again(answer)
""",
    "weighted_gradient": """\
x = torch.tensor([1.0, 2.0, -1.0], requires_grad=True)
v = torch.tensor([1.0, 0.0, 2.0])
y = x ** 3
y.backward(gradient=v)
answer = x
check.weighted_gradient(answer)
""",
    "predict_grad_none": """\
answer = (False, True, False, True)   # leaves and retain_grad() keep a gradient; other results do not
check.predict_grad_none(answer)
""",
    "fixed_loop": """\
x = torch.linspace(-1, 1, 5)
t = 3 - x
w = torch.tensor(0.0, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
optimizer = torch.optim.SGD([w, b], lr=0.3)
losses = []
for step in range(10):
    optimizer.zero_grad()              # the missing line
    loss = ((w * x + b - t) ** 2).mean()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
answer = losses
check.fixed_loop(answer)
""",
}

solution = solution_function(__name__, SOLUTIONS)

__all__ = ["sgd_step", "predict_inplace", "two_losses", "tracked_again", "weighted_gradient",
           "predict_grad_none", "fixed_loop", "loop_losses", "SOLUTIONS", "solution"]
