"""Op: the base class of minigrad's built-in operations (a Function with what the op package reads).

>>> from minigrad.ops import Exp
>>> issubclass(Exp, Op), Exp.node_name, Exp.formula
(True, 'ExpBackward0', 'z = exp(a):  dz/da = exp(a)')
"""
from __future__ import annotations

from ..autograd.function import Function
from .._registry import OPS


class Op(Function):
    """A built-in operation: PyTorch's Function shape (forward(ctx, ...), backward(ctx, grad)), and
    its docstring states the derivative its backward uses (e.g. z = x**2.   dz/dx = 2x).

    What the rest of minigrad reads from an op, all defined with it:
      node_name:      the graph node's name; by default the class name + "Backward0" (PyTorch's
                      naming), given only where PyTorch's differs
      formula:        the local derivative as text, shown by the backward stepper and docs/api.md;
                      node_formulas adds texts for the other node names an op records (SumBackward1)
      elementwise:    one local derivative per element, so the stepper can show its values
    """

    formula: "str | None" = None
    node_formulas: dict = {}
    elementwise: bool = False

    def __init_subclass__(cls, family: bool = False, **kwargs) -> None:
        """family=True marks a base class of a family of ops (UnaryElementwise, ...), not an op itself."""
        named = "node_name" in cls.__dict__  # (read before Function's hook gives it PyTorch's custom-Function name)
        super().__init_subclass__(**kwargs)
        if not named:
            cls.node_name = cls.__name__ + "Backward0"
        if not family:
            OPS.append(cls)
