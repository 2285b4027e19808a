"""Two regressions, checked against PyTorch: f-strings of tensors (Tensor.__format__), and inf/nan
where the math gives them (x / 0, 0 ** y, ...) with PyTorch's values and gradients and without NumPy's
RuntimeWarnings leaking out of minigrad."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import minigrad
from minigrad import nn


# ----------------------------------------------------------------------------- __format__
def test_format_by_hand():
    """Written out from PyTorch's rule: 0-dim -> the number formatted with the spec; else repr for ''."""
    assert f"{minigrad.tensor(0.25)}" == "0.25"
    assert f"{minigrad.tensor(3.14159):.3f}" == "3.142"
    assert format(minigrad.tensor(2), "d") == "2"
    assert format(minigrad.tensor(7), ">4") == "   7"
    assert f"{minigrad.tensor([1.5, 2.25])}" == "tensor([1.5000, 2.2500])"
    assert format(minigrad.tensor([1.0]), "") == repr(minigrad.tensor([1.0]))
    with pytest.raises(TypeError, match="unsupported format string passed to Tensor.__format__"):
        format(minigrad.tensor([1.0, 2.0]), ".3f")
    with pytest.raises(ValueError, match="Unknown format code 'd'"):
        format(minigrad.tensor(1.5), "d")


def test_format_of_a_tensor_that_requires_grad_gives_the_number_without_warning():
    x = minigrad.tensor(2.0, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert f"{x * 3:.1f}" == "6.0" and f"{x}" == "2.0"


SPECS = ["", ".3f", ">30", "d", ".2e", "+"]
VALUES = [3.14159, 2, 0.1, [1.5, 2.25], [[1.0]], -0.0, True]


# requires_grad only for floating point values (others cannot require grad)
FORMAT_CASES = [(v, False) for v in VALUES] + [(v, True) for v in VALUES if isinstance(np.asarray(v).flat[0].item(), float)]


@pytest.mark.parametrize("value, requires_grad", FORMAT_CASES, ids=repr)
@pytest.mark.parametrize("spec", SPECS)
def test_format_matches_pytorch(value, spec, requires_grad):
    torch = pytest.importorskip("torch")

    def run(lib):
        t = lib.tensor(value, requires_grad=requires_grad) if requires_grad else lib.tensor(value)
        try:
            return format(t, spec)
        except (TypeError, ValueError) as e:
            return type(e).__name__, str(e)

    ours, theirs = run(minigrad), run(torch)
    assert ours == theirs.replace("torch.", "minigrad.") if isinstance(theirs, str) else ours == theirs


def test_format_of_a_parameter_matches_pytorch():
    torch = pytest.importorskip("torch")
    p, tp = nn.Parameter(minigrad.tensor(1.5)), torch.nn.Parameter(torch.tensor(1.5))
    assert f"{p}" == f"{tp}"
    with pytest.raises(TypeError, match="Parameter.__format__"):
        format(p, ".2f")
    with pytest.raises(TypeError, match="Parameter.__format__"):
        format(tp, ".2f")


# ----------------------------------------------------------------------------- inf and nan
def test_pow_at_zero_base_has_pytorchs_gradient_by_hand():
    """d(x**y)/dx = y x**(y-1) and d/dy = x**y ln x at x = 0, worked out: PyTorch's values (0 where
    the limit is 0, inf where the derivative blows up), and no RuntimeWarning from NumPy."""
    x = minigrad.tensor([0.0, 0.0, 0.0, 0.0, 0.0], dtype=minigrad.float64, requires_grad=True)
    y = minigrad.tensor([0.0, 0.5, 1.0, 2.0, -1.0], dtype=minigrad.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z = x ** y
        z.sum().backward()
    assert z.tolist() == [1.0, 0.0, 0.0, 0.0, math.inf]
    assert x.grad.tolist() == [0.0, math.inf, 1.0, 0.0, -math.inf]  # y=0: x**0 = 1 is flat
    assert y.grad.tolist() == [0.0, 0.0, 0.0, 0.0, -math.inf]       # y>=0: limit of x**y ln x is 0


EDGE_CASES = {
    "x / 0": lambda x: x / 0.0,
    "1 / x": lambda x: 1 / x,
    "reciprocal": lambda x: x.reciprocal(),
    "x ** -1": lambda x: x ** -1,
    "x ** 0.5": lambda x: x ** 0.5,
    "x ** 0": lambda x: x ** 0,
    "sqrt": lambda x: x.sqrt(),
    "log": lambda x: x.log(),
    "log(x - 1)": lambda x: (x - 1).log(),
    "0 ** x": lambda x: 0.0 ** x,
    "x / x": lambda x: x / x,
    "x ** x": lambda x: x ** x,
    "exp(1000 x)": lambda x: (x * 1000).exp(),
    "x ** (x + 1)": lambda x: x ** (x + 1),
}


@pytest.mark.parametrize("name", list(EDGE_CASES))
def test_inf_and_nan_match_pytorch_without_warnings(name):
    torch = pytest.importorskip("torch")
    f = EDGE_CASES[name]
    results = []
    for lib in (minigrad, torch):
        x = lib.tensor([0.0, 1.0, -1.0], dtype=lib.float64, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            y = f(x)
            y.sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy()))
    (y, g), (ty, tg) = results
    np.testing.assert_array_equal(y, ty)  # equal, inf and nan in the same places
    np.testing.assert_array_equal(g, tg)
