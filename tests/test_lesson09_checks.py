"""Lesson 09's checkers: "Correct" for right answers made on minigrad and on PyTorch, a hint for each
typical wrong answer, and a hint (never an exception) for junk.

Right answers are computed here the way the exercise asks (autograd on the library), wrong ones the way a
learner gets them (the mistake the lesson is about); expected values come from hand formulas in the
checker, so each case below also checks the formula against autograd on both libraries.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import minigrad
from minigrad.lessons import lesson_09 as check
from minigrad.lessons._tools import run_solution


def _libraries():
    libraries = [pytest.param(minigrad, id="minigrad")]
    try:
        import torch
        libraries.append(pytest.param(torch, id="torch"))
    except ImportError:
        libraries.append(pytest.param(None, id="torch", marks=pytest.mark.skip("PyTorch is not installed")))
    return libraries


LIBRARIES = _libraries()


def said(capsys, checker, answer) -> str:
    checker(answer)
    return capsys.readouterr().out.strip()


def assert_correct(capsys, checker, answer):
    out = said(capsys, checker, answer)
    assert out.startswith("Correct"), out


def assert_hint(capsys, checker, answer, mentions: str = ""):
    out = said(capsys, checker, answer)
    assert out.startswith("Not yet:") and len(out) > len("Not yet: ") + 10, out
    assert mentions.lower() in out.lower(), f"the hint should mention {mentions!r}: {out}"


# -- exercise 1: one SGD step ---------------------------------------------------------------------

def _sgd(torch, *, update="no_grad", reset=True, lr=0.25):
    w = torch.tensor([3.0, -1.0], requires_grad=True)
    t = torch.tensor([1.0, 1.0])
    ((w - t) ** 2).sum().backward()
    if update == "no_grad":
        with torch.no_grad():
            w -= lr * w.grad
    elif update == "new tensor":
        w = w - lr * w.grad
    elif update == "data":
        w.data -= lr * w.grad                                        # the old idiom, outside the graph too
    elif update == "detached":
        w = (w - lr * w.grad).detach()
    if reset:
        w.grad = None
    return w


@pytest.mark.parametrize("torch", LIBRARIES)
def test_sgd_step(capsys, torch):
    assert_correct(capsys, check.sgd_step, _sgd(torch))
    assert_correct(capsys, check.sgd_step, _sgd(torch, update="data"))
    w = _sgd(torch, reset=False)
    w.grad.zero_()                                                       # zero_() is a reset too
    assert_correct(capsys, check.sgd_step, w)
    assert_hint(capsys, check.sgd_step, _sgd(torch, reset=False), mentions="w.grad")
    assert_hint(capsys, check.sgd_step, _sgd(torch, update="none"), mentions="did not happen")
    assert_hint(capsys, check.sgd_step, _sgd(torch, lr=-0.25), mentions="uphill")
    assert_hint(capsys, check.sgd_step, _sgd(torch, lr=0.5), mentions="Expected")
    assert_hint(capsys, check.sgd_step, _sgd(torch, update="detached", reset=False), mentions="requires grad")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                                  # w.grad of a non-leaf
        assert_hint(capsys, check.sgd_step, _sgd(torch, update="new tensor", reset=False), mentions="leaf")
    assert_hint(capsys, check.sgd_step, torch.tensor([2.0, 0.0]), mentions="requires grad")  # typed values
    assert_hint(capsys, check.sgd_step, [2.0, 0.0], mentions="answer = w")


# -- exercises 2 and 6: predictions, checked against what both libraries do ---------------------

def _raises(torch, make_y, change_h) -> bool:
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0], requires_grad=True)
    h = x + 1
    y = make_y(h, w)
    change_h(h)
    try:
        y.sum().backward()
    except RuntimeError as error:
        assert "modified by an inplace operation" in str(error)
        return True
    return False


@pytest.mark.parametrize("torch", LIBRARIES)
def test_predict_inplace_is_what_the_library_does(capsys, torch):
    actual = (_raises(torch, lambda h, w: h * w, lambda h: h.mul_(2)),
              _raises(torch, lambda h, w: h + w, lambda h: h.mul_(2)),
              _raises(torch, lambda h, w: h.clone() * w, lambda h: h.mul_(2)),
              _raises(torch, lambda h, w: (h ** 2) * 3, lambda h: h.zero_()),
              _raises(torch, lambda h, w: h * 3, lambda h: h.zero_()))
    assert actual == (True, False, False, True, False)
    assert_correct(capsys, check.predict_inplace, actual)
    assert_correct(capsys, check.predict_inplace, list(actual))
    assert_hint(capsys, check.predict_inplace, (True, True, True, True, True), mentions="3 of 5")
    assert_hint(capsys, check.predict_inplace, tuple(not a for a in actual), mentions="5 of 5")
    assert_hint(capsys, check.predict_inplace, actual[:4], mentions="five")
    assert_hint(capsys, check.predict_inplace, (1, 0, 0, 1), mentions="True/False")


@pytest.mark.parametrize("torch", LIBRARIES)
def test_predict_grad_none_is_what_the_library_does(capsys, torch):
    a = torch.tensor(2.0, requires_grad=True)
    b = a * 3
    c = b * b
    c.retain_grad()
    c.backward()
    a_new = a - 0.1 * a.grad
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        actual = (a.grad is None, b.grad is None, c.grad is None, a_new.grad is None)
    assert_correct(capsys, check.predict_grad_none, actual)
    assert_hint(capsys, check.predict_grad_none, (True, True, True, True), mentions="2 of 4")
    assert_hint(capsys, check.predict_grad_none, (False, False, False, False), mentions="b.grad")


# -- exercise 3: two losses, one graph ------------------------------------------------------------

def _two_losses(torch, *, retain=True, only=None):
    x = torch.tensor([1.0, 0.5, -2.0], requires_grad=True)
    h = x ** 2
    loss_1, loss_2 = h.sum(), (h ** 2).sum()
    if only == 1:
        loss_1.backward()
    elif only == 2:
        loss_2.backward()
    elif only == "together":
        (loss_1 + loss_2).backward()                                    # one backward of the sum: also right
    elif only != "none":
        loss_1.backward(retain_graph=retain)
        loss_2.backward()
    return x


@pytest.mark.parametrize("torch", LIBRARIES)
def test_two_losses(capsys, torch):
    assert_correct(capsys, check.two_losses, _two_losses(torch))
    assert_correct(capsys, check.two_losses, _two_losses(torch, only="together"))
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        _two_losses(torch, retain=False)                                # what the exercise is about
    assert_hint(capsys, check.two_losses, _two_losses(torch, only=1), mentions="loss_1 alone")
    assert_hint(capsys, check.two_losses, _two_losses(torch, only=2), mentions="loss_2 alone")
    assert_hint(capsys, check.two_losses, _two_losses(torch, only="none"), mentions="x.grad is None")
    assert_hint(capsys, check.two_losses, _two_losses(torch).grad, mentions="answer = x")   # typed/copied numbers
    twice = _two_losses(torch)
    twice.grad.mul_(2)
    assert_hint(capsys, check.two_losses, twice, mentions="Expected")
    assert_hint(capsys, check.two_losses, torch.zeros(2, requires_grad=True), mentions="keep its values")


# -- exercise 4: a loss that was not recorded -----------------------------------------------------

@pytest.mark.parametrize("torch", LIBRARIES)
def test_tracked_again(capsys, torch):
    w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    ((w - 1) ** 2).sum().backward()
    assert_correct(capsys, check.tracked_again, w)
    assert_hint(capsys, check.tracked_again, w.grad, mentions="requires_grad")     # answer = w.grad
    ((w - 1) ** 2).sum().backward()                                                 # a second time: doubled
    assert_hint(capsys, check.tracked_again, w, mentions="twice")
    untouched = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    assert_hint(capsys, check.tracked_again, untouched, mentions="w.grad is None")
    assert_hint(capsys, check.tracked_again, torch.tensor([1.0, -2.0, 0.5]), mentions="requires_grad=True")
    assert_hint(capsys, check.tracked_again, untouched * 1, mentions="leaf")
    other = torch.tensor([0.0, 0.0, 0.0], requires_grad=True)
    ((other - 1) ** 2).sum().backward()
    assert_hint(capsys, check.tracked_again, other, mentions="values")
    wrong = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    (wrong ** 2).sum().backward()                                                   # another loss
    assert_hint(capsys, check.tracked_again, wrong, mentions="Expected")


# -- exercise 5: a weighted gradient --------------------------------------------------------------

@pytest.mark.parametrize("torch", LIBRARIES)
def test_weighted_gradient(capsys, torch):
    x = torch.tensor([1.0, 2.0, -1.0], requires_grad=True)
    (x ** 3).backward(gradient=torch.tensor([1.0, 0.0, 2.0]))
    assert_correct(capsys, check.weighted_gradient, x)
    assert_hint(capsys, check.weighted_gradient, x.grad, mentions="answer = x")
    x = torch.tensor([1.0, 2.0, -1.0], requires_grad=True)
    (x ** 3).sum().backward()
    assert_hint(capsys, check.weighted_gradient, x, mentions="gradient=v")
    x = torch.tensor([1.0, 2.0, -1.0], requires_grad=True)
    (-(x ** 3)).backward(gradient=torch.tensor([1.0, 0.0, 2.0]))
    assert_hint(capsys, check.weighted_gradient, x, mentions="Expected")


# -- exercise 7: the loop that forgot zero_grad ---------------------------------------------------

def _loop(torch, zero_grad: bool, keep_tensors: bool = False) -> list:
    x = torch.linspace(-1, 1, 5)
    t = 3 - x
    w = torch.tensor(0.0, requires_grad=True)
    b = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=0.3)
    losses = []
    for _ in range(10):
        if zero_grad:
            optimizer.zero_grad()
        loss = ((w * x + b - t) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss if keep_tensors else loss.item())
    return losses


@pytest.mark.parametrize("torch", LIBRARIES)
def test_fixed_loop(capsys, torch):
    assert np.allclose(_loop(torch, True), check.loop_losses(True), rtol=1e-5)   # the NumPy loop is the same loop
    assert np.allclose(_loop(torch, False), check.loop_losses(False), rtol=1e-5)
    assert_correct(capsys, check.fixed_loop, _loop(torch, True))
    assert_correct(capsys, check.fixed_loop, torch.tensor(_loop(torch, True)))
    assert_correct(capsys, check.fixed_loop, _loop(torch, True, keep_tensors=True))   # losses.append(loss)
    assert_hint(capsys, check.fixed_loop, _loop(torch, False), mentions="zero_grad")
    assert_hint(capsys, check.fixed_loop, _loop(torch, True)[:9], mentions="10 losses")
    assert_hint(capsys, check.fixed_loop, [0.0] * 10, mentions="Expected")
    assert_hint(capsys, check.fixed_loop, _loop(torch, True)[-1], mentions="list")


# -- junk: a hint, never an exception -------------------------------------------------------------

CHECKERS = [check.sgd_step, check.predict_inplace, check.two_losses, check.tracked_again,
            check.weighted_gradient, check.predict_grad_none, check.fixed_loop]


def _junk(torch) -> list:
    return [None, ..., "abc", b"xyz", object(), [1.0, "a"], [[1.0], [2.0, 3.0]], {}, 10 ** 400, float("inf"),
            float("nan"), [float("inf")] * 3, -1e308 * 10, np.zeros((4, 4)), True, (True,) * 5,
            torch.zeros(2, 2), torch.ones(3, requires_grad=True), torch.ones(3, requires_grad=True) * 2,
            torch.tensor(7.0), torch.tensor([1, 2, 3]), torch.zeros(0), [torch.ones(2)] * 10, [None] * 10]


@pytest.mark.parametrize("torch", LIBRARIES)
@pytest.mark.parametrize("checker", CHECKERS, ids=lambda c: c.__name__)
def test_junk_gets_a_hint_not_an_exception(capsys, torch, checker):
    for junk in _junk(torch):
        out = said(capsys, checker, junk)
        assert out.startswith("Not yet:"), f"{checker.__name__}({junk!r}) said {out!r}"
        checker.__wrapped__(junk)            # without the safety net too: the checker itself handles junk
        assert capsys.readouterr().out.startswith("Not yet:")


# -- solutions: each passes its checker on both libraries, after any attempt ---------------------

@pytest.mark.parametrize("torch", LIBRARIES)
@pytest.mark.parametrize("name", list(check.SOLUTIONS))
def test_each_solution_passes_on_both_libraries(torch, name):
    spoiled = {"torch": torch, "check": check, "w": None, "x": "junk", "answer": 42}   # a learner's leftovers
    printed = run_solution(check.SOLUTIONS[name], spoiled)
    assert printed.startswith("Correct!"), printed
    assert f"check.{name}(answer)" in check.SOLUTIONS[name]


def test_solution_of_an_unknown_exercise_says_which_exist(capsys):
    assert check.solution("nope") is None
    assert "sgd_step" in capsys.readouterr().out
