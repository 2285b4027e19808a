"""The lesson checkers (minigrad/lessons/lesson_*.py): "Correct" for every right answer, a hint for every
wrong one, never an exception; and every solution passes its checker, on minigrad and on PyTorch.

Right answers are computed here independently of the checkers: central finite differences in NumPy, or
the hand formula. They are given as minigrad tensors and as PyTorch tensors (when torch is installed).
Wrong answers are the mistakes the hints name, plus what the checkers used to let through (typed numbers
where the exercise says "use autograd", recorded results where it says "without recording", 600.9 for a
count, a model with ReLU). Junk (None, strings, bools, lists, wrong shapes, tensors that require grad, inf,
10**400, ...) is generated in a loop for every checker and every argument position.
"""
from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import math
import pkgutil
from pathlib import Path

import numpy as np
import pytest

import minigrad
import minigrad.lessons
from minigrad.lessons import (lesson_01, lesson_02, lesson_03, lesson_04, lesson_05, lesson_06, lesson_07,
                              lesson_08)
from minigrad.lessons._tools import SolutionView, as_array, as_whole_number, run_solution

try:
    import torch as real_torch
except ImportError:  # the PyTorch half of each test skips
    real_torch = None

# every lesson module, found by walking the package: a new lesson's checkers get the junk loop and the
# solution test below too (its right and wrong answers are tested in its own file, e.g. test_lesson09_checks.py)
MODULES = [importlib.import_module(f"minigrad.lessons.{m.name}")
           for m in pkgutil.iter_modules(minigrad.lessons.__path__) if m.name.startswith("lesson_")]
NET = "the checker could not read this answer"  # what the @checker safety net says


@pytest.fixture(params=["minigrad", "torch"])
def lib(request):
    if request.param == "torch":
        return pytest.importorskip("torch")
    return minigrad


def slope(f, x: float, h: float = 1e-5) -> float:
    """f'(x) by central differences."""
    return (f(x + h) - f(x - h)) / (2 * h)


def gradient_fd(f, a: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """The gradient of the scalar f at the array a, entry by entry, by central differences."""
    a = np.asarray(a, dtype=np.float64)
    g = np.zeros_like(a)
    for i in np.ndindex(a.shape):
        up, down = a.copy(), a.copy()
        up[i] += h
        down[i] -= h
        g[i] = (f(up) - f(down)) / (2 * h)
    return g


def said(checker, *args) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        checker(*args)
    return out.getvalue().strip()


def assert_correct(checker, *args):
    out = said(checker, *args)
    assert out.startswith("Correct"), out


def assert_hint(checker, *args, mentions: str = ""):
    out = said(checker, *args)
    assert out.startswith("Not yet:") and len(out) > len("Not yet: ") + 10, out
    assert NET not in out, f"the safety net caught an exception instead of a precise hint: {out}"
    assert mentions.lower() in out.lower(), f"the hint should mention {mentions!r}: {out}"


def with_grad(lib, values, grad):
    """A leaf tensor holding `values` whose .grad is `grad`, as backward would leave it."""
    t = lib.tensor(np.asarray(values, dtype=np.float32), requires_grad=True)
    t.grad = lib.tensor(np.asarray(grad, dtype=np.float32))
    return t


def backward_of(lib, values, f):
    """A leaf tensor holding `values` after f(leaf).backward(): its .grad computed by autograd."""
    t = lib.tensor(np.asarray(values, dtype=np.float32), requires_grad=True)
    f(t).backward()
    return t


# -- lesson 01 -----------------------------------------------------------------------------------

def test_01_derivative(lib):
    right = slope(lambda x: x ** 3 - 2 * x, 2.0)
    assert_correct(lesson_01.derivative, right)
    assert_correct(lesson_01.derivative, lib.tensor(round(right, 6)))
    assert_hint(lesson_01.derivative, 2.0 ** 3 - 2 * 2.0, mentions="f(2)")      # the value, not the slope
    assert_hint(lesson_01.derivative, 3 * 2.0 ** 2, mentions="-2x")             # forgot a term
    assert_hint(lesson_01.derivative, 7)
    assert_hint(lesson_01.derivative, "10", mentions="one number")               # a string is not a number


def test_01_chain_rule(lib):
    right = slope(lambda x: (2 * x + 1) ** 3, 1.0)
    assert_correct(lesson_01.chain_rule, right)
    assert_correct(lesson_01.chain_rule, lib.tensor([right]))
    assert_hint(lesson_01.chain_rule, 27, mentions="inner")                      # 3u^2 without du/dx
    assert_hint(lesson_01.chain_rule, 3 * 2 * 1.0 ** 2)


def _q_tensors(lib, x0=1.5, y0=-1.0, times=1):
    x = lib.tensor(x0, requires_grad=True)
    y = lib.tensor(y0, requires_grad=True)
    for _ in range(times):
        (x ** 2 * y + y ** 3).backward()
    return x, y


def test_01_gradient(lib):
    right = gradient_fd(lambda v: v[0] ** 2 * v[1] + v[1] ** 3, np.array([1.5, -1.0]))
    assert_correct(lesson_01.gradient, _q_tensors(lib))
    assert_correct(lesson_01.gradient, [with_grad(lib, 1.5, right[0]), with_grad(lib, -1.0, right[1])])
    assert_hint(lesson_01.gradient, tuple(right), mentions="tensors themselves")          # typed numbers
    x, y = _q_tensors(lib)
    assert_hint(lesson_01.gradient, (x.grad, y.grad), mentions="tensors themselves")      # copies of .grad
    assert_hint(lesson_01.gradient, (y, x), mentions="1.5")
    assert_hint(lesson_01.gradient, _q_tensors(lib, times=2), mentions="twice")
    assert_hint(lesson_01.gradient, (with_grad(lib, 1.5, right[1]), with_grad(lib, -1.0, right[0])),
                mentions="swapped")
    fresh = (lib.tensor(1.5, requires_grad=True), lib.tensor(-1.0, requires_grad=True))
    assert_hint(lesson_01.gradient, fresh, mentions="backward")                           # .grad still None


# -- lesson 02 -----------------------------------------------------------------------------------

def test_02_tracked_zeros(lib):
    assert_correct(lesson_02.tracked_zeros, lib.zeros(2, 3, requires_grad=True))
    assert_hint(lesson_02.tracked_zeros, lib.zeros(2, 3), mentions="requires_grad=True")
    assert_hint(lesson_02.tracked_zeros, lib.ones(2, 3, requires_grad=True), mentions="zeros")
    assert_hint(lesson_02.tracked_zeros, lib.zeros(3, 2, requires_grad=True), mentions="shape")
    assert_hint(lesson_02.tracked_zeros, lib.zeros(2, 3, requires_grad=True) * 1, mentions="leaf")
    assert_hint(lesson_02.tracked_zeros, np.zeros((2, 3)), mentions="requires_grad")
    assert_hint(lesson_02.tracked_zeros, [[0, 0, 0], [0, 0, 0]], mentions="requires_grad")


# By the rules the lesson states (a result requires grad when an input does; no graph behind it: a leaf).
PREDICT_02 = (True, False, False, True)   # c.requires_grad, c.is_leaf, d.requires_grad, d.is_leaf
PREDICT_03 = (False, False, True, False)  # a, b, c, d .requires_grad


def test_02_predict_tracking():
    assert_correct(lesson_02.predict_tracking, PREDICT_02)
    assert_correct(lesson_02.predict_tracking, list(PREDICT_02))
    assert_hint(lesson_02.predict_tracking, (True, True, False, False), mentions="2 of 4")
    assert_hint(lesson_02.predict_tracking, (True, False, False), mentions="four")
    assert_hint(lesson_02.predict_tracking, (1, 0, 0, 1), mentions="True/False")


def test_02_03_predictions_are_what_pytorch_does():
    torch = pytest.importorskip("torch")
    w = torch.ones(3, requires_grad=True)
    b = torch.ones(3)
    c, d = w * b, b + 1
    assert (c.requires_grad, c.is_leaf, d.requires_grad, d.is_leaf) == PREDICT_02
    x = torch.ones(3, requires_grad=True)
    a = x.detach() * 2
    with torch.no_grad():
        b = x * 2
    c = x * 2
    d = (x * 2).detach()
    assert (a.requires_grad, b.requires_grad, c.requires_grad, d.requires_grad) == PREDICT_03


# -- lesson 03 -----------------------------------------------------------------------------------

def test_03_untracked_triple(lib):
    x = lib.rand(3, requires_grad=True)
    values = x.detach().numpy().astype(np.float64)
    with lib.no_grad():
        assert_correct(lesson_03.untracked_triple, 3 * x, x)
    assert_correct(lesson_03.untracked_triple, 3 * x.detach(), x)
    assert_hint(lesson_03.untracked_triple, 3 * x, x, mentions="no_grad")                    # recorded
    assert_hint(lesson_03.untracked_triple, lib.tensor(np.round(3 * values, 4)), x, mentions="typed")  # hard-coded
    assert_hint(lesson_03.untracked_triple, x.detach(), x, mentions="3 * x")
    assert_hint(lesson_03.untracked_triple, 3 * values, x, mentions="tensor")                 # NumPy
    assert_hint(lesson_03.untracked_triple, 3 * x.detach(), mentions="check.untracked_triple(answer, x)")


def test_03_predict_tracked():
    assert_correct(lesson_03.predict_tracked, PREDICT_03)
    assert_hint(lesson_03.predict_tracked, (False, False, False, False), mentions="c")
    assert_hint(lesson_03.predict_tracked, (True, True, True, True))
    assert_hint(lesson_03.predict_tracked, (False, False, True), mentions="four")


def _detached(lib, x0, detach_first=True, times=1):
    x = lib.tensor(x0, requires_grad=True)
    for _ in range(times):
        y = x * x
        z = y.detach() * x if detach_first else y * x.detach()
        z.backward()
    return x


def test_03_detach_gradient(lib):
    for x0 in (3.0, -0.5, 1.0):
        right = slope(lambda v: (x0 * x0) * v, x0)          # u = y.detach() is a constant: d(u x)/dx = u
        assert_correct(lesson_03.detach_gradient, _detached(lib, x0))
        assert_correct(lesson_03.detach_gradient, with_grad(lib, x0, right))
    no_detach = backward_of(lib, 3.0, lambda x: (x * x) * x)
    assert_hint(lesson_03.detach_gradient, no_detach, mentions="not detached")
    assert_hint(lesson_03.detach_gradient, _detached(lib, 3.0, detach_first=False), mentions="other factor")
    assert_hint(lesson_03.detach_gradient, _detached(lib, 3.0, times=2), mentions="twice")
    assert_hint(lesson_03.detach_gradient, 9.0, mentions="answer = x")                          # typed number
    assert_hint(lesson_03.detach_gradient, lib.tensor(3.0, requires_grad=True), mentions="empty")
    assert_hint(lesson_03.detach_gradient, _detached(lib, 0.0), mentions="x = 0")


# -- lesson 04 -----------------------------------------------------------------------------------

def _tensors_04(lib, seed=0):
    rng = np.random.default_rng(seed)
    real = lib.tensor(rng.random((2, 3)).astype(np.float32))
    predicted = lib.tensor(rng.random((2, 3)).astype(np.float32), requires_grad=True)
    return predicted, real


def test_04_mean_loss_gradient(lib):
    predicted, real = _tensors_04(lib)
    P, R = as_array(predicted), as_array(real)
    right = gradient_fd(lambda p: ((p - R) ** 2).mean(), P)
    with lib.no_grad():
        by_torch = 2 * (predicted - real) / predicted.numel()
    assert_correct(lesson_04.mean_loss_gradient, by_torch, predicted, real)
    assert_correct(lesson_04.mean_loss_gradient, lib.tensor(right.astype(np.float32)), predicted, real)
    assert_hint(lesson_04.mean_loss_gradient, 2 * (predicted - real) / 6, predicted, real, mentions="recorded")
    assert_hint(lesson_04.mean_loss_gradient, lib.tensor(2 * (P - R)), predicted, real, mentions="sum")
    assert_hint(lesson_04.mean_loss_gradient, lib.tensor(-right), predicted, real, mentions="sign")
    assert_hint(lesson_04.mean_loss_gradient, lib.tensor(right.sum()), predicted, real, mentions="shape")
    assert_hint(lesson_04.mean_loss_gradient, lib.tensor(np.round(right, 3)), predicted, real, mentions="typed")
    assert_hint(lesson_04.mean_loss_gradient, right, predicted, real, mentions="tensor")
    loss = ((predicted - real) ** 2).mean()
    loss.backward()
    assert_hint(lesson_04.mean_loss_gradient, predicted.grad, predicted, real, mentions="autograd")
    assert_hint(lesson_04.mean_loss_gradient, by_torch, mentions="check.mean_loss_gradient(answer, predicted, real)")


def test_04_abs_loss_gradient(lib):
    predicted, real = _tensors_04(lib, seed=1)
    P, R = as_array(predicted), as_array(real)
    right = gradient_fd(lambda p: np.abs(p - R).sum(), P)                    # no entry sits at the kink
    (predicted - real).abs().sum().backward()
    assert_correct(lesson_04.abs_loss_gradient, predicted, real)
    assert_correct(lesson_04.abs_loss_gradient, with_grad(lib, P, right), real)
    assert_hint(lesson_04.abs_loss_gradient, predicted.grad, real, mentions="answer = predicted")   # a copy of .grad
    assert_hint(lesson_04.abs_loss_gradient, right, real, mentions="answer = predicted")            # typed
    assert_hint(lesson_04.abs_loss_gradient, with_grad(lib, P, 2 * (P - R)), real, mentions="squared")
    accumulated = right + 2 * (P - R) / 6                                     # exercise 1's grad left in .grad
    assert_hint(lesson_04.abs_loss_gradient, with_grad(lib, P, accumulated), real, mentions="add up")
    assert_hint(lesson_04.abs_loss_gradient, with_grad(lib, P, -right), real)
    assert_hint(lesson_04.abs_loss_gradient, predicted, mentions="real")


# -- lesson 05 -----------------------------------------------------------------------------------

def test_05_partials_by_hand(lib):
    f = lambda v: v[0] ** 2 * v[1] + 3 * v[1]  # noqa: E731
    right = gradient_fd(f, np.array([1.5, -2.0]))
    assert_correct(lesson_05.partials_by_hand, tuple(right))
    assert_correct(lesson_05.partials_by_hand, (lib.tensor(right[0]), lib.tensor(right[1])))
    assert_hint(lesson_05.partials_by_hand, (right[0], 1.5 ** 2), mentions="df/dx is right")
    assert_hint(lesson_05.partials_by_hand, (2 * 1.5, right[1]), mentions="df/dy is right")
    assert_hint(lesson_05.partials_by_hand, (f([1.5, -2.0]),) * 2, mentions="values of f")


X05, Y05 = np.array([0.0, 1.0, 2.0]), np.array([3.0, -1.0, 0.5])


def _g_tensors(lib, times=1):
    x = lib.tensor(X05.astype(np.float32), requires_grad=True)
    y = lib.tensor(Y05.astype(np.float32), requires_grad=True)
    for _ in range(times):
        (x.sin() * y).sum().backward()
    return x, y


def test_05_autograd_partials(lib):
    g = lambda v: (np.sin(v[:3]) * v[3:]).sum()  # noqa: E731
    right = gradient_fd(g, np.concatenate([X05, Y05]))
    assert_correct(lesson_05.autograd_partials, _g_tensors(lib))
    assert_correct(lesson_05.autograd_partials, (with_grad(lib, X05, right[:3]), with_grad(lib, Y05, right[3:])))
    assert_hint(lesson_05.autograd_partials, (right[:3], right[3:]), mentions="answer = (x, y)")   # typed
    x, y = _g_tensors(lib)
    assert_hint(lesson_05.autograd_partials, (x.grad, y.grad), mentions="answer = (x, y)")
    assert_hint(lesson_05.autograd_partials, _g_tensors(lib, times=2), mentions="twice")
    assert_hint(lesson_05.autograd_partials, (with_grad(lib, X05, right[:3]), with_grad(lib, Y05, 2 * right[3:])))
    fresh = (lib.tensor(X05, requires_grad=True), lib.tensor(Y05, requires_grad=True))
    assert_hint(lesson_05.autograd_partials, fresh, mentions="backward")


def test_05_chain_rule_step():
    y = 3.0
    local = slope(lambda t: t ** 3, y)
    upstream = slope(lambda u: 2 * 1.0 ** 4 - u + 3 * 1.0 ** 2, y ** 3)   # d e / d (y^3), the others fixed
    assert_correct(lesson_05.chain_rule_step, (upstream, local))
    assert_hint(lesson_05.chain_rule_step, (1, local), mentions="subtract")
    assert_hint(lesson_05.chain_rule_step, (upstream, -local), mentions="minus")


X_VJP, V_VJP = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, -1.0])


def test_05_vector_jacobian_product(lib):
    # v^T J by differences: the gradient of sum(v * x^2), each entry of x moved in turn
    right = gradient_fd(lambda x: (V_VJP * x ** 2).sum(), X_VJP)
    vjp = lambda t: (t ** 2) * lib.tensor(V_VJP.astype(np.float32))  # noqa: E731 - a scalar whose gradient is v^T J
    assert_correct(lesson_05.vector_jacobian_product, backward_of(lib, X_VJP, lambda t: vjp(t).sum()))
    x = lib.tensor(X_VJP.astype(np.float32), requires_grad=True)
    (x ** 2).backward(gradient=lib.tensor(V_VJP.astype(np.float32)))
    assert_correct(lesson_05.vector_jacobian_product, x)
    assert_correct(lesson_05.vector_jacobian_product, with_grad(lib, X_VJP, right))
    assert_hint(lesson_05.vector_jacobian_product, backward_of(lib, X_VJP, lambda t: (t ** 2).sum()),
                mentions="y.sum()")                                                     # v all ones
    x.grad = x.grad * 2
    assert_hint(lesson_05.vector_jacobian_product, x, mentions="twice")
    assert_hint(lesson_05.vector_jacobian_product, right, mentions="answer = x")          # typed numbers
    assert_hint(lesson_05.vector_jacobian_product, lib.tensor(X_VJP, requires_grad=True), mentions="gradient=v")
    assert_hint(lesson_05.vector_jacobian_product, with_grad(lib, [1.0, 2.0, 4.0], right), mentions="should be")
    assert_hint(lesson_05.vector_jacobian_product, with_grad(lib, X_VJP, -right))


# -- lesson 06 -----------------------------------------------------------------------------------

def test_06_update_counts():
    right = tuple(math.ceil(200 / b) * 3 for b in (1, 25, 200))
    assert right == (600, 24, 3)
    assert_correct(lesson_06.update_counts, right)
    assert_correct(lesson_06.update_counts, [600.0, 24.0, 3.0])
    assert_hint(lesson_06.update_counts, (200, 8, 1), mentions="one epoch")
    assert_hint(lesson_06.update_counts, (600, 24), mentions="three")
    assert_hint(lesson_06.update_counts, (3, 24, 600))
    assert_hint(lesson_06.update_counts, (600.9, 24.5, 3.7), mentions="whole")
    assert_hint(lesson_06.update_counts, (600, 24, True), mentions="whole")


def _model_06(lib, hidden="Tanh"):
    lib.manual_seed(0)
    nn = lib.nn
    model = nn.Sequential(nn.Linear(2, 4), getattr(nn, hidden)(), nn.Linear(4, 4), getattr(nn, hidden)(),
                          nn.Linear(4, 3))
    rng = np.random.default_rng(0)
    X = lib.tensor(rng.normal(size=(10, 2)).astype(np.float32))
    y = lib.tensor(rng.integers(0, 3, size=10))
    return model, X, y


def _last_weight_gradient_fd(model, X) -> tuple[np.ndarray, callable]:
    """A NumPy forward pass of the model (Linear, Tanh, ReLU), and d(mean CE)/d(last weight) by differences."""
    layers = list(model)
    h = as_array(X)
    for layer in layers[:-1]:
        if hasattr(layer, "weight"):
            h = h @ as_array(layer.weight).T + as_array(layer.bias)
        else:
            h = np.tanh(h) if type(layer).__name__ == "Tanh" else np.maximum(h, 0)
    b = as_array(layers[-1].bias)

    def grad(y):
        labels = as_array(y).astype(int)

        def loss(W):
            logits = h @ W.T + b
            log_softmax = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
            return -log_softmax[np.arange(len(labels)), labels].mean()
        return gradient_fd(loss, as_array(layers[-1].weight))
    return grad


@pytest.mark.parametrize("hidden", ["Tanh", "ReLU"])
def test_06_last_layer_gradient(lib, hidden):
    model, X, y = _model_06(lib, hidden)
    right = _last_weight_gradient_fd(model, X)(y)
    assert_correct(lesson_06.last_layer_gradient, right, model, X, y)
    lib.nn.CrossEntropyLoss()(model(X), y).backward()
    assert_correct(lesson_06.last_layer_gradient, model[-1].weight.grad, model, X, y)
    assert_correct(lesson_06.last_layer_gradient, model[-1].weight, model, X, y)
    assert_hint(lesson_06.last_layer_gradient, 2 * right, model, X, y, mentions="twice")
    assert_hint(lesson_06.last_layer_gradient, right[:, 0], model, X, y, mentions="shape")
    assert_hint(lesson_06.last_layer_gradient, right + 0.1, model, X, y)
    assert_hint(lesson_06.last_layer_gradient, model[0].weight.grad, model, X, y, mentions="shape")
    assert_hint(lesson_06.last_layer_gradient, None, model, X, y, mentions="backward")


def _frozen_06(lib, freeze=(0, 2), steps=1, freeze_after_backward=False, seed=3):
    """The lesson-06 exercise played out on `lib`: a Linear-Tanh model, `freeze` layers frozen, `steps` SGD steps."""
    lib.manual_seed(seed)
    nn = lib.nn
    model = nn.Sequential(nn.Linear(2, 5), nn.Tanh(), nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 2))
    rng = np.random.default_rng(seed)
    X = lib.tensor(rng.normal(size=(12, 2)).astype(np.float32))
    y = lib.tensor(rng.integers(0, 2, size=12))
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    optimizer = lib.optim.SGD(model.parameters(), lr=0.5)
    if not freeze_after_backward:
        for i in freeze:
            model[i].requires_grad_(False)
    for _ in range(steps):
        optimizer.zero_grad()
        nn.CrossEntropyLoss()(model(X), y).backward()
        optimizer.step()
    if freeze_after_backward:
        for i in freeze:
            model[i].requires_grad_(False)
    return model, before, X, y


def test_06_frozen_step(lib):
    model, before, X, y = _frozen_06(lib)
    assert_correct(lesson_06.frozen_step, model, before, X, y, 0.5)
    # the last layer's step, by differences of a NumPy forward pass of the model as it was
    h = as_array(X)
    for i in (0, 2):
        h = np.tanh(h @ as_array(before[f"{i}.weight"]).T + as_array(before[f"{i}.bias"]))
    labels, b = as_array(y).astype(int), as_array(before["4.bias"])

    def loss(W):
        logits = h @ W.T + b
        return -(logits - np.log(np.exp(logits).sum(axis=1, keepdims=True)))[np.arange(len(labels)), labels].mean()
    stepped = as_array(before["4.weight"]) - 0.5 * gradient_fd(loss, as_array(before["4.weight"]))
    assert np.allclose(as_array(model[4].weight), stepped, atol=1e-5)

    assert_hint(lesson_06.frozen_step, *_frozen_06(lib, freeze=()), 0.5, mentions="requires_grad_(False)")
    assert_hint(lesson_06.frozen_step, *_frozen_06(lib, freeze=(0,)), 0.5, mentions="2.weight")
    assert_hint(lesson_06.frozen_step, *_frozen_06(lib, freeze_after_backward=True), 0.5, mentions="before")
    assert_hint(lesson_06.frozen_step, *_frozen_06(lib, steps=0), 0.5, mentions="did not learn")
    assert_hint(lesson_06.frozen_step, *_frozen_06(lib, steps=2), 0.5)
    all_frozen, *rest = _frozen_06(lib)
    all_frozen[4].requires_grad_(False)
    assert_hint(lesson_06.frozen_step, all_frozen, *rest, 0.5, mentions="keep training")
    assert_hint(lesson_06.frozen_step, model, before, X, y, 0.1, mentions="one step")
    assert_hint(lesson_06.frozen_step, model[4], before, X, y, 0.5, mentions="answer = model")


# -- lesson 07 -----------------------------------------------------------------------------------

def _functions(lib):
    """The learner's classes for lesson 07, made on `lib`'s Function: Square and its wrong variants, and the
    three candidates of exercise 2."""
    Function = lib.autograd.Function

    def unary(name, forward, backward):
        def fwd(ctx, x):
            y = forward(x)
            ctx.save_for_backward(x, y)
            return y

        def bwd(ctx, grad):
            x, y = ctx.saved_tensors
            return backward(x, y, grad)
        return type(name, (Function,), {"forward": staticmethod(fwd), "backward": staticmethod(bwd)})

    def broken(x):
        raise ValueError("oops")

    return {
        "Square": unary("Square", lambda x: x * x, lambda x, y, g: g * 2 * x),
        "SquareIgnoringGrad": unary("Square", lambda x: x * x, lambda x, y, g: 2 * x),
        "Cube": unary("Square", lambda x: x * x * x, lambda x, y, g: g * 3 * x * x),
        "Broken": unary("Square", broken, lambda x, y, g: g),
        "candidates": [unary("MyTanh", lambda x: x.tanh(), lambda x, y, g: g * (1 - y ** 2)),
                       unary("MyExp", lambda x: x.exp(), lambda x, y, g: g * x),   # wrong: d e^x / dx is e^x
                       unary("MyLog", lambda x: x.log(), lambda x, y, g: g / x)],
    }


def test_07_square_function(lib):
    f = _functions(lib)
    assert_correct(lesson_07.square_function, f["Square"])
    assert_hint(lesson_07.square_function, f["SquareIgnoringGrad"], mentions="multiply")
    assert_hint(lesson_07.square_function, f["Cube"], mentions="x ** 2")
    assert_hint(lesson_07.square_function, f["Broken"], mentions="ValueError")
    with contextlib.suppress(Exception), pytest.warns(DeprecationWarning) if lib is not minigrad else \
            contextlib.nullcontext():
        instance = f["Square"]()                          # PyTorch warns that Functions are not instantiated
    assert_hint(lesson_07.square_function, instance, mentions="class itself")
    assert_hint(lesson_07.square_function, int, mentions="class int")


def _backward_is_right(lib, function) -> bool:
    """Does function's backward agree with central differences of its own forward? (float64, 3 points)"""
    x = np.array([0.5, 1.0, 2.0])
    forward = lambda v: as_array(function.apply(lib.tensor(v, dtype=lib.float64))).sum()  # noqa: E731
    t = lib.tensor(x, dtype=lib.float64, requires_grad=True)
    function.apply(t).sum().backward()
    return bool(np.allclose(as_array(t.grad), gradient_fd(forward, x), atol=1e-6))


def test_07_verdicts(lib):
    candidates = _functions(lib)["candidates"]
    right = [_backward_is_right(lib, f) for f in candidates]
    assert right == [True, False, True]
    assert_correct(lesson_07.verdicts, right, candidates)
    assert_hint(lesson_07.verdicts, [True, True, True], candidates, mentions="MyExp")
    assert_hint(lesson_07.verdicts, [False, False, False], candidates, mentions="float64")   # gradcheck in float32
    assert_hint(lesson_07.verdicts, [True, False], candidates, mentions="one True/False")
    assert_hint(lesson_07.verdicts, [1, 0, 1], candidates, mentions="one True/False")
    assert_hint(lesson_07.verdicts, None, candidates, mentions="gradcheck")
    assert_hint(lesson_07.verdicts, [False, False, False], candidates, mentions="float64")   # gradcheck in float32
    assert_hint(lesson_07.verdicts, right, candidates[:2], mentions="three classes")


def _f_07(a):
    """Lesson 07's f: a graph that depends on the value of a."""
    b = a * 2
    while b.abs() < 10:
        b = b * 2
    if b < 0:
        b = 100 * b
    return b


def test_07_recorded_graph(lib):
    a = lib.tensor(0.3, requires_grad=True)
    out = _f_07(a)
    out.backward()
    nodes, node = 0, out.grad_fn
    while node is not None:                   # count every MulBackward0 of the chain, by walking it
        nodes += node.name() == "MulBackward0"
        node = node.next_functions[0][0] if node.next_functions else None
    assert nodes == 6 and np.isclose(slope(lambda v: float(_f_07(lib.tensor(v, dtype=lib.float64))), 0.3), 64)
    assert_correct(lesson_07.recorded_graph, (nodes, a))
    assert_correct(lesson_07.recorded_graph, [6.0, with_grad(lib, 0.3, 64.0)])
    assert_hint(lesson_07.recorded_graph, (5, a), mentions="a * 2")
    assert_hint(lesson_07.recorded_graph, (7, a), mentions="next_functions")
    assert_hint(lesson_07.recorded_graph, (6, a.grad), mentions="tensor a itself")       # a typed gradient
    assert_hint(lesson_07.recorded_graph, (6, 64.0), mentions="tensor a itself")
    assert_hint(lesson_07.recorded_graph, (6, lib.tensor(0.3, requires_grad=True)), mentions="backward")
    assert_hint(lesson_07.recorded_graph, (6, with_grad(lib, 0.3, 128.0)), mentions="twice")
    assert_hint(lesson_07.recorded_graph, (6, with_grad(lib, 0.3, 19.2)), mentions="product")
    assert_hint(lesson_07.recorded_graph, (6, with_grad(lib, 0.5, 64.0)), mentions="0.3")
    assert_hint(lesson_07.recorded_graph, (6.5, a), mentions="whole number")
    assert_hint(lesson_07.recorded_graph, (True, a), mentions="whole number")


# -- lesson 08 -----------------------------------------------------------------------------------

X08 = np.array([[1.0, 2.0], [0.0, 1.0], [3.0, -1.0], [2.0, 2.0]])
T08 = np.array([1.0, 0.0, 2.0, 1.0])
W08 = np.array([0.5, -1.0])


def _accumulated(lib, halves=((0, 2), (2, 4))):
    w = lib.tensor(W08.astype(np.float32), requires_grad=True)
    for a, b in halves:
        X, t = lib.tensor(X08[a:b].astype(np.float32)), lib.tensor(T08[a:b].astype(np.float32))
        ((X @ w - t) ** 2).sum().backward()
    return w


def test_08_accumulated_gradient(lib):
    half = lambda a, b: gradient_fd(lambda w: ((X08[a:b] @ w - T08[a:b]) ** 2).sum(), W08)  # noqa: E731
    right = half(0, 4)
    assert_correct(lesson_08.accumulated_gradient, _accumulated(lib))
    assert_correct(lesson_08.accumulated_gradient, with_grad(lib, W08, right))
    assert_hint(lesson_08.accumulated_gradient, right, mentions="answer = w")                      # typed
    assert_hint(lesson_08.accumulated_gradient, _accumulated(lib).grad, mentions="answer = w")     # a copy of .grad
    assert_hint(lesson_08.accumulated_gradient, _accumulated(lib, [(2, 4)]), mentions="one half")
    assert_hint(lesson_08.accumulated_gradient, _accumulated(lib, [(0, 2)]), mentions="one half")
    assert_hint(lesson_08.accumulated_gradient, _accumulated(lib, [(0, 2), (2, 4)] * 2), mentions="twice")
    assert_hint(lesson_08.accumulated_gradient, with_grad(lib, [1.0, 2.0, 3.0], [0, 0, 0]), mentions="shape")


def test_08_second_derivative(lib):
    x = np.array([0.0, 1.0, 2.0])
    f = lambda v: v * np.sin(v)  # noqa: E731
    first = np.array([slope(f, v) for v in x])
    right = np.array([slope(lambda u: slope(f, u, 1e-4), v, 1e-4) for v in x])
    t = lib.tensor(x.astype(np.float32), requires_grad=True)
    (d1,) = lib.autograd.grad((t * t.sin()).sum(), t, create_graph=True)
    (d2,) = lib.autograd.grad(d1.sum(), t, create_graph=True)                 # requires grad: still right
    assert_correct(lesson_08.second_derivative, d2)
    assert_correct(lesson_08.second_derivative, lib.tensor(right))
    assert_hint(lesson_08.second_derivative, right.tolist(), mentions="autograd.grad")                 # typed
    assert_hint(lesson_08.second_derivative, lib.tensor(first), mentions="first derivative")
    assert_hint(lesson_08.second_derivative, lib.tensor(right[:2]), mentions="shape")
    assert_hint(lesson_08.second_derivative, lib.tensor(-right))


def _intermediate(lib, retain=True, times=1):
    x = lib.tensor([1.0, -1.0, 2.0], requires_grad=True)
    h = 3 * x
    if retain:
        h.retain_grad()
    for _ in range(times):
        (h ** 2).sum().backward(retain_graph=True)
    return x, h


def test_08_intermediate_gradient(lib):
    x = np.array([1.0, -1.0, 2.0])
    right = gradient_fd(lambda h: (h ** 2).sum(), 3 * x)          # d loss / d h at h = 3x
    wrt_x = gradient_fd(lambda v: ((3 * v) ** 2).sum(), x)
    assert_correct(lesson_08.intermediate_gradient, _intermediate(lib)[1])
    assert_hint(lesson_08.intermediate_gradient, right, mentions="answer = h")                     # typed
    assert_hint(lesson_08.intermediate_gradient, _intermediate(lib)[0], mentions="3 * x")          # x, not h
    assert_hint(lesson_08.intermediate_gradient, with_grad(lib, 3 * x, wrt_x), mentions="w.r.t. x")
    assert_hint(lesson_08.intermediate_gradient, _intermediate(lib, times=2)[1], mentions="twice")
    assert_hint(lesson_08.intermediate_gradient, with_grad(lib, 3 * x[:2], right[:2]), mentions="3 * x")


def test_08_intermediate_gradient_without_retain_grad(lib, recwarn):
    _, h = _intermediate(lib, retain=False)
    assert_hint(lesson_08.intermediate_gradient, h, mentions="retain_grad")


# -- every checker: generated junk and wrong types get a precise hint, never an exception --------------

# The extra arguments each checker takes after `answer` (valid ones), per library.
def _extra(name: str, lib) -> tuple:
    if name == "untracked_triple":
        return (lib.rand(3, requires_grad=True),)
    if name == "mean_loss_gradient":
        return _tensors_04(lib)
    if name == "abs_loss_gradient":
        return (_tensors_04(lib)[1],)
    if name == "last_layer_gradient":
        return _model_06(lib)
    if name == "verdicts":
        return (_functions(lib)["candidates"],)
    if name == "frozen_step":
        return _frozen_06(lib)[1:] + (0.5,)
    return ()


def _junk(lib) -> list:
    """Answers no exercise accepts: missing, wrong types, wrong shapes, non-finite, huge, tracked."""
    return [
        None, ..., "abc", "10", b"10", True, False, object(), 1j, {"a": 1}, set(), print, int, [], (), [[]],
        [1.0, 2.0, 3.0, 4.0, 5.0], [[1, 2], [3]], ["a", "b"], (None, None), (None,) * 4, ("1", "2", "3"),
        np.zeros((4, 4)), np.array(["a"]), float("inf"), float("-inf"), float("nan"), 10 ** 400, -10 ** 400,
        [10 ** 400, 1.0], (float("inf"), 1.0), (1e308, 1e308, 1e308),
        lib.zeros(7), lib.zeros(2, 4, requires_grad=True), lib.ones(3, requires_grad=True) * 2,
        lib.tensor(float("inf")), lib.tensor([float("nan"), 1.0, 2.0]), lib.zeros(0), lib.tensor(5),
        lib.tensor([True, False]), (lib.tensor(1.0), "a"), (lib.zeros(3, requires_grad=True),) * 2,
        lib.zeros(3, requires_grad=True), lib.tensor(1.0, requires_grad=True),
    ]


def _checkers():
    for module in MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if getattr(function, "__wrapped_checker__", False):
                yield f"{module.__name__.split('.')[-1]}.{name}", function


CHECKERS = list(_checkers())


def test_every_checker_is_wrapped_and_has_a_solution():
    names = {n.split(".")[1] for n, _ in CHECKERS}
    assert len(CHECKERS) >= 30 and len(MODULES) >= 9, sorted(names)   # 23 in lessons 01-08, 7 in 09
    for module in MODULES:
        own = {n.split(".")[1] for n, _ in CHECKERS if n.startswith(module.__name__.split(".")[-1])}
        assert set(module.SOLUTIONS) == own, f"{module.__name__}: checkers {own} vs solutions {set(module.SOLUTIONS)}"


@pytest.mark.parametrize("name, checker", CHECKERS, ids=[n for n, _ in CHECKERS])
def test_junk_gets_a_precise_hint_never_an_exception(lib, name, checker):
    """Every junk value, in the answer position and in each extra argument: a hint, no exception, and the
    safety net never needed (the unwrapped checker does not raise either)."""
    short = name.split(".")[1]
    extra = _extra(short, lib)
    outcomes = {"hint": 0}
    for junk in _junk(lib):
        calls = [(junk, *extra)] + [(junk, *extra[:i], junk, *extra[i + 1:]) for i in range(len(extra))]
        for args in calls:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                checker.__wrapped__(*args)            # raises here if the checker itself is not robust
            text = out.getvalue().strip()
            assert text.startswith("Not yet:"), f"{name}{tuple(map(repr, args))[:2]} -> {text}"
            outcomes["hint"] += 1
    assert outcomes["hint"] >= len(_junk(lib))


# -- solutions --------------------------------------------------------------------------------------

SOLUTIONS = [(m, name) for m in MODULES for name in m.SOLUTIONS]


@pytest.mark.parametrize("module, name", SOLUTIONS, ids=[f"{m.__name__[-9:]}.{n}" for m, n in SOLUTIONS])
def test_solution_passes_its_checker_in_a_fresh_namespace(lib, module, name):
    printed = run_solution(module.SOLUTIONS[name], {"torch": lib, "check": module})
    verdicts = [line for line in printed.splitlines() if line.startswith(("Correct", "Not yet"))]
    assert verdicts and all(v.startswith("Correct") for v in verdicts), printed


def test_solution_is_folded_and_leaves_the_callers_variables_alone():
    namespace = {"torch": minigrad, "check": lesson_03, "x": "the learner's x", "answer": 42}
    exec("view = check.solution('detach_gradient')", namespace)
    view = namespace["view"]
    assert isinstance(view, SolutionView)
    assert namespace["x"] == "the learner's x" and namespace["answer"] == 42
    page = view._repr_html_()
    assert page.startswith("<details") and "<details open" not in page and "Show the solution" in page
    assert "Correct!" in page and "z.backward()" in page
    assert "Correct!" in repr(view)


def test_unknown_solution_name_says_which_exist(capsys):
    assert lesson_01.solution("nope") is None
    out = capsys.readouterr().out
    assert "'derivative'" in out and "'gradient'" in out


def test_a_failing_solution_is_shown_inside_the_fold():
    namespace = {"torch": None, "check": lesson_01}
    exec("view = check.solution('gradient')", namespace)
    assert "The solution failed here" in namespace["view"].output


# -- the readers ---------------------------------------------------------------------------------------

def test_as_array_refuses_what_is_not_a_finite_number(lib):
    for bad in [None, "1.5", b"1", True, np.bool_(True), float("inf"), float("nan"), 10 ** 400, [1, "a"],
                [[1, 2], [3]], object(), lib.tensor(float("inf"))]:
        assert as_array(bad) is None, bad
    assert as_array(lib.ones(2, requires_grad=True) * 2).tolist() == [2.0, 2.0]
    assert as_array([lib.tensor(1.0), 2]).tolist() == [1.0, 2.0]
    assert [as_whole_number(v) for v in (24, 24.0, 24.5, lib.tensor(3), "3", None)] == [24, 24, None, 3, None, None]


def test_checker_modules_import_without_torch_and_document_themselves():
    for module in MODULES:
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert "import torch" not in source, module.__name__
        assert module.__doc__ and "never raises" in " ".join(module.__doc__.split())
        importlib.reload(module)


def test_insert_offers_the_code_as_a_new_cell(monkeypatch):
    import builtins
    offered = []

    class Shell:
        def set_next_input(self, text, replace=False):
            offered.append((text, replace))

    monkeypatch.setattr(builtins, "get_ipython", lambda: Shell(), raising=False)
    namespace = {"torch": minigrad, "check": lesson_01}
    exec("check.solution('derivative', insert=True); check.solution('chain_rule')", namespace)
    assert offered == [(lesson_01.SOLUTIONS["derivative"], False)]
