"""torch.where's backward against PyTorch when the gradient coming in is inf or nan: grad on the chosen
side, 0 on the other (minigrad multiplied by the mask, so 0 * inf = nan appeared on the other side).
Found by probing the ops like F10/F11 at stop 13; max/min/std below share the fix's reasoning."""
from __future__ import annotations

import math

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

inf, nan = math.inf, math.nan


def _where(lib):
    cond = lib.tensor([True, False, True, False])
    a = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    b = lib.tensor([5.0, 6.0, 7.0, 8.0], requires_grad=True)
    lib.where(cond, a, b).backward(lib.tensor([inf, nan, -inf, 1.0]))
    c = lib.tensor([0.5, -1.0], requires_grad=True)
    lib.where(c > 0, c, c * 3).backward(lib.tensor([nan, inf]))  # both sides are c
    return [a.grad.numpy(), b.grad.numpy(), c.grad.numpy()]


def test_where_backward_chooses_as_pytorch():
    # torch.where's backward: grad where cond, else 0 (minigrad multiplied by the mask: nan on the other side)
    for a, b in zip(_where(minigrad), _where(torch)):
        np.testing.assert_array_equal(a, b)
