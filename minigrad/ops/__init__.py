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
in-place rules), _op (the ops' base class). Everything is importable from `minigrad.ops` itself.

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
from ._op import Op
from .shape import (Cat, Clone, Expand, Permute, Squeeze, Stack, ToCopy, Transpose, Unsqueeze, View, ViewFunction,
                    cat, stack)
from ._inplace import NO_GRAD_VIEW_MESSAGE, VIEW_MESSAGE, inplace, store
from .elementwise import (Abs, Add, AddAlpha, Clamp, Cos, Div, Exp, FloorDivide, Fmod, Log, Maximum, Minimum, Mul,
                          Neg, Pow, PowTensor, Reciprocal, Relu, ReluSlope, Remainder, RoundedQuotient, RPow, Rsub,
                          Sigmoid, Sign, Sin, Sqrt, Sub, Tanh, Where, add, add_alpha, bitwise, clamp, compare, div,
                          floor_divide, fmod, inplace_bitwise, inplace_rounding, invert, logical, maximum, minimum,
                          mul, pow, rdiv, remainder, rpow, rsub, sub, where)
from .reductions import (Cumsum, MaxAll, MaxDim, Mean, Norm, Std, Sum, Var, all_or_any, argmax, argmin, cumsum,
                         max, mean, min, norm, std, sum, sum_to_size, var)
from .linalg import MatMul, dot, matmul, mm, mv
from .indexing import Copy, Fill, Index, IndexPut, MaskedFill, ScatterAdd, index, index_key, masked_fill, setitem
from .nn_ops import Addmm, DivByCount, LogSoftmax, MseLoss, NllLoss, Softmax
