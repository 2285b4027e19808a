"""Every differentiable operation of minigrad, one small Function each, in one module per family.

    elementwise   arithmetic, powers, exp/log/trig, rounding division, clamp, maximum/minimum, where;
                  comparisons, bitwise and logical ops (no graph)
    reductions    sum, mean, var, std, cumsum, max/min, norm; argmax/argmin, all/any (no graph)
    shape         view, reshape, transpose, permute, (un)squeeze, expand, clone, to-copy, cat, stack
    linalg        matmul, dot, mm, mv
    indexing      x[key], x[key] = v, masked_fill, fill and copy
    nn_ops        linear's addmm, softmax, log_softmax and the losses behind minigrad.nn.functional

and small shared helpers: _operands (numbers as tensors), _dims (dim arguments), _dtypes (result
dtypes), _messages (PyTorch's words for shapes), _ieee (inf and nan without warnings), _inplace (the
in-place rules) and _op (Op, the ops' base class); minigrad/_registry.py records which functions are
Tensor methods and minigrad functions, and each node's formula. Everything is importable from
`minigrad.ops` itself.

An op is defined once, in its family's module: its forward, its backward, the formula as text, its node
name, and how it is reached (a Tensor method, a minigrad function). minigrad/tensor.py imports this
package at its end and attaches every registered method to Tensor (`attach`).

>>> import minigrad
>>> from minigrad import ops
>>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
>>> ops.Exp.apply(x).grad_fn
<ExpBackward0>
"""
from __future__ import annotations

from ._ieee import _ieee
from ._dtypes import TORCH_TYPE_NAMES, not_implemented
from ._messages import broadcast_message, expand_error
from ._dims import dim_index, infer_shape, viewable
from ._operands import wrap
from .._registry import FUNCTIONS, METHODS, OPS, add_method, attach, elementwise_nodes, formulas, tensor_method
from ._op import Op
from .shape import (ViewFunction, cat, clone, contiguous, expand, expand_as, flatten, permute, reshape, reshape_as,
                    reversed_dims, squeeze, stack, t, transpose, unsqueeze, view, view_as)
from ._inplace import NO_GRAD_VIEW_MESSAGE, VIEW_MESSAGE, inplace, inplace_variant, store
from .elementwise import (BinaryElementwise, UnaryElementwise, absolute, add, add_alpha, add_scaled, bitwise,
                          clamp, compare, div, floor_divide, fmod, inplace_bitwise, invert, logical, maximum,
                          minimum, mul, neg, positive, pow, rdiv, relu, remainder, rfloordiv, rmod, rpow, rsub,
                          sign, square, sub, sub_scaled, where)
from .reductions import (MinMaxResult, Reduction, all_nonzero, all_or_any, any_nonzero, argmax, argmin, cumsum,
                         max, mean, min, norm, std, sum, sum_to_size, var)
from .linalg import dot, matmul, mm, mv, rmatmul
from .indexing import copy_, fill_, index, index_key, masked_fill, setitem, zero_
from .nn_ops import log_softmax, log_softmax_method, softmax, softmax_method

# What `from minigrad.ops import ...` finds besides the op classes (added below from OPS).
__all__ = ["_ieee", "TORCH_TYPE_NAMES", "not_implemented", "broadcast_message", "expand_error", "dim_index",
           "infer_shape", "viewable", "wrap", "FUNCTIONS", "METHODS", "OPS", "add_method", "attach",
           "elementwise_nodes", "formulas", "tensor_method", "Op", "ViewFunction", "cat", "clone", "contiguous",
           "expand", "expand_as", "flatten", "permute", "reshape", "reshape_as", "reversed_dims", "squeeze", "stack",
           "t", "transpose", "unsqueeze", "view", "view_as", "NO_GRAD_VIEW_MESSAGE", "VIEW_MESSAGE", "inplace",
           "inplace_variant", "store", "BinaryElementwise", "UnaryElementwise", "absolute", "add", "add_alpha",
           "add_scaled", "bitwise", "clamp", "compare", "div", "floor_divide", "fmod", "inplace_bitwise", "invert",
           "logical", "maximum", "minimum", "mul", "neg", "positive", "pow", "rdiv", "relu", "remainder", "rfloordiv",
           "rmod", "rpow", "rsub", "sign", "square", "sub", "sub_scaled", "where", "MinMaxResult", "Reduction",
           "all_nonzero", "all_or_any", "any_nonzero", "argmax", "argmin", "cumsum", "max", "mean", "min", "norm",
           "std", "sum", "sum_to_size", "var", "dot", "matmul", "mm", "mv", "rmatmul", "copy_", "fill_", "index",
           "index_key", "masked_fill", "setitem", "zero_", "log_softmax", "log_softmax_method", "softmax",
           "softmax_method"]

# Every op class as minigrad.ops.<Name> (ops.Exp, ops.Sum, ...), whichever family module defines it:
# a new op needs no line here.
globals().update({op.__name__: op for op in OPS})
__all__ += [op.__name__ for op in OPS]
