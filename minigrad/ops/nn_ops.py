"""The ops behind minigrad.nn: linear's one-node matrix product with bias, softmax, log-softmax and the
losses (minigrad.nn.functional checks the arguments and calls these).

>>> import minigrad
>>> import minigrad.nn.functional as F
>>> x = minigrad.tensor([[2.0, 0.0, 0.0]], requires_grad=True)
>>> F.log_softmax(x, dim=1).grad_fn
<LogSoftmaxBackward0>
"""
from __future__ import annotations

import math
import weakref

import numpy as np

from .._dtype import result_type
from ..autograd.function import (_NO_EDGE, _NODE_CLASSES, _new, _SavedResult, BackwardNode, finish_recording, tracked_input,
                                 tracked_leaf)
from ..autograd.grad_mode import _state as _grad_mode
from ..tensor import Tensor
from ._op import Op
from .elementwise import zero_gradient
from .._registry import tensor_method

# x.sum() and x.max() on arrays are these ufunc reductions behind a Python wrapper (about a
# microsecond each); called directly, with the same results, in the formulas a training step runs.
_sum, _max = np.add.reduce, np.maximum.reduce


def _addmm_array_gradients(g: np.ndarray, x, m, need, bias_is_row: bool) -> tuple:
    """Addmm's three gradients on arrays (x, m: its saved arrays): G summed over the rows (or G itself,
    for a bias that is not a row: the engine sums it to its shape), G @ M^T, X^T @ G."""
    return ((_sum(g, 0) if bias_is_row else g) if need[0] else None,
            g @ m.T if need[1] else None,
            # X^T G computed as (G^T X)^T: the same numbers, laid out as W (M = W^T): see Addmm.backward
            (g.T @ x).T if need[2] else None)


class _AddmmNode(BackwardNode):
    """AddmmBackward0's node. Without create_graph, in a Linear layer's case (one dtype, a bias of one
    number per column, the saved matrices unchanged since forward) its gradients are the formula's
    arrays made tensors directly: what the general path (BackwardNode.__call__) gives, without the
    checks that cannot fail here. Anything else goes the general way (which raises where it should)."""

    def __call__(self, grad, *more) -> tuple:
        saved, meta = self._saved, self._input_meta
        if (not more and grad.__class__ is Tensor and not _grad_mode.enabled and len(saved) == 2
                and meta is not None and self.bias_is_row):
            g = grad._data
            x, m = saved
            versions = self._saved_versions or (0, 0)
            if ((x is None or (x.__class__ is Tensor and x._data.dtype is g.dtype
                               and (x._versions.value if x._versions is not None else 0) == versions[0]))
                    and (m is None or (m.__class__ is Tensor and m._data.dtype is g.dtype
                                       and (m._versions.value if m._versions is not None else 0) == versions[1]))
                    and meta[1] is g.dtype):
                db, dx, dm = _addmm_array_gradients(g, None if x is None else x._data, None if m is None else m._data,
                                                    meta[2::3], True)
                if ((db is None or db.shape == meta[0]) and (dx is None or dx.shape == meta[3])
                        and (dm is None or dm.shape == meta[6])):
                    return (db if db is None else Tensor._make(db), dx if dx is None else Tensor._make(dx),
                            dm if dm is None else Tensor._make(dm))
        return BackwardNode.__call__(self, grad, *more)


class Addmm(Op):
    """Z = b + X @ M  (b broadcast over the rows).   With G the gradient of Z:
        dZ/db: G summed over the rows,   dZ/dX: G @ M^T,   dZ/dM: X^T @ G.

    One node for the matrix product and the bias, as PyTorch records a Linear layer.
    """
    ctx_plain = ("bias_is_row",)  # (never arrays: see Function.ctx_plain)
    node_base = _AddmmNode
    ctx_arrays = ()  # (see Function.ctx_arrays)
    formula = "Z = bias + A @ B:  grad bias = G summed,  grad A = G @ B.T,  grad B = A.T @ G"
    array_backward = True  # without create_graph, backward gets bare arrays (and so do saved_tensors)
    hands_over_gradients = True  # its gradients are new arrays: a leaf may keep them, relu write into them

    @classmethod
    def apply(cls, b, x, m):
        """Recorded. In a Linear layer's usual case (one float dtype; a bias of one number per column, a leaf
        needing a gradient; M its node's own output, as W^T is; X its node's own output or a tensor needing
        no gradient; see function.tracked_input), the node Function.apply would record is made here
        directly: the same result, node, edges and fields, forward's saving done by save_for_backward
        itself. Anything else (another dtype or shape, a graph observer, no_grad) goes the general way."""
        bias, xd, md = b._data, x._data, m._data
        node_x = tracked_input(x)
        if not (cls is Addmm and bias.ndim == 1 and xd.ndim == 2 and md.ndim == 2 and bias.shape[0] == md.shape[1]
                and bias.dtype is xd.dtype is md.dtype and bias.dtype.kind == "f"
                and (node_x is not None or not x._requires_grad and not x._wrapped_number)
                and (node_m := tracked_input(m)) is not None and (leaf_b := tracked_leaf(b)) is not None):
            return super().apply(b, x, m)
        node = _new(_NODE_CLASSES.get(cls) or cls._make_node_class())
        x_grad = x._requires_grad
        node.needs_input_grad = (True, x_grad, True)
        node.save_for_backward(x, m if x_grad else None)  # (as forward saves: M only if X needs a gradient)
        product = xd @ md
        node.bias_is_row = True
        product += bias  # (forward's sum, into the fresh product)
        result = Tensor._make(product)
        if node_x is None:  # X needs no gradient: no edge, `inputs` keeps it weakly
            node._inputs = (None, weakref.ref(x), None)
        return finish_recording(node, result, ((leaf_b, 0), _NO_EDGE if node_x is None else (node_x, 0), (node_m, 0)),
                                (bias.shape, bias.dtype, True, xd.shape, xd.dtype, x_grad, md.shape, md.dtype, True))

    @staticmethod
    def forward(ctx, b, x, m):
        need = ctx.needs_input_grad
        # As PyTorch: M is kept only if X needs a gradient (dX uses M), and X only if M does.
        ctx.save_for_backward(x if need[2] else None, m if need[1] else None)
        bias, product = b._data, x._data @ m._data
        # A bias of one number per column (Linear's): its gradient is G summed over the rows, done here on arrays
        ctx.bias_is_row = bias.ndim == 1 and product.ndim == 2 and bias.shape[0] == product.shape[1]
        if bias.dtype is product.dtype and x._data.dtype is m._data.dtype:  # one dtype: NumPy's result has it too
            if ctx.bias_is_row:
                product += bias  # the product is a fresh array nobody else holds: one array made, not two
                return product
            return bias + product  # (a bias that broadcasts otherwise: NumPy's general sum)
        # Mixed dtypes: PyTorch's promotion, not NumPy's (which makes float64 of int64 and float32)
        return (bias + product).astype(result_type(b, x, m).numpy, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, m = ctx.saved_tensors
        if grad.__class__ is np.ndarray:  # no create_graph (array_backward): the same products on bare arrays
            return _addmm_array_gradients(grad, x, m, ctx.needs_input_grad, ctx.bias_is_row)
        dm = None
        if ctx.needs_input_grad[2]:
            # X^T G computed as (G^T X)^T: the same numbers, but laid out in memory so that the
            # weight's gradient (M = W^T, so dW = dM^T) comes out in W's own row-major layout,
            # which .grad and the optimizer then use without a slow transposing copy. PyTorch
            # matches a gradient's layout to its input's in the same way.
            dm = (grad.t() @ x).t()
        return (grad if ctx.needs_input_grad[0] else None,
                grad @ m.t() if ctx.needs_input_grad[1] else None,
                dm)


def _log_softmax(x: np.ndarray, dim: int) -> np.ndarray:
    # Subtracting the row's maximum first changes nothing mathematically (it cancels) but keeps
    # exp() from overflowing: the largest term becomes e**0 = 1.
    if x.size == 0:  # an empty tensor has no maximum: its log-softmax is empty too, as in PyTorch
        return x.copy()
    if x.ndim == 0:  # one number is all of its own distribution: probability 1, log-probability 0
        return np.asarray(x - x)  # (and nan for nan or an infinity, as x - max - log(sum(e**(x - max))) gives)
    if x.ndim == 2 and dim == 1 and x.shape[0] > x.shape[1]:  # rows of a few class scores (logits)
        # NumPy reduces a short last axis slowly (12 us for 256 rows of 10); over the first axis of the
        # transposed copy it is 9 elementwise maxima of whole rows (2.6 us, the copy included). The same
        # maxima, exactly: a maximum does not depend on the order it is taken in (and a tie of -0.0 and
        # 0.0 leaves no trace in the result: two terms at the top make the log-sum at least log 2).
        top = _max(np.ascontiguousarray(x.T), axis=0)[:, None]
    else:
        top = _max(x, axis=dim, keepdims=True)
    shifted = x - top
    shifted -= np.log(_sum(np.exp(shifted), axis=dim, keepdims=True))  # (in place: shifted is ours)
    # Row-major, as PyTorch's softmax returns whatever layout its input had: a later view() then works alike.
    return np.ascontiguousarray(shifted)


def _short_rows(x: np.ndarray, dim: int) -> bool:
    """Is x a batch of rows of a few numbers (a classifier's scores), reduced along each row? NumPy reduces
    such a short last axis slowly (for 256 rows of 10 float32: 12 us for the maxima, 6 us for the sums),
    and the first axis of the transposed copy quickly (about 1.4 us each, and 1 us for the copy): a few
    elementwise passes over whole rows. Sums taken so add a row's numbers one after another, not in
    NumPy's pairwise order: the last bit can differ, as it does from PyTorch's own order."""
    return x.ndim == 2 and dim == 1 and x.shape[0] > x.shape[1]


def _log_softmax_array_gradient(grad: np.ndarray, y: np.ndarray, dim: int) -> np.ndarray:
    """LogSoftmax's formula on arrays (y its output): grad - e**y * (grad summed along dim), in the one
    array e**y makes."""
    dx = np.exp(y) if y.ndim else np.exp(y, out=np.empty_like(y))  # (out=: an array, not a NumPy scalar)
    if _short_rows(grad, dim):  # (see _short_rows)
        dx *= _sum(np.ascontiguousarray(grad.T), axis=0)[:, None]
    else:
        dx *= _sum(grad, axis=dim, keepdims=True)
    return np.subtract(grad, dx, out=dx)


class _LogSoftmaxNode(BackwardNode):
    """LogSoftmaxBackward0's node. Without create_graph, when the gradient has the output's shape and dtype
    and the output is unchanged since forward, the formula on arrays directly: what the general path gives,
    without its checks, which cannot fail here. Anything else goes the general way."""

    def __call__(self, grad, *more) -> tuple:
        saved = self._saved
        if not more and grad.__class__ is Tensor and not _grad_mode.enabled and len(saved) == 1:
            y, g = saved[0], grad._data
            if (y.__class__ is _SavedResult and y.versions.value == y.version and g.dtype is y.data.dtype
                    and g.shape == y.data.shape and self._input_meta is not None and self._input_meta[1] is g.dtype):
                return (Tensor._make(_log_softmax_array_gradient(g, y.data, self.dim)),)
        return BackwardNode.__call__(self, grad, *more)


class LogSoftmax(Op):
    """y_i = x_i - log(sum_j e**x_j)  (along `dim`).

    dy_i/dx_k = [i == k] - softmax(x)_k, so with G the gradient of y:
        dx_k = G_k - softmax(x)_k * sum_i G_i
    """
    ctx_plain = ("dim",)  # (never arrays: see Function.ctx_plain)
    node_base = _LogSoftmaxNode
    ctx_arrays = ()  # (see Function.ctx_arrays)

    saves_result = True  # the output, as PyTorch keeps it: softmax(x) = e**y

    @classmethod
    def apply(cls, x, dim):
        """Recorded. In a classifier's usual case (x its node's own output, an int dim, grad mode on, no graph
        observer: see function.tracked_input), the node Function.apply would record is made here directly:
        the same result, node, edge and saved output. Anything else goes the general way."""
        node_x = tracked_input(x) if dim.__class__ is int and cls is LogSoftmax else None
        if node_x is None:
            return super().apply(x, dim)
        node = _new(_NODE_CLASSES.get(cls) or cls._make_node_class())
        node.needs_input_grad = (True, False)
        node.dim = dim
        data = x._data
        result = Tensor._make(_log_softmax(data, dim))
        node._saved = (_SavedResult(result),)  # (its output, as apply saves it: saves_result)
        return finish_recording(node, result, ((node_x, 0),), (data.shape, data.dtype, True))

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        return _log_softmax(x._data, dim)

    array_backward = True  # without create_graph, backward gets bare arrays (and so does saved_tensors)

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        if grad.__class__ is np.ndarray:  # no create_graph: the same formula, into the one array e**y makes
            return _log_softmax_array_gradient(grad, y, ctx.dim)
        # e**y as a tensor op (y comes back with this node as its grad_fn), so backward can be differentiated
        return grad - y.exp() * grad.sum(ctx.dim, keepdim=True)


class Softmax(Op):
    """y_i = e**x_i / sum_j e**x_j  (along `dim`).

    dy_i/dx_k = y_i ([i == k] - y_k), so with G the gradient of y:
        dx_k = y_k (G_k - sum_i G_i y_i)
    """
    ctx_plain = ("dim",)  # (never arrays: see Function.ctx_plain)

    saves_result = True  # the output, as PyTorch keeps it

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        return np.exp(_log_softmax(x._data, dim))

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return y * (grad - (grad * y).sum(ctx.dim, keepdim=True))


class MseLoss(Op):
    """L = mean or sum of (x - y)**2, or the squares themselves for reduction='none'.

    dL/dx = 2 (x - y) / n for the mean (n elements), 2 (x - y) for the sum;   dL/dy = -dL/dx.
    """

    result_dtype = staticmethod(lambda x, y, reduction: result_type(x, y))

    @staticmethod
    def forward(ctx, x, y, reduction):
        ctx.save_for_backward(x, y)
        n = x._data.size
        # The mean of no elements is 0 / 0 = nan, as in PyTorch (its gradient is empty: scale unused).
        ctx.scale = (2.0 / n if n else math.nan) if reduction == "mean" else 2.0
        squares = (x._data - y._data) ** 2
        if reduction == "none":
            return squares
        total = _sum(squares, axis=None)  # (the ufunc from here: its overflow warning is minigrad's, silenced)
        return total if reduction == "sum" else (total / n if n else np.full((), np.nan, dtype=squares.dtype))

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        dx = grad * (x - y) * ctx.scale  # grad is a 0-dim tensor for mean/sum: it broadcasts
        # With a promoted target (float32 input, float64 target) each gradient keeps its input's dtype.
        return (_as_dtype(dx, x) if ctx.needs_input_grad[0] else None,
                _as_dtype(-dx, y) if ctx.needs_input_grad[1] else None)


def _as_dtype(grad: Tensor, like: Tensor) -> Tensor:
    return grad if grad.dtype is like.dtype else grad.to(like.dtype)


def _target_places(target: np.ndarray, ignore_index: int | None, classes: int) -> tuple:
    """(rows, places): the rows whose target is not `ignore_index` (None: all of them, no row ignored),
    and where each one's target class is in x seen as (rows, classes) and then flat, row after row:
    row * classes + target. (One flat index rather than a (row, column) pair: NumPy reads and writes
    through it about twice as fast.)"""
    flat = target.reshape(-1)
    if ignore_index is None:  # (nothing to search for: the rows are 0, 1, 2, ...)
        # (`classes or 1`: arange refuses a step of 0; without classes no target is valid, so no row is left)
        return None, np.arange(0, flat.size * classes, classes or 1) + flat
    rows = (flat != ignore_index).nonzero()[0]
    return rows, rows * classes + flat[rows]


def _place_gradient(grad: np.ndarray, places: tuple, x_shape: tuple, reduction: str) -> np.ndarray:
    """nll_loss's gradient: -grad at each row's target place (-grad / K for the mean, K the rows counted;
    each row's own -grad for 'none'), 0 elsewhere. Put in place, as PyTorch's nll_loss_backward does,
    not multiplied by a one-hot: an inf or nan gradient stays 0 off the targets (0 * inf would be nan)."""
    rows, flat_places = places
    dx = np.zeros(math.prod(x_shape), dtype=grad.dtype)
    minus = -grad
    if reduction == "none":
        dx[flat_places] = minus.reshape(-1) if rows is None else minus.reshape(-1)[rows]
    else:
        counted = flat_places.size  # (a place per row counted)
        dx[flat_places] = minus / counted if reduction == "mean" and counted else minus
    return dx.reshape(x_shape)


class _NllLossNode(BackwardNode):
    """NllLossBackward0's node. Without create_graph, when the gradient has the input's dtype and the
    input is unchanged since forward, the gradient is placed directly (NllLoss.backward's formula on
    arrays): what the general path gives, without its checks, which cannot fail here."""

    def __call__(self, grad, *more) -> tuple:
        saved, meta = self._saved, self._input_meta
        if (not more and grad.__class__ is Tensor and not _grad_mode.enabled and len(saved) == 1
                and meta is not None and grad._data.dtype is meta[1]):
            x, versions = saved[0], self._saved_versions
            if (x.__class__ is Tensor and x._data.dtype is meta[1] and x._data.shape == meta[0]
                    and (x._versions.value if x._versions is not None else 0) == (versions[0] if versions else 0)):
                return (Tensor._make(_place_gradient(grad._data, self.places, meta[0], self.reduction)),)
        return BackwardNode.__call__(self, grad, *more)


class NllLoss(Op):
    """L = -mean_n x[n, t_n] (or the sum, or each -x[n, t_n]): minus the log-probability of each target class.

    dL/dx[n, c] = -1/K where c == t_n (-1 for the sum), 0 elsewhere; K counts the rows whose target is
    not `ignore_index` (those rows give 0 and no gradient). With no row left the mean is 0 / 0 = nan.
    The target (class indices) is passed as a NumPy array: it is no input of the node, as in PyTorch.
    ignore_index is None when no target is ignore_index (the losses' argument check saw that): the
    rows then need no search.
    """
    ctx_plain = ("reduction", "ignore_index")  # (never arrays: see Function.ctx_plain)
    node_base = _NllLossNode
    ctx_arrays = ("places", "target")  # (the target's flat places and the target itself: see Function.ctx_arrays)

    @classmethod
    def apply(cls, x, target, reduction, ignore_index):
        """Recorded. In a classifier's usual case (x its node's own output, the target an array, grad mode on,
        no graph observer: see function.tracked_input), the node Function.apply would record is made here
        directly, forward itself filling it: the same result, node, edge and fields. Anything else goes
        the general way."""
        node_x = tracked_input(x) if target.__class__ is np.ndarray and cls is NllLoss else None
        if node_x is None:
            return super().apply(x, target, reduction, ignore_index)
        node = _new(_NODE_CLASSES.get(cls) or cls._make_node_class())
        node.needs_input_grad = (True, False, False, False)
        out = cls.forward(node, x, target, reduction, ignore_index)
        result = Tensor._make(out if out.__class__ is np.ndarray else np.asarray(out))  # (a NumPy scalar: 0-dim)
        return finish_recording(node, result, ((node_x, 0),), (x._data.shape, x._data.dtype, True))

    @staticmethod
    def forward(ctx, x, target, reduction, ignore_index):
        ctx.save_for_backward(x)  # as PyTorch (its _saved_self): an in-place change to x stops backward
        data = x._data
        rows, flat_places = ctx.places = _target_places(target, ignore_index, data.shape[-1])
        chosen = -data.reshape(-1)[flat_places]  # (reshape: a view of a row-major x, else a copy)
        if rows is None:  # every row counted: the values chosen, one per row
            picked = chosen
        else:  # 0 for a row ignored
            picked = np.zeros(target.size, dtype=data.dtype)
            picked[rows] = chosen
        ctx.target, ctx.reduction, ctx.ignore_index = target, reduction, ignore_index
        if reduction == "none":
            return picked.reshape(target.shape)
        if reduction == "sum":
            return _sum(picked)
        return _sum(picked) / chosen.size if chosen.size else np.full((), np.nan, dtype=data.dtype)

    array_backward = True  # without create_graph, backward gets a bare array

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        if grad.__class__ is np.ndarray:  # no create_graph: the gradient put in place, on arrays
            return _place_gradient(grad, ctx.places, x.shape, ctx.reduction)
        return NllLossGradient.apply(grad, x, ctx.target, ctx.reduction, ctx.ignore_index)


class NllLossGradient(Op):
    """dx = nll_loss's gradient for the gradient `grad` of its loss (see _place_gradient), recorded
    under create_graph as PyTorch records it (NllLossBackwardBackward0, with edges to grad and x):
        d dx / d grad: nll_loss of the incoming gradient (it reads back the places dx was put in);
        d dx / dx = 0 (dx does not depend on x's values).
    """
    node_name = "NllLossBackwardBackward0"
    ctx_plain = ("reduction", "ignore_index")  # (never arrays: see Function.ctx_plain)
    formula = "dx = -grad (/ K) at the targets, else 0:  d dx/d grad = nll_loss of the gradient,  d dx/dx = 0"
    result_dtype = staticmethod(lambda grad, x, target, reduction, ignore_index: x.dtype)

    @staticmethod
    def forward(ctx, grad, x, target, reduction, ignore_index):
        ctx.target, ctx.reduction, ctx.ignore_index = target, reduction, ignore_index
        return _place_gradient(grad._data, _target_places(target, ignore_index, x._data.shape[-1]), x._data.shape,
                               reduction)

    @staticmethod
    def backward(ctx, gg):
        return (NllLoss.apply(gg, ctx.target, ctx.reduction, ctx.ignore_index) if ctx.needs_input_grad[0] else None,
                zero_gradient(gg) if ctx.needs_input_grad[1] else None)


class DivByCount(Op):
    """y = x / n for a whole number n (a mean taken by hand).   dy/dx = 1 / n.

    PyTorch's node for a tensor divided by a number: cross_entropy with class probabilities ends in it.
    """
    node_name = "DivBackward1"

    @staticmethod
    def forward(ctx, x, n):
        ctx.n = n
        return x._data / n

    @staticmethod
    def backward(ctx, grad):
        return grad / ctx.n


def _check_dim(input: Tensor, dim: int | None, name: str) -> int:
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' must be a Tensor, not {type(input).__name__}")
    data = input._data  # (read on the array: this runs for every loss of a training loop)
    if data.dtype.kind != "f" and data.size:  # (PyTorch lets an empty one through, as we do)
        raise RuntimeError(f"{name}(): expected a floating-point tensor, got {input.dtype}; call .float() first")
    if dim is None:  # PyTorch's old implicit choice, kept for the same results: dim 1, or 0 for 0-2 dims
        dim = 0 if data.ndim in (0, 1, 3) else 1
    n = data.ndim or 1
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


def softmax(input: Tensor, dim: int | None = None) -> Tensor:
    """e**x / sum(e**x) along `dim` (F.softmax's work, after its argument check)."""
    dim = _check_dim(input, dim, "softmax")
    if not input.dtype.is_floating_point:  # empty (else refused above): nothing to compute, dtype kept
        return input.clone()
    return Softmax.apply(input, dim)


def log_softmax(input: Tensor, dim: int | None = None) -> Tensor:
    """log(softmax(x)) along `dim` (F.log_softmax's work, after its argument check)."""
    dim = _check_dim(input, dim, "log_softmax")
    if input._data.dtype.kind != "f":  # empty (else refused above): nothing to compute, dtype kept
        return input.clone()
    return LogSoftmax.apply(input, dim)


@tensor_method("softmax", function=True)
def softmax_method(x: Tensor, dim: int) -> Tensor:
    """e**x / sum(e**x) along `dim`, as minigrad.nn.functional.softmax."""
    if dim is None:  # (the method takes no None, unlike F.softmax)
        raise TypeError("softmax(): argument 'dim' (position 1) must be int, not NoneType")
    return softmax(x, dim)


@tensor_method("log_softmax", function=True)
def log_softmax_method(x: Tensor, dim: int) -> Tensor:
    """log(softmax(x)) along `dim`, as minigrad.nn.functional.log_softmax."""
    if dim is None:
        raise TypeError("log_softmax(): argument 'dim' (position 1) must be int, not NoneType")
    return log_softmax(x, dim)
