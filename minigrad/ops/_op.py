"""Op: the base class of minigrad's built-in operations (a Function with what the op package reads).

>>> from minigrad.ops import Exp
>>> issubclass(Exp, Op), Exp.node_name
(True, 'ExpBackward0')
"""
from __future__ import annotations

from typing import Callable

from ..autograd.function import Function


class Op(Function):
    """A built-in operation: PyTorch's Function shape, plus what the in-place path reads. Each op's
    docstring states the derivative its backward uses (e.g. z = x**2.   dz/dx = 2x).

    wraps_numbers:           x.op_(2): a Python number operand becomes a 0-dim tensor first
    writes_one_value:        the op writes one value everywhere, so an expanded target is fine (fill_)
    check_inplace_operands:  called as check(target, other) before an in-place use (PyTorch's early refusals)
    """

    wraps_numbers: bool = False
    writes_one_value: bool = False
    check_inplace_operands: "Callable | None" = None
