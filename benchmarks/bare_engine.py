"""The least a Python autograd over NumPy must do per operation: a floor for the op-chain benchmark.

Just enough to run the chain of bench_ops (`y * c`, `y + c` for a number c) forward and backward:
each op makes one result and one node holding its edge and what its derivative needs, and backward
walks the chain multiplying by each local derivative. Nothing else: no dtype rules, no version
counters, no grad mode, no hooks, nothing the drawing code reads, and backward formulas on bare
arrays (so no double backward). Not part of minigrad; it only shows what minigrad's features cost.

>>> import numpy as np
>>> x = Leaf(np.array([1.0, 2.0]))
>>> backward((x * 3.0) + 1.0)
array([3., 3.])
"""
from __future__ import annotations

import numpy as np


class Value:
    """An array and the node that made it (None for the input)."""

    __slots__ = ("data", "node")

    def __init__(self, data: np.ndarray, node=None) -> None:
        self.data, self.node = data, node

    def __mul__(self, c: float) -> "Value":
        c = np.asarray(c, self.data.dtype)  # a 0-dim array: NumPy multiplies by it faster than by a float
        return Value(self.data * c, Scale(self.node, c))

    def __add__(self, c: float) -> "Value":
        return Value(self.data + np.asarray(c, self.data.dtype), Shift(self.node))


def Leaf(data: np.ndarray) -> Value:  # noqa: N802 - reads like the constructor it is
    return Value(data)


class Scale:
    """z = x * c.   dz/dx = c."""

    __slots__ = ("previous", "c")

    def __init__(self, previous, c) -> None:
        self.previous, self.c = previous, c

    def __call__(self, grad: np.ndarray) -> np.ndarray:
        return grad * self.c


class Shift:
    """z = x + c.   dz/dx = 1."""

    __slots__ = ("previous",)

    def __init__(self, previous) -> None:
        self.previous = previous

    def __call__(self, grad: np.ndarray) -> np.ndarray:
        return grad


def backward(out: Value) -> np.ndarray:
    """The gradient of sum(out) w.r.t. the input at the start of the chain (a loop, no recursion)."""
    grad, node = np.ones_like(out.data), out.node
    while node is not None:
        grad, node = node(grad), node.previous
    return grad
