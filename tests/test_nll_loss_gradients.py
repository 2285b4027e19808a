"""nll_loss's (and cross_entropy's) backward against PyTorch when the gradient coming in is inf or nan:
PyTorch puts -grad (divided by the rows counted, for the mean) at each row's target and leaves 0
elsewhere, so no 0 * inf = nan appears off the targets (fuzz finding F11: minigrad multiplied a
one-hot). Every reduction, ignore_index, a 1-D input, the array path and create_graph (where the
gradient is PyTorch's NllLossBackwardBackward0 node, differentiable again), and the saved input
(PyTorch keeps it: an in-place change to it stops backward)."""
from __future__ import annotations

import math

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

inf, nan = math.inf, math.nan
SCORES = [[2.0, 1.5, 3.0], [0.5, -1.0, 2.0], [1.0, 1.0, 1.0], [-0.5, 0.25, 4.0]]
TARGETS = [1, -100, 2, 0]  # the second row's target is ignore_index
INCOMING = {"mean": [inf, -inf, nan, 2.0], "sum": [inf, -inf, nan, 2.0],
            "none": [[inf, nan, -inf, 1.0], [nan, inf, 2.0, -inf]]}


def _same(ours, theirs) -> None:
    """Same values (to the last bits: log_softmax's backward rounds differently in float32), same
    inf and nan places, and the same zeros, signs included."""
    a, b = ours.detach().numpy(), theirs.detach().numpy()
    np.testing.assert_allclose(a, b, rtol=2e-6 if a.dtype == np.float32 else 1e-14, atol=0)
    np.testing.assert_array_equal(a == 0, b == 0)
    np.testing.assert_array_equal(np.signbit(a[a == 0]), np.signbit(b[b == 0]))


def _gradients(lib, loss_name: str, reduction: str, dtype: str) -> list:
    F = lib.nn.functional
    loss = getattr(F, loss_name)
    dt = getattr(lib, dtype)
    out = []
    for g in INCOMING[reduction]:
        x = lib.tensor(SCORES, dtype=dt, requires_grad=True)
        loss(x * 1, lib.tensor(TARGETS), reduction=reduction).backward(lib.tensor(g, dtype=dt))
        out.append(x.grad)
    return out


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("loss_name", ["nll_loss", "cross_entropy"])
def test_an_inf_or_nan_gradient_stays_0_off_the_targets(loss_name, reduction, dtype):
    for ours, theirs in zip(_gradients(minigrad, loss_name, reduction, dtype),
                            _gradients(torch, loss_name, reduction, dtype)):
        _same(ours, theirs)


def _edge_cases(lib) -> list:
    F = lib.nn.functional
    out = []
    x = lib.tensor([2.0, 1.5, 3.0], requires_grad=True)  # one row, as a 1-D input with a 0-dim target
    F.nll_loss(x, lib.tensor(1), reduction="none").backward(lib.tensor(inf))
    out.append(x.grad)
    x = lib.tensor(SCORES, requires_grad=True)  # every row ignored: a nan mean, a zero gradient
    loss = F.nll_loss(x, lib.tensor([-100] * 4))
    loss.backward(lib.tensor(inf))
    out += [loss, x.grad]
    x = lib.tensor(SCORES, requires_grad=True)
    F.nll_loss(x, lib.tensor([1, 0, 2, 2]), ignore_index=2, reduction="sum").backward(lib.tensor(-inf))
    out.append(x.grad)
    return out


def test_one_row_all_rows_ignored_and_another_ignore_index():
    for ours, theirs in zip(_edge_cases(minigrad), _edge_cases(torch)):
        _same(ours, theirs)


def _second_order(lib, reduction: str) -> list:
    F = lib.nn.functional
    x = lib.tensor(SCORES, requires_grad=True)
    loss = F.nll_loss(x, lib.tensor(TARGETS), reduction=reduction)
    incoming = lib.full(tuple(loss.shape), inf, requires_grad=True)
    (g,) = lib.autograd.grad(loss, x, incoming, create_graph=True)
    weights = lib.tensor([[inf, 2.0, nan], [1.0, 1.0, 1.0], [3.0, nan, 5.0], [-1.0, nan, inf]])
    (g * weights).sum().backward()
    return [g, incoming.grad, x.grad, g.grad_fn.name(), [n.name().split("::")[-1] if n else None
                                                         for n, _ in g.grad_fn.next_functions]]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_create_graph_records_the_gradient_as_pytorch_and_differentiates_it(reduction):
    ours, theirs = _second_order(minigrad, reduction), _second_order(torch, reduction)
    for a, b in zip(ours[:3], theirs[:3]):
        _same(a, b)
    assert ours[3:] == theirs[3:] == ["NllLossBackwardBackward0", ["AccumulateGrad", "AccumulateGrad"]]


def _changed_input(lib):
    a = lib.tensor(SCORES, requires_grad=True)
    x = a * 1
    loss = lib.nn.functional.nll_loss(x, lib.tensor(TARGETS))
    x.add_(1)  # nll_loss saved x (PyTorch's _saved_self): backward must refuse
    loss.backward()


def test_an_inplace_change_to_the_input_stops_backward_as_in_pytorch():
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        _changed_input(torch)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        _changed_input(minigrad)
