"""Every differentiable operation of minigrad, one small Function each.

Each Function's forward computes with NumPy; its backward states the derivative you would write by
hand, using tensor operations (so that backward can itself be differentiated: higher-order
derivatives). The docstring of each says the formula. `grad` is the gradient of the loss w.r.t. the
op's output; backward returns the gradient w.r.t. each tensor input (chain rule: grad times the
local derivative). Gradients of broadcast inputs are summed back to their shape by the engine.

>>> import minigrad
>>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
>>> y = (x * x).sum()          # Mul, then Sum
>>> y.backward()
>>> x.grad                     # d/dx sum(x*x) = 2x
tensor([2., 4.])
"""
from __future__ import annotations

import builtins
import math
import warnings
import weakref
from numbers import Number

import numpy as np

from . import _dtype
from ._dtype import result_type
from .autograd.function import Function
from .autograd.grad_mode import is_grad_enabled, no_grad
from .tensor import Tensor, _MinMax


def _ieee():
    """inf and nan where the math gives them (0**-1, (-1)**0.5, overflow), without NumPy's warnings:
    PyTorch returns the same IEEE values silently. Used by the ops that can make them from finite input,
    and around each Module call and optimizer step (where a diverging training run would make them)."""
    return np.errstate(divide="ignore", invalid="ignore", over="ignore")


def _promoted(*args):
    return result_type(*[a for a in args if isinstance(a, Tensor)])


def _floating(*args):
    """Like _promoted, but integer inputs give float32: for ops whose result is never an integer."""
    dt = _promoted(*args)
    return dt if dt.is_floating_point else _dtype.float32


# ============================================================== arithmetic
class Add(Function):
    """z = x + y.   dz/dx = 1,  dz/dy = 1."""
    node_name = "AddBackward0"
    result_dtype = staticmethod(result_type)  # both arguments are tensors: no filtering needed

    @staticmethod
    def forward(ctx, x, y):
        return x._data + y._data

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(Function):
    """z = x - y.   dz/dx = 1,  dz/dy = -1."""
    node_name = "SubBackward0"
    result_dtype = staticmethod(result_type)  # both arguments are tensors: no filtering needed

    @staticmethod
    def forward(ctx, x, y):
        return x._data - y._data

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad


class Rsub(Function):
    """z = c - x for a number c (as in `1 - x`).   dz/dx = -1."""
    node_name = "RsubBackward1"

    @staticmethod
    def result_dtype(x, c):
        return result_type(x, wrap(c))

    @staticmethod
    def forward(ctx, x, c):
        return c - x._data

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Mul(Function):
    """z = x * y.   dz/dx = y,  dz/dy = x."""
    node_name = "MulBackward0"
    result_dtype = staticmethod(result_type)  # both arguments are tensors: no filtering needed

    @staticmethod
    def forward(ctx, x, y):
        # As PyTorch: y is kept only if x needs a gradient (dz/dx = y), and x only if y does, so an
        # in-place change to a tensor that no formula needs does not stop backward.
        needs_x, needs_y = ctx.needs_input_grad
        ctx.save_for_backward(x if needs_y else None, y if needs_x else None)
        return x._data * y._data

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return (grad * y if y is not None else None,
                grad * x if x is not None else None)


class Div(Function):
    """z = x / y.   dz/dx = 1/y,  dz/dy = -x/y**2."""
    node_name = "DivBackward0"
    result_dtype = staticmethod(_floating)

    @staticmethod
    def forward(ctx, x, y):
        # As PyTorch: y is kept (both formulas use it), x only if y needs a gradient.
        ctx.save_for_backward(x if ctx.needs_input_grad[1] else None, y)
        with np.errstate(divide="ignore", invalid="ignore"):  # 1/0 = inf, 0/0 = nan, silently as in PyTorch
            return x._data / y._data

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return (grad / y if ctx.needs_input_grad[0] else None,
                -grad * x / (y * y) if ctx.needs_input_grad[1] else None)


class Neg(Function):
    """z = -x.   dz/dx = -1."""
    node_name = "NegBackward0"

    @staticmethod
    def forward(ctx, x):
        if x.dtype is _dtype.bool_:
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. "
                               "If you are trying to invert a mask, use the `~` operator instead.")
        return -x._data

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Reciprocal(Function):
    """z = 1/x.   dz/dx = -1/x**2 = -z**2."""
    node_name = "ReciprocalBackward0"
    result_dtype = staticmethod(_floating)

    @staticmethod
    def forward(ctx, x):
        with np.errstate(divide="ignore"):  # 1/0 = inf, silently as in PyTorch
            z = Tensor._make(1.0 / x._data)
        ctx.save_for_backward(z)  # the output, as PyTorch keeps it
        return z

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return -grad * (z * z)


class Pow(Function):
    """z = x**n for a number n.   dz/dx = n * x**(n-1)."""
    node_name = "PowBackward0"

    @staticmethod
    def result_dtype(x, n):
        return result_type(x, wrap(n))

    @staticmethod
    def forward(ctx, x, n):
        ctx.save_for_backward(x)
        ctx.n = n
        with _ieee():  # 0**-1 = inf, (-8)**0.5 = nan, silently as in PyTorch
            return x._data ** n

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        if ctx.n == 0:
            return grad * 0.0
        return grad * ctx.n * x ** (ctx.n - 1)


class PowTensor(Function):
    """z = x**y for tensors.   dz/dx = y * x**(y-1)  (0 where y = 0),
    dz/dy = x**y * ln(x)  (0 where x = 0, y >= 0)."""
    node_name = "PowBackward1"
    result_dtype = staticmethod(result_type)  # both arguments are tensors: no filtering needed

    @staticmethod
    def forward(ctx, x, y):
        with _ieee():  # 0**-1 = inf, (-8)**0.5 = nan, silently as in PyTorch
            z = Tensor._make(x._data ** y._data)
        ctx.save_for_backward(x, y, z)  # PyTorch keeps all three, whichever input needs a gradient
        return z

    @staticmethod
    def backward(ctx, grad):
        x, y, z = ctx.saved_tensors
        dx = dy = None
        # At x = 0 both formulas meet 0 * inf = nan: y * x**(y-1) for y = 0 (where x**y = 1 is flat,
        # so dz/dx = 0), and x**y * ln(x) for y >= 0 (whose limit is 0). `where` puts PyTorch's 0 in
        # those places; the errstate only silences NumPy's warning about the nan computed there.
        with np.errstate(invalid="ignore"):
            if ctx.needs_input_grad[0]:
                dx = where(y == 0, 0.0, grad * y * x ** (y - 1))
            if ctx.needs_input_grad[1]:
                dy = where((x == 0) & (y >= 0), 0.0, grad * z * x.log())
        return dx, dy


class RPow(Function):
    """z = c**x for a number c (as in `2 ** x`).   dz/dx = c**x * ln(c) = z ln(c)."""
    node_name = "PowBackward2"

    @staticmethod
    def result_dtype(x, c):
        return result_type(x, wrap(c))

    @staticmethod
    def forward(ctx, x, c):
        ctx.c = c
        with _ieee():  # 0**-1 = inf, (-8)**0.5 = nan, silently as in PyTorch
            z = Tensor._make(np.power(c, x._data))
        ctx.save_for_backward(x, z)  # the exponent and the output, as PyTorch keeps them
        return z

    @staticmethod
    def backward(ctx, grad):
        x, z = ctx.saved_tensors
        if ctx.c == 0:
            # ln(0) = -inf: for x >= 0 this is 0 * -inf = nan, replaced by `where` with PyTorch's 0;
            # the errstate only silences NumPy's warning about that nan.
            with np.errstate(invalid="ignore"):
                return where(x >= 0, 0.0, grad * z * -math.inf)
        return grad * z * math.log(ctx.c)


# ============================================================== elementwise functions
class Exp(Function):
    """z = e**x.   dz/dx = e**x = z."""
    node_name = "ExpBackward0"
    result_dtype = staticmethod(_floating)

    @staticmethod
    def forward(ctx, x):
        with np.errstate(over="ignore"):  # e**1000 = inf, silently as in PyTorch
            z = Tensor._make(np.exp(x._data))
        ctx.save_for_backward(z)  # the output, as PyTorch keeps it (dz/dx = z)
        return z

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return grad * z


class Log(Function):
    """z = ln(x).   dz/dx = 1/x."""
    node_name = "LogBackward0"
    result_dtype = staticmethod(_floating)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):  # log(0) = -inf, log(-1) = nan, as in PyTorch
            return np.log(x._data)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


class Sqrt(Function):
    """z = sqrt(x).   dz/dx = 1 / (2 sqrt(x)) = 1 / (2 z)."""
    node_name = "SqrtBackward0"
    result_dtype = staticmethod(_floating)

    @staticmethod
    def forward(ctx, x):
        with np.errstate(invalid="ignore"):
            z = Tensor._make(np.sqrt(x._data))
        ctx.save_for_backward(z)  # the output, as PyTorch keeps it
        return z

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return grad / (2 * z)


class Abs(Function):
    """z = |x|.   dz/dx = sign(x)  (0 at x = 0, as PyTorch chooses)."""
    node_name = "AbsBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(x._data)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.sign()


class Sign(Function):
    """z = sign(x) in {-1, 0, 1}.   dz/dx = 0."""
    node_name = "SignBackward0"

    @staticmethod
    def forward(ctx, x):
        return np.sign(x._data)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0.0


class Sin(Function):
    """z = sin(x).   dz/dx = cos(x)."""
    node_name = "SinBackward0"
    result_dtype = staticmethod(_floating)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x._data)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.cos()


class Cos(Function):
    """z = cos(x).   dz/dx = -sin(x)."""
    node_name = "CosBackward0"
    result_dtype = staticmethod(_floating)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x._data)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return -grad * x.sin()


class Tanh(Function):
    """z = tanh(x).   dz/dx = 1 - tanh(x)**2 = 1 - z**2."""
    node_name = "TanhBackward0"
    result_dtype = staticmethod(_floating)

    @staticmethod
    def forward(ctx, x):
        z = Tensor._make(np.tanh(x._data))
        ctx.save_for_backward(z)  # the output, as PyTorch keeps it
        return z

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return grad * (1 - z * z)


class Sigmoid(Function):
    """z = s(x) = 1 / (1 + e**-x).   dz/dx = s(x) * (1 - s(x)) = z (1 - z)."""
    node_name = "SigmoidBackward0"
    result_dtype = staticmethod(_floating)

    @staticmethod
    def forward(ctx, x):
        # Written so that neither branch overflows: e**-x for x >= 0, e**x for x < 0.
        e = np.exp(-np.abs(x._data))
        z = Tensor._make(np.where(x._data >= 0, 1 / (1 + e), e / (1 + e)))
        ctx.save_for_backward(z)  # the output, as PyTorch keeps it
        return z

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return grad * z * (1 - z)


class Relu(Function):
    """z = max(x, 0).   dz/dx = 1 where x > 0 (that is, where z > 0), else 0."""
    node_name = "ReluBackward0"

    @staticmethod
    def forward(ctx, x):
        z = Tensor._make(np.maximum(x._data, 0))
        ctx.save_for_backward(z)  # the output, as PyTorch keeps it
        return z

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return grad * ReluSlope.apply(z)


class ReluSlope(Function):
    """s = 1 where x > 0, else 0: the slope of relu at x.   ds/dx = 0 (flat on both sides of the kink).

    Relu's backward multiplies by this rather than by the comparison `x > 0`, which gives the same
    numbers but no graph: with create_graph=True, relu's gradient then stays connected to x, and its
    second derivative is 0, as PyTorch gives, instead of an error that nothing requires grad."""

    @staticmethod
    def forward(ctx, x):
        return (x._data > 0).astype(x._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0.0


class Clamp(Function):
    """z = min(max(x, lo), hi).   dz/dx = 1 where lo <= x <= hi, else 0."""
    node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        return np.clip(x._data, lo, hi)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        inside = x == x  # all True, then narrowed by each bound that is given
        if ctx.lo is not None:
            inside = inside & (x >= ctx.lo)
        if ctx.hi is not None:
            inside = inside & (x <= ctx.hi)
        return grad * inside


# ============================================================== reductions
class Sum(Function):
    """z = sum of x (over `dim`), in `dtype` if given (x.sum(dtype=...): one node, as in PyTorch).
    dz/dx_i = 1: the gradient is copied back to every summed element (in x's dtype)."""
    node_name = "SumBackward0"

    @staticmethod
    def forward(ctx, x, dim, keepdim, dtype=None):
        if dim is not None:
            ctx.node_name = "SumBackward1"
        ctx.shape, ctx.kept = x.shape, _kept_shape(x.shape, dim)
        # (the method: np.sum adds a wrapper call, ~0.3 us)
        return x._data.sum(axis=dim, keepdims=keepdim, dtype=None if dtype is None else dtype.numpy)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.kept).expand(ctx.shape)


class Mean(Function):
    """z = mean of x (over `dim`, n elements each).   dz/dx_i = 1/n."""
    node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, x, dim, keepdim):
        if dim is not None:
            ctx.node_name = "MeanBackward1"
        ctx.shape, ctx.kept = x.shape, _kept_shape(x.shape, dim)
        ctx.n = x._data.size // builtins.max(1, math.prod(ctx.kept))
        return x._data.mean(axis=dim, keepdims=keepdim)  # the method: np.mean adds a wrapper call

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.kept).expand(ctx.shape) / ctx.n


class Var(Function):
    """v = sum (x_i - mean)^2 / (n - correction)  (over `dim`, n elements each; correction 1 by default).
    dv/dx_i = 2 (x_i - mean) / (n - correction).   When n - correction <= 0 for the variance of all
    elements, PyTorch's constant: nan where x_i = mean (inf * 0), else inf."""
    node_name = "VarBackward0"
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
        return x._data.sum(axis=dim, keepdims=keepdim) * np.nan
    centred = x._data - x._data.mean(axis=dim, keepdims=True)
    with _ieee():  # n - correction <= 0 gives inf or nan, as in PyTorch
        return (centred * centred).sum(axis=dim, keepdims=keepdim) / ctx.divisor


class Std(Function):
    """s = sqrt(var(x)) (over `dim`).   ds/dx_i = (x_i - mean) / ((n - correction) s),   0 where s = 0, as PyTorch chooses."""
    node_name = "StdBackward0"
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
        s = where(s == 0, 1.0, s)  # where s = 0 every x_i equals the mean: dividing by 1 gives PyTorch's 0
        return grad.reshape(ctx.kept) * (x - x.mean(ctx.dim, keepdim=True)) / (ctx.divisor * s)


class Cumsum(Function):
    """z_j = x_1 + ... + x_j along `dim`.   dz_j/dx_i = 1 for j >= i, so each x_i gets the gradients
    summed from the end back to i: sum_{j >= i} g_j = total - (g_1 + ... + g_i) + g_i."""
    node_name = "CumsumBackward0"

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


class MaxAll(Function):
    """z = max of all x.   dz/dx_i = 1/k at the k places holding the maximum, else 0."""
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
        at_max = x == z  # (a comparison: a bool tensor outside the graph)
        return grad * at_max / at_max.sum()


class MaxDim(Function):
    """z = max of x along `dim`.   dz/dx = 1 at the index that max returned, else 0."""
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
        return g.expand(ctx.shape) * Tensor._make(hit)


# ============================================================== linear algebra
class Norm(Function):
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
            z = np.sqrt((a * a).sum(axis=dim, keepdims=keepdim))
        else:
            with _ieee():  # |x|**p overflows to inf silently, as in PyTorch
                z = (a ** p).sum(axis=dim, keepdims=keepdim) ** (1.0 / p)
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


class MatMul(Function):
    """Z = X @ Y.   dZ/dX: G @ Y^T,   dZ/dY: X^T @ G   (G is the gradient of Z)."""
    node_name = "MmBackward0"
    result_dtype = staticmethod(_promoted)

    @staticmethod
    def forward(ctx, x, y):
        # As PyTorch: y is kept only if x needs a gradient (dX uses Y), and x only if y does.
        needs_x, needs_y = ctx.needs_input_grad
        ctx.save_for_backward(x if needs_y else None, y if needs_x else None)
        ctx.ndims = (x.ndim, y.ndim)
        ctx.node_name = _MATMUL_NAMES.get(ctx.ndims, "MatmulBackward0")
        return np.matmul(x._data, y._data)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        x_ndim, y_ndim = ctx.ndims
        if x_ndim == 1 and y_ndim == 1:  # a dot product: z = sum x_i y_i
            return grad * y if y is not None else None, grad * x if x is not None else None
        # Treat a vector as a one-row (x) or one-column (y) matrix, so one formula serves all cases.
        g2 = grad.unsqueeze(-2) if x_ndim == 1 else grad
        g2 = g2.unsqueeze(-1) if y_ndim == 1 else g2
        dx = dy = None
        if y is not None:
            y2 = y.unsqueeze(-1) if y_ndim == 1 else y
            dx = g2 @ y2.transpose(-1, -2)
            dx = dx.squeeze(-2) if x_ndim == 1 else dx
        if x is not None:
            x2 = x.unsqueeze(0) if x_ndim == 1 else x
            dy = x2.transpose(-1, -2) @ g2
            dy = dy.squeeze(-1) if y_ndim == 1 else dy
        return dx, dy


_MATMUL_NAMES = {(1, 1): "DotBackward0", (2, 1): "MvBackward0", (2, 2): "MmBackward0", (3, 3): "BmmBackward0"}


# ============================================================== shape: the gradient goes back to where each element came from
class ViewFunction(Function):
    """Base of the ops whose result shares memory with their input (a view); the gradient goes back
    to where each element came from, as each subclass states. PyTorch's rule for a view
    made under no_grad of a tensor that requires grad is that it requires grad too, as a leaf with no
    grad_fn whose gradient goes nowhere, and that changing it in place with grad mode on is refused
    (see `inplace`)."""
    is_view = True

    @classmethod
    def apply(cls, *args):
        out = super().apply(*args)
        base = out._base  # set only when the result does share memory (not for a copying x[mask])
        if base is None and out._data.size == 0 and _memory_of(out._data) is _memory_of(args[0]._data):
            # an empty view (x[2:2]) shares no bytes, which may_share_memory does not count; PyTorch does
            base = out._base = args[0]
            out._versions = base._version_counter()
        if base is not None and out.grad_fn is None and _root(base)._requires_grad:  # made under no_grad
            out._requires_grad = True
        return out


def _root(view: Tensor) -> Tensor:
    """The tensor that `view` (perhaps a view of a view) looks into: PyTorch's `_base`."""
    while view._base is not None:  # (a loop, not recursion: views of views can be many)
        view = view._base
    return view


def _made_under_no_grad(t: Tensor) -> bool:
    """Is t a view made under no_grad of a tensor that requires grad? (It requires grad, with no grad_fn.)"""
    return t._base is not None and t.grad_fn is None and t._requires_grad and _root(t)._requires_grad


def expand_error(have: tuple, shape: tuple) -> str:
    """PyTorch's words for why a tensor of shape `have` cannot be expanded to `shape` ('' if it can)."""
    lead = len(shape) - len(have)
    if lead < 0:
        return (f"expand(tensor of shape {list(have)}, size={list(shape)}): the number of sizes provided "
                f"({len(shape)}) must be greater or equal to the number of dimensions in the tensor ({len(have)})")
    for i, (n, s) in enumerate(zip(have, shape[lead:])):
        if n != s and n != 1:
            return (f"The expanded size of the tensor ({s}) must match the existing size ({n}) at non-singleton "
                    f"dimension {lead + i}.  Target sizes: {list(shape)}.  Tensor sizes: {list(have)}")
    return ""


def _memory_of(array: np.ndarray) -> np.ndarray:
    """The array that owns the memory `array` looks into (itself if it owns it)."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


class View(ViewFunction):
    """z = x with a new shape.   The gradient is reshaped back to x's shape."""
    node_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, x, shape, strict, name=None):
        if name:
            ctx.node_name = name
        ctx.shape = x.shape
        if not strict:
            return x._data.reshape(shape)
        out = x._data.view()
        try:
            out.shape = shape  # refuses (instead of copying) when the memory layout does not allow it
        except AttributeError:
            raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                               "dimension spans across two contiguous subspaces). Use .reshape(...) instead.") from None
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


class Transpose(ViewFunction):
    """z = x with two dimensions swapped.   The gradient is swapped back."""
    node_name = "TransposeBackward0"

    @staticmethod
    def forward(ctx, x, dim0, dim1, name=None):
        if name:
            ctx.node_name = name
        ctx.dims = (dim0, dim1)
        if x._data.ndim == 0:  # a 0-dim tensor's dims 0 and -1: nothing to swap
            return x._data.view()
        return x._data.swapaxes(dim0, dim1)  # the method: np.swapaxes adds a wrapper call (~0.3 us)

    @staticmethod
    def backward(ctx, grad):
        return grad.transpose(*ctx.dims)


class Permute(ViewFunction):
    """z = x with its dimensions reordered.   The gradient is put back in the original order."""
    node_name = "PermuteBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return x._data.transpose(dims)  # the method: np.transpose adds a wrapper call

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(tuple(np.argsort(ctx.dims)))


class Unsqueeze(ViewFunction):
    """z = x with a new dimension of size 1.   The gradient loses that dimension again."""
    node_name = "UnsqueezeBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        ctx.shape = x.shape
        return np.expand_dims(x._data, dim)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


class Squeeze(ViewFunction):
    """z = x without dimensions of size 1.   The gradient gets them back."""
    node_name = "SqueezeBackward0"

    @staticmethod
    def forward(ctx, x, dims, name="SqueezeBackward0"):
        ctx.shape, ctx.node_name = x.shape, name  # PyTorch's overloads: all dims 0, one dim 1, a tuple 2
        if dims is None:
            return np.squeeze(x._data)
        return np.squeeze(x._data, tuple(d for d in dims if d < x._data.ndim and x._data.shape[d] == 1))

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


class Expand(ViewFunction):
    """z = x repeated along dimensions of size 1 (broadcasting).   dz/dx: sum of the copies' gradients."""
    node_name = "ExpandBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        shape = tuple(x.shape[i - len(shape) + x.ndim] if s == -1 else s for i, s in enumerate(shape))
        problem = expand_error(x.shape, shape)
        if problem:
            raise RuntimeError(problem)
        lead = len(shape) - x.ndim
        ctx.shape = x.shape
        # A writable view (np.broadcast_to's is read-only) whose repeated dimensions step 0 in memory, as
        # PyTorch's: writing into one that repeats an element is refused by `inplace`, PyTorch's check.
        strides = (0,) * lead + tuple(0 if n == 1 and s != 1 else st
                                      for n, s, st in zip(x._data.shape, shape[lead:], x._data.strides))
        return np.lib.stride_tricks.as_strided(x._data, shape, strides, writeable=x._data.flags.writeable)

    @staticmethod
    def backward(ctx, grad):
        return grad.sum_to_size(ctx.shape)


class Clone(Function):
    """z = a copy of x.   dz/dx = 1."""
    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        return x._data.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


class ToCopy(Function):
    """z = x in another dtype.   dz/dx = 1 (the gradient goes back in x's dtype)."""
    node_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, dtype):
        return x._data.astype(dtype.numpy)

    @staticmethod
    def backward(ctx, grad):
        return grad


class Index(ViewFunction):
    """z = x[key].   dz/dx: the gradient goes to the picked places (added up where picked twice), 0 elsewhere."""
    node_name = "IndexBackward0"  # a view only when NumPy returned one (basic indexing): checked in apply

    @staticmethod
    def forward(ctx, x, key, name):
        ctx.node_name, ctx.shape, ctx.key = name, x.shape, key
        return x._data[key]

    @staticmethod
    def backward(ctx, grad):
        return ScatterAdd.apply(grad, ctx.shape, ctx.key)


class ScatterAdd(Function):
    """z = zeros(shape) with g added at `key` (the backward of indexing).   dz/dg = z[key]."""
    node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, g, shape, key):
        ctx.key = key
        out = np.zeros(shape, dtype=g._data.dtype)
        np.add.at(out, key, g._data)  # unlike out[key] += g, adds twice for an index picked twice
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.key]


class IndexPut(Function):
    """z = x with z[key] = v.   dz/dx: the gradient, 0 at key;  dz/dv: the gradient at key.

    PyTorch names the node CopySlices for basic keys (ints, slices) and IndexPutBackward0 for
    index arrays and masks."""
    node_name = "CopySlices"
    result_dtype = staticmethod(lambda x, v, key: x.dtype)

    @staticmethod
    def forward(ctx, x, v, key):
        ctx.key = key
        parts = key if isinstance(key, tuple) else (key,)
        if any(isinstance(k, np.ndarray) for k in parts):  # x[mask] = v, x[[0, 2]] = v: PyTorch's index_put_
            ctx.node_name = "IndexPutBackward0"
        out = x._data.copy()
        out[key] = v._data
        return out

    @staticmethod
    def backward(ctx, grad):
        return (IndexPut.apply(grad, wrap(0.0, grad), ctx.key) if ctx.needs_input_grad[0] else None,
                grad[ctx.key] if ctx.needs_input_grad[1] else None)


class Cat(Function):
    """z = x1, x2, ... joined along `dim`.   Each input gets its own slice of the gradient back."""
    node_name = "CatBackward0"

    @staticmethod
    def result_dtype(dim, *tensors):
        return result_type(*tensors)

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim, ctx.sizes = dim, [t.shape[dim] for t in tensors]
        return np.concatenate([t._data for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, grad):
        before = (slice(None),) * (ctx.dim % grad.ndim)
        starts = np.cumsum([0] + ctx.sizes)
        return tuple(grad[before + (slice(a, b),)] for a, b in zip(starts[:-1], starts[1:]))


class Stack(Function):
    """z = x1, x2, ... stacked along a new `dim`.   Input i gets the gradient's i-th slice."""
    node_name = "StackBackward0"

    @staticmethod
    def result_dtype(dim, *tensors):
        return result_type(*tensors)

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim, ctx.n = dim, len(tensors)
        return np.stack([t._data for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, grad):
        before = (slice(None),) * (ctx.dim % grad.ndim)
        return tuple(grad[before + (i,)] for i in range(ctx.n))


class Where(Function):
    """z = x where cond, else y.   dz/dx = 1 where cond, dz/dy = 1 where not cond (0 elsewhere)."""
    node_name = "WhereBackward0"

    @staticmethod
    def result_dtype(cond, x, y):
        return result_type(x, y)

    @staticmethod
    def forward(ctx, cond, x, y):
        ctx.cond = cond
        return np.where(cond, x._data, y._data)

    @staticmethod
    def backward(ctx, grad):
        cond = Tensor._make(ctx.cond)
        return grad * cond, grad * ~cond


class AddAlpha(Function):
    """z = x + alpha * y, for add(y, alpha=...) (and sub, with -alpha).   dz/dx = 1,  dz/dy = alpha."""
    node_name = "AddBackward0"

    @staticmethod
    def result_dtype(x, y, alpha, name):
        return result_type(x, y)

    @staticmethod
    def forward(ctx, x, y, alpha, name):
        ctx.alpha, ctx.node_name = alpha, name  # one node, as PyTorch records it (alpha is inside it)
        return x._data + alpha * y._data

    @staticmethod
    def backward(ctx, grad):
        return grad, grad * ctx.alpha


# ============================================================== rounding division (// and %)
def _rounding_dtype(x, y):
    """The result dtype of x // y, x % y, fmod(x, y); x or y may be a Python number (PyTorch's Scalar overloads)."""
    return result_type(x if isinstance(x, Tensor) else wrap(x), y if isinstance(y, Tensor) else wrap(y))


def _values(y):
    return y._data if isinstance(y, Tensor) else y


def _integer_zero_division(x: Tensor, y) -> None:
    """PyTorch refuses an integer division by zero (NumPy would give 0 with a warning)."""
    if np.asarray(_values(x)).dtype.kind in "bi" and np.asarray(_values(y)).dtype.kind in "bi" and not np.all(_values(y)):
        raise RuntimeError("ZeroDivisionError")


class FloorDivide(Function):
    """z = floor(x / y) (x // y).   dz/dx = dz/dy = 0 wherever they exist (z is piecewise constant), but
    PyTorch defines no derivative: the node is NotImplemented, and a backward through it raises."""
    node_name = "NotImplemented"
    result_dtype = staticmethod(_rounding_dtype)

    @staticmethod
    def forward(ctx, x, y):
        _integer_zero_division(x, y)
        with _ieee():  # 1.0 // 0 = inf, silently as in PyTorch
            return np.floor_divide(_values(x), _values(y))

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


class Remainder(Function):
    """z = x - floor(x / y) * y (x % y, the sign of y).   dz/dx = 1,  dz/dy = -floor(x / y).
    (PyTorch has no derivative for `number % x`: that node is NotImplemented and its backward raises.)"""
    node_name = "RemainderBackward1"
    result_dtype = staticmethod(_rounding_dtype)

    @staticmethod
    def forward(ctx, x, y):
        _integer_zero_division(x, y)
        if not isinstance(x, Tensor):  # 2 % x: PyTorch has no derivative for it
            ctx.node_name = "NotImplemented"
        elif not isinstance(y, Tensor):  # x % 2: PyTorch's overload for a number, with its own node name
            ctx.node_name = "RemainderBackward0"
            ctx.save_for_backward(x, None)
        else:
            ctx.save_for_backward(x, y)
        with _ieee():  # x % 0.0 = nan, silently as in PyTorch
            return np.remainder(_values(x), _values(y))

    @staticmethod
    def backward(ctx, grad):
        if ctx.node_name == "NotImplemented":
            raise RuntimeError("derivative for aten::remainder is not implemented")
        x, y = ctx.saved_tensors
        if y is None:
            return grad
        return grad, -grad * RoundedQuotient.apply(x, y, np.floor_divide)


class RoundedQuotient(Function):
    """q = floor(x / y) (or x / y truncated): how many times y fits in x, the step in the derivatives of
    remainder and fmod.   dq/dx = dq/dy = 0 (flat between its jumps).

    A node rather than a constant, as ReluSlope is for relu: with create_graph=True the first derivative
    stays connected to x and y, and its derivative is 0, as PyTorch gives."""
    node_name = "DivBackward2"  # PyTorch's node for a division with a rounding mode

    @staticmethod
    def forward(ctx, x, y, rounding):
        with _ieee():  # x / 0: inf or nan, silently as in PyTorch
            return rounding(x._data, y._data).astype(np.result_type(x._data, y._data))

    @staticmethod
    def backward(ctx, grad):
        return grad * 0.0, grad * 0.0


def _truncated_quotient(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.trunc(x / y)


class Fmod(Function):
    """z = x - trunc(x / y) * y (C's fmod, the sign of x).   dz/dx = 1,  dz/dy = -trunc(x / y)."""
    node_name = "FmodBackward1"
    result_dtype = staticmethod(_rounding_dtype)

    @staticmethod
    def forward(ctx, x, y):
        _integer_zero_division(x, y)
        ctx.save_for_backward(x, y if isinstance(y, Tensor) else None)
        if not isinstance(y, Tensor):  # x.fmod(2): PyTorch's overload for a number, with its own node name
            ctx.node_name = "FmodBackward0"
        with _ieee():
            return np.fmod(x._data, _values(y))

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        if y is None:
            return grad
        return grad, -grad * RoundedQuotient.apply(x, y, _truncated_quotient)


class Maximum(Function):
    """z = max(x, y), elementwise.   dz/dx = 1 where x > y, 0 where x < y, and 1/2 where they tie
    (the gradient is shared, as PyTorch does);   dz/dy = 1 - dz/dx."""
    node_name = "MaximumBackward0"
    result_dtype = staticmethod(result_type)  # both arguments are tensors: no filtering needed

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return np.maximum(x._data, y._data)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        to_x = (x > y).to(grad.dtype) + (x == y).to(grad.dtype) * 0.5
        return grad * to_x, grad * (1 - to_x)


class Minimum(Function):
    """z = min(x, y), elementwise.   dz/dx = 1 where x < y, 0 where x > y, 1/2 where they tie;   dz/dy = 1 - dz/dx."""
    node_name = "MinimumBackward0"
    result_dtype = staticmethod(result_type)

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return np.minimum(x._data, y._data)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        to_x = (x < y).to(grad.dtype) + (x == y).to(grad.dtype) * 0.5
        return grad * to_x, grad * (1 - to_x)


class MaskedFill(Function):
    """z = value where mask is True, x elsewhere.   dz/dx = 1 where the mask is False, 0 where it is True."""
    node_name = "MaskedFillBackward0"

    @staticmethod
    def forward(ctx, x, mask, value):
        ctx.keep = ~mask  # (a NumPy bool array, broadcast against x)
        return np.where(mask, np.asarray(value, dtype=x._data.dtype), x._data)

    @staticmethod
    def backward(ctx, grad):
        return grad * Tensor._make(ctx.keep)


# ============================================================== in-place helpers (see `inplace`)
class Fill(Function):
    """z = x with every element set to v.   dz/dx = 0."""
    node_name = "FillBackward2"

    @staticmethod
    def forward(ctx, x, value, name="FillBackward2"):
        ctx.node_name = name  # PyTorch's: FillBackward2 for fill_(number), ZeroBackward0 for zero_(), FillBackward3 x[...] = v
        return np.full_like(x._data, value)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0.0


class Copy(Function):
    """z = src broadcast to x's shape (x.copy_(src)).   dz/dx = 0,  dz/dsrc = 1."""
    node_name = "CopyBackwards"
    result_dtype = staticmethod(lambda x, src, name=None: x.dtype)

    @staticmethod
    def forward(ctx, x, src, name=None):
        if name:  # fill_(tensor) and x[...] = tensor: PyTorch's FillBackward3
            ctx.node_name = name
        return np.broadcast_to(src._data, x.shape).copy()

    @staticmethod
    def backward(ctx, grad):
        return grad * 0.0, grad


# ============================================================== the functions behind Tensor's methods
def wrap(value, like: Tensor | None = None) -> Tensor:
    """A Python number as a 0-dim tensor that type promotion treats as a number, not a tensor."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (float, np.floating)):  # first: the most common number in lesson code
        dt = _dtype.float64  # full precision until promotion decides the result's dtype
    elif isinstance(value, (bool, np.bool_)):  # before int: True is also an int
        dt = _dtype.bool_
    elif isinstance(value, (int, np.integer)):
        dt = _dtype.int64
    elif isinstance(value, np.ndarray):  # NumPy arrays take part as tensors, as in PyTorch
        return Tensor(value)
    else:  # a list or tuple too: PyTorch refuses them as operands (`t + [1, 2]` is a TypeError there)
        raise TypeError(f"unsupported operand: expected a Tensor or a number, got {type(value).__name__}"
                        + ("; make it a tensor first, e.g. minigrad.tensor([...])" if isinstance(value, (list, tuple)) else ""))
    if like is not None:  # compute in the result's dtype, as PyTorch does (float32 * 2.5 stays float32):
        # a number never widens a tensor of its own kind or above; above the tensor's kind (a float
        # with an integer tensor) it takes the default dtype of its kind (float32).
        like_dtype = like.dtype
        if like_dtype._category >= dt._category:
            dt = like_dtype
        else:
            dt = (_dtype.bool_, _dtype.int64, _dtype.default_float)[dt._category]
    t = Tensor._make(np.asarray(value, dtype=dt.numpy))
    t._wrapped_number = True
    return t


_BOOL = np.dtype(np.bool_)


def _operands(a, b) -> tuple[Tensor, Tensor]:
    if not isinstance(a, Tensor):
        return wrap(a, b), b
    if not isinstance(b, Tensor):
        return a, wrap(b, a)
    return a, b


def broadcast_message(a: tuple, b: tuple) -> str:
    """PyTorch's words for two shapes that do not broadcast."""
    n = builtins.max(len(a), len(b))  # this module defines its own max (the tensor op)
    for i in range(1, n + 1):
        sa = a[-i] if i <= len(a) else 1
        sb = b[-i] if i <= len(b) else 1
        if sa != sb and sa != 1 and sb != 1:
            return (f"The size of tensor a ({sa}) must match the size of tensor b ({sb}) "
                    f"at non-singleton dimension {n - i}")
    return f"shapes {list(a)} and {list(b)} cannot be broadcast together"


def _binary(fn: type, a, b) -> Tensor:
    a, b = _operands(a, b)
    try:
        return fn.apply(a, b)
    except ValueError:
        try:
            np.broadcast_shapes(a.shape, b.shape)
        except ValueError:
            raise RuntimeError(broadcast_message(a.shape, b.shape)) from None
        raise


def add(a, b) -> Tensor:
    return _binary(Add, a, b)


def _is_bool(v) -> bool:
    return isinstance(v, (bool, np.bool_)) or (isinstance(v, Tensor) and v._data.dtype is _BOOL)


def _no_bool_subtraction(a, b) -> None:
    """PyTorch refuses `-` with a bool tensor or a bool (it would mean neither xor nor not)."""
    bools = [_is_bool(a), _is_bool(b)]
    if all(bools):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    if any(bools):
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def sub(a, b) -> Tensor:
    if _is_bool(a) or _is_bool(b):
        _operands(a, b)  # a list or a string is refused first (TypeError), as in PyTorch
        _no_bool_subtraction(a, b)
    return _binary(Sub, a, b)


def rsub(a, b) -> Tensor:
    """b - a, for `number - tensor`."""
    if isinstance(b, Number) and not _is_bool(b) and a._data.dtype is not _BOOL:
        return Rsub.apply(a, b)
    return sub(b, a)


def add_alpha(a, b, alpha, subtract: bool = False) -> Tensor:
    """a + alpha * b (a - alpha * b when subtracting): PyTorch's add/sub with alpha, one node."""
    if subtract and (_is_bool(a) or _is_bool(b)):
        _no_bool_subtraction(a, b)
    a, b = _operands(a, b)
    if isinstance(alpha, (float, np.floating)) and not result_type(a, b).is_floating_point:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    try:
        return AddAlpha.apply(a, b, -alpha if subtract else alpha, "SubBackward0" if subtract else "AddBackward0")
    except ValueError:
        raise RuntimeError(broadcast_message(a.shape, b.shape)) from None


def mul(a, b) -> Tensor:
    return _binary(Mul, a, b)


def div(a, b) -> Tensor:
    return _binary(Div, a, b)


def rdiv(a, b) -> Tensor:
    """b / a, for `number / tensor`: PyTorch computes it as reciprocal(a) * b."""
    return a.reciprocal() * b


def pow(a, b) -> Tensor:  # noqa: A001 - the name PyTorch uses
    if isinstance(b, Number):
        if a._data.dtype.kind != "f":  # (rare: integer or bool base)
            dt = result_type(a, wrap(b))
            if dt is _dtype.bool_:  # bool ** True is the bool itself, bool ** False all True
                return Tensor._make(a._data | (not b))
            if not dt.is_floating_point:
                if isinstance(b, (int, np.integer)) and b < 0:
                    raise RuntimeError("Integers to negative integer powers are not allowed.")
                return _integer_power(a, wrap(b), dt)
            a = a.to(dt)  # computed in the result's dtype (NumPy would use float16 for bool ** 0.5)
        return Pow.apply(a, b)
    a, b = _operands(a, b)
    if a._data.dtype.kind != "f" and b._data.dtype.kind != "f":
        return _integer_power(a, b, result_type(a, b))
    return _binary(PowTensor, a, b)


def rpow(a, b) -> Tensor:
    """b ** a, for `number ** tensor`."""
    if isinstance(b, Number) and a._data.dtype.kind == "f":
        return RPow.apply(a, b)
    if isinstance(b, Number) and isinstance(b, (float, np.floating)):
        return RPow.apply(a.to(result_type(a, wrap(b))), b)  # an integer tensor: computed in float32
    return pow(wrap(b, a) if not isinstance(b, Tensor) else b, a)


def _integer_power(a: Tensor, b: Tensor, dt) -> Tensor:
    """a ** b for integers, as PyTorch computes it: a negative exponent gives 0 (1 and -1 excepted). No graph:
    integer tensors never require grad."""
    if dt is _dtype.bool_:
        raise not_implemented("pow", dt)
    try:
        base, exponent = np.broadcast_arrays(a._data.astype(np.int64), b._data.astype(np.int64))
    except ValueError:
        raise RuntimeError(broadcast_message(a.shape, b.shape)) from None
    out = base ** np.maximum(exponent, 0)
    if (exponent < 0).any():  # 1 ** -n = 1, (-1) ** -n = +-1, anything else ** -n rounds to 0
        out = np.where(exponent >= 0, out, np.where(base == 1, 1, np.where(base == -1, 1 - 2 * (exponent & 1), 0)))
    return Tensor._make(np.asarray(out, dtype=np.int64))


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """a @ b: dot, matrix-vector, matrix-matrix, or a batch of matrix products (batch dims broadcast).

    Recorded as PyTorch records it (see _recorded_matmul): one DotBackward0, MvBackward0 or
    MmBackward0 node for vectors and matrices, and for the other cases the reshapes around a single
    mm, mv or bmm that PyTorch's matmul is made of.
    """
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        raise TypeError("matmul(): both arguments must be tensors")
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D")
    if a._data.dtype is not b._data.dtype:  # PyTorch does not promote in a matrix product
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {a.dtype.name} and {b.dtype.name}; "
                           "convert one with .float(), .double() or .to(other.dtype)")
    if a._data.dtype == np.bool_:
        _refuse_bool_matmul(a, b)
    one_node = a.ndim <= 2 and b.ndim <= 2 and (a.ndim, b.ndim) != (1, 2)
    if not one_node and is_grad_enabled() and (a._requires_grad or b._requires_grad):
        error = _matmul_shape_error(a, b)
        if error is not None:
            raise error
        return _recorded_matmul(a, b)
    try:
        return MatMul.apply(a, b)
    except ValueError:  # NumPy refused the shapes: find out why only now (checking first costs ~3 us a call)
        raise _matmul_shape_error(a, b) or RuntimeError(f"matmul: shapes {list(a.shape)} and {list(b.shape)}") from None


def _refuse_bool_matmul(a: Tensor, b: Tensor) -> None:
    """PyTorch has no matrix product of bool tensors: its error names the kernel that matmul would run
    (dot, addmv for a matrix-vector product, addmm for one mm, bmm for a batch), which runs only when
    neither operand is empty (a dot product always)."""
    error = _matmul_shape_error(a, b)
    if error is not None:
        raise error
    if (a.ndim, b.ndim) == (1, 1):
        kernel = "dot"
    elif a._data.size == 0 or b._data.size == 0:
        return
    elif (a.ndim, b.ndim) == (2, 1):
        kernel = "addmv_impl_cpu"
    elif a.ndim <= 2 and b.ndim <= 2:
        kernel = "addmm_impl_cpu_"
    elif _folds(a, b):
        kernel = "addmm_impl_cpu_" if builtins.min(a.ndim, b.ndim) == 2 else "addmv_impl_cpu"
    else:
        kernel = "bmm"
    raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


def _matmul_shape_error(a: Tensor, b: Tensor) -> RuntimeError | None:
    """PyTorch's error for shapes that cannot be multiplied (None if they can)."""
    inner_b = b.shape[-2] if b.ndim > 1 else b.shape[0]
    if a.shape[-1] != inner_b:
        return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                            f"({'x'.join(map(str, a.shape))} and {'x'.join(map(str, b.shape))})")
    try:  # the dimensions before the last two are batch dimensions: they must broadcast
        np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        return RuntimeError(broadcast_message(a.shape[:-2], b.shape[:-2]))
    return None


def _recorded_matmul(a: Tensor, b: Tensor) -> Tensor:
    """a @ b for a vector times a matrix, or with batch dimensions, built from the same steps as
    PyTorch's matmul, so the graph has PyTorch's nodes (and saves what PyTorch saves):
      vector @ matrix   a row: unsqueeze, mm, and the row dimension squeezed away (SqueezeBackward4);
      batch @ matrix    the batch folded into the rows of one mm (or mv), when PyTorch folds (_folds);
      otherwise         both expanded to the common batch shape, reshaped to 3 dims, one bmm.
    The result of the last step is reshaped to the output's shape as a new tensor, not a view
    (PyTorch's _unsafe_view, UnsafeViewBackward0).
    """
    if a.ndim == 1 and b.ndim == 2:
        return _unsafe_view(MatMul.apply(a.unsqueeze(0), b), (b.shape[1],), "SqueezeBackward4")
    if _folds(a, b):
        transpose = b.ndim > a.ndim  # (a matrix or vector) @ batch: fold b^T, the larger, and swap back at the end
        big = b.transpose(-1, -2) if transpose else a
        small = (a.t() if a.ndim == 2 else a) if transpose else b
        rows = tuple(big.shape[:-1])
        out = MatMul.apply(big.reshape(math.prod(rows), big.shape[-1]), small)
        out = _unsafe_view(out, rows + tuple(small.shape[1:]))
        return out.transpose(-1, -2).contiguous() if transpose and small.ndim == 2 else out
    batch_a, batch_b = tuple(a.shape[:-2]), tuple(b.shape[:-2])
    if a.ndim == 3 and b.ndim == 3 and batch_a[0] != batch_b[0]:  # a batch of one that needs a gradient:
        if batch_a[0] == 1 and a._requires_grad:                   # PyTorch drops it and folds instead
            return _recorded_matmul(a.squeeze(0), b)
        if batch_b[0] == 1 and b._requires_grad:
            return _recorded_matmul(a, b.squeeze(0))
    n = a.shape[-2] if a.ndim > 1 else 1
    m, p = a.shape[-1], b.shape[-1] if b.ndim > 1 else 1
    batch = tuple(np.broadcast_shapes(batch_a, batch_b))
    size = math.prod(batch)
    a3 = a.expand(batch + (n, m)).reshape(size, n, m)
    if b.ndim == 1:
        out = MatMul.apply(a3, b.expand(batch + (m,)).reshape(size, m).unsqueeze(2)).squeeze(-1)
    else:
        out = MatMul.apply(a3, b.expand(batch + (m, p)).reshape(size, m, p))
    return _unsafe_view(out, batch + ((n,) if a.ndim > 1 else ()) + ((p,) if b.ndim > 1 else ()))


def _folds(a: Tensor, b: Tensor) -> bool:
    """Does PyTorch's matmul fold the batch of the larger operand into matrix rows (one mm or mv)?
    Only for 3+ dims against 1 or 2; always when the smaller needs a gradient (its gradient is then
    one mm, not a sum over an expanded batch), else only when the fold needs no copy."""
    a_larger = a.ndim >= b.ndim
    big, small = (a, b) if a_larger else (b, a)
    if big.ndim < 3 or small.ndim > 2:
        return False
    if small._requires_grad:
        return True
    if a.ndim == 2:  # matrix @ batch: the fold would end in a transposing copy
        return False
    if big._data.size == 0:
        return True
    shape, strides = list(big._data.shape), list(big._data.strides)
    if not a_larger:  # the larger is b, folded as b^T: its last two dimensions swap
        shape[-2:], strides[-2:] = shape[:-3:-1], strides[:-3:-1]
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(len(shape) - 2))


def _unsafe_view(t: Tensor, shape: tuple, name: str = "UnsafeViewBackward0") -> Tensor:
    """t (a fresh result nothing else holds) seen in a new shape, recorded as PyTorch's _unsafe_view: a
    new tensor, not a view (an in-place change to it is then an ordinary one)."""
    out = View.apply(t, shape, True, name)
    out._base, out._versions = None, None
    return out


def clamp(x: Tensor, lo=None, hi=None) -> Tensor:
    if lo is None and hi is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    bounds = []
    for name, bound in (("min", lo), ("max", hi)):
        if isinstance(bound, Tensor) and bound.ndim == 0:
            bound = bound.item()
        if bound is not None and not isinstance(bound, Number):
            raise TypeError(f"clamp(): '{name}' must be a number, got {type(bound).__name__}")
        if isinstance(bound, (bool, np.bool_)):
            bound = int(bound)  # True is 1, as in PyTorch
        bounds.append(bound)
    if x._data.dtype == np.bool_ and all(b is None or isinstance(b, (bool, np.bool_)) for b in (lo, hi)):
        # a bool tensor clamped by bools: PyTorch has no kernel for it (with a number bound it computes in int64)
        kernel = "clamp_scalar_cpu" if lo is not None and hi is not None else f"clamp_{'max' if lo is None else 'min'}_scalar_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    if x._data.dtype.kind != "f" and any(isinstance(b, (float, np.floating)) for b in bounds):
        x = x.float()  # an integer tensor clamped to a float bound is float32, as in PyTorch (NumPy: float64)
    return Clamp.apply(x, *bounds)


def dot(a: Tensor, b: Tensor) -> Tensor:
    """The dot product of two vectors of the same length (a 1-D matmul)."""
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] to have "
                           f"the same number of elements, but got {a.shape[0]} and {b.shape[0]} elements respectively")
    return matmul(a, b)


def mm(a: Tensor, b: Tensor) -> Tensor:
    """The product of two matrices (a 2-D matmul)."""
    if a.ndim != 2:
        raise RuntimeError(f"self must be a matrix (2-D), got a {a.ndim}-D tensor of shape {list(a.shape)}")
    if b.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix (2-D), got a {b.ndim}-D tensor of shape {list(b.shape)}; "
                           "for matrix @ vector use mv")
    return matmul(a, b)


def mv(a: Tensor, v: Tensor) -> Tensor:
    """A matrix times a vector."""
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected: mv needs a 2-D matrix and a 1-D vector, "
                           f"got {a.ndim}-D and {v.ndim}-D tensors")
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), vec ({v.shape[0]})")
    return matmul(a, v)


def _both_tensors(name: str, a, b) -> None:
    if not isinstance(b, Tensor):
        raise TypeError(f"{name}(): argument 'other' (position 1) must be Tensor, not {type(b).__name__}")


def maximum(a, b) -> Tensor:
    """max(a, b), elementwise (tensors broadcast; both must be tensors, as in PyTorch)."""
    _both_tensors("maximum", a, b)
    return _binary(Maximum, a, b)


def minimum(a, b) -> Tensor:
    """min(a, b), elementwise (tensors broadcast; both must be tensors, as in PyTorch)."""
    _both_tensors("minimum", a, b)
    return _binary(Minimum, a, b)


# PyTorch's names for the dtypes in its kernel messages ("abs_cpu" not implemented for 'Bool').
TORCH_TYPE_NAMES = {"bool": "Bool", "int64": "Long", "float32": "Float", "float64": "Double"}


def not_implemented(kernel: str, dt) -> NotImplementedError:
    return NotImplementedError(f"\"{kernel}\" not implemented for '{TORCH_TYPE_NAMES[dt.name]}'")


def _rounding(fn: type, kernel: str, a, b) -> Tensor:
    """x // y, x % y, fmod: PyTorch has no bool kernel for them; a number on either side is its Scalar
    overload (only the tensor is an input in the graph)."""
    if isinstance(a, Number) or isinstance(b, Number):
        if _rounding_dtype(a, b) is _dtype.bool_:
            raise not_implemented(kernel, _dtype.bool_)
        if isinstance(a, Number) and fn is Fmod:  # (no Scalar-first fmod in PyTorch: the number is a tensor)
            a = wrap(a, b)
        return fn.apply(a, b)
    a, b = _operands(a, b)
    if result_type(a, b) is _dtype.bool_:
        raise not_implemented(kernel, _dtype.bool_)
    return _binary(fn, a, b)


def floor_divide(a, b) -> Tensor:
    """floor(a / b), elementwise: a // b (integers stay integers)."""
    return _rounding(FloorDivide, "div_floor_cpu", a, b)


def remainder(a, b) -> Tensor:
    """a - floor(a / b) * b: a % b, with the sign of b (Python's %)."""
    return _rounding(Remainder, "remainder_cpu", a, b)


def fmod(a, b) -> Tensor:
    """a - trunc(a / b) * b, with the sign of a (C's fmod)."""
    return _rounding(Fmod, "fmod_cpu", a, b)


def bitwise(np_fn, kernel: str, a, b) -> Tensor:
    """&, |, ^: bitwise on integers, logical on bools (NumPy's bitwise ufuncs do both); no graph."""
    if a is None or b is None:
        return NotImplemented
    a, b = _operands(a, b)
    dt = result_type(a, b)
    if dt.is_floating_point:
        raise not_implemented(kernel, dt)
    try:
        out = np_fn(a._data, b._data)
    except ValueError:
        raise RuntimeError(broadcast_message(a.shape, b.shape)) from None
    return Tensor._make(out if out.dtype is dt.numpy else out.astype(dt.numpy))


def invert(x: Tensor) -> Tensor:
    """~x: bitwise not of integers, logical not of bools."""
    if x.dtype.is_floating_point:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return Tensor._make(np.invert(x._data))


def logical(np_fn, a, b) -> Tensor:
    """logical_and / or / xor: a bool tensor, where nonzero counts as True; no graph."""
    if not isinstance(b, Tensor):  # (PyTorch takes no number here)
        raise TypeError(f"{np_fn.__name__}(): argument 'other' (position 1) must be Tensor, not {type(b).__name__}")
    a, b = _operands(a, b)
    try:
        return Tensor._make(np_fn(a._data, b._data))
    except ValueError:
        raise RuntimeError(broadcast_message(a.shape, b.shape)) from None


def norm(x: Tensor, p=2, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """The p-norm (sum |x|^p)^(1/p), of all elements or along `dim`; p = 2 by default (the length)."""
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


def masked_fill(x: Tensor, mask: Tensor, value) -> Tensor:
    """x with `value` wherever `mask` is True (the mask broadcasts against x)."""
    if not isinstance(mask, Tensor) or mask.dtype is not _dtype.bool_:
        got = mask.dtype.name if isinstance(mask, Tensor) else type(mask).__name__
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {got}; "
                           "make one with a comparison, e.g. x > 0")
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value.ndim} dimension(s).")
        value = value.item()
    if x._data.dtype.kind in "bi" and isinstance(value, float) and not -2.0 ** 63 <= value < 2.0 ** 63:
        raise RuntimeError("value cannot be converted to type int64_t without overflow")  # (nan and inf too)
    try:
        shape = np.broadcast_shapes(mask.shape, x.shape)
    except ValueError:
        raise RuntimeError(broadcast_message(tuple(mask.shape), tuple(x.shape))) from None
    return MaskedFill.apply(x, mask._data, value)  # (broadcasts x too, as PyTorch's out-of-place form does)


def where(cond, x, y) -> Tensor:
    """x where cond is True, else y (numbers allowed for x and y)."""
    cond = cond._data if isinstance(cond, Tensor) else np.asarray(cond)
    if cond.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{_dtype.from_numpy(cond.dtype)}")
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        x = wrap(x)
    x, y = _operands(x, y)
    try:
        return Where.apply(cond, x, y)
    except ValueError:  # shapes that do not broadcast: PyTorch's words, for the first pair that fails
        for a, b in ((cond.shape, x.shape), (x.shape, y.shape), (cond.shape, y.shape)):
            try:
                np.broadcast_shapes(a, b)
            except ValueError:
                raise RuntimeError(broadcast_message(tuple(a), tuple(b))) from None
        raise


def dim_index(d, ndim: int) -> int:
    """`d` as a dimension of a tensor with `ndim` dimensions (negative ones count from the end), or
    PyTorch's IndexError. A 0-dim tensor accepts dim 0 and -1, as in PyTorch."""
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
        raise TypeError(f"dim must be an int (or a tuple of ints where several are allowed), got {type(d).__name__}")
    n = builtins.max(ndim, 1)  # (`max` in this module is the tensor op)
    if not -n <= d < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
    return int(d) % n


def _dims(x: Tensor, dim) -> tuple | None:
    if dim is None:
        return None
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    dims = tuple(dim_index(d, x.ndim) for d in dims)
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    if not dims:  # sum(dim=[]) reduces every dimension in PyTorch (still as the dim-list overload)
        dims = tuple(range(x.ndim))
    return dims if x.ndim else ()  # (a 0-dim x: nothing to reduce, but still the dim-list overload)


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


def _one_dim(name: str, x: Tensor, dim) -> int:
    """The single dimension max/min/argmax/argmin reduce (PyTorch takes an int there, not a list)."""
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    d = dim_index(dim, x.ndim)
    if x.ndim and x._data.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return d


def _kept_shape(shape: tuple, dims: tuple | None) -> tuple:
    """The shape of a reduction over `dims` with keepdim=True."""
    if dims is None:
        return (1,) * len(shape)
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


def sum(x: Tensor, dim=None, keepdim: bool = False, dtype=None) -> Tensor:  # noqa: A001
    if dtype is None:
        return Sum.apply(x, _dims(x, dim), keepdim)
    return Sum.apply(x, _dims(x, dim), keepdim, dtype)


def mean(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
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


def var(x: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> Tensor:
    """The variance: the mean squared distance from the mean, divided by n - 1 by default (Bessel's correction)."""
    return _spread(Var, "var", x, dim, unbiased, keepdim, correction)


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
        return _MinMax(MaxDim.apply(x, 0, keepdim, np.asarray(0), largest), Tensor._make(np.asarray(0)))
    pick = np.argmax if largest else np.argmin
    indices = np.expand_dims(pick(x._data, axis=d), d)
    values = MaxDim.apply(x, d, keepdim, indices, largest)
    return _MinMax(values, Tensor._make(indices if keepdim else indices.squeeze(d)))


def max(x: Tensor, dim=None, keepdim: bool = False):  # noqa: A001
    return _extreme(x, dim, keepdim, True)


def min(x: Tensor, dim=None, keepdim: bool = False):  # noqa: A001
    return _extreme(x, dim, keepdim, False)


def argmax(x: Tensor, dim=None, keepdim: bool = False, largest: bool = True) -> Tensor:
    """Where the largest (or smallest) element is: in the flattened tensor, or along `dim`. No graph."""
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


def argmin(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    return argmax(x, dim, keepdim, largest=False)


def sum_to_size(x: Tensor, shape: tuple) -> Tensor:
    """Sum x down to `shape`: over the leading dimensions it lacks and where it has size 1."""
    shape, have = tuple(shape), x._data.shape
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


def viewable(array: np.ndarray, shape: tuple) -> bool:
    """Can `array` be seen in `shape` without copying? (Always, for the usual row-major layout.)"""
    if array.flags.c_contiguous:
        return True
    out = array.view()
    try:
        out.shape = shape  # NumPy refuses, instead of copying, when the strides do not allow it
    except AttributeError:
        return False
    return True


def infer_shape(x: Tensor, shape: tuple) -> tuple:
    """Fill in one -1 in a new shape, and check the sizes agree."""
    shape = tuple(int(s) for s in shape)
    size = x.numel()
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = math.prod([s for s in shape if s != -1])  # math.prod: np.prod of a short list is ~10x slower
    if -1 in shape:
        if known == 0 or size % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
        shape = tuple(size // known if s == -1 else s for s in shape)
    elif known != size:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
    return shape


def index_key(key):
    """Turn tensors and lists inside an index into NumPy arrays."""
    if isinstance(key, tuple):
        return tuple(index_key(k) for k in key)
    if isinstance(key, Tensor):
        if key.dtype.is_floating_point:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if key._data.ndim == 0 and key._data.dtype.kind == "i":  # x[tensor(1)] is x[1]: a view, as in PyTorch
            return int(key._data)
        return key._data
    if isinstance(key, list):
        array = np.asarray(key)
        # [] picks nothing; [1.0] is index 1, as PyTorch reads a list of Python numbers
        return array.astype(np.int64) if array.dtype.kind in "fu" or array.size == 0 else array
    return key


def index(x: Tensor, key) -> Tensor:
    """x[key]. Basic indexing is recorded as PyTorch records it: one node per index component, left
    to right (x[0, 1:] is a SliceBackward0 after a SelectBackward0); a plain `:` records nothing.
    Index arrays and masks (advanced indexing) make a single IndexBackward0 node."""
    key = index_key(key)
    parts = key if isinstance(key, tuple) else (key,)
    if x.ndim == 0 and any(isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)) for k in parts):
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ "
                         "to convert a 0-dim tensor to a number")
    # the dimensions the key uses: one each, a mask as many as it has, None, ... and True/False none
    used = builtins.sum(k.ndim if isinstance(k, np.ndarray) and k.dtype == np.bool_ else
                        0 if k is None or k is Ellipsis or isinstance(k, (bool, np.bool_)) else 1 for k in parts)
    if used > x.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
    scalar_bools = [i for i, k in enumerate(parts) if _is_scalar_bool(k)]
    if len(scalar_bools) == 1 and not any(isinstance(k, np.ndarray) and k.ndim for k in parts):
        return _index_scalar_bool(x, parts, scalar_bools[0])
    if any(isinstance(k, (np.ndarray, bool, np.bool_)) for k in parts):
        return _index_step(x, key, "IndexBackward0")
    out, dim = x, 0  # dim: where the next component applies, in the current result's dimensions
    source = 0  # the dimension of x it applies to (PyTorch's error messages count in x's dimensions)
    for k in parts:
        before = (slice(None),) * dim
        if k is Ellipsis:
            dim += x.ndim - used
            source += x.ndim - used
        elif isinstance(k, (int, np.integer)):
            size = x._data.shape[source]
            if not -size <= k < size:
                raise IndexError(f"index {k} is out of bounds for dimension {source} with size {size}")
            # removes dimension `dim`; the trailing `...` keeps even a 0-dim result a NumPy view (x[1] of a
            # vector shares x's memory, as in PyTorch), where a bare integer key would copy out a scalar
            out = _index_step(out, before + (k, Ellipsis), "SelectBackward0")
            source += 1
        elif k is None:
            out, dim = _index_step(out, before + (None,), "UnsqueezeBackward0"), dim + 1
        elif isinstance(k, slice):
            if k.step is not None and k.step < 0:
                raise ValueError("step must be greater than zero")
            if k != slice(None):
                out = _index_step(out, before + (k,), "SliceBackward0")
            dim += 1
            source += 1
        else:
            raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                             f"valid indices (got {type(k).__name__})")
    if out is x:  # x[:] or x[...]: still a new tensor, as in PyTorch
        # (x[()] of a 0-dim x would copy out a NumPy scalar: `...` keeps it a view)
        out = _index_step(x, key, "SliceBackward0") if isinstance(key, slice) else _index_step(x, ..., "AliasBackward0")
    return out


def _is_scalar_bool(k) -> bool:
    return isinstance(k, (bool, np.bool_)) or (isinstance(k, np.ndarray) and k.ndim == 0 and k.dtype == np.bool_)


def _index_scalar_bool(x: Tensor, parts: tuple, at: int) -> Tensor:
    """x[..., True, ...]: PyTorch's two steps, a new dimension of size 1 where the True (or False) stands
    (UnsqueezeBackward0, with the rest of the key, left to right), then that dimension masked by [True]
    or [False] (IndexBackward0): x[True] has shape (1, *x.shape), x[False] (0, *x.shape)."""
    flag = bool(parts[at])
    out = index(x, parts[:at] + (None,) + parts[at + 1:])
    # where the new dimension landed in the result: count the dimensions the key's parts before it make
    before = parts[:at]
    dims = builtins.sum(1 for k in before if k is None or isinstance(k, slice))
    if any(k is Ellipsis for k in before):
        used = builtins.sum(0 if k is None or k is Ellipsis or _is_scalar_bool(k) else 1 for k in parts)
        dims += x.ndim - used
    mask_key = (slice(None),) * dims + (np.array([flag]),)
    return _index_step(out, mask_key, "IndexBackward0")


def _index_step(x: Tensor, key, name: str) -> Tensor:
    try:
        return Index.apply(x, key, name)
    except IndexError as e:
        mask = _mismatched_mask(x, key)
        if mask is not None:
            raise IndexError(mask) from None
        if "out of bounds" in str(e):  # an index array's entry: NumPy's words, with PyTorch's "dimension"
            raise IndexError(str(e).replace(" for axis ", " for dimension ")) from None
        raise IndexError(f"{e} (tensor of shape {list(x.shape)})") from None


def _picked_shape(x: Tensor, parts: tuple) -> tuple:
    """The shape of x[key], found on a 1-byte stand-in with every index array's entries set to 0 (in range)."""
    inside = tuple(np.zeros_like(k) if isinstance(k, np.ndarray) and k.dtype != np.bool_ else k for k in parts)
    return np.empty(x._data.shape, dtype=np.bool_)[inside].shape


def setitem(x: Tensor, key, value) -> None:
    """x[key] = value, in place: PyTorch's checks and words before NumPy's."""
    key = index_key(key)
    parts = key if isinstance(key, tuple) else (key,)
    advanced = any(isinstance(k, np.ndarray) for k in parts)
    masked = any(isinstance(k, np.ndarray) and k.dtype == np.bool_ for k in parts)
    for k in parts:
        if isinstance(k, slice) and k.step is not None and k.step < 0:
            raise ValueError("step must be greater than zero")
        if not isinstance(k, (int, np.integer, slice, np.ndarray, bool, np.bool_)) and k is not None and k is not ...:
            raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                             f"valid indices (got {type(k).__name__})")
    mask = _mismatched_mask(x, key)
    if mask is not None:
        raise IndexError(mask)
    # index_put needs one dtype; a mask with a 0-dim value is a masked fill in PyTorch, which casts
    if advanced and isinstance(value, Tensor) and value.dtype is not x.dtype and (value.ndim or not masked):
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{TORCH_TYPE_NAMES[x.dtype.name]} for the destination and "
                           f"{TORCH_TYPE_NAMES[value.dtype.name]} for the source.")
    if all(k is ... or (isinstance(k, slice) and k == slice(None)) for k in parts) and (not isinstance(value, Tensor) or value.ndim == 0):
        # x[...] = v, x[:] = v with one value: PyTorch fills (FillBackward3, the value a constant input if a number)
        return inplace(x, Copy, value, "FillBackward3")
    if not advanced and 0 in x._data.strides:  # an expanded tensor: write only where the key points, if it can
        region = x._data[key]
        if any(st == 0 and n > 1 for st, n in zip(region.strides, region.shape)):
            raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a "
                               "single memory location. Please clone() the tensor before performing the operation.")
        if not (is_grad_enabled() and (x._requires_grad or (isinstance(value, Tensor) and value._requires_grad))):
            region[...] = value._data if isinstance(value, Tensor) else value
            x._bump_version()
            return
    try:
        inplace(x, IndexPut, value, key)
    except IndexError as e:
        if advanced and isinstance(value, Tensor):  # PyTorch checks the value's shape before the indices
            picked = _picked_shape(x, parts)
            try:
                np.broadcast_to(np.empty(value.shape, dtype=np.bool_), picked)
            except ValueError:
                raise RuntimeError(f"shape mismatch: value tensor of shape {list(value.shape)} cannot be broadcast to "
                                   f"indexing result of shape {list(picked)}") from None
        if "out of bounds" in str(e):
            raise IndexError(str(e).replace(" for axis ", " for dimension ")) from None
        raise IndexError(f"{e} (tensor of shape {list(x.shape)})") from None
    except ValueError:  # NumPy could not fit the value into the places picked: say which shapes, as PyTorch does
        picked = _picked_shape(x, parts)
        given = tuple(value.shape if isinstance(value, Tensor) else np.shape(value))
        if not advanced:  # PyTorch copies into the view x[key]: its words are expand's
            while given and given[0] == 1 and len(given) > len(picked):  # (leading 1s are dropped first)
                given = given[1:]
            raise RuntimeError(expand_error(given, picked) or "shape mismatch") from None
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(given)} cannot be broadcast to indexing "
                           f"result of shape {list(picked)}") from None


def _mismatched_mask(x: Tensor, key) -> str | None:
    """PyTorch's words for a bool mask whose shape does not fit the dimensions it indexes (or None)."""
    parts = key if isinstance(key, tuple) else (key,)
    if len(parts) != 1 or not isinstance(parts[0], np.ndarray) or parts[0].dtype != np.bool_:
        return None
    mask = parts[0]
    for i, (m, s) in enumerate(zip(mask.shape, x.shape)):
        if m != s:
            return (f"The shape of the mask {list(mask.shape)} at index {i} does not match the shape of the indexed "
                    f"tensor {list(x.shape)} at index {i}")
    return None


def _comparable(v) -> bool:
    return isinstance(v, (Tensor, Number, np.ndarray, np.generic))


def compare(np_fn, a, b) -> Tensor:
    """A comparison or logical op: a bool tensor, never part of the graph."""
    if not (_comparable(a) and _comparable(b)):  # `t == None` or `t == [1, 2]` is False (and `t < "a"` a
        return NotImplemented                      # TypeError): Python's answers, as in PyTorch
    a, b = _operands(a, b)
    try:
        return Tensor._make(np_fn(a._data, b._data))
    except ValueError:
        raise RuntimeError(broadcast_message(a.shape, b.shape)) from None


def _tensor_list(name: str, tensors) -> list:
    """cat's and stack's argument: a list or tuple of tensors, as PyTorch checks it."""
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return list(tensors)


def cat(tensors, dim: int = 0) -> Tensor:
    """The tensors joined along an existing dimension `dim` (dtypes promoted, as in PyTorch)."""
    tensors = _tensor_list("cat", tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    dim = dim_index(dim, tensors[0].ndim)
    for i, t in enumerate(tensors):
        if t.ndim != tensors[0].ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {tensors[0].ndim} and {t.ndim}")
        for d, (a, b) in enumerate(zip(tensors[0].shape, t.shape)):
            if d != dim and a != b:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {dim}. Expected size {a} but "
                                   f"got size {b} for tensor number {i} in the list.")
    return Cat.apply(dim, *tensors)


def stack(tensors, dim: int = 0) -> Tensor:
    """The tensors (all of one shape) stacked along a new dimension `dim`."""
    tensors = _tensor_list("stack", tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    dim = dim_index(dim, tensors[0].ndim + 1)  # the new dim may go after the last
    for i, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at "
                               f"entry 0 and {list(t.shape)} at entry {i}")
    return Stack.apply(dim, *tensors)


# ============================================================== in-place operations
VIEW_MESSAGE = ("minigrad does not record in-place changes to a view (here a tensor made by {}) while it builds "
                "a graph; PyTorch rewrites the history of the viewed tensor, which minigrad keeps simple and "
                "does not. Make a copy first with .clone(), or use an out-of-place operation (y = y * 2).")


NO_GRAD_VIEW_MESSAGE = (
    "{} created in no_grad mode and is being modified inplace with grad mode enabled. Given that this use case "
    "is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the "
    "inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside "
    "(if you want the inplace to be tracked).")


def _refuse_view_change(view: Tensor) -> None:
    """Say why an in-place change of `view` with grad mode on is refused (the base is tracked)."""
    if view.grad_fn is None:
        if _made_under_no_grad(view):
            raise RuntimeError(NO_GRAD_VIEW_MESSAGE.format("A view was"))
        if view._requires_grad:  # a leaf that requires grad and is itself a view (x = a.view(4).requires_grad_())
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
        raise RuntimeError(VIEW_MESSAGE.format("indexing or a view"))
    base = view._base
    while base is not None:
        if _made_under_no_grad(base):
            name = view.grad_fn.name()  # PyTorch names the op without "Backward0"
            name = name[:name.find("Backward")] if "Backward" in name else name
            raise RuntimeError(NO_GRAD_VIEW_MESSAGE.format(f"Output 0 of {name} is a view of a view which was"))
        if base.grad_fn is None and base._requires_grad:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
        base = base._base
    raise RuntimeError(VIEW_MESSAGE.format(view.grad_fn.name()))


def inplace(target: Tensor, fn: type, *args) -> Tensor:
    """Apply `fn` to `target` and write the result into target's own memory.

    PyTorch's rules: a leaf that requires grad may be changed in place only under no_grad (else the
    gradient of what it used to be would be lost); any other tensor takes the op's node as its new
    grad_fn; and its version counter goes up, so a backward that needs the old value fails loudly.
    """
    if fn is Sub and (_is_bool(target) or _is_bool(args[0])):
        _no_bool_subtraction(target, args[0])
    if fn in (Add, Sub, Mul, Div, IndexPut, Copy) and not isinstance(args[0], Tensor):
        args = (wrap(args[0], target),) + args[1:]
    tracking = is_grad_enabled() and (target.requires_grad or any(
        isinstance(a, Tensor) and a.requires_grad for a in args))
    if tracking:
        if target._base is not None:
            _refuse_view_change(target)
        if target.is_leaf and target.requires_grad:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        before = Tensor._make(target._data.copy(), requires_grad=target.requires_grad)
        before.grad_fn = target.grad_fn  # the old value, with the old history
        out = fn.apply(before, *args)
    else:
        with no_grad():
            out = fn.apply(target, *args)
    store(target, out)
    if tracking and out.grad_fn is not None:  # (an integer or bool result is never tracked)
        target.grad_fn = out.grad_fn
        target._requires_grad = True
        out.grad_fn._output = weakref.ref(target)
    return target


def store(target: Tensor, out: Tensor) -> Tensor:
    """Write an in-place op's result `out` into target's memory, after PyTorch's checks; bump its version."""
    if out.dtype is not target.dtype and out.dtype._category > target.dtype._category:
        raise RuntimeError(f"result type {TORCH_TYPE_NAMES[out.dtype.name]} can't be cast to the desired output "
                           f"type {TORCH_TYPE_NAMES[target.dtype.name]}")
    if out.shape != target.shape:
        raise RuntimeError(f"output with shape {list(target.shape)} doesn't match the broadcast shape {list(out.shape)}")
    strides = target._data.strides
    if 0 in strides and target._data.size and any(st == 0 and n > 1 for st, n in zip(strides, target._data.shape)):
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a single "
                           "memory location. Please clone() the tensor before performing the operation.")
    target._data[...] = out._data  # write through: views of target (and its base) see the change
    target._bump_version()
    return target


def inplace_bitwise(target: Tensor, np_fn, kernel: str, other) -> Tensor:
    """x &= y, x |= y, x ^= y: the result must fit x's dtype (checked first, as PyTorch does)."""
    other = wrap(other, target)
    dt = result_type(target, other)
    if dt._category > target.dtype._category:
        raise RuntimeError(f"result type {TORCH_TYPE_NAMES[dt.name]} can't be cast to the desired output type "
                           f"{TORCH_TYPE_NAMES[target.dtype.name]}")
    return store(target, bitwise(np_fn, kernel, target, other))


def inplace_rounding(target: Tensor, fn: type, kernel: str, other) -> Tensor:
    """x //= y, x %= y: refused for bools, as the out-of-place forms are."""
    if _rounding_dtype(target, other) is _dtype.bool_:
        raise not_implemented(kernel, _dtype.bool_)
    return inplace(target, fn, other)
