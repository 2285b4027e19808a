"""Matrix products and linear layers of two dtypes, and matmul's shape errors, against PyTorch.

Generated: every pair of minigrad's dtypes on vectors, matrices and batches (matmul), every triple of
float32/float64/int64 input, weight and bias on 2-D, 1-D, 3-D and empty inputs with a row, full or no
bias (F.linear), and shapes that do not fit, with each operand requiring grad or not and the first one
transposed (matmul). Each case gives the same outcome in both: the same error type and words (up to
minigrad's hint after ';' or ': Linear'), or a result of the same dtype and shape."""
from __future__ import annotations

import collections
import itertools

import pytest

import minigrad
import minigrad.nn.functional as F

torch = pytest.importorskip("torch")

DTYPES = ["float32", "float64", "int64", "bool"]


def _outcome(run) -> tuple:
    try:
        r = run()
    except Exception as e:  # noqa: BLE001  (the error itself is the outcome compared)
        return (type(e).__name__, str(e).split(";")[0].split(": Linear")[0])
    return ("ok", str(r.dtype).split(".")[-1], tuple(r.shape))


def _compare(cases) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    for name, make in cases:
        ours, theirs = _outcome(lambda: make(minigrad)), _outcome(lambda: make(torch))
        assert ours == theirs, (name, ours, theirs)
        counts[ours[0]] += 1
    return counts


def test_matmul_of_two_dtypes():
    shapes = [((2, 3), (3, 4)), ((3,), (3, 4)), ((2, 3), (3,)), ((3,), (3,)), ((2, 2, 3), (3, 4)), ((2, 3), (2, 3, 4)),
              ((2, 2, 3), (2, 3, 4)), ((2, 2, 3), (3,)), ((3,), (2, 3, 4)), ((0, 3), (3, 4)), ((0,), (0,)),
              ((2, 3), (4, 5)), ((3,), (4,)), ((2, 3), (4,)), ((2, 2, 3), (2, 4, 5)), ((5, 2, 3), (1, 3, 4)),
              ((2, 1, 2, 3), (3, 3, 4)), ((1, 2, 3), (3, 4)), ((2, 3), (1, 3, 4)), ((4, 2, 3), (2, 3, 4))]
    cases = [(f"{a} {da} @ {b} {db}",
              lambda lib, a=a, b=b, da=da, db=db: lib.ones(a, dtype=getattr(lib, da)) @ lib.ones(b, dtype=getattr(lib, db)))
             for (a, b), da, db in itertools.product(shapes, DTYPES, DTYPES) if da != db]
    counts = _compare(cases)
    print(dict(counts))
    assert sum(counts.values()) == 240 and counts["RuntimeError"] >= 200 and counts["NotImplementedError"] >= 9


def test_matmul_shapes_that_do_not_fit():
    # (With batches of one among them: one that needs a gradient is dropped and the product folded, as
    # PyTorch does.)
    shapes = [((2, 2, 3), (1, 4, 5)), ((1, 2, 3), (2, 4, 5)), ((1, 2, 3), (1, 4, 5)), ((1, 2, 3), (3, 4, 5)),
              ((3, 2, 3), (1, 4, 5)), ((1, 2, 3), (2, 3, 4)), ((2, 2, 3), (1, 3, 4)), ((2, 3), (4,)), ((2, 2, 3), (4,)), ((5, 2, 2, 3), (4,)), ((3,), (4, 5)), ((2, 3), (4, 5)),
              ((2, 2, 3), (4, 5)), ((2, 3), (2, 4, 5)), ((3,), (2, 4, 5)), ((2, 2, 3), (2, 4, 5)), ((2, 2, 3), (3, 4, 5)),
              ((3, 2, 3), (2, 3, 4)), ((2, 1, 2, 3), (3, 4, 5)), ((3,), (4,)), ((0, 3), (4,)), ((4, 2, 3), (4, 4, 5)),
              ((2, 3), (3, 4)), ((2, 2, 3), (3,)), ((0,), (0,)), ((2, 3, 0), (0, 4)), ((2, 0, 3), (2, 4, 5))]

    def make(lib, a, b, ga, gb, transposed):
        x = lib.ones(a[::-1] if transposed else a).requires_grad_(ga)
        x = x.permute(*range(len(a) - 1, -1, -1)) if transposed else x
        return x @ lib.ones(b, requires_grad=gb)
    cases = [(f"{a} @ {b} grads {ga} {gb} transposed {tr}",
              lambda lib, a=a, b=b, ga=ga, gb=gb, tr=tr: make(lib, a, b, ga, gb, tr))
             for (a, b), ga, gb, tr in itertools.product(shapes, (False, True), (False, True), (False, True))]
    counts = _compare(cases)
    print(dict(counts))
    assert counts["RuntimeError"] >= 100 and counts["ok"] >= 30


def test_linear_of_two_dtypes():
    kinds = ["float32", "float64", "int64"]
    cases = []
    for xd, wd, bd in itertools.product(kinds, kinds, kinds + [None]):
        for xshape, bias in itertools.product([(2, 3), (3,), (2, 2, 3), (0, 3)], ["row", "full", "none"]):
            if (bd is None) != (bias == "none"):
                continue

            def make(lib, xd=xd, wd=wd, bd=bd, xshape=xshape, bias=bias):
                x, w = lib.ones(xshape, dtype=getattr(lib, xd)), lib.ones(4, 3, dtype=getattr(lib, wd))
                b = (None if bias == "none" else lib.ones(4, dtype=getattr(lib, bd)) if bias == "row"
                     else lib.ones(xshape[:-1] + (4,), dtype=getattr(lib, bd)))
                return (F.linear if lib is minigrad else lib.nn.functional.linear)(x, w, b)
            cases.append((f"{xd} {wd} {bd} {xshape} {bias}", make))
    counts = _compare(cases)
    print(dict(counts))
    assert sum(counts.values()) == 252 and counts["ok"] >= 30 and counts["RuntimeError"] >= 150


def test_linear_layer_of_another_dtype_names_both():
    for bias in (True, False):
        for x in (minigrad.ones(2, 3, dtype=minigrad.float64), minigrad.ones(2, 2, 3, dtype=minigrad.int64)):
            layer = minigrad.nn.Linear(3, 4, bias=bias)
            t_layer = torch.nn.Linear(3, 4, bias=bias)
            with pytest.raises(RuntimeError) as ours:
                layer(x)
            with pytest.raises(RuntimeError) as theirs:
                t_layer(torch.from_numpy(x.numpy()))
            assert str(ours.value).startswith(str(theirs.value) + ": Linear("), (ours.value, theirs.value)
            assert f"the input is {x.dtype.name}; convert the input with x.to(minigrad.float32)" in str(ours.value)
