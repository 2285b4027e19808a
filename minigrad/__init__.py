"""minigrad: a small, readable automatic differentiation library with PyTorch's API.

Learn what `torch.autograd` does by reading (and drawing) a version of it that fits in a few
pages of NumPy. Programs written for it run on PyTorch by changing the import.

>>> import minigrad as torch
>>> x = torch.ones(2, 4, requires_grad=True)
>>> y = x + 1
>>> y.grad_fn
<AddBackward0>
>>> y.sum().backward()
>>> x.grad
tensor([[1., 1., 1., 1.],
        [1., 1., 1., 1.]])
>>> torch.nn.Linear(4, 1)                  # nn and optim come with the import, as in PyTorch
Linear(in_features=4, out_features=1, bias=True)
"""
from __future__ import annotations

import builtins as _builtins
import inspect as _inspect

import numpy as _np

from . import autograd, ops
from ._dtype import bool_ as bool  # noqa: A001 - PyTorch's name: minigrad.bool
from ._dtype import double, dtype, float, float32, float64, int64, long  # noqa: A001
from ._format import set_printoptions
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from ._inference import inference_mode, is_inference_mode_enabled
from .creation import (Generator, arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like, get_default_dtype,
                       initial_seed, linspace, manual_seed, ones, ones_like, rand, rand_like, randint, randn,
                       randn_like, randperm, tensor, zeros, zeros_like)
from .ops import TORCH_TYPE_NAMES as _TORCH_TYPE_NAMES
from .ops import broadcast_message as _broadcast_message
from .ops import cat, stack, where
from .tensor import Size, Tensor
from .sampling import bernoulli, multinomial, normal  # noqa: E402 - after the ops: registers Tensor methods

# The names `from minigrad import *` gives and docs/api.md lists (tests/test_namespace.py checks that
# this is every public name); the torch.f(x) functions made from Tensor methods below are added there.
__all__ = ["Tensor", "Size", "dtype", "bool", "float", "double", "float32", "float64", "int64", "long",
           "set_printoptions", "enable_grad", "is_grad_enabled", "no_grad", "set_grad_enabled", "inference_mode",
           "is_inference_mode_enabled", "Generator",
           "arange", "as_tensor", "empty", "empty_like", "eye", "from_numpy", "full", "full_like",
           "get_default_dtype", "initial_seed", "linspace", "manual_seed", "ones", "ones_like", "rand",
           "rand_like", "randint", "randn", "randn_like", "randperm", "tensor", "zeros", "zeros_like", "cat",
           "stack", "where", "bernoulli", "multinomial", "normal", "is_tensor", "numel", "allclose", "equal", "autograd", "nn", "optim"]

__version__ = "0.1.0"


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


def numel(t: Tensor) -> int:
    return t.numel()


def allclose(a: Tensor, b: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """True if every |a - b| <= atol + rtol * |b| (shapes broadcast).

    >>> import minigrad
    >>> minigrad.allclose(minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 2.0 + 1e-7]))
    True
    """
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        if a.dtype is not b.dtype:  # PyTorch compares tensors of one dtype only
            raise RuntimeError(f"{_TORCH_TYPE_NAMES[a.dtype.name]} did not match {_TORCH_TYPE_NAMES[b.dtype.name]}")
        try:
            _np.broadcast_shapes(a.shape, b.shape)
        except ValueError:
            raise RuntimeError(_broadcast_message(tuple(a.shape), tuple(b.shape))) from None
    return _builtins_bool(_np.allclose(_values(a), _values(b), rtol=rtol, atol=atol, equal_nan=equal_nan))


def equal(a: Tensor, b: Tensor) -> bool:
    """True if a and b have the same shape and the same values."""
    return a.shape == b.shape and _builtins_bool(_np.array_equal(_values(a), _values(b)))


def _values(t):
    return t._data if isinstance(t, Tensor) else _np.asarray(t)


_builtins_bool = _builtins.bool


# Functions that PyTorch offers both as torch.f(x) and as x.f().
def _method(name: str):
    def function(input: Tensor, *args, **kwargs):
        return getattr(input, name)(*args, **kwargs)
    method = getattr(Tensor, name)
    function.__name__ = name
    summary = (method.__doc__ or "").strip().splitlines()[:1]
    function.__doc__ = f"minigrad.{name}(x, ...) is x.{name}(...)" + (f": {summary[0]}" if summary else ".")
    # help() and the API page show the method's own parameters, with `input` in place of self.
    signature = _inspect.signature(method)
    function.__signature__ = signature.replace(parameters=[
        _inspect.Parameter("input", _inspect.Parameter.POSITIONAL_OR_KEYWORD)] + list(signature.parameters.values())[1:])
    return function


# The op modules register which Tensor methods are also minigrad functions (minigrad/_registry.py).
_TENSOR_FUNCTIONS = (*ops.FUNCTIONS, "detach")
for _name in _TENSOR_FUNCTIONS:
    globals()[_name] = _method(_name)
del _name
__all__ += _TENSOR_FUNCTIONS


# As in PyTorch, `import minigrad` is enough for minigrad.nn and minigrad.optim (imported last:
# they build on everything above).
from . import nn, optim  # noqa: E402
