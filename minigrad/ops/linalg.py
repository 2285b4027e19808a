"""Linear algebra: matmul (and dot, mm, mv), recorded with PyTorch's nodes.

>>> import minigrad
>>> a = minigrad.ones(2, 3, requires_grad=True)
>>> (a @ minigrad.ones(3)).grad_fn
<MvBackward0>
"""
from __future__ import annotations

import builtins
import math

import numpy as np

from ..autograd.grad_mode import is_grad_enabled
from ..tensor import Tensor
from ._dtypes import CPP_TYPE_NAMES, TORCH_TYPE_NAMES, _promoted, not_implemented
from ._op import Op
from ._messages import broadcast_message
from .._registry import tensor_method
from .shape import _unsafe_view


class MatMul(Op):
    """Z = X @ Y.   dZ/dX: G @ Y^T,   dZ/dY: X^T @ G   (G is the gradient of Z)."""
    node_name = "MmBackward0"
    formula = "Z = A @ B:  grad A = G @ B.T,  grad B = A.T @ G"
    node_formulas = {"MvBackward0": "z = A @ b:  grad A = outer(g, b),  grad b = A.T @ g",
                     "DotBackward0": "z = a . b:  dz/da = b,  dz/db = a"}
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


@tensor_method("__matmul__", "matmul", function=True)
def matmul(a: Tensor, other: Tensor) -> Tensor:
    """a @ b: dot, matrix-vector, matrix-matrix, or a batch of matrix products (batch dims broadcast).

    Recorded as PyTorch records it (see _recorded_matmul): one DotBackward0, MvBackward0 or
    MmBackward0 node for vectors and matrices, and for the other cases the reshapes around a single
    mm, mv or bmm that PyTorch's matmul is made of.
    """
    b = other
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        raise TypeError("matmul(): both arguments must be tensors")
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D")
    if a._data.dtype is not b._data.dtype:  # PyTorch does not promote in a matrix product
        raise _matmul_dtype_error(a, b)
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


def _matmul_dtype_error(a: Tensor, b: Tensor) -> Exception:
    """PyTorch's error for a product of two dtypes, in the words of the kernel its matmul would run:
    dot for two vectors (checked before their sizes), else, once the shapes fit (a shape that does not
    is reported first), addmv for a matrix times a vector, mm for anything times a matrix, bmm for a batch.
    Then how to fix it, in minigrad's names."""
    names = TORCH_TYPE_NAMES[a.dtype.name], TORCH_TYPE_NAMES[b.dtype.name]
    if a.ndim == 1 and b.ndim == 1:
        message = "dot : expected both vectors to have same dtype, but found {} and {}".format(*names)
    else:
        error = _matmul_shape_error(a, b)
        if error is not None:
            return error
        if b.ndim == 1:  # (PyTorch's addmv names its result's dtype first: the vector's)
            message = f"addmv input tensors must have the same dtype, but got {names[1]}, {names[0]}, and {names[1]}"
        elif b.ndim == 2:
            message = (f"expected m1 and m2 to have the same dtype, but got: {CPP_TYPE_NAMES[a.dtype.name]} != "
                       f"{CPP_TYPE_NAMES[b.dtype.name]}")
        elif a._data.dtype == np.bool_:  # (bmm has no bool kernel: it says so before it compares dtypes)
            return not_implemented("bmm", a.dtype)
        else:
            message = "expected scalar type {} but found {}".format(*names)
    return RuntimeError(f"{message}; the operands are {a.dtype.name} and {b.dtype.name}: convert one with "
                        ".float(), .double() or .to(other.dtype)")


def _matmul_shape_error(a: Tensor, b: Tensor) -> RuntimeError | None:
    """PyTorch's error for shapes that cannot be multiplied (None if they can), in the words of the
    kernel its matmul runs: dot for two vectors; mv or mm for vectors and matrices, and for a batch
    folded into matrix rows (see _folds: the larger operand's batch, transposed first if it is b);
    otherwise the batch dimensions must broadcast, then bmm checks the broadcast batch of matrices."""
    sa, sb = tuple(a.shape), tuple(b.shape)
    if len(sa) == 1 and len(sb) == 1:
        if sa != sb:
            return RuntimeError(f"inconsistent tensor size, expected tensor [{sa[0]}] and src [{sb[0]}] to have "
                                f"the same number of elements, but got {sa[0]} and {sb[0]} elements respectively")
        return None
    if (len(sa) <= 2 and len(sb) <= 2) or _folds(a, b):
        if len(sb) > 2 and len(sb) > len(sa):  # b^T with its batch folded into rows, times a^T
            rows, inner, other = math.prod(sb[:-2]) * sb[-1], sb[-2], sa[::-1]
        else:  # a with its batch (if any) folded into rows; a vector is one row
            rows, inner, other = (math.prod(sa[:-1]) if len(sa) > 1 else 1), sa[-1], sb
        if inner == other[0]:
            return None
        if len(other) == 1:
            return RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{inner}), vec ({other[0]})")
        return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{inner} and {other[0]}x{other[1]})")
    if len(sa) == 3 and len(sb) == 3 and sa[0] != sb[0] and is_grad_enabled():  # (as _recorded_matmul)
        if sa[0] == 1 and a._requires_grad:  # a batch of one that needs a gradient: PyTorch drops it and folds
            return _matmul_shape_error(Tensor._make(a._data[0], requires_grad=True), b)
        if sb[0] == 1 and b._requires_grad:
            return _matmul_shape_error(a, Tensor._make(b._data[0], requires_grad=True))
    batch_a, batch_b = sa[:-2], sb[:-2]
    try:  # the dimensions before the last two are batch dimensions: they must broadcast
        batch = np.broadcast_shapes(batch_a, batch_b)
    except ValueError:
        return RuntimeError(broadcast_message(batch_a, batch_b))
    inner, other = sa[-1], (sb[-2] if len(sb) > 1 else sb[0])
    if inner != other:
        count = math.prod(batch)
        return RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{count}, {inner}] "
                            f"but got: [{count}, {other}].")
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


@tensor_method("dot", function=True)
def dot(a: Tensor, other: Tensor) -> Tensor:
    """The dot product of two vectors of the same length (a 1-D matmul)."""
    b = other
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] to have "
                           f"the same number of elements, but got {a.shape[0]} and {b.shape[0]} elements respectively")
    return matmul(a, b)


@tensor_method("mm", function=True)
def mm(a: Tensor, other: Tensor) -> Tensor:
    """The product of two matrices (a 2-D matmul)."""
    b = other
    if a.ndim != 2:
        raise RuntimeError(f"self must be a matrix (2-D), got a {a.ndim}-D tensor of shape {list(a.shape)}")
    if b.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix (2-D), got a {b.ndim}-D tensor of shape {list(b.shape)}; "
                           "for matrix @ vector use mv")
    return matmul(a, b)


@tensor_method("mv", function=True)
def mv(a: Tensor, vec: Tensor) -> Tensor:
    """A matrix times a vector."""
    v = vec
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected: mv needs a 2-D matrix and a 1-D vector, "
                           f"got {a.ndim}-D and {v.ndim}-D tensors")
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), vec ({v.shape[0]})")
    return matmul(a, v)


@tensor_method("__rmatmul__")
def rmatmul(b: Tensor, a) -> Tensor:
    """a @ b, when a is not a tensor (refused, as in PyTorch: both must be tensors)."""
    return matmul(a, b)
