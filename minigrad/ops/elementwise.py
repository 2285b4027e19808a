"""Elementwise operations: arithmetic, powers, exp/log and friends, rounding division, clamp,
maximum/minimum and where (differentiable), and comparisons, bitwise and logical ops (no graph).

Each Function's forward computes with NumPy; its backward states the derivative you would write by
hand, using tensor operations (so that backward can itself be differentiated). Gradients of broadcast
inputs are summed back to their shape by the engine.

>>> import minigrad
>>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
>>> y = (x * x).sum()          # Mul, then Sum
>>> y.backward()
>>> x.grad                     # d/dx sum(x*x) = 2x
tensor([2., 4.])
"""
from __future__ import annotations

import math
from numbers import Number

import numpy as np

from .. import _dtype
from .._dtype import result_type
from ..tensor import Tensor
from ._dtypes import _BOOL, _floating, _is_bool, not_implemented, TORCH_TYPE_NAMES
from ._op import Op
from ._ieee import _ieee
from ._inplace import inplace, store
from ._messages import broadcast_message
from ._operands import _binary, _operands, _values, wrap


def _no_bool_subtraction(a, b) -> None:
    """PyTorch refuses `-` with a bool tensor or a bool (it would mean neither xor nor not)."""
    bools = [_is_bool(a), _is_bool(b)]
    if all(bools):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    if any(bools):
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")


class Add(Op):
    """z = x + y.   dz/dx = 1,  dz/dy = 1."""
    wraps_numbers = True  # x.add_(2): the number becomes a tensor first
    node_name = "AddBackward0"
    result_dtype = staticmethod(result_type)  # both arguments are tensors: no filtering needed

    @staticmethod
    def forward(ctx, x, y):
        return x._data + y._data

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(Op):
    """z = x - y.   dz/dx = 1,  dz/dy = -1."""
    wraps_numbers = True  # x.add_(2): the number becomes a tensor first
    check_inplace_operands = staticmethod(_no_bool_subtraction)
    node_name = "SubBackward0"
    result_dtype = staticmethod(result_type)  # both arguments are tensors: no filtering needed

    @staticmethod
    def forward(ctx, x, y):
        return x._data - y._data

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad


class Rsub(Op):
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


class Mul(Op):
    """z = x * y.   dz/dx = y,  dz/dy = x."""
    wraps_numbers = True  # x.add_(2): the number becomes a tensor first
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


class Div(Op):
    """z = x / y.   dz/dx = 1/y,  dz/dy = -x/y**2."""
    wraps_numbers = True  # x.add_(2): the number becomes a tensor first
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


class Neg(Op):
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


class Reciprocal(Op):
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


class Pow(Op):
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


class PowTensor(Op):
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


class RPow(Op):
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
        with np.errstate(invalid="ignore"):  # ln of a negative base is nan, silently as in PyTorch
            return grad * z * float(np.log(ctx.c))


class Exp(Op):
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


class Log(Op):
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


class Sqrt(Op):
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


class Abs(Op):
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


class Sign(Op):
    """z = sign(x) in {-1, 0, 1}.   dz/dx = 0."""
    node_name = "SignBackward0"

    @staticmethod
    def forward(ctx, x):
        return np.sign(x._data)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0.0


class Sin(Op):
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


class Cos(Op):
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


class Tanh(Op):
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


class Sigmoid(Op):
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


class Relu(Op):
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


class ReluSlope(Op):
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


class Clamp(Op):
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


class Where(Op):
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


class AddAlpha(Op):
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


def _rounding_dtype(x, y):
    """The result dtype of x // y, x % y, fmod(x, y); x or y may be a Python number (PyTorch's Scalar overloads)."""
    return result_type(x if isinstance(x, Tensor) else wrap(x), y if isinstance(y, Tensor) else wrap(y))


def _integer_zero_division(x: Tensor, y) -> None:
    """PyTorch refuses an integer division by zero (NumPy would give 0 with a warning)."""
    if np.asarray(_values(x)).dtype.kind in "bi" and np.asarray(_values(y)).dtype.kind in "bi" and not np.all(_values(y)):
        raise RuntimeError("ZeroDivisionError")


class FloorDivide(Op):
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


class Remainder(Op):
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


class RoundedQuotient(Op):
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


class Fmod(Op):
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


class Maximum(Op):
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


class Minimum(Op):
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


def add(a, b) -> Tensor:
    return _binary(Add, a, b)


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
