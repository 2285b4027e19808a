"""Operands that are not tensors (lists, tuples, strings, None, NumPy values) in arithmetic, comparisons,
logic: minigrad must answer as PyTorch does (a value, False/True for ==/!=, or an error of the same type),
for every operator and both operand orders. Also the True/False indexing forms. (NumPy arrays as operands
are left out: PyTorch's answers there depend on the operand order and on NumPy's version.)"""
from __future__ import annotations

import operator

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": operator.pow,
       "==": operator.eq, "!=": operator.ne, "<": operator.lt, ">=": operator.ge, "&": operator.and_,
       "|": operator.or_}
OTHERS = {"list": lambda L: [1.0, 2.0], "tuple": lambda L: (1, 2), "str": lambda L: "a", "None": lambda L: None,
          "int": lambda L: 2,
          "float": lambda L: 0.5, "bool": lambda L: True, "dict": lambda L: {}}


def _outcome(L, op, other, reflected, dtype):
    t = L.tensor([1.0, 2.0]) if dtype == "float" else L.tensor([True, False])
    try:
        r = op(other(L), t) if reflected else op(t, other(L))
    except Exception as e:  # noqa: BLE001 - the kind of error is what is compared
        return ("error", type(e).__name__)
    if isinstance(r, (L.Tensor,)):
        return ("tensor", str(r.dtype).split(".")[-1], np.asarray(r.tolist()).tolist())
    return ("value", r)


def test_non_tensor_operands_answer_as_in_pytorch():
    outcomes = {"same": 0, "different": 0}
    different = []
    for name, op in OPS.items():
        for other_name, other in OTHERS.items():
            for reflected in (False, True):
                for dtype in ("float", "bool"):
                    mine = _outcome(minigrad, op, other, reflected, dtype)
                    theirs = _outcome(torch, op, other, reflected, dtype)
                    if mine == theirs:
                        outcomes["same"] += 1
                    else:
                        outcomes["different"] += 1
                        different.append((name, other_name, reflected, dtype, mine, theirs))
    print(outcomes)
    assert outcomes["same"] == len(OPS) * len(OTHERS) * 4  # every combination was compared
    assert not different, different[:10]


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_true_false_as_an_index_records_pytorchs_nodes(shape):
    def chain(t):
        names, node = [], t.grad_fn
        while node is not None:
            names.append(node.name().split("::")[-1])
            nxt = [f for f, _ in node.next_functions if f is not None]
            node = nxt[0] if nxt else None
        return names

    keys = [True, False, "T", (True, Ellipsis), (Ellipsis, False), (None, True)] + ([(0, True), (True, 0)] if shape else [])
    for key in keys:
        got = []
        for L in (torch, minigrad):
            x = L.tensor(np.arange(float(np.prod(shape))).reshape(shape), dtype=L.float64, requires_grad=True)
            k = L.tensor(True) if key == "T" else key
            y = x[k]
            (y * 2).sum().backward()
            got.append((tuple(y.shape), chain(y), np.asarray(x.grad.tolist()).tolist()))
        assert got[0] == got[1], (shape, key, got)
