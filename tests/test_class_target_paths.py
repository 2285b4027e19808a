"""cross_entropy and nll_loss with class-index targets against PyTorch, on generated cases: the target
check (one pass over the indices read as unsigned integers) and the loss's two ways of finding each
row's target (every row counted, no search; or a search for the rows whose target is ignore_index).

Generated: int64 targets (minigrad's and PyTorch's dtype of class indices) in range, out of range at
either end (-1, the number of classes, and int64's smallest and largest values), with rows set to
ignore_index, which is outside the classes or one of them; ignore_index as a NumPy integer; 1-D and
2-D inputs, empty batches, transposed inputs and strided targets; every reduction; the loss's value,
the input's gradient, and with create_graph a second derivative. Each case either raises in both (the
same error type, naming the same target) or gives the same numbers in both."""
from __future__ import annotations

import re

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

INT64 = np.iinfo(np.int64)


def _case(rng: np.random.Generator) -> dict:
    classes = int(rng.choice([1, 3, 10]))
    one_row = rng.random() < 0.15
    rows = 0 if one_row else int(rng.choice([0, 1, 5, 37]))
    ignore_index = int(rng.choice([-100, -1, 0, classes - 1, classes, 7]))
    target = rng.integers(0, classes, size=() if one_row else (2 * rows,))  # (twice: a strided view is taken)
    flat = target.reshape(-1)
    kind = rng.choice(["in range", "ignored", "bad", "bad and ignored"], p=[0.35, 0.3, 0.2, 0.15])
    if flat.size and kind in ("ignored", "bad and ignored"):
        flat[rng.random(flat.size) < 0.4] = ignore_index
    if flat.size and kind in ("bad", "bad and ignored"):
        flat[rng.integers(flat.size)] = int(rng.choice([-1, classes, INT64.min, INT64.max, -100]))
    return dict(classes=classes, rows=rows, one_row=one_row, target=target, ignore_index=ignore_index,
                numpy_ignore=bool(rng.random() < 0.2), transposed=bool(rng.random() < 0.3),
                reduction=str(rng.choice(["mean", "sum", "none"])), loss=str(rng.choice(["cross_entropy", "nll_loss"])),
                dtype=str(rng.choice(["float32", "float64"])), create_graph=bool(rng.random() < 0.3),
                scores=rng.normal(size=(classes,) if one_row else (rows, classes)))


def _run(lib, case: dict):
    """(loss, x.grad, the gradient of x.grad's weighted sum or None) of one case; or the error raised."""
    dt = getattr(lib, case["dtype"])
    scores = case["scores"]
    if case["transposed"] and scores.ndim == 2:
        x = lib.tensor(np.ascontiguousarray(scores.T), dtype=dt, requires_grad=True)
        inp = x.t()
    else:
        x = lib.tensor(scores, dtype=dt, requires_grad=True)
        inp = x * 1  # (a node before the loss, as a model's output has)
    target = lib.tensor(case["target"])
    if not case["one_row"]:
        target = target[::2]  # a strided view: the check reads it as it is
    ignore_index = np.int64(case["ignore_index"]) if case["numpy_ignore"] and lib is minigrad else case["ignore_index"]
    loss_fn = getattr(lib.nn.functional, case["loss"])
    try:
        loss = loss_fn(inp, target, ignore_index=ignore_index, reduction=case["reduction"])
    except (IndexError, RuntimeError, ValueError) as err:
        return err
    weights = lib.tensor(np.linspace(0.5, 1.5, max(loss.numel(), 1))[:loss.numel()].reshape(tuple(loss.shape)),
                         dtype=dt)
    (grad,) = lib.autograd.grad((loss * weights).sum(), x, create_graph=case["create_graph"])
    second = None
    if case["create_graph"] and grad.requires_grad:
        (second,) = lib.autograd.grad((grad * grad).sum(), x, allow_unused=True)
    return loss, grad, second


def _target_named(err: Exception) -> str | None:
    found = re.search(r"Target (-?\d+) is out of bounds", str(err))
    return found.group(1) if found else None


def _same(ours, theirs, dtype: str) -> None:
    a, b = ours.detach().numpy(), theirs.detach().numpy()
    assert a.shape == b.shape and a.dtype == b.dtype
    # (log_softmax's backward rounds differently from PyTorch's in the last bits of float32)
    np.testing.assert_allclose(a, b, rtol=3e-6 if dtype == "float32" else 1e-13, atol=1e-7 if dtype == "float32" else 1e-15)
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b))


def test_class_index_targets_against_pytorch():
    rng = np.random.default_rng(14)
    outcomes = {"same error": 0, "same result": 0, "rows ignored": 0, "second derivative": 0, "transposed": 0}
    for i in range(400):
        case = _case(rng)
        ours, theirs = _run(minigrad, case), _run(torch, case)
        where = f"case {i}: {case}"
        if isinstance(theirs, Exception) or isinstance(ours, Exception):
            assert isinstance(ours, Exception) and isinstance(theirs, Exception), f"{where}\nminigrad {ours!r}\ntorch {theirs!r}"
            assert type(ours) is type(theirs), f"{where}\nminigrad {ours!r}\ntorch {theirs!r}"
            assert _target_named(ours) == _target_named(theirs), f"{where}\nminigrad {ours!r}\ntorch {theirs!r}"
            outcomes["same error"] += 1
            continue
        for a, b in zip(ours, theirs):
            assert (a is None) == (b is None), where
            if a is not None:
                _same(a, b, case["dtype"])
        outcomes["same result"] += 1
        outcomes["rows ignored"] += bool((case["target"].reshape(-1)[::1 if case["one_row"] else 2]
                                          == case["ignore_index"]).any())
        outcomes["second derivative"] += ours[2] is not None
        outcomes["transposed"] += case["transposed"]
    # (the generator reaches every kind of case: no outcome is left untested)
    assert min(outcomes.values()) >= 20, outcomes


def test_every_row_counted_and_rows_searched_give_the_same_bits():
    """The two ways of finding the targets agree to the bit: ignore_index outside the classes (no row
    searched for) and inside them but in no row (searched for, none found)."""
    rng = np.random.default_rng(0)
    for reduction in ("mean", "sum", "none"):
        for dtype in (minigrad.float32, minigrad.float64):
            scores = rng.normal(size=(33, 5)) * 10
            target = minigrad.tensor(rng.integers(0, 4, size=33))  # class 4 is never a target
            results = []
            for ignore_index in (-100, 4):
                x = minigrad.tensor(scores, dtype=dtype, requires_grad=True)
                loss = minigrad.nn.functional.cross_entropy(x, target, ignore_index=ignore_index, reduction=reduction)
                loss.backward(minigrad.ones_like(loss) * 0.75)
                results.append((loss.detach().numpy(), x.grad.numpy()))
            for a, b in zip(*results):
                assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), (reduction, dtype)
