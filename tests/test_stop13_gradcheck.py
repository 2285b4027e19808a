"""The backward formulas changed in stop 13, against finite differences (float64 gradcheck and
gradgradcheck) on generated inputs of several shapes, as views and not: relu (a choice, and
ThresholdBackwardBackward0 under create_graph), nll_loss / cross_entropy (the gradient placed, and
NllLossBackwardBackward0), where, max / min, std, sign, x ** 0, sum and mean on arrays, log_softmax.
Inputs keep away from kinks and ties (relu at 0, a tie for the maximum), where a finite difference
has no one answer. Each op's values are also compared with PyTorch in the files of its fix."""
from __future__ import annotations

import numpy as np
import pytest

import minigrad
import minigrad.nn.functional as F
from minigrad.autograd import gradcheck, gradgradcheck


def _inputs(seed: int, shape: tuple, view: bool):
    """A float64 tensor requiring grad, values at least 0.1 from 0 and from each other; as a transposed
    view of a leaf when `view` (gradcheck then differentiates through the view too)."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    values = rng.permutation(np.arange(1, n + 1)) * 0.37 * rng.choice([-1.0, 1.0], size=n) + 0.05
    x = minigrad.tensor(values.reshape(shape), dtype=minigrad.float64, requires_grad=True)
    if view and len(shape) == 2:
        leaf = minigrad.tensor(values.reshape(shape[::-1]), dtype=minigrad.float64, requires_grad=True)
        return leaf, lambda t: t.t()
    return x, lambda t: t


CASES = {
    "relu": lambda x: x.relu() * x,  # (times x: a second derivative that is not 0)
    "log_softmax": lambda x: F.log_softmax(x, -1) * x,
    "sum(-1)": lambda x: (x * x).sum(-1),
    "mean(0)": lambda x: (x * x).mean(0),
    "sum": lambda x: (x * x * x).sum(),
    "max": lambda x: x.max() * x,
    "min(-1)": lambda x: x.min(-1).values * x.sum(),
    "std": lambda x: x.std() * x,
    "where": lambda x: minigrad.where(x > 0, x * x, x * 3.0),
    "sign": lambda x: x.sign() * x * x,
    "pow 0": lambda x: x ** 0 + x * x,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_changed_formulas_against_finite_differences(name):
    checked = 0
    for seed, shape, view in [(0, (5,), False), (1, (3, 4), False), (2, (3, 4), True), (3, (2, 1, 3), False)]:
        if name == "min(-1)" and len(shape) < 2:
            continue
        x, arrange = _inputs(seed, shape, view)
        f = lambda t: CASES[name](arrange(t))  # noqa: E731
        assert gradcheck(f, (x,)), (name, shape, view)
        assert gradgradcheck(f, (x,)), (name, shape, view)
        checked += 1
    assert checked >= 3


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_loss_and_cross_entropy_against_finite_differences(reduction):
    for seed, rows, ignore in [(0, 4, None), (1, 5, 2), (2, 1, None)]:
        x, _ = _inputs(seed, (rows, 3), False)
        target = minigrad.tensor(np.random.default_rng(seed).integers(0, 3, size=rows))
        if ignore is not None:
            target = minigrad.tensor(np.where(np.arange(rows) == ignore, -100, target.numpy()))
        for loss in (lambda t: F.nll_loss(t * t, target, reduction=reduction),
                     lambda t: F.cross_entropy(t * t, target, reduction=reduction)):
            assert gradcheck(loss, (x,)), (reduction, rows, ignore)
            assert gradgradcheck(loss, (x,)), (reduction, rows, ignore)
