"""(1) One training step of an MLP (forward, loss, backward, SGD with momentum), float32.

Three ways to do the same step, from the same starting weights and the same batch:
  minigrad      nn.Sequential + loss + .backward() + optim.SGD
  NumPy (hand)  the tutorial's "manual" way: forward and backward written out with matrix products
  PyTorch       torch.nn + torch.optim on the CPU, with as many threads as NumPy gets
The first step of each is checked to give the same loss and the same updated weights before
anything is timed, so the three are known to compute the same thing.
"""
from __future__ import annotations

import numpy as np

import minigrad

from . import common
from .common import OFF, ON, fmt_time, ratio, samples, table, torch

LR, MOMENTUM = 0.01, 0.9


class HandMLP:
    """An MLP with ReLU between layers, forward and backward written by hand in NumPy."""

    def __init__(self, weights: list[np.ndarray], biases: list[np.ndarray], loss: str) -> None:
        self.W = [w.copy() for w in weights]  # W[i] has shape (out, in), as nn.Linear stores it
        self.b = [b.copy() for b in biases]
        self.vW = [np.zeros_like(w) for w in self.W]  # momentum buffers
        self.vb = [np.zeros_like(b) for b in self.b]
        self.loss = loss
        self.first = True

    def arrays(self) -> list[np.ndarray]:
        """The state a step changes: weights, biases, momentum buffers."""
        return self.W + self.b + self.vW + self.vb

    def step(self, X: np.ndarray, y: np.ndarray) -> float:
        # forward: keep each layer's input (a) and pre-activation (z) for backward
        a, inputs, zs = X, [], []
        for i, (W, b) in enumerate(zip(self.W, self.b)):
            inputs.append(a)
            z = a @ W.T + b
            zs.append(z)
            a = np.maximum(z, 0) if i < len(self.W) - 1 else z
        n = X.shape[0]
        if self.loss == "mse":  # L = mean((out - y)**2);  dL/dout = 2 (out - y) / size
            diff = a - y
            loss = float((diff * diff).mean())
            grad = diff * np.float32(2.0 / diff.size)
        else:  # cross-entropy: L = mean(-log softmax(out)[y]);  dL/dout = (softmax - one_hot) / n
            shifted = a - a.max(axis=1, keepdims=True)
            exp = np.exp(shifted)
            total = exp.sum(axis=1, keepdims=True)
            loss = float((np.log(total[:, 0]) - shifted[np.arange(n), y]).mean())
            grad = exp / total
            grad[np.arange(n), y] -= 1
            grad *= np.float32(1.0 / n)
        # backward, last layer first: dW = grad^T a_in, db = sum of grad, d a_in = grad W
        for i in range(len(self.W) - 1, -1, -1):
            dW = grad.T @ inputs[i]
            db = grad.sum(axis=0)
            if i > 0:
                grad = (grad @ self.W[i]) * (zs[i - 1] > 0)
            # SGD with momentum (PyTorch's form): v = momentum v + g (v = g at the first step); p -= lr v
            for p, v, g in ((self.W[i], self.vW[i], dW), (self.b[i], self.vb[i], db)):
                if self.first:
                    v[...] = g
                else:
                    v *= MOMENTUM
                    v += g
                p -= np.float32(LR) * v
        self.first = False
        return loss


def _library_step(lib, sizes: list[int], loss: str, X: np.ndarray, y: np.ndarray, weights=None, biases=None):
    """The model and one training step, written once for minigrad and for PyTorch (`lib` is either
    module: minigrad's API is PyTorch's). Returns the step and the model's Linear layers; the step's
    `arrays()` gives its state (parameters, then momentum buffers) as NumPy arrays sharing memory."""
    layers: list = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(lib.nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(lib.nn.ReLU())
    model = lib.nn.Sequential(*layers)
    linears = [m for m in model if isinstance(m, lib.nn.Linear)]
    if weights is not None:  # start from the given weights (the other library's initialisation)
        with lib.no_grad():
            for layer, w, b in zip(linears, weights, biases):
                layer.weight.copy_(lib.from_numpy(w))
                layer.bias.copy_(lib.from_numpy(b))
    opt = lib.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = lib.nn.MSELoss() if loss == "mse" else lib.nn.CrossEntropyLoss()
    tX, ty = lib.from_numpy(X), lib.from_numpy(y)

    def step() -> float:
        opt.zero_grad()
        out = loss_fn(model(tX), ty)
        out.backward()
        opt.step()
        return out.item()

    step.arrays = lambda: ([p.detach().numpy() for p in model.parameters()] +
                           [state["momentum_buffer"].numpy() for state in opt.state.values()])
    step.parts = dict(model=model, loss_fn=loss_fn, opt=opt, X=tX, y=ty)  # for profile_step.py
    return step, linears


def _setup(sizes: list[int], batch: int, loss: str, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(batch, sizes[0])).astype(np.float32)
    if loss == "mse":
        y = rng.normal(size=(batch, sizes[-1])).astype(np.float32)
    else:
        y = rng.integers(0, sizes[-1], size=batch)
    minigrad.manual_seed(seed)
    minigrad_step, linears = _library_step(minigrad, sizes, loss, X, y)
    weights = [m.weight.detach().numpy().copy() for m in linears]
    biases = [m.bias.detach().numpy().copy() for m in linears]

    hand = HandMLP(weights, biases, loss)
    steps = {"minigrad": minigrad_step, "NumPy (hand)": lambda: hand.step(X, y)}
    steps["NumPy (hand)"].arrays = hand.arrays
    params = {"minigrad": lambda: [p.detach().numpy() for m in linears for p in (m.weight, m.bias)],
              "NumPy (hand)": lambda: [p for pair in zip(hand.W, hand.b) for p in pair]}

    before = common.BEFORE
    if before is not None:  # the second copy of minigrad (--against), from the same weights
        steps["minigrad (before)"], b_linears = _library_step(before, sizes, loss, X, y, weights, biases)
        params["minigrad (before)"] = lambda: [p.detach().numpy() for m in b_linears for p in (m.weight, m.bias)]
    if torch is not None:
        steps["PyTorch"], t_linears = _library_step(torch, sizes, loss, X, y, weights, biases)
        params["PyTorch"] = lambda: [p.detach().numpy() for m in t_linears for p in (m.weight, m.bias)]
    return steps, params


def check_same_step(steps, params) -> None:
    """Before timing: one step of each gives the same loss and the same new weights."""
    losses = {name: step() for name, step in steps.items()}
    reference = params["NumPy (hand)"]()
    for name in steps:
        assert abs(losses[name] - losses["NumPy (hand)"]) < 1e-4 * max(1.0, abs(losses[name])), losses
        for a, b in zip(params[name](), reference):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5, err_msg=f"{name} after one step")


CASES = [("batch 32, 2-16-16-1, MSE", [2, 16, 16, 1], 32, "mse"),
         ("batch 256, 64-256-256-10, cross-entropy", [64, 256, 256, 10], 256, "ce")]


def from_the_same_state(step):
    """A case for `samples` whose every sample starts from the state the step has now (weights and
    momentum buffers restored, untimed), so that each times the same steps of training: a run that
    trained on for hundreds of steps would drift into a different regime (the loss near 0,
    gradients tiny), and later samples would time different arithmetic than earlier ones."""
    arrays = getattr(step, "arrays", step)  # (a step, or the function giving its arrays)
    saved = [a.copy() for a in arrays()]

    def prepare():
        for array, value in zip(arrays(), saved):
            np.copyto(array, value)
        return step
    return prepare


def main(quick: bool = False) -> dict:
    rows, results = [], {}
    for title, sizes, batch, loss in CASES:
        steps, params = _setup(sizes, batch, loss)
        check_same_step(steps, params)
        number = 5 if quick else (100 if batch == 32 else 20)
        t = samples({name: from_the_same_state(step) for name, step in steps.items()}, repeats=3 if quick else 15,
                    number=number)
        results[title] = t
        for setting in (ON, OFF):
            row = [title, setting]
            for name in t:
                row.append(fmt_time(t[name][setting]["total"]))
                if name != "minigrad":
                    row.append(ratio(t["minigrad"][setting]["total"], t[name][setting]["total"]))
            rows.append(row)
    header = ["case", "collector"]
    for name in results[CASES[0][0]]:
        header += [name] if name == "minigrad" else [name, f"minigrad / {name}"]
    table("(1) MLP training step (forward, loss, backward, SGD momentum), float32, median per step",
          rows, header)
    return results
