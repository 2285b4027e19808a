"""Ways to fill a parameter with starting values, in place (PyTorch's `torch.nn.init`).

Random numbers come from minigrad's default generator, so `minigrad.manual_seed(0)` makes a model's
starting weights the same on every run, and the same numbers PyTorch draws after `torch.manual_seed(0)`
(minigrad's generator follows PyTorch's CPU recipe, see minigrad/_random.py).

>>> import minigrad
>>> from minigrad import nn
>>> w = minigrad.empty(3, 4)
>>> _ = nn.init.uniform_(w, -0.5, 0.5)
>>> bool((w.abs() <= 0.5).all())
True
"""
from __future__ import annotations

import math

import numpy as np

from ..autograd.grad_mode import no_grad
from ..creation import default_generator
from ..tensor import Tensor


def _fill(tensor: Tensor, values: np.ndarray) -> Tensor:
    """Write `values` into `tensor` in place, without recording it (an in-place op under no_grad)."""
    with no_grad():
        tensor.copy_(Tensor(values.astype(tensor._data.dtype)))
    return tensor


def _float_name(tensor: Tensor) -> str:
    """The NumPy name of the tensor's float dtype: random fills draw at the tensor's own precision."""
    if tensor._data.dtype.kind != "f":
        raise TypeError(f"random initialisation needs a floating point tensor, got dtype={tensor.dtype}")
    return tensor._data.dtype.name


def calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(inputs, outputs) of one unit: a Linear weight of shape (out, in) has fan_in=in, fan_out=out."""
    if tensor.ndim < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0) -> Tensor:
    """Fill with numbers drawn uniformly from [a, b)."""
    return _fill(tensor, default_generator.uniform(tuple(tensor.shape), a, b, _float_name(tensor)))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0) -> Tensor:
    """Fill with numbers drawn from a normal distribution N(mean, std**2)."""
    return _fill(tensor, default_generator.normal(tuple(tensor.shape), mean, std, _float_name(tensor)))


def constant_(tensor: Tensor, val: float) -> Tensor:
    return _fill(tensor, np.full(tensor.shape, val))


def zeros_(tensor: Tensor) -> Tensor:
    return constant_(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    return constant_(tensor, 1.0)


def kaiming_uniform_(tensor: Tensor, a: float = 0.0) -> Tensor:
    """He initialisation (fan_in mode, leaky_relu gain): U(-bound, bound), bound = gain * sqrt(3 / fan_in).

    gain = sqrt(2 / (1 + a**2)). nn.Linear uses a = sqrt(5), which makes bound = 1 / sqrt(fan_in).
    """
    fan_in, _ = calculate_fan_in_and_fan_out(tensor)
    gain = math.sqrt(2.0 / (1 + a * a))
    bound = gain * math.sqrt(3.0 / fan_in) if fan_in else 0.0
    return uniform_(tensor, -bound, bound)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    """Glorot initialisation: U(-bound, bound), bound = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound)
