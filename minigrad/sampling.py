"""Samples from distributions whose parameters are tensors: bernoulli, normal, multinomial.

All of them draw from minigrad's seeded generator (minigrad.manual_seed), so the same seed gives the
same samples. Where PyTorch's CPU kernel turns its generator's words into samples in a way minigrad
can follow (bernoulli, normal, multinomial with replacement), the numbers are PyTorch's too.

A sample is not a differentiable function of its parameters: PyTorch records a node whose gradient is
0 (normal, bernoulli of a tensor of probabilities), and so does minigrad.

>>> import minigrad
>>> _ = minigrad.manual_seed(0)
>>> minigrad.bernoulli(minigrad.tensor([0.0, 1.0, 0.5]))
tensor([0., 1., 1.])
>>> minigrad.normal(minigrad.tensor([0.0, 100.0]), 1.0)   # one sample around each mean
tensor([  0.3643, 100.1344])
"""
from __future__ import annotations

import numpy as np

from . import _dtype
from ._random import Generator
from ._registry import add_method
from .creation import _finish, _not_implemented, _shape, default_generator, zeros
from .ops import Op, TORCH_TYPE_NAMES, broadcast_message
from .tensor import Tensor

__all__ = ["bernoulli", "normal", "multinomial"]


def fill_order(t: Tensor) -> list[int]:
    """The dims of t, outermost first, in the order PyTorch lays out a new tensor made like t (empty_like,
    which keeps t's memory order, also when t is a slice): dims sorted by stride, a stride of 0 leaving
    the order as it is, equal strides putting the larger size outside. A sample drawn into such a tensor
    follows its memory, so minigrad draws in this order too (dropout's mask, normal(mean, std))."""
    strides, sizes = t._data.strides, t.shape
    inner_first = list(range(t.ndim - 1, -1, -1))

    def should_swap(a: int, b: int) -> int:
        if strides[a] == 0 or strides[b] == 0:
            return 0
        if strides[a] != strides[b]:
            return -1 if strides[a] < strides[b] else 1
        return 1 if sizes[a] > sizes[b] else 0

    for i in range(1, t.ndim):  # PyTorch's insertion sort (infer_dense_strides)
        j = i
        for k in range(i - 1, -1, -1):
            comparison = should_swap(inner_first[k], inner_first[j])
            if comparison > 0:
                inner_first[k], inner_first[j] = inner_first[j], inner_first[k]
                j = k
            elif comparison < 0:
                break
    return inner_first[::-1]


def draw_like(t: Tensor, draw) -> np.ndarray:
    """draw(shape, in_order) made in t's fill order and put back in t's dims: in_order is False when the
    new tensor would not be row-major (PyTorch's kernels then fill it one number at a time)."""
    order = fill_order(t)
    if order == list(range(t.ndim)):
        return draw(tuple(t.shape), True)
    return np.transpose(draw(tuple(t.shape[d] for d in order), False), np.argsort(order))


def _drawn_dtype(t: Tensor) -> str:
    """The precision numbers are drawn at for t: its own (an integer t reaches here only with no numbers)."""
    return t._data.dtype.name if t.dtype.is_floating_point else "float64"


def _zero_gradient(grad: Tensor, like: Tensor) -> Tensor:
    """The gradient of a sample with respect to its parameter: zeros shaped like the parameter."""
    return zeros(like.shape, dtype=like.dtype)


# ============================================================== bernoulli
class Bernoulli(Op):
    """z = 1 with probability p, else 0, for each element of p (drawn as u < p, u uniform in [0, 1)).
    dz/dp = 0: a sample does not change smoothly with p."""
    formula = "z = bernoulli(p):  dz/dp = 0"

    @staticmethod
    def forward(ctx, p, generator):
        ctx.p = p.detach()
        # PyTorch's kernel draws one uniform of p's precision per element, in row-major order.
        u = generator.uniform(tuple(p.shape), 0.0, 1.0, _drawn_dtype(p))
        return (u < p._data).astype(p._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        return _zero_gradient(grad, ctx.p)


class BernoulliScalar(Op):
    """z = 1 with probability p (one number for all elements), else 0, in input's dtype and shape.
    dz/dinput: none, PyTorch has no derivative for this form: differentiating through it is an error."""
    node_name = "NotImplemented"  # PyTorch's node for an op without a derivative
    formula = "z = bernoulli(input, p):  no derivative (PyTorch: not implemented)"

    @staticmethod
    def forward(ctx, input, p, generator):
        u = generator.uniform(tuple(input.shape), 0.0, 1.0, "float64")
        return (u < p).astype(input._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::bernoulli is not implemented")


def bernoulli(input: Tensor, p: float | None = None, *, generator: Generator | None = None) -> Tensor:
    """0 or 1 for each element, 1 with probability input[i] (or with probability p, when p is given).

    bernoulli(input) draws in input's dtype (floating point, values in [0, 1]); bernoulli(input, p) gives a
    tensor of input's shape and dtype, each element 1 with probability p.

    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> minigrad.bernoulli(minigrad.full((4,), 0.5))
    tensor([1., 0., 1., 1.])
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"bernoulli(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    generator = generator or default_generator
    if p is not None:
        if isinstance(p, Tensor) and p.ndim == 0:
            p = p.item()
        if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
            raise TypeError(f"bernoulli(): argument 'p' (position 2) must be float, not {type(p).__name__}")
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={float(p):g}")
        return BernoulliScalar.apply(input, float(p), generator)
    if not input.dtype.is_floating_point and input.numel():  # (no kernel runs for no numbers: no check)
        raise _not_implemented("bernoulli_tensor_cpu_p_", input.dtype)
    data = input._data
    if data.size and not ((data >= 0) & (data <= 1)).all():  # (nan fails both comparisons, as in PyTorch)
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message "
                           "be improved?  If so, please report an enhancement request to PyTorch.)")
    return Bernoulli.apply(input, generator)


# ============================================================== normal
class NormalTensorFloat(Op):
    """z = mean + std * e, e standard normal, for a tensor of means and one std.   dz/dmean = 0
    (PyTorch's derivative: a sample is not differentiated through; use mean + std * randn for that)."""
    node_name = "NormalBackward1"
    formula = "z = normal(mean, std):  dz/dmean = 0"
    result_dtype = staticmethod(lambda mean, std, generator: mean.dtype)

    @staticmethod
    def forward(ctx, mean, std, generator):
        ctx.mean = mean.detach()
        # PyTorch: a new row-major tensor filled by normal_(0, std), then mean is added.
        return generator.normal(tuple(mean.shape), 0.0, std, _drawn_dtype(mean)) + mean._data

    @staticmethod
    def backward(ctx, grad):
        return _zero_gradient(grad, ctx.mean)


class NormalFloatTensor(Op):
    """z = mean + std * e, e standard normal, for one mean and a tensor of stds.   dz/dstd = 0."""
    node_name = "NormalBackward2"
    formula = "z = normal(mean, std):  dz/dstd = 0"
    result_dtype = staticmethod(lambda mean, std, generator: std.dtype)

    @staticmethod
    def forward(ctx, mean, std, generator):
        ctx.std = std.detach()
        dtype = std._data.dtype.type
        return generator.normal(tuple(std.shape), 0.0, 1.0, _drawn_dtype(std)) * std._data + dtype(mean)

    @staticmethod
    def backward(ctx, grad):
        return _zero_gradient(grad, ctx.std)


class NormalTensorTensor(Op):
    """z = mean + std * e, e standard normal, mean and std broadcast together.
    dz/dmean = 0, dz/dstd = 0."""
    node_name = "NormalBackward3"
    formula = "z = normal(mean, std):  dz/dmean = 0,  dz/dstd = 0"

    @staticmethod
    def forward(ctx, mean, std, generator):
        ctx.mean, ctx.std = mean.detach(), std.detach()
        shape = np.broadcast_shapes(mean.shape, std.shape)
        dtype = mean._data.dtype
        e = generator.normal(shape, 0.0, 1.0, _drawn_dtype(mean))
        return (e * std._data.astype(dtype) + mean._data).astype(dtype)  # (PyTorch: normal_(0, 1).mul_(std).add_(mean))

    @staticmethod
    def backward(ctx, grad):
        return _zero_gradient(grad, ctx.mean), _zero_gradient(grad, ctx.std)


_NORMAL_OVERLOADS = (
    " * (Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, float std, tuple of ints size, *, torch.Generator generator = None, Tensor out = None, "
    "torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = False, "
    "bool requires_grad = False)\n")


def _is_number(x) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))


def _check_std(std: float) -> None:
    if not std >= 0.0:  # (nan fails too)
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def normal(mean, std=1.0, size=None, *, generator: Generator | None = None, dtype=None,
           requires_grad: bool = False) -> Tensor:
    """Normal random numbers: PyTorch's four forms.

        normal(mean_tensor, std_tensor)   one number per element of the broadcast shape
        normal(mean_tensor, std=1.0)      a tensor of means, one std
        normal(mean, std_tensor)          one mean, a tensor of stds
        normal(mean, std, size)           numbers, a size (dtype= and requires_grad= as for randn)

    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> minigrad.normal(2.0, 3.0, (2,))
    tensor([6.6230, 1.1197])
    """
    given = [mean, std] if size is None else [mean, std, size]
    t_mean, t_std = isinstance(mean, Tensor), isinstance(std, Tensor)
    form = None
    if size is None and t_mean and (t_std or _is_number(std)):
        form = "tensor mean"
    elif size is None and _is_number(mean) and t_std:
        form = "tensor std"
    elif _is_number(mean) and _is_number(std) and isinstance(size, (tuple, list)):
        form = "size"
    if form is None or (form != "size" and (dtype is not None or requires_grad)):
        got = ", ".join("Tensor" if isinstance(a, Tensor) else type(a).__name__ for a in given)
        raise TypeError(f"normal() received an invalid combination of arguments - got ({got}), but expected "
                        f"one of:\n{_NORMAL_OVERLOADS}")
    generator = generator or default_generator
    if form == "size":
        shape = _shape(size)
        _check_std(float(std))
        dt = _dtype.resolve(dtype) or _dtype.default_float
        if not dt.is_floating_point:
            raise _not_implemented("normal_kernel_cpu", dt)
        return _finish(generator.normal(shape, float(mean), float(std), dt.numpy.name), None, requires_grad)
    if form == "tensor std":
        if std.numel() and not (std._data >= 0).all():
            raise RuntimeError("normal expects all elements of std >= 0.0")
        if not std.dtype.is_floating_point and std.numel():
            raise _not_implemented("normal_kernel_cpu", std.dtype)
        return NormalFloatTensor.apply(float(mean), std, generator)
    if not t_std:
        _check_std(float(std))
        if not mean.dtype.is_floating_point and mean.numel():
            raise _not_implemented("normal_kernel_cpu", mean.dtype)
        return NormalTensorFloat.apply(mean, float(std), generator)
    if std.numel() and not (std._data >= 0).all():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    try:
        np.broadcast_shapes(mean.shape, std.shape)
    except ValueError:
        raise RuntimeError(broadcast_message(tuple(mean.shape), tuple(std.shape))) from None
    if not mean.dtype.is_floating_point:
        if mean.numel() and std.numel():
            raise _not_implemented("normal_kernel_cpu", mean.dtype)
        if std.dtype.is_floating_point:  # no numbers to draw, but the result (mean's dtype) is then scaled by std
            raise RuntimeError(f"result type {TORCH_TYPE_NAMES[std.dtype.name]} can't be cast to the desired "
                               f"output type {TORCH_TYPE_NAMES[mean.dtype.name]}")
    return NormalTensorTensor.apply(mean, std, generator)


# ============================================================== multinomial
def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,
                generator: Generator | None = None) -> Tensor:
    """Indices of categories drawn from each row of `input`, with probabilities proportional to its weights.

    The weights need not sum to 1. The result is int64 of shape (num_samples,) for one row, (rows,
    num_samples) for a matrix. Without replacement each category comes at most once.

    With replacement (and more than one sample) the numbers are PyTorch's: one float64 uniform u per
    sample, the first category whose cumulative weight / total reaches u. Otherwise minigrad draws as
    PyTorch's method does (largest weight / q, q exponential) from its own exponentials: seeded and
    deterministic, but not PyTorch's numbers.

    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> minigrad.multinomial(minigrad.tensor([0.0, 1.0, 3.0]), 4, replacement=True)
    tensor([2, 2, 2, 2])
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"multinomial(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if isinstance(num_samples, Tensor) and num_samples.ndim == 0 and num_samples.dtype is _dtype.int64:
        num_samples = int(num_samples.item())
    if isinstance(num_samples, (bool, np.bool_)) or not isinstance(num_samples, (int, np.integer)):
        raise TypeError(f"multinomial(): argument 'num_samples' (position 2) must be int, not "
                        f"{type(num_samples).__name__}")
    n = int(num_samples)
    if input.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{TORCH_TYPE_NAMES[input.dtype.name]}")
    if n <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    categories = input.shape[-1]
    if not replacement and n > categories:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if categories > 1 << 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    rows = input._data if input.ndim == 2 else input._data.reshape(1, categories)
    generator = generator or default_generator
    if replacement and n > 1:
        picked = _with_replacement(rows, n, generator)
    else:
        picked = _largest_over_exponentials(rows, n, generator)
    return _finish(picked.reshape(tuple(input.shape[:-1]) + (n,)), None, False)


def _with_replacement(rows: np.ndarray, n: int, generator: Generator) -> np.ndarray:
    """PyTorch's CPU kernel, row by row: check the weights, cumulative sums (in float64, stored at the
    input's precision) divided by the total, the last set to 1; then per sample the first place where
    the cumulative sum is >= a float64 uniform (a binary search, as searchsorted does)."""
    picked = np.empty((rows.shape[0], n), np.int64)
    for i, row in enumerate(rows):
        if (~(row >= 0)).any():  # (nan too: the kernel's check is val >= 0)
            raise RuntimeError("invalid multinomial distribution (encountering probability entry < 0)")
        if not np.isfinite(row).all():
            raise RuntimeError("invalid multinomial distribution (encountering probability entry = infinity or NaN)")
        running = np.cumsum(row.astype(np.float64))
        total = running[-1] if running.size else 0.0
        if not total > 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        cumulative = (running.astype(row.dtype).astype(np.float64) / total).astype(row.dtype)
        cumulative[-1] = 1
        u = generator._uniform01(n, "float64")
        picked[i] = np.searchsorted(cumulative.astype(np.float64), u, side="left")
    return picked


def _largest_over_exponentials(rows: np.ndarray, n: int, generator: Generator) -> np.ndarray:
    """The n categories of largest weight / q, q drawn exponential(1): a draw without replacement in
    which each category is picked with the probability of its weight (the exponential-race method
    PyTorch uses); ties (zero weights) in index order."""
    if rows.shape[0] == 0:
        return np.zeros((0, n), np.int64)
    if rows.size == 0:  # (rows of no categories, one sample each: PyTorch's check has nothing to look at)
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.")
    if not (np.max(rows) < np.inf and np.min(rows) >= 0):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (rows.sum(axis=1) == 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    u = generator._uniform01(rows.size, "float64").reshape(rows.shape)
    q = (-np.log1p(-u)).astype(rows.dtype)
    with np.errstate(divide="ignore"):  # (q is 0 when u is 0: weight / 0 is inf, that category comes first)
        keys = rows / q
    return np.argsort(-keys, axis=1, kind="stable")[:, :n].astype(np.int64)


# x.bernoulli(), x.multinomial(n) as in PyTorch (minigrad.bernoulli and minigrad.multinomial are these).
add_method("bernoulli", bernoulli)
add_method("multinomial", multinomial)
