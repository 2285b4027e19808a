"""Reductions: sum, mean, var, std, cumsum, max/min, norm (differentiable), and argmax/argmin, all/any.

>>> import minigrad
>>> x = minigrad.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> x.sum(dim=1)
tensor([3., 7.], grad_fn=<SumBackward1>)
"""
from __future__ import annotations

import builtins
import math
import warnings
from numbers import Number
from typing import NamedTuple

import numpy as np

from .. import _dtype
from ..tensor import Tensor, _sizes
from ._dims import _dims, _kept_shape, _one_dim, dim_index
from ._dtypes import _floating
from ._op import Op
from .shape import expanded
from ._ieee import _ieee
from .._registry import tensor_method
from .elementwise import where


# The sum as the ufunc reduction itself, called from this module (ndarray.sum and .mean are Python
# wrappers in NumPy's own module): a floating-point warning it raises (inf + -inf, an overflow) is then
# minigrad's, silenced by _ieee's filter as in PyTorch, and the user's own NumPy code still warns. Also
# quicker (no wrapper call).
_sum = np.add.reduce


def _mean(a: np.ndarray, axis, keepdims: bool, n: int) -> np.ndarray:
    """a.mean(axis), n numbers per mean, with the numbers NumPy's mean gives (the sum in a's dtype,
    divided by n in float64, rounded to a's dtype), but computed here (see _sum): the mean of nothing
    is a silent nan, as in PyTorch, where NumPy's wrapper warns "Mean of empty slice"."""
    return np.asarray(np.true_divide(_sum(a, axis=axis, keepdims=keepdims), np.intp(n))).astype(a.dtype, copy=False)


class MinMaxResult(NamedTuple):
    """What `max(dim)` and `min(dim)` return: the values and where they are."""

    values: Tensor
    indices: Tensor


class Reduction(Op, family=True):
    """Base of z = a reduction of x over `dim` (every element when dim is None), as PyTorch's two
    overloads record it: node <Name>Backward0 over all elements, <Name>Backward1 over given dims.

    A subclass gives `reduce(ctx, array, dim, keepdim, *args)` (the NumPy computation) and its
    backward, which finds on ctx the input's `shape` and `kept`, the result's shape with keepdim=True
    (the gradient is reshaped to it, then broadcast back over the reduced dimensions).
    """
    ctx_plain = ("shape", "kept", "n")  # (never arrays: see Function.ctx_plain)

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.dim_node_name = cls.node_name[:-1] + "1"  # SumBackward0 -> SumBackward1

    @classmethod
    def forward(cls, ctx, x, dim, keepdim, *args):
        if dim is not None:
            ctx.node_name = cls.dim_node_name
        ctx.shape, ctx.kept = x.shape, _kept_shape(x.shape, dim)
        return cls.reduce(ctx, x._data, dim, keepdim, *args)


class Sum(Reduction):
    """z = sum of x (over `dim`), in `dtype` if given (x.sum(dtype=...): one node, as in PyTorch).
    dz/dx_i = 1: the gradient is copied back to every summed element (in x's dtype)."""
    formula = "z = sum of a_i:  dz/da_i = 1 (the gradient is copied to every element)"
    node_formulas = {"SumBackward1": "z = sum of a_i along dim:  dz/da_i = 1"}

    @staticmethod
    def reduce(ctx, a, dim, keepdim, dtype=None):
        return _sum(a, axis=dim, keepdims=keepdim, dtype=None if dtype is None else dtype.numpy)

    array_backward = True  # without create_graph, backward gets a bare array

    @staticmethod
    def backward(ctx, grad):
        if grad.__class__ is np.ndarray:  # the same view on arrays: grad repeated (stride 0), no copy
            return _repeated(grad, ctx.kept, ctx.shape)
        return grad.reshape(ctx.kept).expand(ctx.shape)


class Mean(Reduction):
    """z = mean of x (over `dim`, n elements each).   dz/dx_i = 1/n."""
    formula = "z = mean of a_i (n of them):  dz/da_i = 1/n"
    node_formulas = {"MeanBackward1": "z = mean of a_i along dim:  dz/da_i = 1/n"}

    @staticmethod
    def reduce(ctx, a, dim, keepdim):
        ctx.n = a.size // builtins.max(1, math.prod(ctx.kept))
        return _mean(a, dim, keepdim, ctx.n)

    array_backward = True  # without create_graph, backward gets a bare array

    @staticmethod
    def backward(ctx, grad):
        if grad.__class__ is np.ndarray:  # the same formula on arrays (the division makes a full array)
            return _repeated(grad, ctx.kept, ctx.shape) / ctx.n
        return grad.reshape(ctx.kept).expand(ctx.shape) / ctx.n


def _repeated(grad: np.ndarray, kept: tuple, shape: tuple) -> np.ndarray:
    """grad.reshape(kept).expand(shape) on arrays: the reduced dimensions repeat the gradient (stride 0)."""
    grad = grad.reshape(kept)
    return expanded(grad, shape, tuple(0 if k == 1 and n != 1 else st for k, n, st in zip(kept, shape, grad.strides)))


class Var(Op):
    """v = sum (x_i - mean)^2 / (n - correction)  (over `dim`, n elements each; correction 1 by default).
    dv/dx_i = 2 (x_i - mean) / (n - correction).   When n - correction <= 0 for the variance of all
    elements, PyTorch's constant: nan where x_i = mean (inf * 0), else inf."""
    result_dtype = staticmethod(_floating)

    @staticmethod
    def forward(ctx, x, dim, correction, keepdim):
        return _variance(ctx, x, dim, correction, keepdim)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        if (ctx.dim is None or x.ndim == 0) and ctx.divisor <= 0:  # (PyTorch's special case, outside the graph: a constant)
            x = x.detach()
            return where(x == x.mean(), math.nan, math.inf)
        return grad.reshape(ctx.kept) * 2 * (x - x.mean(ctx.dim, keepdim=True)) / ctx.divisor


def _variance(ctx, x, dim, correction, keepdim):
    """Var's and Std's forward: the squared distances from the mean, summed over `dim` and divided by
    n - correction (noted on ctx, with what backward needs)."""
    ctx.save_for_backward(x)
    ctx.dim, ctx.correction, ctx.kept = dim, correction, _kept_shape(x.shape, dim)
    n = x._data.size // builtins.max(1, math.prod(ctx.kept))
    ctx.divisor = n - correction
    if n == 0:  # the spread of no values: nan, as PyTorch gives (0/0), whatever the correction
        return _sum(x._data, axis=dim, keepdims=keepdim) * np.nan
    centred = x._data - _mean(x._data, dim, True, n)
    with _ieee():  # n - correction <= 0 gives inf or nan, as in PyTorch
        return _sum(centred * centred, axis=dim, keepdims=keepdim) / ctx.divisor


class Std(Op):
    """s = sqrt(var(x)) (over `dim`).   ds/dx_i = (x_i - mean) / ((n - correction) s),   0 where s = 0, as PyTorch chooses."""
    result_dtype = staticmethod(_floating)

    @staticmethod
    def forward(ctx, x, dim, correction, keepdim):
        variance = _variance(ctx, x, dim, correction, keepdim)
        with _ieee():  # the root of a negative variance (correction > n) is nan, silently
            s = Tensor._make(np.sqrt(variance))
        ctx.save_for_backward(x, s)  # the input and the output, as PyTorch keeps them
        return s

    @staticmethod
    def backward(ctx, grad):
        x, s = ctx.saved_tensors
        s = s.reshape(ctx.kept)
        # Where s = 0 every x_i equals the mean: PyTorch's 0 is chosen there (grad / s would be inf or
        # nan, and an inf gradient times x_i - mean = 0 would give nan)
        per_s = where(s == 0, 0.0, grad.reshape(ctx.kept) / s)
        return per_s * (x - x.mean(ctx.dim, keepdim=True)) / ctx.divisor


class Cumsum(Op):
    """z_j = x_1 + ... + x_j along `dim`.   dz_j/dx_i = 1 for j >= i, so each x_i gets the gradients
    summed from the end back to i: sum_{j >= i} g_j = total - (g_1 + ... + g_i) + g_i."""

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        if x._data.ndim == 0:  # a 0-dim tensor is its own running total (a bool counts as an integer)
            return x._data.astype(np.int64 if x._data.dtype == np.bool_ else x._data.dtype)
        return x._data.cumsum(axis=dim)

    @staticmethod
    def backward(ctx, grad):
        if grad.ndim == 0:
            return grad
        return grad.sum(ctx.dim, keepdim=True) - grad.cumsum(ctx.dim) + grad


class MaxAll(Op):
    """z = max of all x.   dz/dx_i = 1/k at the k places holding the maximum, else 0.

    As PyTorch (evenly_distribute_backward), grad / k is put at those places and 0 elsewhere, not
    multiplied by a mask (an inf gradient would give 0 * inf = nan there); a nan maximum's places are the nans."""
    node_name = "MaxBackward1"

    @staticmethod
    def forward(ctx, x, largest=True):
        if not largest:
            ctx.node_name = "MinBackward1"
        z = Tensor._make(np.asarray(np.max(x._data) if largest else np.min(x._data)))
        ctx.save_for_backward(x, z)  # the input and the output, as PyTorch keeps them
        return z

    @staticmethod
    def backward(ctx, grad):
        x, z = ctx.saved_tensors
        at_max = x.isnan() if z.isnan().item() else x == z  # (bool tensors, outside the graph)
        return where(at_max, grad / at_max.sum(), 0.0)


class MaxDim(Op):
    """z = max of x along `dim`.   dz/dx = 1 at the index that max returned, else 0.

    grad is put at that index, as PyTorch scatters it, not multiplied by a mask (an inf gradient then
    stays 0 elsewhere)."""
    node_name = "MaxBackward0"

    @staticmethod
    def forward(ctx, x, dim, keepdim, indices, largest=True):
        if not largest:
            ctx.node_name = "MinBackward0"
        ctx.shape, ctx.dim, ctx.keepdim, ctx.indices = x.shape, dim, keepdim, indices
        if x._data.ndim == 0:  # a 0-dim tensor is its own maximum along dim 0 (or -1)
            return x._data.copy()
        values = np.take_along_axis(x._data, indices, axis=dim)
        return values if keepdim else values.squeeze(dim)

    @staticmethod
    def backward(ctx, grad):
        if not ctx.shape:
            return grad
        hit = np.zeros(ctx.shape, dtype=bool)
        np.put_along_axis(hit, ctx.indices, True, axis=ctx.dim)
        g = grad if ctx.keepdim else grad.unsqueeze(ctx.dim)
        return where(hit, g.expand(ctx.shape), 0.0)


class Norm(Op):
    """z = (sum |x|^p)^(1/p) over `dim` (p = 2: the length of x).
    dz/dx = sign(x) |x|^(p-1) / z^(p-1)   (p = 2: x / z),   and 0 where z = 0, as PyTorch chooses."""
    node_name = "LinalgVectorNormBackward0"
    result_dtype = staticmethod(_floating)

    @staticmethod
    def forward(ctx, x, p, dim, keepdim):
        # dim: None (all elements), one dimension, or a tuple of them
        ctx.p, ctx.dim, ctx.keepdim = p, dim, keepdim
        ctx.kept = _kept_shape(x.shape, (dim,) if isinstance(dim, int) else dim)
        a = np.abs(x._data)
        if p == 2:
            z = np.sqrt(_sum(a * a, axis=dim, keepdims=keepdim))
        else:
            with _ieee():  # |x|**p overflows to inf silently, as in PyTorch
                z = _sum(a ** p, axis=dim, keepdims=keepdim) ** (1.0 / p)
        z = Tensor._make(np.asarray(z))
        ctx.save_for_backward(x, z)  # the input and the output, as PyTorch keeps them
        return z

    @staticmethod
    def backward(ctx, grad):
        x, z = ctx.saved_tensors
        p = ctx.p
        if ctx.dim is not None and not ctx.keepdim:  # put the reduced dimensions back, to broadcast against x
            grad, z = grad.reshape(ctx.kept), z.reshape(ctx.kept)
        z = where(z == 0, 1.0, z)  # where z = 0, x = 0 too: dividing by 1 gives the 0 PyTorch gives
        local = x / z if p == 2 else x.sign() * x.abs() ** (p - 1) / z ** (p - 1)
        return grad * local


@tensor_method("norm", function=True)
def norm(x: Tensor, p=2, dim=None, keepdim: bool = False) -> Tensor:
    """(sum |x|^p)^(1/p): the length of x for p = 2 (the default), of all elements or along `dim`.

    >>> import minigrad
    >>> minigrad.tensor([3.0, 4.0]).norm()
    tensor(5.)
    """
    if isinstance(p, bool) or not isinstance(p, Number) or not 1 <= p < math.inf:
        raise RuntimeError(f"minigrad's norm supports a finite p >= 1 (p=2 is the length of a vector); got p={p!r}")
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {x.dtype}; "
                           "convert it with .float()")
    # dim: None, one int, or several (a tuple or list; an empty one means all elements, as in PyTorch)
    dims = _dims(x, dim if not isinstance(dim, (tuple, list)) or len(dim) else None)  # (checked, non-negative)
    if not dims:
        return Norm.apply(x, p, None, keepdim)
    return Norm.apply(x, p, dims[0] if len(dims) == 1 and not isinstance(dim, (tuple, list)) else dims, keepdim)


def all_or_any(np_fn, x: Tensor, dim, keepdim: bool) -> Tensor:
    """x.all(dim) / x.any(dim): a bool tensor, no graph. (dim=[] reduces nothing here, as in PyTorch.)"""
    if dim is None:
        out = np_fn(x._data, keepdims=keepdim) if keepdim else np_fn(x._data)
        return Tensor._make(np.asarray(out))
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    dims = tuple(dim_index(d, x.ndim) for d in dims)
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    if x.ndim == 0:
        dims = ()
    return Tensor._make(np.asarray(np_fn(x._data, axis=dims, keepdims=keepdim)))


@tensor_method("sum", function=True)
def sum(x: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:  # noqa: A001
    """The sum of all elements, or along `dim` (an int or a tuple), in `dtype` if given."""
    if dtype is None:
        return Sum.apply(x, _dims(x, dim), keepdim)
    # the sum is computed in this dtype: one SumBackward node, as in PyTorch
    return Sum.apply(x, _dims(x, dim), keepdim, _dtype.resolve(dtype))


@tensor_method("mean", function=True)
def mean(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """The mean of all elements, or along `dim` (an int or a tuple); floating-point tensors only."""
    for d in dim if isinstance(dim, (tuple, list)) else () if dim is None else (dim,):
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)):  # (PyTorch parses its arguments first)
            raise TypeError(f"mean(): dim must be an int or a tuple of ints, got {type(d).__name__}")
    if not x.dtype.is_floating_point:
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point "
                           f"or complex dtype. Got: {x.dtype.name}; call .float() first")
    return Mean.apply(x, _dims(x, dim), keepdim)


def _correction(name: str, unbiased, correction) -> int:
    if unbiased is not None and correction is not None:
        raise RuntimeError(f"{name}(): give unbiased or correction, not both (unbiased=False is correction=0)")
    if unbiased is not None:
        return 1 if unbiased else 0
    return 1 if correction is None else correction


@tensor_method("var", function=True)
def var(x: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> Tensor:
    """Variance, divided by n - 1 unless correction (or unbiased=False) says otherwise.

    The mean squared distance from the mean; n - 1 is Bessel's correction.

    >>> import minigrad
    >>> minigrad.tensor([1.0, 2.0, 3.0]).var()
    tensor(1.)
    """
    return _spread(Var, "var", x, dim, unbiased, keepdim, correction)


@tensor_method("std", function=True)
def std(x: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> Tensor:
    """The standard deviation: the square root of var."""
    return _spread(Std, "std", x, dim, unbiased, keepdim, correction)


def _spread(fn: type, name: str, x: Tensor, dim, unbiased, keepdim: bool, correction) -> Tensor:
    if isinstance(dim, bool):  # x.var(True): PyTorch's old var(unbiased) form
        dim, unbiased = None, dim
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"{name}(): input dtype should be floating point, got {x.dtype.name}; call .float() first")
    dims, correction = _dims(x, dim), _correction(name, unbiased, correction)
    per_result = x._data.size // builtins.max(1, math.prod(_kept_shape(x.shape, dims)))
    if per_result - correction <= 0:  # e.g. the spread of a single value: inf or nan, with PyTorch's warning
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction "
                      "factor (input numel divided by output numel).", UserWarning, stacklevel=4)
    return fn.apply(x, dims, correction, keepdim)


@tensor_method("cumsum", function=True)
def cumsum(x: Tensor, dim: int) -> Tensor:
    """Running totals along `dim`: z_j = x_1 + ... + x_j."""
    return Cumsum.apply(x, dim_index(dim, x.ndim))


def _extreme(x: Tensor, dim, keepdim: bool, largest: bool):
    name = "max" if largest else "min"
    if dim is None:
        if x.numel() == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                               "reduction dim with the 'dim' argument.")
        return MaxAll.apply(x, largest)
    d = _one_dim(name, x, dim)
    if x.ndim == 0:  # a 0-dim tensor is its own maximum (index 0), one MaxBackward0 node as in PyTorch
        return MinMaxResult(MaxDim.apply(x, 0, keepdim, np.asarray(0), largest), Tensor._make(np.asarray(0)))
    pick = np.argmax if largest else np.argmin
    indices = np.expand_dims(pick(x._data, axis=d), d)
    values = MaxDim.apply(x, d, keepdim, indices, largest)
    return MinMaxResult(values, Tensor._make(indices if keepdim else indices.squeeze(d)))


@tensor_method("max", function=True)
def max(x: Tensor, dim=None, keepdim: bool = False):  # noqa: A001
    """The largest element, or (values, indices) of the largest along `dim`."""
    return _extreme(x, dim, keepdim, True)


@tensor_method("min", function=True)
def min(x: Tensor, dim=None, keepdim: bool = False):  # noqa: A001
    """The smallest element, or (values, indices) of the smallest along `dim`."""
    return _extreme(x, dim, keepdim, False)


@tensor_method("argmax", function=True)
def argmax(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Where the largest element is: in the flattened tensor, or along `dim`. No graph."""
    return _arg_extreme(x, dim, keepdim, largest=True)


@tensor_method("argmin", function=True)
def argmin(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Where the smallest element is: in the flattened tensor, or along `dim`. No graph."""
    return _arg_extreme(x, dim, keepdim, largest=False)


def _arg_extreme(x: Tensor, dim, keepdim: bool, largest: bool) -> Tensor:
    name = "argmax" if largest else "argmin"
    pick = np.argmax if largest else np.argmin
    if dim is not None and (isinstance(dim, bool) or not isinstance(dim, (int, np.integer))):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    if x._data.dtype == np.bool_:
        raise RuntimeError(f"{name}(): does not support bool input")
    if dim is None:
        if x.numel() == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        index = np.asarray(pick(x._data), dtype=np.int64)
        return Tensor._make(index.reshape((1,) * x.ndim) if keepdim else index)
    d = _one_dim(name, x, dim)
    if x.ndim == 0:
        return Tensor._make(np.zeros((), dtype=np.int64))
    return Tensor._make(pick(x._data, axis=d, keepdims=keepdim))


@tensor_method("sum_to_size")
def sum_to_size(x: Tensor, *size) -> Tensor:
    """Sum this tensor down to `size` (the inverse of broadcasting to this tensor's shape).

    Over the leading dimensions it lacks and where it has size 1; f(2, 3) and f((2, 3)) alike.
    """
    if not size:
        raise TypeError('sum_to_size() missing 1 required positional arguments: "size"')
    shape, have = _sizes(size), x._data.shape
    if have == shape:
        return x
    lead = len(have) - len(shape)
    if lead < 0 or any(s != 1 and s != xs for s, xs in zip(shape, have[lead:])):
        raise RuntimeError(f"size {list(shape)} is not expandable to size {list(have)}")
    kept = tuple(lead + i for i, s in enumerate(shape) if s == 1 and have[lead + i] != 1)
    if not kept:  # only leading dimensions to remove (a bias's gradient): one sum does it
        return Sum.apply(x, tuple(range(lead)), False)
    out = Sum.apply(x, tuple(range(lead)) + kept, True)
    return out.reshape(shape) if lead else out


@tensor_method("all", function=True)
def all_nonzero(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """tensor(True) if every element is nonzero (as in `torch.eq(a, b).all()`); along `dim` if given.

    >>> import minigrad
    >>> minigrad.tensor([[1, 0], [2, 3]]).all(dim=1)
    tensor([False,  True])
    """
    return all_or_any(np.all, x, dim, keepdim)


@tensor_method("any", function=True)
def any_nonzero(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """tensor(True) if at least one element is nonzero; along `dim` if given."""
    return all_or_any(np.any, x, dim, keepdim)
