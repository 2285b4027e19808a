"""Checkers for lesson 06 (backpropagation in a network).

Expected values are recomputed independently: update counts from the formula ceil(n / batch) * epochs,
gradients by the chain rule written out in NumPy. A checker never raises: it prints "Correct! ..." or a hint.
"""
from __future__ import annotations

import math

import numpy as np

from ._lesson_tools import as_array, say


def update_counts(answer, n_examples: int = 200, batch_size: int = 25, epochs: int = 3) -> None:
    """answer: (stochastic, mini-batch, full-batch) numbers of parameter updates."""
    expected = tuple(math.ceil(n_examples / b) * epochs for b in (1, batch_size, n_examples))
    try:
        got = tuple(int(a) for a in answer)
    except (TypeError, ValueError):
        say(False, hint="Set `answer = (stochastic, mini_batch, full_batch)`: three whole numbers.")
        return
    if len(got) != 3:
        say(False, hint="Give three numbers: (stochastic, mini_batch, full_batch).")
    elif got == tuple(math.ceil(n_examples / b) for b in (1, batch_size, n_examples)):
        say(False, hint=f"Those are the updates of one epoch; the question asks for {epochs} epochs.")
    else:
        say(got == expected,
            ok=f"Correct! {expected[0]}, {expected[1]} and {expected[2]} updates: one per batch, and an epoch has "
               f"{n_examples} / batch size batches.",
            hint="One update per batch; an epoch covers all examples once. How many batches of 1, of "
                 f"{batch_size}, of {n_examples} make {n_examples} examples?")


def _last_layer_gradient(model, X, y) -> np.ndarray:
    """d(mean cross-entropy)/d(W of the last Linear), by hand, for Linear/Tanh stacks."""
    h = X.detach().numpy().astype(np.float64)
    layers = list(model)
    for layer in layers[:-1]:  # every layer but the last: Linear or Tanh
        if hasattr(layer, "weight"):
            h = h @ layer.weight.detach().numpy().T + layer.bias.detach().numpy()
        else:
            h = np.tanh(h)
    last = layers[-1]
    logits = h @ last.weight.detach().numpy().T + last.bias.detach().numpy()
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    labels = y.numpy()
    d_logits = (p - np.eye(p.shape[1])[labels]) / len(labels)  # softmax + cross-entropy, averaged
    return d_logits.T @ h                                       # logits = h W^T + b  =>  dW = d_logits^T h


def last_layer_gradient(answer, model, X, y) -> None:
    """answer: the gradient of the loss w.r.t. the weight of the model's last Linear layer."""
    got = as_array(answer)
    if got is None:
        say(False, hint="Call loss.backward(), then read the gradient from the last layer: model[-1].weight.grad.")
        return
    expected = _last_layer_gradient(model, X, y)
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
