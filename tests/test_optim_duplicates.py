"""An optimizer given one tensor twice, as PyTorch: within a group it warns and keeps both (a step
updates the tensor twice); across groups it refuses. Oracle: PyTorch (fuzz finding F9)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("make", ["SGD", "Adam"])
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_a_tensor_twice_in_one_group_warns_and_is_updated_twice(make, momentum):
    results = []
    for lib in (minigrad, torch):
        a = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        options = dict(lr=0.1, momentum=momentum) if make == "SGD" else dict(lr=0.1)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            opt = getattr(lib.optim, make)([a, a], **options)
        messages = [str(w.message) for w in caught if "duplicate" in str(w.message)]
        for _ in range(2):
            opt.zero_grad()
            (a * a).sum().backward()
            opt.step()
        results.append((messages, a.detach().numpy().copy()))
    (ours, ours_a), (theirs, theirs_a) = results
    assert ours == theirs and len(ours) == 1
    np.testing.assert_allclose(ours_a, theirs_a, rtol=1e-6)


def test_a_tensor_in_two_groups_is_refused():
    errors = []
    for lib in (minigrad, torch):
        a = lib.tensor([1.0], requires_grad=True)
        with pytest.raises(ValueError) as e:
            lib.optim.SGD([{"params": [a]}, {"params": [a]}], lr=0.1)
        errors.append(str(e.value))
    assert errors[0] == errors[1]


def test_a_tensor_put_in_a_second_group_by_editing_its_list_steps_as_in_pytorch():
    """add_param_group refuses it, but a params list can be edited: PyTorch then steps group by group,
    so the second group's entry finds the momentum buffer the first group's made in the same step
    (within one group both entries would start a buffer of their own: see the test above)."""
    results = []
    for lib in (minigrad, torch):
        a, b = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([3.0], requires_grad=True)
        opt = lib.optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.5, momentum=0.5)
        opt.param_groups[1]["params"].append(a)
        seen = []
        for _ in range(2):
            a.grad, b.grad = lib.tensor([1.0, 1.0]), lib.tensor([1.0])
            opt.step()
            seen.append((a.tolist(), opt.state[a]["momentum_buffer"].tolist(), a._version))
        results.append(seen)
    assert results[0] == results[1]
    assert results[1][0] == ([-0.25, 0.75], [1.5, 1.5], 2)  # (each entry starting a buffer would give [0.0, 1.0])
