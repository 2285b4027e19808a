"""The shortcuts stop 13 took for speed, each checked against PyTorch (or NumPy's own state) where it
could change what a user sees:

- sum() and mean() backward on bare arrays (a stride-0 view for sum, as PyTorch's expand gives);
- the errstate of a Module call entered once, by the outermost call;
- F.linear's argument errors (it reads arrays directly now).
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import minigrad
import minigrad.nn.functional as F
from minigrad import nn

torch = pytest.importorskip("torch")


def _hooked_gradients(lib, program):
    """What a hook on x sees (strides, contiguity), and x.grad, for program(x) -> scalar."""
    x = lib.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append((tuple(g.stride()), g.is_contiguous(), g.tolist())))
    program(x).backward()
    return seen, x.grad.tolist()


@pytest.mark.parametrize("name, program", [
    ("sum", lambda x: x.sum()),
    ("sum(1)", lambda x: x.sum(1).sum()),
    ("sum(0, keepdim)", lambda x: (x.sum(0, keepdim=True) * 2).sum()),
    ("mean", lambda x: x.mean()),
    ("mean(1)", lambda x: x.mean(1).sum()),
    ("sum of a transpose", lambda x: x.t().sum()),
])
def test_sum_and_mean_gradients_are_laid_out_as_pytorch(name, program):
    assert _hooked_gradients(minigrad, program) == _hooked_gradients(torch, program), name


def test_a_hook_may_fill_the_repeated_gradient_of_sum_as_in_pytorch():
    results = []
    for lib in (minigrad, torch):
        x = lib.ones(2, 3, requires_grad=True)
        x.register_hook(lambda g: g.fill_(2.0))
        x.sum().backward()
        results.append(x.grad.tolist())
    assert results[0] == results[1] == [[2.0] * 3] * 2


def test_a_hook_writing_into_the_repeated_gradient_of_sum_is_refused_as_in_pytorch():
    messages = []
    for lib in (minigrad, torch):
        x = lib.ones(2, 3, requires_grad=True)
        x.register_hook(lambda g: g.add_(1.0))
        with pytest.raises(RuntimeError) as caught:
            x.sum().backward()
        messages.append(str(caught.value).split(".")[0])
    assert messages[0] == messages[1]


class _Overflowing(nn.Module):
    """A module whose submodules make inf and nan from finite input (a diverging run's first steps)."""

    def __init__(self) -> None:
        super().__init__()
        self.inner = nn.Sequential(nn.Linear(2, 2), nn.ReLU())

    def forward(self, x):
        return self.inner(x * 1e38) * 1e38 - float("inf")


def test_nested_module_calls_are_silent_under_error_filters_and_leave_numpy_state_as_it_was():
    before = np.geterr()
    model = _Overflowing()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any NumPy warning from inside the calls fails here
        out = model(minigrad.full((3, 2), 3.0))
        out.sum().backward()
    assert np.geterr() == before
    with pytest.raises(RuntimeError):  # an error inside a nested call: the state is put back too
        model.inner(minigrad.ones(3, 5))
    assert np.geterr() == before
    # and a second top-level call after the failed one is still silent
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model(minigrad.full((1, 2), 3.0))


@pytest.mark.parametrize("args", [
    ([1.0, 2.0], "W"), ("x", [[1.0, 2.0]]), ("x", "W", [1.0]), (None, "W"), ("x", None), (3, "W", "b"),
])
def test_linear_refuses_a_non_tensor_argument_as_pytorch(args):
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(4, 2)), rng.normal(size=(3, 2)), rng.normal(size=(3,))
    errors = []
    for lib in (minigrad, torch):
        values = {"x": lib.tensor(x), "W": lib.tensor(w), "b": lib.tensor(b)}
        call = [values[a] if isinstance(a, str) else a for a in args]
        with pytest.raises(Exception) as caught:
            lib.nn.functional.linear(*call)
        errors.append((type(caught.value).__name__, str(caught.value)))
    assert errors[0] == errors[1]


def test_linear_of_other_shapes_records_pytorchs_nodes():
    for shape in [(3,), (2, 4, 3), (5, 3)]:
        names = []
        for lib in (minigrad, torch):
            layer = lib.nn.Linear(3, 2)
            out = layer(lib.ones(*shape))
            names.append((out.grad_fn.name(), [n.name().replace("torch::autograd::", "") if n is not None else None
                                               for n, _ in out.grad_fn.next_functions]))
        assert names[0] == names[1], shape
    assert F.linear(minigrad.ones(2, 3), minigrad.ones(4, 3)).shape == (2, 4)


def test_linear_bias_and_weight_shapes_against_pytorch_counted():
    """Every combination of input, weight and bias shapes below: same result shape and values, or the
    same error type and words as PyTorch, except the one wording minigrad keeps on purpose for expand's
    rank error ("tensor of shape [...]" where PyTorch prints its legacy type name), a 1-D weight with a
    bias that does not fit, where both refuse but PyTorch's words depend on which of its internal paths
    met the mistake first, and a bias of 2 or more dims beside an input that is not 2-D, which minigrad
    does not check (counted apart: PyTorch refuses some, with words from more of its paths than
    minigrad models)."""
    outcomes = {"same result": 0, "same error": 0, "expand rank wording": 0, "1-D weight, other words": 0,
                "bias of 2+ dims unchecked": 0}
    for xs in [(3,), (4, 3), (2, 4, 3), (5, 2, 4, 3), (0, 3), (1, 3)]:
        for ws in [(3,), (2, 3), (1, 3), (0, 3)]:
            for bs in [None, (), (1,), (2,), (4,), (4, 2), (4, 1), (1, 2), (3, 2), (5, 1, 2), (2, 4, 2), (0,)]:
                got = []
                for lib in (torch, minigrad):
                    bias = None if bs is None else lib.ones(*bs) if bs else lib.ones(())
                    try:
                        y = lib.nn.functional.linear(lib.ones(*xs), lib.ones(*ws), bias)
                        got.append(("ok", tuple(y.shape), float(y.sum())))
                    except RuntimeError as e:
                        got.append(("RuntimeError", str(e)))
                if got[0] == got[1]:
                    outcomes["same result" if got[0][0] == "ok" else "same error"] += 1
                elif len(xs) != 2 and bs is not None and len(bs) >= 2:
                    outcomes["bias of 2+ dims unchecked"] += 1
                else:
                    assert got[0][0] == got[1][0] == "RuntimeError", (xs, ws, bs, got)  # both refuse, always
                    torch_words, ours = got[0][1], got[1][1]
                    if len(ws) == 1:
                        outcomes["1-D weight, other words"] += 1
                        continue
                    assert "must be greater or equal to the number of dimensions" in torch_words and \
                        torch_words.split("):")[1] == ours.split("):")[1], (xs, ws, bs, got)
                    outcomes["expand rank wording"] += 1
    # (counted at stop 13: 88 same results, 144 same errors, 18 of expand's rank wording, 38 unchecked)
    assert outcomes["same result"] >= 88 and outcomes["same error"] >= 144, outcomes
    assert outcomes["1-D weight, other words"] == 0 and outcomes["bias of 2+ dims unchecked"] <= 38, outcomes


@pytest.mark.parametrize("name", ["ones", "zeros", "empty", "rand", "randn"])
def test_a_creation_function_without_a_size_is_refused_as_in_pytorch(name):
    errors = []
    for lib in (torch, minigrad):
        with pytest.raises(TypeError) as caught:
            getattr(lib, name)()
        errors.append(str(caught.value).replace("torch.", "minigrad."))
    assert errors[0] == errors[1]
    assert getattr(minigrad, name)(()).shape == getattr(torch, name)(()).shape == ()  # (a 0-dim one is asked so)
