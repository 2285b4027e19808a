"""Every in-place method (x.op_(...)) against its out-of-place twin (x.op(...)) and against PyTorch.

The list of methods is generated: every public Tensor method ending in `_` whose name without it is an
op method too. Each is called on every dtype with each argument set of its kind, plain and in a graph
(a non-leaf that requires grad, then backward), and what happens (the error's type and words, or the
values, dtype and gradient) must be what the out-of-place twin gives written back into x, and what
PyTorch gives. In-place methods used to take a path of their own: x.clamp() raised where x.clamp_()
silently returned, and x.clamp_(min=tensor(0.5)) failed inside NumPy.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

NOT_OPS = {"requires_grad_", "detach_"}  # autograd switches, not ops with an out-of-place twin
INPLACE = sorted(name for name in dir(minigrad.Tensor) if name.endswith("_") and not name.startswith("_")
                 and name not in NOT_OPS and callable(getattr(minigrad.Tensor, name[:-1], None)))

UNARY = {"exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "reciprocal", "neg", "abs", "sign", "relu",
         "square", "log1p", "expm1"}
CLAMP = {"clamp", "clip"}
# argument sets for the ops taking another operand: numbers and tensors (same shape, broadcast, too big)
OTHER = [lambda T: (2,), lambda T: (0.5,), lambda T: (True,), lambda T: (T.tensor([1.5, -2.0, 3.0]),),
         lambda T: (T.tensor(2),), lambda T: (T.tensor([[1.0], [2.0]]),), lambda T: (T.tensor([True, False, True]),)]
BOUNDS = [lambda T: (), lambda T: (-0.5, 0.5), lambda T: (None, 1), lambda T: (0,),
          lambda T: (T.tensor(0.5),), lambda T: (True, None), lambda T: (-1.5,)]
MASKS = [lambda T: (T.tensor([True, False, True]), 0.5), lambda T: (T.tensor(True), -1),
         lambda T: (T.tensor([[True, False, True], [False, False, True]]), 2.0), lambda T: (T.tensor([1, 0, 1]), 1.0),
         lambda T: (T.tensor([True, False, True]), T.tensor(3.0)), lambda T: (T.tensor([True, False, True]), float("nan"))]
DTYPES = ["bool", "int64", "float32", "float64"]
VALUES = [0.25, -1.5, 2.0]


def _args(name: str) -> list:
    """The argument sets for in-place method `name` (that of its twin, name without the `_`)."""
    name = name[:-1]
    if name in UNARY:
        return [lambda T: ()]
    if name in CLAMP:
        return BOUNDS
    if name == "masked_fill":
        return MASKS
    return OTHER


def _cases():
    """Every in-place method x dtype x argument set, plain and (for floating dtypes: only those can
    require grad) on a tracked tensor."""
    assert {"add_", "sub_", "mul_", "div_", "clamp_"} <= set(INPLACE), INPLACE  # the list is not vacuous
    for name in INPLACE:
        for dtype in DTYPES:
            for i, make in enumerate(_args(name)):
                for graph in (False, True) if dtype in ("float32", "float64") else (False,):
                    yield pytest.param(name, dtype, make, graph, id=f"{name}-{dtype}-{i}-{'graph' if graph else 'plain'}")


def _run(T, name: str, dtype: str, make, inplace: bool, graph: bool):
    """('error', type, words) or ('ok', values, dtype, gradient)."""
    x = T.tensor(VALUES, dtype=getattr(T, "bool" if dtype == "bool" else dtype))
    leaf = None
    if graph:
        leaf = x.clone().requires_grad_()
        x = leaf * 1  # a non-leaf: in place is allowed, and recorded
    args = make(T)
    try:
        if inplace:
            out = getattr(x, name)(*args)
            assert out is x
        else:
            out = getattr(x, name[:-1])(*args)
        grad = None
        if graph and out.requires_grad:
            out.sum().backward()
            grad = leaf.grad.tolist()
        return ("ok", out.detach().tolist(), str(out.dtype).split(".")[-1], grad)
    except Exception as e:  # noqa: BLE001 - the outcome is what is compared
        return ("error", type(e).__name__, str(e).split("\n")[0])


def _same(a, b) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "error":
        return a[1] == b[1]
    if a[2] != b[2]:
        return False
    for u, v in ((a[1], b[1]), (a[3], b[3])):
        if (u is None) != (v is None):
            return False
        if u is not None and not np.allclose(np.asarray(u, dtype=float), np.asarray(v, dtype=float), equal_nan=True,
                                             rtol=1e-5, atol=1e-6):
            return False
    return True


@pytest.mark.parametrize("name, dtype, make, graph", list(_cases()))
def test_inplace_is_its_twin_written_back_and_matches_pytorch(name, dtype, make, graph):
    mine = _run(minigrad, name, dtype, make, True, graph)
    theirs = _run(torch, name, dtype, make, True, graph)
    assert _same(mine, theirs), f"minigrad {mine} vs PyTorch {theirs}"
    twin = _run(minigrad, name, dtype, make, False, graph)
    if twin[0] == "error":  # the out-of-place op refuses: so does the in-place one (PyTorch's words, above)
        assert mine[0] == "error", f"{name}: out of place {twin}, in place {mine}"
    elif twin[2] == dtype and len(twin[1]) == len(VALUES) and not isinstance(twin[1][0], list):
        assert _same(mine, twin), f"{name}: out of place {twin}, in place {mine}"  # same values, written into x


def test_an_inplace_change_to_a_leaf_that_requires_grad_is_refused_as_in_pytorch():
    for name in INPLACE:
        args = _args(name)[1 if name in CLAMP else 0](minigrad)
        x = minigrad.tensor(VALUES, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            getattr(x, name)(*args)


def test_clamp_in_place_takes_what_clamp_takes():
    x = minigrad.tensor([0.25, -1.5, 2.0])
    assert x.clone().clamp_(min=minigrad.tensor(0.5)).tolist() == x.clamp(min=minigrad.tensor(0.5)).tolist()
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max'"):
        x.clamp_()
    assert not math.isnan(x.sum().item())


def test_every_unary_op_with_a_method_has_its_inplace_variant_where_pytorch_has_one():
    from minigrad import ops

    for op in ops.OPS:
        name = getattr(op, "method", None)
        if name and hasattr(torch.Tensor, name + "_"):
            assert name + "_" in INPLACE, name
