"""Checkers for lesson 06 (backpropagation in a network): `from minigrad.lessons import lesson_06 as check`.

Expected values are recomputed independently: update counts from the formula ceil(n / batch) * epochs, the
last layer's gradient by the chain rule written out in NumPy (softmax + cross-entropy, whatever the hidden
layers are). A checker never raises: it prints "Correct! ..." or a hint. `check.solution("name")` shows a
solution.

>>> update_counts((600, 24, 3))
Correct! 600, 24 and 3 updates: ...
>>> update_counts((600.9, 24.5, 3.7))
Not yet: Each count is a whole number ...
"""
from __future__ import annotations

import math

import numpy as np

from ._tools import as_array, as_number, as_whole_number, checker, gradient_of, is_tensor, say, solution_function


@checker
def update_counts(answer) -> None:
    """answer: (stochastic, mini-batch, full-batch) numbers of parameter updates: three whole numbers, for the
    exercise's 200 examples, batches of 25 and 3 epochs."""
    n_examples, batch_size, epochs = 200, 25, 3
    expected = tuple(math.ceil(n_examples / b) * epochs for b in (1, batch_size, n_examples))
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        say(False, hint="Set `answer = (stochastic, mini_batch, full_batch)`: three whole numbers.")
        return
    got = tuple(as_whole_number(a) for a in answer)
    if any(g is None for g in got) or any(isinstance(a, (bool, np.bool_)) for a in answer):
        say(False, hint="Each count is a whole number of calls to optimizer.step(), like 8 (not 8.5).")
    elif got == tuple(math.ceil(n_examples / b) for b in (1, batch_size, n_examples)):
        say(False, hint=f"Those are the updates of one epoch; the question asks for {epochs} epochs.")
    else:
        say(got == expected,
            ok=f"Correct! {expected[0]}, {expected[1]} and {expected[2]} updates: one per batch, and an epoch has "
               f"{n_examples} / batch size batches.",
            hint="One update per batch; an epoch covers all examples once. How many batches of 1, of "
                 f"{batch_size}, of {n_examples} make {n_examples} examples?")


def _last_linear(model):
    """(index, layers): the model's layers and the index of the last one that has a weight; or None."""
    try:
        layers = list(model)
    except TypeError:
        return None
    for i in range(len(layers) - 1, -1, -1):
        if hasattr(layers[i], "weight") and hasattr(layers[i], "bias"):
            return i, layers
    return None


def _last_layer_gradient(model, X, y) -> np.ndarray:
    """d(mean cross-entropy)/d(W of the last Linear), by hand. The hidden activations h are the model's own
    forward pass up to that layer (any layers: Tanh, ReLU, ...); the gradient itself is the hand formula."""
    index, layers = _last_linear(model)
    h = X
    for layer in layers[:index]:
        h = layer(h)
    h = as_array(h)
    last = layers[index]
    logits = h @ as_array(last.weight).T + (as_array(last.bias) if last.bias is not None else 0)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    labels = as_array(y).astype(int)
    d_logits = (p - np.eye(p.shape[1])[labels]) / len(labels)  # softmax + cross-entropy, averaged
    return d_logits.T @ h                                       # logits = h W^T + b  =>  dW = d_logits^T h


@checker
def last_layer_gradient(answer, model, X, y) -> None:
    """answer: the gradient of the mean cross-entropy loss w.r.t. the weight of the model's last Linear layer
    (its .grad, or the weight itself after backward)."""
    found = _last_linear(model) if hasattr(model, "parameters") and hasattr(model, "__iter__") else None
    inputs, labels = as_array(X), as_array(y)
    if found is None or not is_tensor(X) or inputs is None or inputs.ndim != 2 or labels is None or \
            labels.shape != (len(inputs),) or not np.all(labels == np.round(labels)) or labels.min() < 0:
        say(False, hint="Call the checker with the model, the inputs and the labels: "
                        "check.last_layer_gradient(answer, model, X, y).")
        return
    if found[0] != len(found[1]) - 1:
        say(False, hint="This checker expects a model whose last layer is Linear (the scores, or logits).")
        return
    if is_tensor(answer) and answer.requires_grad:      # the weight itself: read what autograd left in it
        answer = gradient_of(answer)
    got = as_array(answer)
    if got is None:
        say(False, hint="Call loss.backward(), then read the gradient from the last layer: model[-1].weight.grad.")
        return
    try:
        expected = _last_layer_gradient(model, X, y)
    except Exception as error:  # noqa: BLE001 - the model does not take X: say so
        say(False, hint=f"The model could not be run on X ({type(error).__name__}: {error}). Pass the model, "
                        "its inputs and their labels: check.last_layer_gradient(answer, model, X, y).")
        return
    if got.shape != expected.shape:
        say(False, hint=f"Expected the shape of the last layer's weight, {expected.shape}, got {got.shape}. "
                        "(Is it the weight, not the bias, of the last Linear layer?)")
    elif np.allclose(got, 2 * expected, rtol=1e-4, atol=1e-7):
        say(False, hint="That is twice the expected gradient: did backward run twice? Gradients add up; build the "
                        "loss again or zero the gradients first.")
    else:
        say(np.allclose(got, expected, rtol=1e-4, atol=1e-7),
            ok="Correct! It matches the chain rule written out by hand: (softmax - one-hot)^T h / N.",
            hint="That is not d loss / d W of the last layer. Compute the loss on all of X, call loss.backward() "
                 "once, then take model[-1].weight.grad.")


_ACTIVATIONS = {"Tanh": np.tanh, "ReLU": lambda h: np.maximum(h, 0.0), "Sigmoid": lambda h: 1 / (1 + np.exp(-h))}


def _last_layer_step(model, before: dict, X, y) -> "tuple[np.ndarray, np.ndarray] | None":
    """(dL/dW, dL/db) of the last Linear layer, by hand, from the weights in `before` ({name: tensor}), for a
    Sequential of Linear layers and Tanh/ReLU/Sigmoid; None for any other model."""
    layers = list(model)
    h = as_array(X)
    for i, layer in enumerate(layers[:-1]):
        if hasattr(layer, "weight"):
            h = h @ as_array(before[f"{i}.weight"]).T + as_array(before[f"{i}.bias"])
        elif type(layer).__name__ in _ACTIVATIONS:
            h = _ACTIVATIONS[type(layer).__name__](h)
        else:
            return None
    last = len(layers) - 1
    logits = h @ as_array(before[f"{last}.weight"]).T + as_array(before[f"{last}.bias"])
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    labels = as_array(y).astype(int)
    d_logits = (p - np.eye(p.shape[1])[labels]) / len(labels)   # softmax + cross-entropy, averaged
    return d_logits.T @ h, d_logits.sum(axis=0)


_FROZEN = ["0.weight", "0.bias", "2.weight", "2.bias"]  # frozen by the exercise: model[0] and model[2]
_TRAINED = ["4.weight", "4.bias"]  # the last layer, model[4], keeps training


@checker
def frozen_step(answer, before, X, y, lr: float = 0.5) -> None:
    """answer: the model after freezing model[0] and model[2] (requires_grad_(False)) and one SGD step of
    learning rate lr on (X, y). Frozen: requires_grad False, .grad None, weights as in `before`. The last layer:
    weights = before - lr * (the gradient worked out by hand from `before`)."""
    names = _FROZEN + _TRAINED
    params = dict(answer.named_parameters()) if hasattr(answer, "named_parameters") else {}
    if sorted(params) != sorted(names) or not isinstance(before, dict) or sorted(before) != sorted(names):
        say(False, hint="Set `answer = model` (the whole model), and call the checker as in the exercise cell: "
                        "check.frozen_step(answer, before, X, y, lr=0.5).")
        return
    inputs, labels, rate = as_array(X), as_array(y), as_number(lr)
    if inputs is None or inputs.ndim != 2 or labels is None or labels.shape != (len(inputs),) or \
            rate is None or rate <= 0 or any(as_array(before[n]) is None for n in names):
        say(False, hint="Call the checker as in the exercise cell: check.frozen_step(answer, before, X, y, lr=0.5), "
                        "with `before` the weights copied before training.")
        return
    hint = _freezing_hint(params, before)
    if hint:
        say(False, hint=hint)
    else:
        _judge_last_layer(answer, params, before, inputs, labels, rate)


def _freezing_hint(params: dict, before: dict) -> "str | None":
    """What is wrong with the freezing (the first thing, in the order a learner fixes it), or None."""
    moved = {n: not np.array_equal(as_array(params[n]), as_array(before[n])) for n in _FROZEN + _TRAINED}
    still = [n for n in _FROZEN if params[n].requires_grad]
    if still:
        return (f"{', '.join(still)} still require grad: freeze the layers with model[0].requires_grad_(False) "
                "and model[2].requires_grad_(False).")
    if any(params[n].grad is not None for n in _FROZEN):
        return ("A frozen parameter has a .grad: freeze the layers *before* the forward pass and backward, "
                "and start again from the exercise cell.")
    if any(moved[n] for n in _FROZEN):
        return "A frozen layer moved: freeze it before the optimizer step (run the exercise cell again)."
    if not params["4.weight"].requires_grad or not params["4.bias"].requires_grad:
        return "The last layer, model[4], must keep training: leave its requires_grad True."
    if params["4.weight"].grad is None or not moved["4.weight"]:
        return "The last layer did not learn: compute the loss on X, y, call backward(), then optimizer.step()."
    return None


def _judge_last_layer(model, params: dict, before: dict, inputs, labels, rate: float) -> None:
    """The verdict on the last layer's step: one step of -rate * the gradient worked out by hand."""
    expected = _last_layer_step(model, before, inputs, labels)
    if expected is None:
        say(False, hint="The checker expects the lesson's model: Linear and Tanh layers, five in all.")
        return
    w, b = (as_array(before[n]) - rate * g for n, g in zip(_TRAINED, expected))
    w_twice = as_array(before["4.weight"]) - 2 * rate * expected[0]
    if np.allclose(as_array(params["4.weight"]), w_twice, atol=1e-5) and not np.allclose(w_twice, w, atol=1e-5):
        say(False, hint="The last layer moved twice as far as one step: take exactly one step (gradients add "
                        "up over backward calls). Run the exercise cell again.")
    else:
        say(np.allclose(as_array(params["4.weight"]), w, atol=1e-5) and
            np.allclose(as_array(params["4.bias"]), b, atol=1e-5),
            ok="Correct! model[0] and model[2] kept their weights and their .grad is None; only model[4] moved, "
               "by exactly -lr times its gradient.",
            hint="The last layer moved, but not by one step of -lr * gradient of the loss on all of X, y. "
                 "Run the exercise cell again, then: freeze, zero_grad, loss on X, y, backward, one step.")


SOLUTIONS = {
    "update_counts": """\
answer = (200 * 3, 200 // 25 * 3, 1 * 3)     # one step per batch: 200, 8 and 1 batches per epoch
check.update_counts(answer)
""",
    "last_layer_gradient": """\
from minigrad.data import make_moons
X_all, y_all = make_moons(n_samples=300, noise=0.2, seed=0, lib=torch)
X, y = X_all[:200], y_all[:200]
torch.manual_seed(2)                      # the exercise's model: make_model(seed=2)
nn = torch.nn
model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 2))
loss = nn.CrossEntropyLoss()(model(X), y)
loss.backward()
answer = model[4].weight.grad
check.last_layer_gradient(answer, model, X, y)
""",
    "frozen_step": """\
from minigrad.data import make_moons
X_all, y_all = make_moons(n_samples=300, noise=0.2, seed=0, lib=torch)
X, y = X_all[:200], y_all[:200]
torch.manual_seed(3)
nn = torch.nn
model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 2))
before = {name: p.detach().clone() for name, p in model.named_parameters()}
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
model[0].requires_grad_(False)            # freeze the first two Linear layers ...
model[2].requires_grad_(False)
optimizer.zero_grad()                     # ... then one ordinary training step
nn.CrossEntropyLoss()(model(X), y).backward()
optimizer.step()
answer = model
check.frozen_step(answer, before, X, y, lr=0.5)
""",
}

solution = solution_function(__name__, SOLUTIONS)
