"""Tensor printing: minigrad prints exactly what PyTorch prints (with `minigrad.` for `torch.`).

The first tests compare with strings written out by hand (taken from PyTorch 2.13) and run
without torch; the parity tests at the end compare with `repr(torch.tensor(...))` on many
random arrays.
"""
from __future__ import annotations

import importlib.util
import math
import pathlib
import re
import sys

import numpy as np
import pytest

try:
    from minigrad import _format
except Exception:  # the package may not import yet (or at all) while it is being built
    _path = pathlib.Path(__file__).resolve().parents[1] / "minigrad" / "_format.py"
    _spec = importlib.util.spec_from_file_location("_minigrad_format_under_test", _path)
    _format = importlib.util.module_from_spec(_spec)
    sys.modules[_spec.name] = _format  # dataclasses look their module up while it executes
    _spec.loader.exec_module(_format)

format_tensor = _format.format_tensor


@pytest.fixture(autouse=True)
def default_printoptions():
    """Every test starts and ends with PyTorch's default print options."""
    _format.set_printoptions(profile="default")
    yield
    _format.set_printoptions(profile="default")


def f32(values):
    return np.array(values, dtype=np.float32)


# ---------------------------------------------------------------- hand-written expectations

def test_requires_grad_matrix_of_ones():
    assert format_tensor(np.ones((2, 4), np.float32), "float32", ["requires_grad=True"]) == (
        "tensor([[1., 1., 1., 1.],\n"
        "        [1., 1., 1., 1.]], requires_grad=True)")


def test_scalar_with_grad_fn():
    assert format_tensor(f32(3.0), "float32", ["grad_fn=<SumBackward0>"]) == (
        "tensor(3., grad_fn=<SumBackward0>)")


def test_integer_valued_floats_get_a_point_and_are_aligned():
    assert format_tensor(f32([1.0, 2.0]), "float32") == "tensor([1., 2.])"
    assert format_tensor(np.arange(12, dtype=np.float32).reshape(2, 3, 2), "float32") == (
        "tensor([[[ 0.,  1.],\n"
        "         [ 2.,  3.],\n"
        "         [ 4.,  5.]],\n"
        "\n"
        "        [[ 6.,  7.],\n"
        "         [ 8.,  9.],\n"
        "         [10., 11.]]])")


def test_fractions_print_four_decimals():
    assert format_tensor(f32(2.5), "float32") == "tensor(2.5000)"
    assert format_tensor(f32([-0.0, 0.5]), "float32") == "tensor([-0.0000, 0.5000])"


def test_mixed_magnitudes_switch_the_whole_tensor_to_scientific():
    # 100.125 / 0.001 > 1000, so every element, zero included, is printed in e-notation.
    values = f32([[0.5, -12.25, 3.0], [100.125, 0.0, -0.001]])
    assert format_tensor(values, "float32") == (
        "tensor([[ 5.0000e-01, -1.2250e+01,  3.0000e+00],\n"
        "        [ 1.0012e+02,  0.0000e+00, -1.0000e-03]])")


@pytest.mark.parametrize("values, expected", [
    ([1e-5, 1.0, 12345.0], "tensor([1.0000e-05, 1.0000e+00, 1.2345e+04])"),  # below 1e-4
    ([1e9, 2.0], "tensor([1.0000e+09, 2.0000e+00])"),  # above 1e8
    ([1.0, 2e3], "tensor([1.0000e+00, 2.0000e+03])"),  # whole numbers, but spread > 1000
    (1e-7, "tensor(1.0000e-07)"),
])
def test_scientific_notation(values, expected):
    assert format_tensor(f32(values), "float32") == expected


def test_float64_shows_its_dtype_with_the_minigrad_prefix():
    assert format_tensor(np.array([1.0, 2.0]), "float64") == "tensor([1., 2.], dtype=minigrad.float64)"
    assert format_tensor(np.array([[0.1, 0.2], [0.3, 0.4]]), "float64", ["requires_grad=True"]) == (
        "tensor([[0.1000, 0.2000],\n"
        "        [0.3000, 0.4000]], dtype=minigrad.float64, requires_grad=True)")


def test_bool_and_int64_print_without_dtype():
    assert format_tensor(np.array([[True, False], [False, True]]), "bool") == (
        "tensor([[ True, False],\n"
        "        [False,  True]])")
    assert format_tensor(np.array([[1, -20, 300], [4, 5, 6]]), "int64") == (
        "tensor([[  1, -20, 300],\n"
        "        [  4,   5,   6]])")


@pytest.mark.parametrize("value, dtype_name, expected", [
    (2.5, "float32", "tensor(2.5000)"),
    (-0.0, "float32", "tensor(-0.)"),
    (-7, "int64", "tensor(-7)"),
    (True, "bool", "tensor(True)"),
    (4.0, "float64", "tensor(4., dtype=minigrad.float64)"),
])
def test_zero_dim(value, dtype_name, expected):
    assert format_tensor(np.array(value), dtype_name) == expected


@pytest.mark.parametrize("shape, dtype_name, extras, expected", [
    ((0, 3), "float32", (), "tensor([], size=(0, 3))"),
    ((0,), "float32", (), "tensor([])"),
    ((0,), "int64", (), "tensor([], dtype=minigrad.int64)"),  # no values to show it is an int
    ((2, 0, 3), "bool", (), "tensor([], size=(2, 0, 3), dtype=minigrad.bool)"),
    ((2, 0), "float64", ("requires_grad=True",),
     "tensor([], size=(2, 0), dtype=minigrad.float64, requires_grad=True)"),
])
def test_empty(shape, dtype_name, extras, expected):
    assert format_tensor(np.zeros(shape, dtype_name), dtype_name, extras) == expected


def test_nan_and_inf():
    assert format_tensor(f32([1.5, math.nan, math.inf, -math.inf]), "float32") == (
        "tensor([1.5000,    nan,    inf,   -inf])")
    # Only finite values set the width, so "nan" and "-inf" stick out of a whole-number column.
    assert format_tensor(f32([1.0, math.nan, -math.inf]), "float32") == "tensor([1., nan, -inf])"
    assert format_tensor(f32([math.nan, math.inf]), "float32") == "tensor([nan, inf])"
    assert format_tensor(f32([0.0, 0.0]), "float32") == "tensor([0., 0.])"


def test_negative_zero():
    assert format_tensor(f32([-0.0, 2.0]), "float32") == "tensor([-0., 2.])"


def test_long_rows_wrap_at_80_characters():
    assert format_tensor(np.arange(30, dtype=np.float32) / 4, "float32") == (
        "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000, 1.2500, 1.5000, 1.7500, 2.0000,\n"
        "        2.2500, 2.5000, 2.7500, 3.0000, 3.2500, 3.5000, 3.7500, 4.0000, 4.2500,\n"
        "        4.5000, 4.7500, 5.0000, 5.2500, 5.5000, 5.7500, 6.0000, 6.2500, 6.5000,\n"
        "        6.7500, 7.0000, 7.2500])")
    assert format_tensor(np.arange(-10, 30), "int64") == (
        "tensor([-10,  -9,  -8,  -7,  -6,  -5,  -4,  -3,  -2,  -1,   0,   1,   2,   3,\n"
        "          4,   5,   6,   7,   8,   9,  10,  11,  12,  13,  14,  15,  16,  17,\n"
        "         18,  19,  20,  21,  22,  23,  24,  25,  26,  27,  28,  29])")


def test_suffixes_follow_the_last_line_of_wrapped_values():
    values = np.arange(25, dtype=np.float64) * 2 / 3
    assert format_tensor(values, "float64", ["grad_fn=<MulBackward0>"]) == (
        "tensor([ 0.0000,  0.6667,  1.3333,  2.0000,  2.6667,  3.3333,  4.0000,  4.6667,\n"
        "         5.3333,  6.0000,  6.6667,  7.3333,  8.0000,  8.6667,  9.3333, 10.0000,\n"
        "        10.6667, 11.3333, 12.0000, 12.6667, 13.3333, 14.0000, 14.6667, 15.3333,\n"
        "        16.0000], dtype=minigrad.float64, grad_fn=<MulBackward0>)")


def test_suffixes_move_to_their_own_line_when_the_last_line_is_full():
    assert format_tensor(np.arange(9, dtype=np.float32) + 0.5, "float32", ["requires_grad=True"]) == (
        "tensor([0.5000, 1.5000, 2.5000, 3.5000, 4.5000, 5.5000, 6.5000, 7.5000, 8.5000],\n"
        "       requires_grad=True)")
    values = np.arange(16, dtype=np.float64) + 0.5
    assert format_tensor(values, "float64", ["grad_fn=<MulBackward0>"]) == (
        "tensor([ 0.5000,  1.5000,  2.5000,  3.5000,  4.5000,  5.5000,  6.5000,  7.5000,\n"
        "         8.5000,  9.5000, 10.5000, 11.5000, 12.5000, 13.5000, 14.5000, 15.5000],\n"
        "       dtype=minigrad.float64, grad_fn=<MulBackward0>)")


def test_more_than_1000_elements_are_summarized():
    assert format_tensor(np.arange(1001), "int64") == "tensor([   0,    1,    2,  ...,  998,  999, 1000])"
    assert format_tensor(np.arange(1000), "int64").count("...") == 0
    # The width and notation come from the shown values only (here 0..5 and 1994..1999).
    assert format_tensor(np.arange(2000, dtype=np.float32).reshape(1000, 2), "float32") == (
        "tensor([[0.0000e+00, 1.0000e+00],\n"
        "        [2.0000e+00, 3.0000e+00],\n"
        "        [4.0000e+00, 5.0000e+00],\n"
        "        ...,\n"
        "        [1.9940e+03, 1.9950e+03],\n"
        "        [1.9960e+03, 1.9970e+03],\n"
        "        [1.9980e+03, 1.9990e+03]])")


def test_summarized_3d_puts_dots_between_blocks():
    text = format_tensor(np.arange(24000, dtype=np.float64).reshape(20, 30, 40), "float64")
    assert text.startswith(
        "tensor([[[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 3.7000e+01,\n"
        "          3.8000e+01, 3.9000e+01],\n"
        "         [4.0000e+01, 4.1000e+01, 4.2000e+01,  ..., 7.7000e+01,\n"
        "          7.8000e+01, 7.9000e+01],\n")
    assert "3.5990e+03]],\n\n        ...,\n\n        [[2.0400e+04," in text
    assert text.endswith("2.3998e+04, 2.3999e+04]]], dtype=minigrad.float64)")


def test_set_printoptions():
    _format.set_printoptions(precision=2)
    assert format_tensor(f32([1.12345]), "float32") == "tensor([1.12])"
    _format.set_printoptions(threshold=5)
    assert format_tensor(np.arange(10), "int64") == "tensor([0, 1, 2,  ..., 7, 8, 9])"
    _format.set_printoptions(sci_mode=True)
    assert format_tensor(f32([1.5]), "float32") == "tensor([1.50e+00])"  # precision 2 still holds
    _format.set_printoptions(profile="default")
    assert format_tensor(f32([1.12345]), "float32") == "tensor([1.1235])"
    assert format_tensor(np.arange(10), "int64") == "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"


def test_printoptions_context_restores_the_options():
    with _format.printoptions(precision=1, linewidth=20):
        assert format_tensor(f32([0.25, 0.5, 0.75, 1.25]), "float32") == (
            "tensor([0.2, 0.5,\n"
            "        0.8, 1.2])")
    assert _format.get_printoptions()["precision"] == 4
    assert _format.get_printoptions()["linewidth"] == 80


def test_rejects_unknown_dtype():
    with pytest.raises(ValueError):
        format_tensor(np.zeros(2), "complex64")


# ---------------------------------------------------------------- parity with PyTorch

_DTYPES = ["float32", "float64", "int64", "bool"]


def _random_shape(rng: np.random.Generator) -> tuple:
    ndim = int(rng.choice([0, 1, 1, 2, 2, 3, 4]))
    if rng.random() < 0.08 and ndim > 0:  # big enough to be summarized (> 1000 elements)
        return tuple(int(n) for n in rng.integers(3, 8, ndim - 1)) + (int(rng.integers(200, 1300)),)
    upper = {0: 1, 1: 40, 2: 14, 3: 6, 4: 4}[ndim]
    lower = 0 if rng.random() < 0.05 else 1
    return tuple(int(n) for n in rng.integers(lower, upper + 1, ndim))


def _random_floats(rng: np.random.Generator, size: int) -> np.ndarray:
    """Magnitudes from 1e-6 to 1e9 over a random span, sometimes whole, with specials mixed in."""
    low = rng.uniform(-6, 9)
    high = min(9.0, low + float(rng.choice([0, 0.5, 1, 2, 3, 4, 15])))
    values = 10.0 ** rng.uniform(low, high, size)
    if rng.random() < 0.6:
        values *= rng.choice([-1.0, 1.0], size)
    if rng.random() < 0.3:
        values = np.round(values)
    if rng.random() < 0.3 and size:
        where = rng.integers(0, size, int(rng.integers(1, 4)))
        values[where] = rng.choice([0.0, -0.0, np.nan, np.inf, -np.inf], len(where))
    return values


def _random_array(rng: np.random.Generator) -> tuple[np.ndarray, str]:
    dtype_name = str(rng.choice(_DTYPES, p=[0.45, 0.25, 0.15, 0.15]))
    shape = _random_shape(rng)
    size = int(np.prod(shape))
    if dtype_name == "bool":
        values = rng.random(size) < rng.random()
    elif dtype_name == "int64":
        scale = 10 ** int(rng.integers(0, 13))
        values = rng.integers(-scale if rng.random() < 0.5 else 0, scale + 1, size)
    else:
        values = _random_floats(rng, size)
    return values.astype(dtype_name).reshape(shape), dtype_name


def _torch_repr(torch, array: np.ndarray, grad: str) -> str:
    """PyTorch's repr of `array`, made a leaf that requires grad or the output of a node if asked."""
    tensor = torch.from_numpy(array.copy())
    if grad == "requires_grad":
        tensor.requires_grad_()
    elif grad == "mul":
        tensor = tensor.requires_grad_() * 1
    elif grad:  # a custom Function, whose node is named after it: long, random suffixes
        tensor = _function_named(torch, grad).apply(tensor.requires_grad_())
    text = repr(tensor)
    return re.sub(r"dtype=torch\.", "dtype=minigrad.", text)


def _function_named(torch, name: str):
    def forward(ctx, x):
        return x.clone()

    def backward(ctx, grad):
        return grad

    return type(name, (torch.autograd.Function,),
                {"forward": staticmethod(forward), "backward": staticmethod(backward)})


def _grad_suffix(grad: str) -> list[str]:
    if grad == "requires_grad":
        return ["requires_grad=True"]
    if grad == "mul":
        return ["grad_fn=<MulBackward0>"]
    if grad:
        return [f"grad_fn=<{grad}Backward>"]
    return []


def _random_grad(rng: np.random.Generator, dtype_name: str) -> str:
    if not dtype_name.startswith("float"):
        return ""  # PyTorch only lets floating point tensors require grad
    choice = rng.choice(["", "", "requires_grad", "mul", "custom"])
    if choice == "custom":
        return "F" + "n" * int(rng.integers(0, 45))
    return str(choice)


def _check_parity(torch, rng: np.random.Generator, cases: int) -> None:
    for case in range(cases):
        array, dtype_name = _random_array(rng)
        grad = _random_grad(rng, dtype_name)
        expected = _torch_repr(torch, array, grad)
        got = format_tensor(array, dtype_name, _grad_suffix(grad))
        assert got == expected, (
            f"case {case}: {dtype_name} {array.shape}, grad={grad!r}\n"
            f"values={array.tolist() if array.size <= 100 else array!r}\n"
            f"minigrad:\n{got}\ntorch:\n{expected}")


@pytest.fixture
def torch():
    torch = pytest.importorskip("torch")
    torch.set_printoptions(profile="default")
    yield torch
    torch.set_printoptions(profile="default")


def test_parity_with_pytorch_on_random_arrays(torch):
    _check_parity(torch, np.random.default_rng(20240601), cases=1500)  # about 1 s


@pytest.mark.parametrize("options", [
    dict(precision=2),
    dict(precision=0),
    dict(precision=7),
    dict(linewidth=40),
    dict(linewidth=120),
    dict(threshold=20),
    dict(threshold=20, edgeitems=1),
    dict(threshold=20, edgeitems=0),
    dict(edgeitems=0),
    dict(sci_mode=True),
    dict(sci_mode=False),
    dict(profile="short"),
])
def test_parity_with_pytorch_under_other_print_options(torch, options):
    torch.set_printoptions(**options)
    _format.set_printoptions(**options)
    _check_parity(torch, np.random.default_rng(7), cases=80)


def test_parity_on_edge_cases(torch):
    arrays = [
        (np.array(-0.0, np.float32), "float32"),
        (np.array(np.nan), "float64"),
        (np.array([np.nan, -np.inf, 0.0], np.float32), "float32"),
        (np.array([-0.0, 1.0, np.nan], np.float32), "float32"),
        (np.array([1e-30, 1e30]), "float64"),
        (np.array([5e-324, 1.7e308]), "float64"),  # spread overflows to inf
        (np.array([np.finfo(np.float32).max, 1.0], np.float32), "float32"),
        (np.array([2 ** 62, -2 ** 63], np.int64), "int64"),
        (np.array([0.1, 0.2, 0.30000001], np.float32), "float32"),
        (np.array([9.99995e-5, 0.5]), "float64"),
        (np.array([0.00015, 0.12], np.float32), "float32"),
        (np.full((1001,), np.nan, np.float32), "float32"),
        (np.zeros((1, 1, 1, 1), bool), "bool"),
        (np.zeros((0, 0)), "float64"),
        (np.arange(1200, dtype=np.float32).reshape(2, 600) * 1e-3, "float32"),
    ]
    for array, dtype_name in arrays:
        expected = re.sub(r"dtype=torch\.", "dtype=minigrad.", repr(torch.from_numpy(array.copy())))
        assert format_tensor(array, dtype_name) == expected
