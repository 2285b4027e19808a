"""The lesson checkers (notebooks/checks/lesson_*.py) say "Correct" to a right answer and hint otherwise.

Each right answer is computed here independently of the checker: central finite differences of the
function in NumPy, or the hand formula. Each checker also gets typical wrong answers and junk (None, a
string, a wrong shape): it must print a hint starting "Not yet" and never raise.
"""
from __future__ import annotations

import inspect
import math
import sys
from pathlib import Path

import numpy as np
import pytest

import minigrad
from minigrad import nn
from minigrad.autograd import Function

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "notebooks"))
from checks import (lesson_01, lesson_02, lesson_03, lesson_04, lesson_05, lesson_06,  # noqa: E402
                    lesson_07, lesson_08)

MODULES = [lesson_01, lesson_02, lesson_03, lesson_04, lesson_05, lesson_06, lesson_07, lesson_08]
JUNK = [None, ..., "abc", object(), [1.0, 2.0, 3.0, 4.0, 5.0], np.zeros((4, 4))]


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


def said(capsys, checker, answer, *extra) -> str:
    checker(answer, *extra)
    return capsys.readouterr().out.strip()


def assert_correct(capsys, checker, answer, *extra):
    out = said(capsys, checker, answer, *extra)
    assert out.startswith("Correct"), out


def assert_hint(capsys, checker, answer, *extra, mentions: str = ""):
    out = said(capsys, checker, answer, *extra)
    assert out.startswith("Not yet:") and len(out) > len("Not yet: ") + 10, out
    assert mentions.lower() in out.lower(), f"the hint should mention {mentions!r}: {out}"


# -- lesson 01 -----------------------------------------------------------------------------------

def test_01_derivative(capsys):
    right = slope(lambda x: x ** 3 - 2 * x, 2.0)
    assert_correct(capsys, lesson_01.derivative, right)
    assert_correct(capsys, lesson_01.derivative, minigrad.tensor(round(right, 6)))
    assert_hint(capsys, lesson_01.derivative, 2.0 ** 3 - 2 * 2.0, mentions="f(2)")      # the value, not the slope
    assert_hint(capsys, lesson_01.derivative, 3 * 2.0 ** 2, mentions="-2x")             # forgot a term
    assert_hint(capsys, lesson_01.derivative, 7)


def test_01_chain_rule(capsys):
    right = slope(lambda x: (2 * x + 1) ** 3, 1.0)
    assert_correct(capsys, lesson_01.chain_rule, right)
    assert_hint(capsys, lesson_01.chain_rule, 27, mentions="inner")                      # 3u^2 without du/dx
    assert_hint(capsys, lesson_01.chain_rule, 3 * 2 * 1.0 ** 2)


def test_01_gradient(capsys):
    q = lambda v: v[0] ** 2 * v[1] + v[1] ** 3  # noqa: E731
    right = gradient_fd(q, np.array([1.5, -1.0]))
    assert_correct(capsys, lesson_01.gradient, tuple(right))
    assert_correct(capsys, lesson_01.gradient, tuple(minigrad.tensor(round(v, 6)) for v in right))
    assert_hint(capsys, lesson_01.gradient, tuple(right[::-1]), mentions="swapped")
    assert_hint(capsys, lesson_01.gradient, tuple(2 * right), mentions="twice")
    assert_hint(capsys, lesson_01.gradient, (None, None))                               # .grad never filled


# -- lesson 02 -----------------------------------------------------------------------------------

def test_02_tracked_zeros(capsys):
    assert_correct(capsys, lesson_02.tracked_zeros, minigrad.zeros(2, 3, requires_grad=True))
    assert_hint(capsys, lesson_02.tracked_zeros, minigrad.zeros(2, 3), mentions="requires_grad=True")
    assert_hint(capsys, lesson_02.tracked_zeros, minigrad.ones(2, 3, requires_grad=True), mentions="zeros")
    assert_hint(capsys, lesson_02.tracked_zeros, minigrad.zeros(3, 2, requires_grad=True), mentions="shape")
    assert_hint(capsys, lesson_02.tracked_zeros, minigrad.zeros(2, 3, requires_grad=True) * 1, mentions="leaf")
    assert_hint(capsys, lesson_02.tracked_zeros, np.zeros((2, 3)), mentions="requires_grad")


# By the rules the lesson states (a result requires grad when an input does; no graph behind it: a leaf).
PREDICT_02 = (True, False, False, True)   # c.requires_grad, c.is_leaf, d.requires_grad, d.is_leaf
PREDICT_03 = (False, False, True, False)  # a, b, c, d .requires_grad


def test_02_predict_tracking(capsys):
    assert_correct(capsys, lesson_02.predict_tracking, PREDICT_02)
    assert_correct(capsys, lesson_02.predict_tracking, list(PREDICT_02))
    assert_hint(capsys, lesson_02.predict_tracking, (True, True, False, False), mentions="2 of 4")
    assert_hint(capsys, lesson_02.predict_tracking, (True, False, False), mentions="four")
    assert_hint(capsys, lesson_02.predict_tracking, (1, 0, 0, 1), mentions="True/False")


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

def test_03_untracked_triple(capsys):
    right = 3 * np.array([1.0, 2.0, 3.0])
    assert_correct(capsys, lesson_03.untracked_triple, minigrad.tensor(right))
    tracked = minigrad.tensor([1.0, 2.0, 3.0], requires_grad=True) * 3
    assert_hint(capsys, lesson_03.untracked_triple, tracked, mentions="no_grad")
    assert_hint(capsys, lesson_03.untracked_triple, minigrad.tensor(right / 3), mentions="3 * x")
    assert_hint(capsys, lesson_03.untracked_triple, right, mentions="tensor")            # NumPy, not a tensor


def test_03_predict_tracked(capsys):
    assert_correct(capsys, lesson_03.predict_tracked, PREDICT_03)
    assert_hint(capsys, lesson_03.predict_tracked, (False, False, False, False), mentions="c")
    assert_hint(capsys, lesson_03.predict_tracked, (True, True, True, True))
    assert_hint(capsys, lesson_03.predict_tracked, (False, False, True), mentions="four")


# -- lesson 04 -----------------------------------------------------------------------------------

REAL_04 = np.array([[0.5, -1.0, 2.0], [0.0, 1.5, -0.5]])        # the exercise's tensors, copied from the notebook
PREDICTED_04 = np.array([[1.0, -0.5, 1.0], [0.5, 1.0, 0.0]])


def test_04_mean_loss_gradient(capsys):
    right = gradient_fd(lambda p: ((p - REAL_04) ** 2).mean(), PREDICTED_04)
    assert_correct(capsys, lesson_04.mean_loss_gradient, minigrad.tensor(right))
    assert_hint(capsys, lesson_04.mean_loss_gradient, 2 * (PREDICTED_04 - REAL_04), mentions="sum")
    assert_hint(capsys, lesson_04.mean_loss_gradient, -right, mentions="sign")
    assert_hint(capsys, lesson_04.mean_loss_gradient, right.sum(), mentions="shape")


def test_04_abs_loss_gradient(capsys):
    right = gradient_fd(lambda p: np.abs(p - REAL_04).sum(), PREDICTED_04)   # no entry sits at the kink
    assert_correct(capsys, lesson_04.abs_loss_gradient, minigrad.tensor(right))
    assert_hint(capsys, lesson_04.abs_loss_gradient, 2 * (PREDICTED_04 - REAL_04), mentions="squared")
    accumulated = right + 2 * (PREDICTED_04 - REAL_04) / 6                     # exercise 1's grad left in .grad
    assert_hint(capsys, lesson_04.abs_loss_gradient, accumulated, mentions="add up")
    assert_hint(capsys, lesson_04.abs_loss_gradient, -right)


# -- lesson 05 -----------------------------------------------------------------------------------

def test_05_partials_by_hand(capsys):
    f = lambda v: v[0] ** 2 * v[1] + 3 * v[1]  # noqa: E731
    right = gradient_fd(f, np.array([1.5, -2.0]))
    assert_correct(capsys, lesson_05.partials_by_hand, tuple(right))
    assert_hint(capsys, lesson_05.partials_by_hand, (right[0], 1.5 ** 2), mentions="df/dx is right")
    assert_hint(capsys, lesson_05.partials_by_hand, (2 * 1.5, right[1]), mentions="df/dy is right")
    assert_hint(capsys, lesson_05.partials_by_hand, (f([1.5, -2.0]),) * 2, mentions="values of f")


def test_05_autograd_partials(capsys):
    x, y = np.array([0.0, 1.0, 2.0]), np.array([3.0, -1.0, 0.5])
    g = lambda v: (np.sin(v[:3]) * v[3:]).sum()  # noqa: E731
    right = gradient_fd(g, np.concatenate([x, y]))
    assert_correct(capsys, lesson_05.autograd_partials, (right[:3], right[3:]))
    assert_hint(capsys, lesson_05.autograd_partials, (right[3:], right[:3]), mentions="swapped")
    assert_hint(capsys, lesson_05.autograd_partials, (None, None), mentions="requires_grad=True")
    assert_hint(capsys, lesson_05.autograd_partials, (right[:3], 2 * right[3:]))


def test_05_chain_rule_step(capsys):
    y = 3.0
    local = slope(lambda t: t ** 3, y)
    upstream = slope(lambda u: 2 * 1.0 ** 4 - u + 3 * 1.0 ** 2, y ** 3)   # d e / d (y^3), the others fixed
    assert_correct(capsys, lesson_05.chain_rule_step, (upstream, local))
    assert_hint(capsys, lesson_05.chain_rule_step, (1, local), mentions="subtract")
    assert_hint(capsys, lesson_05.chain_rule_step, (upstream, -local), mentions="minus")


# -- lesson 06 -----------------------------------------------------------------------------------

def test_06_update_counts(capsys):
    right = tuple(math.ceil(200 / b) * 3 for b in (1, 25, 200))
    assert right == (600, 24, 3)
    assert_correct(capsys, lesson_06.update_counts, right)
    assert_hint(capsys, lesson_06.update_counts, (200, 8, 1), mentions="one epoch")
    assert_hint(capsys, lesson_06.update_counts, (600, 24), mentions="three")
    assert_hint(capsys, lesson_06.update_counts, (3, 24, 600))


def _model_06():
    minigrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 3))
    rng = np.random.default_rng(0)
    X = minigrad.tensor(rng.normal(size=(10, 2)).astype(np.float32))
    y = minigrad.tensor(rng.integers(0, 3, size=10))
    return model, X, y


def _last_weight_gradient_fd(model, X, y) -> np.ndarray:
    """d(mean cross-entropy)/d(last weight) by central differences of a NumPy forward pass."""
    W1, b1 = (p.detach().numpy().astype(np.float64) for p in (model[0].weight, model[0].bias))
    W2, b2 = (p.detach().numpy().astype(np.float64) for p in (model[2].weight, model[2].bias))
    h, labels = np.tanh(X.numpy() @ W1.T + b1), y.numpy()

    def loss(W):
        logits = h @ W.T + b2
        log_softmax = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        return -log_softmax[np.arange(len(labels)), labels].mean()

    return gradient_fd(loss, W2)


def test_06_last_layer_gradient(capsys):
    model, X, y = _model_06()
    right = _last_weight_gradient_fd(model, X, y)
    assert_correct(capsys, lesson_06.last_layer_gradient, right, model, X, y)
    assert_hint(capsys, lesson_06.last_layer_gradient, 2 * right, model, X, y, mentions="twice")
    assert_hint(capsys, lesson_06.last_layer_gradient, right[:, 0], model, X, y, mentions="shape")
    assert_hint(capsys, lesson_06.last_layer_gradient, right + 0.1, model, X, y)
    assert_hint(capsys, lesson_06.last_layer_gradient, None, model, X, y, mentions="backward")


# -- lesson 07 -----------------------------------------------------------------------------------

class Square(Function):
    """The learner's right answer: y = x^2, dy/dx = 2x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 2 * x


class SquareIgnoringGrad(Square):
    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return 2 * x


class Cube(Square):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x


class Broken(Square):
    @staticmethod
    def forward(ctx, x):
        raise ValueError("oops")


def test_07_square_function(capsys):
    assert_correct(capsys, lesson_07.square_function, Square)
    assert_hint(capsys, lesson_07.square_function, SquareIgnoringGrad, mentions="multiply")
    assert_hint(capsys, lesson_07.square_function, Cube, mentions="x ** 2")
    assert_hint(capsys, lesson_07.square_function, Broken, mentions="ValueError")
    assert_hint(capsys, lesson_07.square_function, Square(), mentions="class itself")
    assert_hint(capsys, lesson_07.square_function, int, mentions="class int")


def _unary(name, forward, backward):
    """A Function subclass named `name`: forward(x) and backward(x, y, grad), as a learner writes them."""
    def fwd(ctx, x):
        y = forward(x)
        ctx.save_for_backward(x, y)
        return y

    def bwd(ctx, grad):
        x, y = ctx.saved_tensors
        return backward(x, y, grad)

    return type(name, (Function,), {"forward": staticmethod(fwd), "backward": staticmethod(bwd)})


CANDIDATES_07 = [
    _unary("MyTanh", lambda x: x.tanh(), lambda x, y, g: g * (1 - y ** 2)),
    _unary("MyExp", lambda x: x.exp(), lambda x, y, g: g * x),          # wrong: d e^x / dx is e^x
    _unary("MyLog", lambda x: x.log(), lambda x, y, g: g / x),
]


def _backward_is_right(function) -> bool:
    """Does function's backward agree with central differences of its own forward? (float64, 3 points)"""
    x = np.array([0.5, 1.0, 2.0])
    forward = lambda v: function.apply(minigrad.tensor(v, dtype=minigrad.float64)).numpy().sum()  # noqa: E731
    t = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    function.apply(t).sum().backward()
    return bool(np.allclose(t.grad.numpy(), gradient_fd(forward, x), atol=1e-6))


def test_07_verdicts(capsys):
    right = [_backward_is_right(f) for f in CANDIDATES_07]
    assert right == [True, False, True]
    assert_correct(capsys, lesson_07.verdicts, right, CANDIDATES_07)
    assert_hint(capsys, lesson_07.verdicts, [True, True, True], CANDIDATES_07, mentions="MyExp")
    assert_hint(capsys, lesson_07.verdicts, [True, False], CANDIDATES_07, mentions="one True/False")
    assert_hint(capsys, lesson_07.verdicts, None, CANDIDATES_07, mentions="gradcheck")


# -- lesson 08 -----------------------------------------------------------------------------------

def test_08_accumulated_gradient(capsys):
    X = np.array([[1.0, 2.0], [0.0, 1.0], [3.0, -1.0], [2.0, 2.0]])
    t = np.array([1.0, 0.0, 2.0, 1.0])
    w0 = np.array([0.5, -1.0])
    half = lambda rows: gradient_fd(lambda w: ((X[rows] @ w - t[rows]) ** 2).sum(), w0)  # noqa: E731
    right = half(slice(0, 4))
    assert_correct(capsys, lesson_08.accumulated_gradient, right)
    assert_hint(capsys, lesson_08.accumulated_gradient, half(slice(2, 4)), mentions="one half")
    assert_hint(capsys, lesson_08.accumulated_gradient, half(slice(0, 2)), mentions="one half")
    assert_hint(capsys, lesson_08.accumulated_gradient, 2 * right, mentions="twice")
    assert_hint(capsys, lesson_08.accumulated_gradient, np.append(right, 0.0), mentions="shape")


def test_08_second_derivative(capsys):
    x = np.array([0.0, 1.0, 2.0])
    f = lambda v: v * np.sin(v)  # noqa: E731
    first = np.array([slope(f, v) for v in x])
    right = np.array([slope(lambda u: slope(f, u, 1e-4), v, 1e-4) for v in x])
    assert_correct(capsys, lesson_08.second_derivative, right)
    assert_hint(capsys, lesson_08.second_derivative, first, mentions="first derivative")
    assert_hint(capsys, lesson_08.second_derivative, right[:2], mentions="shape")
    assert_hint(capsys, lesson_08.second_derivative, -right)


def test_08_intermediate_gradient(capsys):
    x = np.array([1.0, -1.0, 2.0])
    right = gradient_fd(lambda h: (h ** 2).sum(), 3 * x)          # d loss / d h at h = 3x
    wrt_x = gradient_fd(lambda v: ((3 * v) ** 2).sum(), x)
    assert_correct(capsys, lesson_08.intermediate_gradient, right)
    assert_hint(capsys, lesson_08.intermediate_gradient, wrt_x, mentions="w.r.t. x")
    assert_hint(capsys, lesson_08.intermediate_gradient, right[:2])
    assert_hint(capsys, lesson_08.intermediate_gradient, None, mentions="retain_grad")


# -- every checker: junk gets a hint, never an exception; and every checker is tested above -----------

EXTRA_ARGS = {
    "last_layer_gradient": _model_06,
    "verdicts": lambda: (CANDIDATES_07,),
}


def _checkers():
    for module in MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                yield f"{module.__name__.split('.')[-1]}.{name}", function


@pytest.mark.parametrize("name, checker", list(_checkers()), ids=lambda v: v if isinstance(v, str) else "")
def test_junk_gets_a_hint_not_an_exception(capsys, name, checker):
    extra = EXTRA_ARGS.get(checker.__name__, tuple)()
    for junk in JUNK:
        out = said(capsys, checker, junk, *extra)
        assert out.startswith("Not yet:"), f"{name}({junk!r}): {out}"


def test_every_checker_has_its_own_test():
    tested = {n.split(".")[1] for n, _ in _checkers()}
    source = Path(__file__).read_text(encoding="utf-8")
    untested = sorted(n for n in tested if f".{n}, " not in source)
    assert not untested, f"checkers without a test of right and wrong answers: {untested}"
