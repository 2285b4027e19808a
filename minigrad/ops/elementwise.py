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
from typing import Callable

import numpy as np

from .. import _dtype
from .._dtype import result_type
from ..tensor import Tensor
from ._dtypes import _BOOL, _floating, _is_bool, not_implemented, refuse_overflow, TORCH_TYPE_NAMES
from ..autograd.engine import may_overwrite
from ..autograd.function import _NODE_CLASSES, _new, _SavedResult, BackwardNode, finish_recording, tracked_input
from ..autograd.grad_mode import _state as _grad_mode
from ._op import Op
from ._ieee import _ieee
from ._inplace import inplace_variant, store
from ._messages import broadcast_message
from ._operands import _binary, _operands, _values, wrap
from .._registry import add_method, tensor_method


def _with_number(x: Tensor, number) -> "_dtype.dtype":
    """The result dtype of an op on a tensor and a Python number (x ** 2, 1 - x), as PyTorch promotes it."""
    return result_type(x, wrap(number))


def zero_gradient(grad: Tensor) -> Tensor:
    """The gradient for an input whose derivative is 0 everywhere: zeros, as PyTorch's zeros_like(grad),
    not grad * 0 (nan where grad is inf or nan)."""
    return Tensor._make(np.zeros_like(grad._data))


def _no_bool_subtraction(a, b) -> None:
    """PyTorch refuses `-` with a bool tensor or a bool (it would mean neither xor nor not)."""
    bools = [_is_bool(a), _is_bool(b)]
    if all(bools):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    if any(bools):
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")


# ============================================================== binary: z = f(x, y), x and y broadcast
class BinaryElementwise(Op, family=True):
    """Base of the ops z = f(x, y) computed element by element, x and y broadcast against each other.

    Both arguments are tensors (a Python number operand is wrapped as a 0-dim tensor first: see
    _operands.wrap), so the result's dtype is their promotion. A subclass gives its NumPy function as
    `numpy` (or a forward of its own, to save what its backward needs) and a backward returning one
    gradient per input, grad times dz/dx and grad times dz/dy; the engine sums each back to its input's shape.
    """

    numpy: Callable
    elementwise = True
    result_dtype = staticmethod(result_type)  # both arguments are tensors: no filtering needed

    @classmethod
    def forward(cls, ctx, x, y):
        return cls.numpy(x._data, y._data)


class Add(BinaryElementwise):
    """z = x + y.   dz/dx = 1,  dz/dy = 1."""
    numpy = np.add
    numbers_directly = True
    formula = "z = a + b:  dz/da = 1,  dz/db = 1"

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(BinaryElementwise):
    """z = x - y.   dz/dx = 1,  dz/dy = -1."""
    numpy = np.subtract
    numbers_directly = True
    array_backward = True
    formula = "z = a - b:  dz/da = 1,  dz/db = -1"

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad


class Rsub(Op):
    """z = c - x for a number c (as in `1 - x`).   dz/dx = -1."""
    node_name = "RsubBackward1"
    formula = "z = c - a:  dz/da = -1"
    elementwise = True

    result_dtype = staticmethod(_with_number)

    @staticmethod
    def forward(ctx, x, c):
        return c - x._data

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Mul(BinaryElementwise):
    """z = x * y.   dz/dx = y,  dz/dy = x."""
    numpy = np.multiply  # (for x * 2: see Function._apply_number; forward below saves what backward needs)
    numbers_directly = saves_number = True
    array_backward = True
    formula = "z = a * b:  dz/da = b,  dz/db = a"

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


class Div(BinaryElementwise):
    """z = x / y.   dz/dx = 1/y,  dz/dy = -x/y**2."""
    array_backward = True
    formula = "z = a / b:  dz/da = 1/b,  dz/db = -a/b**2"
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


def _beyond_float32(n) -> bool:
    """Would NumPy change this exponent by computing in float32? An exponent too small (1e-300 becomes 0:
    (-2) ** 1e-300 is nan, not 1) or an integer too big to keep its parity (2**31 - 1 becomes 2**31:
    (-2) ** (2**31 - 1) is -inf, not inf). Such exponents are rare: the common ones stay in float32."""
    if isinstance(n, float):
        return 0.0 < abs(n) < 7.1e-46 or (16777216.0 < abs(n) < math.inf and n.is_integer())
    return isinstance(n, int) and abs(n) > 16777216


class Pow(Op):
    """z = x**n for a number n.   dz/dx = n * x**(n-1)."""
    formula = "z = a**n:  dz/da = n * a**(n-1)"
    elementwise = True

    result_dtype = staticmethod(_with_number)

    @staticmethod
    def forward(ctx, x, n):
        ctx.save_for_backward(x)
        ctx.n = n
        a = x._data
        if a.dtype == np.float32 and _beyond_float32(n):
            a = a.astype(np.float64)  # computed with the exponent as it is, as PyTorch does, then rounded
        with _ieee():  # 0**-1 = inf, (-8)**0.5 = nan, silently as in PyTorch
            return (a ** n).astype(x._data.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        if ctx.n == 0:  # (x ** 0 = 1 everywhere)
            return zero_gradient(grad)
        return grad * ctx.n * x ** (ctx.n - 1)


class PowTensor(BinaryElementwise):
    """z = x**y for tensors.   dz/dx = y * x**(y-1)  (0 where y = 0),
    dz/dy = x**y * ln(x)  (0 where x = 0, y >= 0)."""
    formula = "z = a**b:  dz/da = b * a**(b-1),  dz/db = a**b * ln(a)"
    elementwise = True
    node_name = "PowBackward1"
    result_dtype = staticmethod(result_type)  # both arguments are tensors: no filtering needed

    @staticmethod
    def forward(ctx, x, y):
        with _ieee():  # 0**-1 = inf, (-8)**0.5 = nan, silently as in PyTorch
            z = Tensor._make(np.asarray(x._data ** y._data))  # (0-dim ** 0-dim is a NumPy scalar)
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
    formula = "z = c**a:  dz/da = c**a * ln(c)"
    elementwise = True
    node_name = "PowBackward2"

    result_dtype = staticmethod(_with_number)

    @staticmethod
    def forward(ctx, x, c):
        ctx.c = c
        with _ieee():  # 0**-1 = inf, (-8)**0.5 = nan, silently as in PyTorch
            z = Tensor._make(np.asarray(np.power(c, x._data)))  # (of a 0-dim x: a NumPy scalar)
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


# ============================================================== unary: z = f(x), one element at a time
class UnaryElementwise(Op, family=True):
    """Base of the ops z = f(x) computed element by element: an op is its NumPy function and its
    derivative. A subclass gives

      numpy      the NumPy function computing f on an array (np.exp)
      gradient   gradient(grad, saved) = grad times dz/dx, from the tensor it saved (a staticmethod)
      saves      what that tensor is: "input" (x), "output" (z, when dz/dx is simplest in z), or None
      quiet      True where f makes inf or nan from finite input (log(0)): silently, as in PyTorch
      method     its Tensor method's name; also minigrad.<method>(x) and the in-place x.<method>_()

    As in PyTorch, an integer or bool tensor gives a float32 result (computed in float64, rounded once).
    """

    numpy: Callable
    saves: "str | None" = "input"
    quiet = False
    method: "str | None" = None
    elementwise = True
    result_dtype = staticmethod(_floating)

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if cls.saves == "output":  # apply saves the output (see Function.saves_result)
            cls.saves_result = True
        if cls.method:
            method = _floating_method(cls)
            add_method(cls.method, method, function=True)
            add_method(cls.method + "_", inplace_variant(method, cls.method + "_"))  # x.exp_()

    @classmethod
    def forward(cls, ctx, x):
        if cls.quiet:
            with _ieee():
                out = cls.numpy(x._data)
        else:
            out = cls.numpy(x._data)
        if cls.saves == "input":  # ("output": apply saves the result, as PyTorch keeps it)
            ctx.save_for_backward(x)
        return out

    @classmethod
    def backward(cls, ctx, grad):
        saved = ctx.saved_tensors
        return cls.gradient(grad, saved[0] if saved else None)


def _floating_method(op: type) -> Callable:
    """x.<op.method>(): the op on a float tensor; an integer or bool tensor goes through float64 to a
    float32 result, as PyTorch computes it (NumPy alone would use float16 for a bool: exp(True) = 2.719)."""
    apply = op.apply

    def method(self: Tensor) -> Tensor:
        if self._data.dtype.kind == "f":
            return apply(self)
        return apply(self.double()).float()  # (no graph: integer tensors never require grad)

    method.__name__ = method.__qualname__ = op.method
    method.__doc__ = op.__doc__.splitlines()[0]
    return method


class Exp(UnaryElementwise):
    """z = e**x.   dz/dx = e**x = z."""
    numpy, saves, quiet, method = np.exp, "output", True, "exp"  # e**1000 = inf
    formula = "z = exp(a):  dz/da = exp(a)"

    @staticmethod
    def gradient(grad, z):
        return grad * z


class Expm1(UnaryElementwise):
    """z = e**x - 1 (exact for small x, where exp(x) - 1 loses digits).   dz/dx = e**x = z + 1."""
    numpy, saves, quiet, method = np.expm1, "output", True, "expm1"
    formula = "z = exp(a) - 1:  dz/da = exp(a) = z + 1"

    @staticmethod
    def gradient(grad, z):
        return grad * (z + 1)


class Log(UnaryElementwise):
    """z = ln(x).   dz/dx = 1/x."""
    numpy, quiet, method = np.log, True, "log"  # log(0) = -inf, log(-1) = nan
    formula = "z = ln(a):  dz/da = 1/a"

    @staticmethod
    def gradient(grad, x):
        return grad / x


class Log1p(UnaryElementwise):
    """z = ln(1 + x) (exact for small x, where log(1 + x) loses digits).   dz/dx = 1 / (1 + x)."""
    numpy, quiet, method = np.log1p, True, "log1p"  # log1p(-1) = -inf, log1p(-2) = nan
    node_name = "Log1PBackward0"  # PyTorch's spelling (a capital P)
    formula = "z = ln(1 + a):  dz/da = 1 / (1 + a)"

    @staticmethod
    def gradient(grad, x):
        return grad / (x + 1)


class Sqrt(UnaryElementwise):
    """z = sqrt(x).   dz/dx = 1 / (2 sqrt(x)) = 1 / (2 z)."""
    numpy, saves, quiet, method = np.sqrt, "output", True, "sqrt"  # sqrt(-1) = nan
    formula = "z = sqrt(a):  dz/da = 1 / (2 sqrt(a))"

    @staticmethod
    def gradient(grad, z):
        return grad / (2 * z)


class Sin(UnaryElementwise):
    """z = sin(x).   dz/dx = cos(x)."""
    numpy, method = np.sin, "sin"
    formula = "z = sin(a):  dz/da = cos(a)"

    @staticmethod
    def gradient(grad, x):
        return grad * x.cos()


class Cos(UnaryElementwise):
    """z = cos(x).   dz/dx = -sin(x)."""
    numpy, method = np.cos, "cos"
    formula = "z = cos(a):  dz/da = -sin(a)"

    @staticmethod
    def gradient(grad, x):
        return -grad * x.sin()


class Tanh(UnaryElementwise):
    """z = tanh(x).   dz/dx = 1 - tanh(x)**2 = 1 - z**2."""
    numpy, saves, method = np.tanh, "output", "tanh"
    formula = "z = tanh(a):  dz/da = 1 - z**2"

    @staticmethod
    def gradient(grad, z):
        return grad * (1 - z * z)


def _sigmoid(a: np.ndarray) -> np.ndarray:
    # Written so that neither branch overflows: e**-x for x >= 0, e**x for x < 0.
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


class Sigmoid(UnaryElementwise):
    """z = s(x) = 1 / (1 + e**-x).   dz/dx = s(x) * (1 - s(x)) = z (1 - z)."""
    numpy, saves, method = staticmethod(_sigmoid), "output", "sigmoid"
    formula = "z = sigmoid(a):  dz/da = z * (1 - z)"

    @staticmethod
    def gradient(grad, z):
        return grad * z * (1 - z)


class Reciprocal(UnaryElementwise):
    """z = 1/x.   dz/dx = -1/x**2 = -z**2."""
    numpy, saves, quiet, method = np.reciprocal, "output", True, "reciprocal"  # 1/0 = inf
    formula = "z = 1/a:  dz/da = -1/a**2"

    @staticmethod
    def gradient(grad, z):
        return -grad * (z * z)


# The next four keep an integer input's dtype, and each refuses bools in PyTorch's own way: their
# methods are written out below.
_input_dtype = staticmethod(Op.result_dtype)  # None: the dtype NumPy's result has, the input's


class Neg(UnaryElementwise):
    """z = -x.   dz/dx = -1."""
    numpy, saves, result_dtype = np.negative, None, _input_dtype
    formula = "z = -a:  dz/da = -1"

    @staticmethod
    def gradient(grad, _):
        return -grad


class Abs(UnaryElementwise):
    """z = |x|.   dz/dx = sign(x)  (0 at x = 0, as PyTorch chooses)."""
    numpy, result_dtype = np.abs, _input_dtype
    formula = "z = |a|:  dz/da = sign(a)"

    @staticmethod
    def gradient(grad, x):
        return grad * x.sign()


def _sign(a: np.ndarray) -> np.ndarray:
    # PyTorch's sign of nan is 0 (NumPy's is nan); abs's gradient, grad * sign(x), is then 0 there too
    return np.where(np.isnan(a), a.dtype.type(0), np.sign(a)) if a.dtype.kind == "f" else np.sign(a)


class Sign(UnaryElementwise):
    """z = sign(x) in {-1, 0, 1} (0 for nan, as in PyTorch).   dz/dx = 0."""
    numpy, saves, result_dtype, elementwise = staticmethod(_sign), None, _input_dtype, False

    @staticmethod
    def gradient(grad, _):
        return zero_gradient(grad)


# A float's bits read as an unsigned integer of its size: relu's gradient chooses by multiplying them.
# (dtype objects: a view to one is quicker than to a type, which NumPy converts every time)
_BITS = {np.dtype(np.float32): np.dtype(np.uint32), np.dtype(np.float64): np.dtype(np.uint64)}
# Zero as a 0-dim array of each float dtype, to compare with: NumPy takes it about 0.3 us quicker than the
# Python number 0, which it must first fit to the array's dtype (the comparison's result is the same).
_ZEROS = {dtype: np.zeros((), dtype) for dtype in _BITS}


def _relu_choose(grad: np.ndarray, z: np.ndarray, in_place: bool = False) -> np.ndarray:
    """grad where relu's output z is not 0, else +0.0, as PyTorch's threshold_backward chooses
    (`where(z <= 0, 0, grad)`; z is never negative, and nan passes).

    Chosen, not multiplied: grad * (z != 0) would give 0 * inf = nan where the unit is off and the
    gradient is inf or nan, PyTorch 0. np.where chooses but branches on every element (on 256x256
    float32, about 10x the product). So the gradient's bits, read as unsigned integers, are multiplied
    by the 0/1 mask: bits * 1 are the same number, bits * 0 are +0.0, exactly, at the product's speed.
    in_place: write into grad (the engine lent it: see engine.may_overwrite) and return it.
    """
    bits, on = grad.view(_BITS[grad.dtype]), z != _ZEROS.get(z.dtype, 0)
    if in_place:
        np.multiply(bits, on, out=bits)
        return grad
    return np.asarray(np.multiply(bits, on)).view(grad.dtype)  # (asarray: 0-dim gives a NumPy scalar)


class _ReluNode(BackwardNode):
    """ReluBackward0's node. Without create_graph, when the gradient has relu's output's shape and dtype
    and the output is unchanged since forward, the choice (Relu.gradient's) is made directly, into the
    gradient if the engine lent it: what the general path (BackwardNode.__call__) gives, without its
    checks, which cannot fail here. Anything else goes the general way (which raises where it should)."""

    def __call__(self, grad, *more) -> tuple:
        saved = self._saved
        if not more and grad.__class__ is Tensor and not _grad_mode.enabled and len(saved) == 1:
            z, g = saved[0], grad._data
            if (z.__class__ is _SavedResult and z.versions.value == z.version and g.dtype is z.data.dtype
                    and g.shape == z.data.shape and self._input_meta is None):
                return (Tensor._make(_relu_choose(g, z.data, in_place=may_overwrite(g))),)
        return BackwardNode.__call__(self, grad, *more)


class Relu(UnaryElementwise):
    """z = max(x, 0).   dz/dx = 1 where x > 0 (that is, where z > 0), else 0.

    As PyTorch's threshold_backward, the gradient is chosen, not multiplied by a mask: it passes where
    z != 0 (z is never negative: where x is nan, z is nan and the gradient passes) and is 0 elsewhere,
    even where it is inf or nan (a product would give 0 * inf = nan there)."""
    saves, result_dtype = "output", _input_dtype
    formula = "z = relu(a):  dz/da = 1 where a > 0, else 0"
    array_backward = True  # without create_graph, gradient() gets bare arrays (see below)
    hands_over_gradients = overwrites_gradient = True  # (see Function: a gradient nobody else holds is reused)
    node_base = _ReluNode
    ctx_arrays = ()  # (its output is saved with save_for_backward; nothing else: see Function.ctx_arrays)

    @classmethod
    def apply(cls, x):
        """Recorded. In a network's usual case (x its node's own output, grad mode on, no graph observer:
        see function.tracked_input), the node Function.apply would record is made here directly: the same
        result, node, edge and saved output. Anything else goes the general way."""
        node_x = tracked_input(x) if cls is Relu else None  # (a subclass of yours: the general way)
        if node_x is None:
            return super().apply(x)
        node = _new(_NODE_CLASSES.get(cls) or cls._make_node_class())
        node.needs_input_grad = (True,)
        result = Tensor._make(cls.numpy(x._data))
        node._saved = (_SavedResult(result),)  # (its output, as apply saves it: saves_result)
        return finish_recording(node, result, ((node_x, 0),))  # (one input, of the result's shape and dtype)

    @staticmethod
    def numpy(a):
        bits = _BITS.get(a.dtype)
        if bits is None:  # (integers)
            return np.maximum(0, a)
        # A float's bits times 0 or 1 (1 unless a < 0), as relu's backward chooses: exactly np.maximum(0, a),
        # nan (and its payload) and -0.0 kept, as PyTorch keeps them, in four fifths of maximum's time
        # (NumPy's float maximum checks every element for nan: 27 against 21 us for 256x256 float32).
        return np.asarray(np.multiply(a.view(bits), ~(a < _ZEROS[a.dtype]))).view(a.dtype)  # (asarray: 0-dim gives a scalar)

    @staticmethod
    def gradient(grad, z):
        if grad.__class__ is np.ndarray:
            # No create_graph: nothing differentiates this choice. It goes into grad itself when the
            # engine says nobody else holds it: no new array at all.
            return _relu_choose(grad, z, in_place=may_overwrite(grad))
        return ReluGradient.apply(grad, z)  # the choice as a node, so a second derivative reaches x


class ReluGradient(Op):
    """g = grad where z != 0, else 0, for z relu's output: relu's backward, recorded under create_graph
    (PyTorch's threshold_backward, whose node is ThresholdBackwardBackward0).
    dg/dgrad = the same choice;  dg/dz = 0 (flat on both sides of the kink).

    A node rather than a choice made with a constant mask: with create_graph=True relu's gradient then
    stays connected to x, and its second derivative is 0, as PyTorch gives, instead of an error that
    nothing requires grad."""
    node_name = "ThresholdBackwardBackward0"
    formula = "g = grad where z != 0, else 0:  dg/dgrad = the same choice,  dg/dz = 0"
    result_dtype = staticmethod(lambda grad, z: grad.dtype)

    @staticmethod
    def forward(ctx, grad, z):
        ctx.save_for_backward(z)
        return _relu_choose(grad._data, z._data)

    @staticmethod
    def backward(ctx, gg):
        (z,) = ctx.saved_tensors
        return (ReluGradient.apply(gg, z) if ctx.needs_input_grad[0] else None,
                zero_gradient(gg) if ctx.needs_input_grad[1] else None)


@tensor_method("neg", "__neg__", function=True)
def neg(x: Tensor) -> Tensor:
    """-x, elementwise (refused for bools: use ~ to invert a mask)."""
    if x._data.dtype is _BOOL:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` operator instead.")
    return Neg.apply(x)


@tensor_method("abs", "__abs__", function=True)
def absolute(x: Tensor) -> Tensor:
    """|x|, elementwise."""
    if x._data.dtype is _BOOL:
        raise not_implemented("abs_cpu", x.dtype)
    return Abs.apply(x)


@tensor_method("sign", function=True)
def sign(x: Tensor) -> Tensor:
    """-1, 0 or 1, elementwise, as x is negative, zero or positive."""
    return Sign.apply(x) if x._data.dtype is not _BOOL else x.clone()  # a bool is its own sign


@tensor_method("relu", function=True)
def relu(x: Tensor) -> Tensor:
    """max(x, 0), elementwise."""
    if x._data.dtype is _BOOL:
        raise RuntimeError("Boolean inputs not supported for relu")
    return Relu.apply(x)


@tensor_method("__pos__")
def positive(x: Tensor) -> Tensor:
    """+x: x itself (refused for bools, as in PyTorch)."""
    if x._data.dtype is _BOOL:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return x


class Clamp(Op):
    """z = min(max(x, lo), hi).   dz/dx = 1 where lo <= x <= hi, else 0."""
    formula = "z = clamp(a):  dz/da = 1 inside the bounds, else 0"
    elementwise = True
    node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        z = x._data
        if z.dtype.kind != "f":
            return np.clip(z, lo, hi)
        # As PyTorch: an element is replaced only where it is beyond a bound, so x equal to a bound stays
        # itself (clamp(-0.0, min=0) is -0.0, as PyTorch prints it; np.clip would give 0.0); nan stays nan.
        for bound, beyond in ((lo, np.less), (hi, np.greater)):
            if bound is not None:
                # (a nan bound makes every element nan, as in PyTorch)
                z = np.where(beyond(z, bound) | (bound != bound), z.dtype.type(bound), z)
        return z

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        inside = x == x  # all True, then narrowed by each bound that is given
        if ctx.lo is not None:
            inside = inside & (x >= ctx.lo)
        if ctx.hi is not None:
            inside = inside & (x <= ctx.hi)
        # a choice, not a product, as in PyTorch: an inf or nan gradient outside the bounds gives 0 there, not nan
        return where(inside, grad, 0.0)


class ClampTensor(Op):
    """z = min(max(x, lo), hi) with tensor bounds (broadcast against x; a missing bound is +-inf).
    dz/dx = 1 where lo <= x <= hi; dz/dlo = 1 where x < lo < hi; dz/dhi = 1 where x > hi or lo > hi;
    0 elsewhere (PyTorch's split of the gradient, also where the bounds cross)."""
    formula = "z = clamp(a, lo, hi):  dz/da = 1 inside,  dz/dlo = 1 below lo,  dz/dhi = 1 above hi"
    node_name = "ClampBackward0"

    @staticmethod
    def result_dtype(x, lo, hi):
        return result_type(x, lo, hi)

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x, lo, hi)
        return np.minimum(np.maximum(x._data, lo._data), hi._data)

    @staticmethod
    def backward(ctx, grad):
        x, lo, hi = ctx.saved_tensors
        # lo > hi: z is hi everywhere, and hi takes the gradient; lo == hi: z is that value, and a
        # gradient goes to x where x equals it, to hi where x is above, to nobody below (PyTorch's split)
        # (choices, not products: an inf or nan gradient gives 0 where a part gets none, as in PyTorch)
        return (where((x >= lo) & (x <= hi), grad, 0.0), where((x < lo) & (lo < hi), grad, 0.0),
                where((x > hi) | (lo > hi), grad, 0.0))


def _missing_bound(x: Tensor, upper: bool) -> Tensor:
    """The bound clamp() was not given, as a 0-dim tensor of x's dtype that never binds (+-inf, or the
    integer extremes): so the node has PyTorch's three edges, (None, 0) for it."""
    kind = x._data.dtype.kind
    if kind == "f":
        value = np.inf if upper else -np.inf
    elif kind == "b":
        value = upper  # max(x, False) and min(x, True) are x
    else:
        value = np.iinfo(x._data.dtype).max if upper else np.iinfo(x._data.dtype).min
    return Tensor._make(np.asarray(value, dtype=x._data.dtype))


class Where(Op):
    """z = x where cond, else y.   dz/dx = 1 where cond, dz/dy = 1 where not cond (0 elsewhere).

    Its backward chooses as PyTorch's does (grad where cond, else 0), rather than multiplying by the
    mask: an inf or nan gradient stays 0 on the other side (0 * inf would be nan)."""

    @staticmethod
    def result_dtype(cond, x, y):
        return result_type(x, y)

    @staticmethod
    def forward(ctx, cond, x, y):
        ctx.cond = cond
        return np.where(cond, x._data, y._data)

    @staticmethod
    def backward(ctx, grad):
        needs = ctx.needs_input_grad
        return (where(ctx.cond, grad, 0.0) if needs[1] else None,
                where(ctx.cond, 0.0, grad) if needs[2] else None)


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

    A node rather than a constant, as ReluGradient is for relu: with create_graph=True the first derivative
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


class Maximum(BinaryElementwise):
    """z = max(x, y), elementwise.   dz/dx = 1 where x > y, 0 where x < y, and 1/2 where they tie
    (the gradient is shared, as PyTorch does);   dz/dy = 1 - dz/dx."""
    numpy = np.maximum
    formula = "z = max(a, b):  dz/da = 1 where a > b, 1/2 where a = b, else 0;  dz/db = 1 - dz/da"

    @staticmethod
    def loses(x, y):
        return x < y

    @classmethod
    def forward(cls, ctx, x, y):
        ctx.save_for_backward(x, y)
        return cls.numpy(x._data, y._data)

    @classmethod
    def backward(cls, ctx, grad):
        # Each side gets the gradient unless it lost (half of it on a tie): where one is nan, the result
        # is nan and neither lost, so both get it, as in PyTorch. Chosen, not multiplied by a mask: an inf
        # gradient gives the losing side 0, not nan.
        x, y = ctx.saved_tensors
        shared = where(x == y, grad * 0.5, grad)
        return where(cls.loses(x, y), 0.0, shared), where(cls.loses(y, x), 0.0, shared)


class Minimum(Maximum):
    """z = min(x, y), elementwise.   dz/dx = 1 where x < y, 0 where x > y, 1/2 where they tie;   dz/dy = 1 - dz/dx."""
    numpy = np.minimum
    formula = "z = min(a, b):  dz/da = 1 where a < b, 1/2 where a = b, else 0;  dz/db = 1 - dz/da"

    @staticmethod
    def loses(x, y):
        return x > y


# ============================================================== the functions: x + y, x.add(y), minigrad.add(x, y)
@tensor_method("__add__", "__radd__")  # 2 + x is add(x, 2) in PyTorch: x's edge first
def add(x, other) -> Tensor:
    """x + other, elementwise (shapes broadcast; a Python number is allowed)."""
    return _binary(Add, x, other)


@tensor_method("__sub__")
def sub(x, other) -> Tensor:
    """x - other, elementwise (refused for bools, as in PyTorch)."""
    if _is_bool(x) or _is_bool(other):
        _operands(x, other)  # a list or a string is refused first (TypeError), as in PyTorch
        _no_bool_subtraction(x, other)
    return _binary(Sub, x, other)


@tensor_method("__rsub__")
def rsub(x, other) -> Tensor:
    """other - x, for `number - tensor`."""
    if isinstance(other, Number) and not _is_bool(other) and x._data.dtype is not _BOOL:
        return Rsub.apply(x, other)
    return sub(other, x)


@tensor_method("add", function=True)
def add_scaled(x, other, *, alpha=1) -> Tensor:
    """x + alpha * other (alpha 1 by default), elementwise."""
    return add(x, other) if alpha == 1 else add_alpha(x, other, alpha)


@tensor_method("sub", function=True)
def sub_scaled(x, other, *, alpha=1) -> Tensor:
    """x - alpha * other (alpha 1 by default), elementwise."""
    return sub(x, other) if alpha == 1 else add_alpha(x, other, alpha, subtract=True)


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


@tensor_method("__mul__", "__rmul__", "mul", function=True)  # (2 * x is mul(x, 2), as for add)
def mul(x, other) -> Tensor:
    """x * other, elementwise (shapes broadcast)."""
    return _binary(Mul, x, other)


@tensor_method("__truediv__", "div", function=True)
def div(x, other) -> Tensor:
    """x / other, elementwise: true division (an integer tensor gives float32)."""
    return _binary(Div, x, other)


@tensor_method("__rtruediv__")
def rdiv(x, other) -> Tensor:
    """other / x, for `number / tensor`: PyTorch computes it as reciprocal(x) * other."""
    return x.reciprocal() * other


@tensor_method("__pow__", "pow", function=True)
def pow(x, exponent) -> Tensor:  # noqa: A001 - the name PyTorch uses
    """x ** exponent, elementwise (a number or a tensor exponent)."""
    if isinstance(exponent, Number):
        if x._data.dtype.kind != "f":  # (rare: integer or bool base)
            dt = result_type(x, wrap(exponent))
            if dt is _dtype.bool_:  # bool ** True is the bool itself, bool ** False all True
                return Tensor._make(x._data | (not exponent))
            if not dt.is_floating_point:
                if isinstance(exponent, (int, np.integer)) and exponent < 0:
                    raise RuntimeError("Integers to negative integer powers are not allowed.")
                return _integer_power(x, wrap(exponent), dt)
            x = x.to(dt)  # computed in the result's dtype (NumPy would use float16 for bool ** 0.5)
        return Pow.apply(x, exponent)
    x, exponent = _operands(x, exponent)
    if x._data.dtype.kind != "f" and exponent._data.dtype.kind != "f":
        return _integer_power(x, exponent, result_type(x, exponent))
    return _binary(PowTensor, x, exponent)


@tensor_method("__rpow__")
def rpow(x, base) -> Tensor:
    """base ** x, for `number ** tensor`."""
    if isinstance(base, Number) and x._data.dtype.kind == "f":
        return RPow.apply(x, base)
    if isinstance(base, Number) and isinstance(base, (float, np.floating)):
        return RPow.apply(x.to(result_type(x, wrap(base))), base)  # an integer tensor: computed in float32
    return pow(wrap(base, x) if not isinstance(base, Tensor) else base, x)


@tensor_method("square", function=True)
def square(x) -> Tensor:
    """x ** 2, elementwise."""
    return pow(x, 2)


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


@tensor_method("clamp", "clip", function=True)
def clamp(x: Tensor, min=None, max=None) -> Tensor:  # noqa: A002 - PyTorch's argument names
    """x limited to [min, max], elementwise (either bound may be left out, not both)."""
    lo, hi = min, max
    if lo is None and hi is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if all(b is None or isinstance(b, Tensor) for b in (lo, hi)):  # PyTorch's tensor overload: ClampBackward0
        return _clamp_tensors(x, lo, hi)
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
    for bound in bounds:
        refuse_overflow(x, bound)
    return Clamp.apply(x, *bounds)


def _clamp_tensors(x: Tensor, lo, hi) -> Tensor:
    for b in (lo, hi):
        if b is not None:
            try:
                np.broadcast_shapes(x.shape, b.shape)
            except ValueError:
                raise RuntimeError(broadcast_message(tuple(x.shape), tuple(b.shape))) from None
    return ClampTensor.apply(x, lo if lo is not None else _missing_bound(x, False),
                             hi if hi is not None else _missing_bound(x, True))


def _both_tensors(name: str, a, b) -> None:
    if not isinstance(b, Tensor):
        raise TypeError(f"{name}(): argument 'other' (position 1) must be Tensor, not {type(b).__name__}")


@tensor_method("maximum", function=True)
def maximum(x, other) -> Tensor:
    """max(x, other), elementwise (tensors broadcast; both must be tensors, as in PyTorch)."""
    _both_tensors("maximum", x, other)
    return _binary(Maximum, x, other)


@tensor_method("minimum", function=True)
def minimum(x, other) -> Tensor:
    """min(x, other), elementwise (tensors broadcast; both must be tensors, as in PyTorch)."""
    _both_tensors("minimum", x, other)
    return _binary(Minimum, x, other)


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


# ============================================================== rounding division: x // y, x % y, fmod
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


@tensor_method("__floordiv__", "floor_divide", function=True)
def floor_divide(x, other) -> Tensor:
    """floor(x / other), elementwise: x // other (integers stay integers)."""
    return _rounding(FloorDivide, "div_floor_cpu", x, other)


@tensor_method("__mod__", "remainder", function=True)
def remainder(x, other) -> Tensor:
    """x - floor(x / other) * other: x % other, with the sign of other (Python's %)."""
    return _rounding(Remainder, "remainder_cpu", x, other)


@tensor_method("fmod", function=True)
def fmod(x, other) -> Tensor:
    """x - trunc(x / other) * other, with the sign of x (C's fmod)."""
    return _rounding(Fmod, "fmod_cpu", x, other)


@tensor_method("__rfloordiv__")
def rfloordiv(x, other) -> Tensor:
    """other // x, for `number // tensor`."""
    return floor_divide(other, x)


@tensor_method("__rmod__")
def rmod(x, other) -> Tensor:
    """other % x, for `number % tensor`."""
    return remainder(other, x)


# ============================================================== no graph: comparisons, bitwise and logical ops
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


def logical(np_fn, a, b) -> Tensor:
    """logical_and / or / xor: a bool tensor, where nonzero counts as True; no graph."""
    if not isinstance(b, Tensor):  # (PyTorch takes no number here)
        raise TypeError(f"{np_fn.__name__}(): argument 'other' (position 1) must be Tensor, not {type(b).__name__}")
    a, b = _operands(a, b)
    try:
        return Tensor._make(np_fn(a._data, b._data))
    except ValueError:
        raise RuntimeError(broadcast_message(a.shape, b.shape)) from None


def _no_graph_method(combine: Callable, np_fn, *args, reverse: bool = False) -> Callable:
    """x.<name>(other): combine(np_fn, *args, x, other) (other, x when reverse), as one small function."""
    if reverse:
        return lambda x, other: combine(np_fn, *args, other, x)
    return lambda x, other: combine(np_fn, *args, x, other)


for _names, _np_fn in ((("__eq__", "eq"), np.equal), (("__ne__", "ne"), np.not_equal), (("__lt__", "lt"), np.less),
                       (("__le__", "le"), np.less_equal), (("__gt__", "gt"), np.greater),
                       (("__ge__", "ge"), np.greater_equal)):
    tensor_method(*_names, function=True)(_no_graph_method(compare, _np_fn))
# &, |, ^: bitwise on integers, logical on bools (refused on floats, as in PyTorch).
for _name, _np_fn in (("and", np.bitwise_and), ("or", np.bitwise_or), ("xor", np.bitwise_xor)):
    tensor_method(f"__{_name}__", f"bitwise_{_name}", function=True)(
        _no_graph_method(bitwise, _np_fn, f"bitwise_{_name}_cpu"))
    tensor_method(f"__r{_name}__")(_no_graph_method(bitwise, _np_fn, f"bitwise_{_name}_cpu", reverse=True))
    tensor_method(f"logical_{_name}", function=True)(_no_graph_method(logical, getattr(np, f"logical_{_name}")))
del _names, _name, _np_fn


@tensor_method("__invert__", "bitwise_not", function=True)
def invert(x: Tensor) -> Tensor:
    """~x: bitwise not of integers, logical not of bools."""
    if x.dtype.is_floating_point:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return Tensor._make(np.invert(x._data))


def _elementwise_test(np_fn, summary: str) -> Callable:
    """x.<name>(): np_fn on x's elements, a bool tensor outside any graph."""
    def test(x: Tensor) -> Tensor:
        return Tensor._make(np_fn(x._data))

    test.__name__ = test.__qualname__ = np_fn.__name__
    test.__doc__ = summary
    return test


# logical_not, and which elements are nan, infinite, or neither, e.g. to spot a diverging training run:
# `if not loss.isfinite(): ...`.
for _np_fn, _summary in ((np.logical_not, "not x, elementwise, where nonzero counts as True: a bool tensor."),
                         (np.isnan, "True where x is nan."), (np.isinf, "True where x is inf or -inf."),
                         (np.isfinite, "True where x is neither nan nor infinite.")):
    tensor_method(_np_fn.__name__, function=True)(_elementwise_test(_np_fn, _summary))
del _np_fn, _summary


# ============================================================== in place: x.add_(y), x += y
# Each is its out-of-place function, with all its checks, written back into x (see _inplace.inplace):
# x.clamp_(...) refuses what x.clamp(...) refuses, and computes what it computes.
for _names, _fn in ((("add_", "__iadd__"), add_scaled), (("sub_", "__isub__"), sub_scaled),
                    (("mul_", "__imul__"), mul), (("div_", "__itruediv__"), div), (("pow_", "__ipow__"), pow),
                    (("floor_divide_", "__ifloordiv__"), floor_divide), (("remainder_", "__imod__"), remainder),
                    (("fmod_",), fmod), (("clamp_",), clamp), (("clip_",), clamp), (("square_",), square),
                    (("neg_",), neg), (("abs_",), absolute), (("sign_",), sign), (("relu_",), relu)):
    tensor_method(*_names)(inplace_variant(_fn, _names[0]))
del _names, _fn


def inplace_bitwise(target: Tensor, np_fn, kernel: str, other) -> Tensor:
    """x &= y, x |= y, x ^= y: the result must fit x's dtype (checked first, as PyTorch does)."""
    other = wrap(other, target)
    dt = result_type(target, other)
    if dt._category > target.dtype._category:
        raise RuntimeError(f"result type {TORCH_TYPE_NAMES[dt.name]} can't be cast to the desired output type "
                           f"{TORCH_TYPE_NAMES[target.dtype.name]}")
    return store(target, bitwise(np_fn, kernel, target, other))


for _name, _np_fn in (("and", np.bitwise_and), ("or", np.bitwise_or), ("xor", np.bitwise_xor)):
    tensor_method(f"__i{_name}__")(
        lambda x, other, np_fn=_np_fn, kernel=f"bitwise_{_name}_cpu": inplace_bitwise(x, np_fn, kernel, other))
del _name, _np_fn
