"""Functions behind the layers and losses of minigrad.nn (PyTorch's `torch.nn.functional`).

Activations are the tensor methods. Softmax, log-softmax and the two losses check their arguments
here and run ops of their own (in minigrad/ops/nn_ops.py, with the derivative written next to the
forward), so a drawn graph shows the same nodes as PyTorch's (`LogSoftmaxBackward0`,
`NllLossBackward0`, `MseLossBackward0`).

>>> import minigrad
>>> import minigrad.nn.functional as F
>>> logits = minigrad.tensor([[2.0, 0.0, 0.0]], requires_grad=True)
>>> loss = F.cross_entropy(logits, minigrad.tensor([0]))
>>> round(loss.item(), 4)          # -log(e**2 / (e**2 + 2))
0.2395
>>> loss.grad_fn
<NllLossBackward0>
"""
from __future__ import annotations

import math
from typing import NoReturn

import numpy as np

from .._dtype import result_type
from ..creation import default_generator
from ..sampling import draw_like
from ..ops import TORCH_TYPE_NAMES, broadcast_message, expand_error, nn_ops
from ..ops.nn_ops import Addmm, DivByCount, LogSoftmax, MseLoss, NllLoss
from ..ops.shape import MatrixTranspose
from ..tensor import Tensor

__all__ = ["linear", "relu", "tanh", "sigmoid", "softmax", "log_softmax", "mse_loss", "nll_loss", "cross_entropy",
           "dropout"]

_REDUCTIONS = ("mean", "sum", "none")
_max = np.maximum.reduce  # (x.max() on arrays without NumPy's Python wrapper)
# int64's unsigned twin of the same byte order (for _check_class_target's one pass over the targets).
_UNSIGNED = {np.dtype("<i8"): np.dtype("<u8"), np.dtype(">i8"): np.dtype(">u8")}
# The losses take `reduction` and `ignore_index` by keyword only: PyTorch's signatures put weight,
# size_average and reduce (which minigrad does not have) before them, so a positional call would
# mean something else in PyTorch.


# ============================================================== activations
def _not_a_tensor(name: str, input) -> NoReturn:
    """Raise the error of `name`() given something other than a tensor (called only then: a check
    written at each call site costs less than a call, on every activation of a forward pass)."""
    raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}; "
                    "wrap numbers or lists with minigrad.tensor(...)")


def relu(input: Tensor) -> Tensor:
    """max(x, 0), elementwise."""
    if not isinstance(input, Tensor):
        _not_a_tensor("relu", input)
    return input.relu()


def tanh(input: Tensor) -> Tensor:
    if not isinstance(input, Tensor):
        _not_a_tensor("tanh", input)
    return input.tanh()


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e**-x), elementwise."""
    if not isinstance(input, Tensor):
        _not_a_tensor("sigmoid", input)
    return input.sigmoid()


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x W^T + b, for a weight of shape (out_features, in_features) as nn.Linear stores it.

    The graph is PyTorch's: an AddmmBackward0 node whose inputs are the bias, x and TBackward0 (W^T);
    an input with other than 2 dims is first seen as a matrix of rows (reshape) and the result viewed
    back to its shape (ViewBackward0); without a bias, a matrix product.
    """
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor) and (bias is None or isinstance(bias, Tensor))):
        for position, (name, t) in enumerate((("input", input), ("weight", weight), ("bias", bias)), start=1):
            if not isinstance(t, Tensor) and (t is not None or name != "bias"):
                raise TypeError(f"linear(): argument '{name}' (position {position}) must be Tensor, not {type(t).__name__}")
    return _linear(input, weight, bias)


def _linear(input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    """linear() once its arguments are known to be tensors (nn.Linear calls this: it checked them)."""
    data, w = input._data, weight._data  # (read on the arrays: this runs for every Linear layer call)
    if (bias is not None and data.ndim == 2 and w.ndim == 2 and bias._data.shape == w.shape[:1]
            and data.dtype is w.dtype is bias._data.dtype):
        # Linear's own case, a batch of rows and a bias of one number per output: none of the checks
        # below can fail, and the graph is the one they lead to (W^T as weight.t() records it, TBackward0).
        return Addmm.apply(bias, input, MatrixTranspose.apply(weight, 0, -1))
    ndim = data.ndim
    if bias is not None and weight._data.ndim == 1:
        if ndim == 2 or bias._data.ndim == 1:
            raise RuntimeError("mat2 must be a matrix, got 1-D tensor")  # (PyTorch's fused matrix product and bias)
        problem = _added_in_place(input._data.shape[:-1], bias._data.shape) if ndim >= 2 else ""
        if problem:
            raise RuntimeError(problem)
    if (bias is not None and (ndim == 2 or bias._data.ndim == 1) and weight._data.ndim == 2
            and bias._data.shape != weight._data.shape[:1]):
        # A bias that would broadcast the result to another shape: PyTorch refuses it in its fused product
        # (addmm) on the input seen as rows, in expand's words. (Other inputs with a bias of 2 or more dims
        # take more of PyTorch's paths, each with its own words: not checked here.)
        problem = expand_error(bias._data.shape, (math.prod(input._data.shape[:-1]), weight._data.shape[0]))
        if problem:
            raise RuntimeError(problem)
    if bias is not None and (ndim == 2 or (bias._data.ndim == 1 and input._data.flags.c_contiguous)):
        problem = _addmm_dtype_error(input, weight, bias)  # (PyTorch's fused product and bias, addmm, runs)
        if problem:
            raise RuntimeError(problem)
    if bias is not None and ndim >= 1 and bias._data.ndim == 1:
        if ndim == 2:  # (W^T as weight.t() records it, TBackward0, for a matrix W without the method call)
            wt = MatrixTranspose.apply(weight, 0, -1) if weight._data.ndim == 2 else weight.t()
            return Addmm.apply(bias, input, wt)
        rows = Addmm.apply(bias, input.reshape(-1, input.shape[-1]), weight.t())
        return rows.view(*input.shape[:-1], rows.shape[-1])
    out = input @ weight.t()
    if bias is not None and bias._data.dtype is not out._data.dtype:
        return out.add_(bias)  # (PyTorch adds the bias in place: the product's dtype stays, if the bias can be cast to it)
    return out + bias if bias is not None else out


def _addmm_dtype_error(input: Tensor, weight: Tensor, bias: Tensor) -> str:
    """PyTorch's words when addmm's three tensors are not of one dtype: the bias is compared with the
    weight first ("self and mat2"), then the input ("mat1 and mat2"). '' if they are."""
    for name, t in (("self", bias), ("mat1", input)):
        if t._data.dtype is not weight._data.dtype:
            return (f"{name} and mat2 must have the same dtype, but got {TORCH_TYPE_NAMES[t.dtype.name]} and "
                    f"{TORCH_TYPE_NAMES[weight.dtype.name]}")
    return ""


def _added_in_place(out_shape: tuple, b_shape: tuple) -> str:
    """PyTorch's words for a bias added in place to a product of shape `out_shape` ('' if it fits)."""
    try:
        both = np.broadcast_shapes(out_shape, b_shape)
    except ValueError:
        return broadcast_message(out_shape, b_shape)
    return "" if both == out_shape else f"output with shape {list(out_shape)} doesn't match the broadcast shape {list(both)}"


# ============================================================== softmax and log-softmax


def softmax(input: Tensor, dim: int | None = None) -> Tensor:
    """e**x / sum(e**x) along `dim`: turns scores into probabilities that sum to 1.

    >>> import minigrad
    >>> import minigrad.nn.functional as F
    >>> F.softmax(minigrad.tensor([0.0, 0.0]), dim=0)
    tensor([0.5000, 0.5000])
    """
    if not isinstance(input, Tensor):
        _not_a_tensor("softmax", input)
    return nn_ops.softmax(input, dim)


def log_softmax(input: Tensor, dim: int | None = None) -> Tensor:
    """log(softmax(x)) along `dim`, computed without overflow for large scores."""
    if not isinstance(input, Tensor):
        _not_a_tensor("log_softmax", input)
    return nn_ops.log_softmax(input, dim)


# ============================================================== losses
def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction; use 'mean', 'sum' or 'none'")


def mse_loss(input: Tensor, target: Tensor, *, reduction: str = "mean") -> Tensor:
    """The mean (or sum) of the squared differences between input and target.

    >>> import minigrad
    >>> import minigrad.nn.functional as F
    >>> F.mse_loss(minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 4.0]))
    tensor(2.)
    """
    _check_reduction(reduction)
    for name, t in (("input", input), ("target", target)):
        if not isinstance(t, Tensor):
            raise TypeError(f"mse_loss(): argument '{name}' must be a Tensor, not {type(t).__name__}")
    if input.shape != target.shape:
        # PyTorch only warns here and broadcasts: (32, 1) against (32,) silently becomes a (32, 32)
        # comparison of every prediction with every target. That is never what a lesson wants.
        raise RuntimeError(f"mse_loss(): target shape {tuple(target.shape)} differs from input shape "
                           f"{tuple(input.shape)}; they would broadcast to a different size and give a wrong loss. "
                           "Make them match, e.g. target.view(-1, 1) or input.squeeze(1).")
    if not result_type(input, target).is_floating_point:  # PyTorch: "mse_cpu" not implemented for 'Long'
        raise RuntimeError(f"mse_loss(): input and target are both {input.dtype}; a squared error needs floating "
                           "point: convert them with .float()")
    # Different dtypes are promoted as in PyTorch (an int64 target of a float32 input gives a float32 loss).
    return MseLoss.apply(input, target, reduction)


def _check_class_target(input: Tensor, target: Tensor, name: str, ignore_index: int = -100) -> bool:
    """Check a target of class indices for `input`'s scores; True if no row can be ignored: every
    target is then a class index, and `ignore_index` (an int) is none of them."""
    # (Read on the arrays: this runs for every loss of a training loop.)
    if not isinstance(target, Tensor):
        raise TypeError(f"{name}(): argument 'target' must be a Tensor, not {type(target).__name__}")
    scores, classes_of = input._data, target._data
    if scores.ndim not in (1, 2):
        raise RuntimeError(f"{name}(): minigrad supports input of shape (N, C) or (C,), got {tuple(input.shape)}")
    if classes_of.dtype.kind != "i":  # (float or bool: minigrad's other dtypes)
        raise RuntimeError(f"{name}(): expected a target of class indices with dtype int64 (Long), got {target.dtype} "
                           f"of shape {tuple(target.shape)}; convert it with target.long()")
    classes = scores.shape[-1]
    # Every index in [0, classes) in one pass: an int64 read as unsigned (uint64) is 2**63 or more if it
    # is negative, more than any number of classes, so the largest tells for both ends. (A narrower
    # integer, which minigrad's tensors do not hold, takes the general check below.)
    unsigned = _UNSIGNED.get(classes_of.dtype)
    if unsigned is not None and classes_of.shape == scores.shape[:-1] and (
            not classes_of.size or _max(classes_of.view(unsigned), axis=None) < classes):
        return ignore_index.__class__ is int and not 0 <= ignore_index < classes
    if target.shape != input.shape[:-1]:
        if input.ndim == 2 and target.ndim == 1:
            raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                             f"({target.shape[0]}).")
        raise RuntimeError(f"{name}(): for input of shape {tuple(input.shape)} the target must have shape "
                           f"{tuple(input.shape[:-1])} (one class index per row), got {tuple(target.shape)}")
    bad = ((target._data < 0) | (target._data >= classes)) & (target._data != ignore_index)
    if bad.any():
        raise IndexError(f"Target {int(target._data[bad].flat[0])} is out of bounds: class indices must be in "
                         f"[0, {classes - 1}] for input with {classes} classes")
    return False  # (some targets are ignore_index: NllLoss finds their rows)


def nll_loss(input: Tensor, target: Tensor, *, ignore_index: int = -100, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood: -input[n, target[n]], averaged (input holds log-probabilities).

    Rows whose target is `ignore_index` count for nothing (not even in the mean's denominator).
    """
    _check_reduction(reduction)
    none_ignored = _check_class_target(input, target, "nll_loss", ignore_index)
    # (None: no row to look for, see NllLoss)
    return NllLoss.apply(input, target._data, reduction, None if none_ignored else ignore_index)


def cross_entropy(input: Tensor, target: Tensor, *, ignore_index: int = -100, reduction: str = "mean") -> Tensor:
    """nll_loss(log_softmax(input, dim=-1), target): the usual loss for classification.

    `input` holds raw scores (logits) of shape (N, C); `target` the class index of each row (int64,
    shape (N,)), or class probabilities of the same shape as input (float). Rows whose class index is
    `ignore_index` (default -100) are left out, of the mean's denominator too.

    >>> import minigrad
    >>> import minigrad.nn.functional as F
    >>> F.cross_entropy(minigrad.zeros(2, 4), minigrad.tensor([1, 3]))   # log(4)
    tensor(1.3863)
    """
    _check_reduction(reduction)
    if not isinstance(input, Tensor):
        raise TypeError(f"cross_entropy(): argument 'input' must be a Tensor, not {type(input).__name__}")
    scores = input._data
    if isinstance(target, Tensor) and target._data.dtype.kind == "f" and target._data.shape == scores.shape:
        # Soft targets (class probabilities): L_n = -sum_c p[n, c] log softmax(x)[n, c], built from
        # the nodes PyTorch records: -(p * log_softmax(x)).sum() / N for the mean.
        products = target * nn_ops.log_softmax(input, -1)
        if reduction == "none":
            return -products.sum(-1)
        total = -products.sum()
        return total if reduction == "sum" else DivByCount.apply(total, input.shape[0] if input.ndim == 2 else 1)
    none_ignored = _check_class_target(input, target, "cross_entropy", ignore_index)
    # log_softmax over the classes, the last of the 1 or 2 dims the check allows (its own checks, and
    # errors, only for an input that is not floating point)
    if scores.dtype.kind == "f":
        log_probabilities = LogSoftmax.apply(input, scores.ndim - 1)
    else:
        log_probabilities = nn_ops.log_softmax(input, -1)
    return NllLoss.apply(log_probabilities, target._data, reduction, None if none_ignored else ignore_index)


# ============================================================== dropout
def _check_dropout_probability(p, low=0.0, high=1.0) -> None:
    # The comparison as PyTorch writes it, so a p of the wrong type fails with the same TypeError
    # (nn.Dropout compares with the ints 0 and 1, F.dropout with the floats).
    if p < low or p > high:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """In training, zero each element with probability p and multiply the others by 1 / (1 - p).

    The graph is PyTorch's: y = x * m, one MulBackward0 node, with m = bernoulli(1 - p) / (1 - p) drawn
    from minigrad's seeded generator (the same seed, the same mask). So dy/dx = m: the gradient passes
    where an element was kept, scaled by 1 / (1 - p), and is 0 where it was dropped. Not in training,
    with p = 0, or for an empty input, the input itself comes back; p = 1 gives x * 0.

    >>> import minigrad
    >>> import minigrad.nn.functional as F
    >>> _ = minigrad.manual_seed(0)
    >>> F.dropout(minigrad.ones(6), p=0.5)
    tensor([0., 0., 2., 0., 0., 0.])
    """
    _check_dropout_probability(p)
    if not isinstance(input, Tensor):
        raise TypeError(f"dropout(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    p = float(p)
    if p != p:  # nan passes the comparisons above; PyTorch's kernel check then refuses it
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
    if p == 0.0 or not training or input.numel() == 0:
        return input
    if p == 1.0:
        noise = Tensor._make(np.zeros((), input._data.dtype))
    else:
        if not input.dtype.is_floating_point:  # PyTorch's words: the scaled mask cannot be stored as integers
            raise RuntimeError(f"result type Float can't be cast to the desired output type "
                               f"{TORCH_TYPE_NAMES[input.dtype.name]}")
        # (drawn in the memory order PyTorch's mask has: the input's, see sampling.fill_order)
        keep = draw_like(input, lambda shape, _: default_generator.uniform(shape, 0.0, 1.0, "float64")) < 1.0 - p
        scale = input._data.dtype.type(1.0) / input._data.dtype.type(1.0 - p)  # (in the input's precision)
        noise = Tensor._make(keep.astype(input._data.dtype) * scale)
    return input.mul_(noise) if inplace else input * noise
