"""What a node keeps for backward, checked against PyTorch by what a user can observe.

PyTorch saves, for each operation, only what the formulas of the inputs that need a gradient use:
`a * b` keeps `b` only if `a` needs a gradient, `exp` keeps its result and not its input, `sum`
keeps nothing. What a node keeps decides which in-place changes make backward fail ("modified by
an inplace operation"), and whether a second backward works. Those are the outcomes compared here:
many generated programs, each run on minigrad and on PyTorch (op x which operands require grad x
which tensor is changed in place, and how), counted by outcome.
"""
from __future__ import annotations

import gc
import itertools
import weakref

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")


# ------------------------------------------------------------------ the ops: (name, shapes, function)
def _linear(T, x, w, b):
    F = T.nn.functional
    return F.linear(x, w, b)


OPS = [
    ("add", [(2, 3), (2, 3)], lambda T, a, b: a + b),
    ("sub", [(2, 3), (3,)], lambda T, a, b: a - b),
    ("mul", [(2, 3), (2, 3)], lambda T, a, b: a * b),
    ("mul_broadcast", [(2, 3), (3,)], lambda T, a, b: a * b),
    ("mul_number", [(2, 3)], lambda T, a: a * 2.5),
    ("rmul_number", [(2, 3)], lambda T, a: 2.5 * a),
    ("div", [(2, 3), (2, 3)], lambda T, a, b: a / b),
    ("div_number", [(2, 3)], lambda T, a: a / 4.0),
    ("rdiv_number", [(2, 3)], lambda T, a: 4.0 / a),
    ("pow_number", [(2, 3)], lambda T, a: a ** 3),
    ("pow_tensor", [(2, 3), (2, 3)], lambda T, a, b: a ** b),
    ("rpow", [(2, 3)], lambda T, a: 2.0 ** a),
    ("neg", [(2, 3)], lambda T, a: -a),
    ("exp", [(2, 3)], lambda T, a: a.exp()),
    ("log", [(2, 3)], lambda T, a: a.log()),
    ("sqrt", [(2, 3)], lambda T, a: a.sqrt()),
    ("reciprocal", [(2, 3)], lambda T, a: a.reciprocal()),
    ("tanh", [(2, 3)], lambda T, a: a.tanh()),
    ("sigmoid", [(2, 3)], lambda T, a: a.sigmoid()),
    ("relu", [(2, 3)], lambda T, a: (a - 1.2).relu()),
    ("abs", [(2, 3)], lambda T, a: a.abs()),
    ("sin", [(2, 3)], lambda T, a: a.sin()),
    ("cos", [(2, 3)], lambda T, a: a.cos()),
    ("sign", [(2, 3)], lambda T, a: a.sign()),
    ("clamp", [(2, 3)], lambda T, a: a.clamp(0.8, 1.5)),
    ("softmax", [(2, 3)], lambda T, a: a.softmax(1)),
    ("log_softmax", [(2, 3)], lambda T, a: a.log_softmax(-1)),
    ("sum", [(2, 3)], lambda T, a: a.sum()),
    ("sum_dim", [(2, 3)], lambda T, a: a.sum(1)),
    ("mean", [(2, 3)], lambda T, a: a.mean(0)),
    ("var", [(2, 3)], lambda T, a: a.var()),
    ("std", [(2, 3)], lambda T, a: a.std(1)),
    ("norm", [(2, 3)], lambda T, a: a.norm()),
    ("max", [(2, 3)], lambda T, a: a.max()),
    ("max_dim", [(2, 3)], lambda T, a: a.max(1)[0]),
    ("cumsum", [(2, 3)], lambda T, a: a.cumsum(1)),
    ("maximum", [(2, 3), (2, 3)], lambda T, a, b: T.maximum(a, b)),
    ("minimum", [(2, 3), (3,)], lambda T, a, b: T.minimum(a, b)),
    ("masked_fill", [(2, 3)], lambda T, a: a.masked_fill(a > 1.5, 0.0)),
    ("dot", [(3,), (3,)], lambda T, a, b: a @ b),
    ("mv", [(2, 3), (3,)], lambda T, a, b: a @ b),
    ("mm", [(2, 3), (3, 4)], lambda T, a, b: a @ b),
    ("vec_mat", [(3,), (3, 4)], lambda T, a, b: a @ b),
    ("batch_mat", [(2, 2, 3), (3, 4)], lambda T, a, b: a @ b),
    ("batch_batch", [(2, 2, 3), (2, 3, 4)], lambda T, a, b: a @ b),
    ("vec_batch", [(3,), (2, 3, 4)], lambda T, a, b: a @ b),
    ("mse_loss", [(2, 3), (2, 3)], lambda T, a, b: T.nn.functional.mse_loss(a, b)),
    ("linear", [(2, 3), (4, 3), (4,)], _linear),
    ("linear_1d", [(3,), (4, 3), (4,)], _linear),
]

# How an operand reaches the op: a leaf that requires grad, a constant, or the result of another op.
KINDS = ("leaf", "const", "made")
# What happens between forward and backward: nothing, or an in-place add_ on an operand or on the
# result, with grad mode on or under no_grad.
CHANGES = [None] + [(target, mode) for target in ("operand0", "operand1", "result") for mode in ("grad", "no_grad")]


def _values(shapes, seed):
    rng = np.random.default_rng(seed)
    # In [0.6, 2): log, sqrt, reciprocal and a ** b are defined, and no two values tie.
    return [rng.uniform(0.6, 2.0, size=s) for s in shapes]


def _outcome(error: Exception) -> str:
    text = str(error)
    for key, kind in (("modified by an inplace operation", "inplace-modified"),
                      ("leaf Variable that requires grad", "leaf-inplace"),
                      ("backward through the graph a second time", "freed")):
        if key in text:
            return kind
    return f"other {type(error).__name__}: {text[:80]}"


def run_program(T, op, kinds, change, arrays, backward_twice=False):
    """Build one program in library T; returns what happened, stage by stage."""
    name, shapes, fn = op
    leaves, operands = [], []
    for kind, a in zip(kinds, arrays):
        t = T.tensor(a, dtype=T.float64, requires_grad=kind != "const")
        if kind != "const":
            leaves.append(t)
        operands.append(t * 1.0 if kind == "made" else t)
    record = []
    try:
        out = fn(T, *operands)
    except Exception as e:  # pragma: no cover - a failure here is reported by the comparison
        return [("forward", _outcome(e))]
    record.append(("requires_grad", out.requires_grad))
    record.append(("view", out._base is not None))
    if change is not None and change[0] == "result" and out._base is not None:
        return record  # in-place on a view of a tracked tensor: a deliberate difference (docs/architecture.md)
    if change is not None:
        target, mode = change
        t = out if target == "result" else operands[int(target[-1])] if int(target[-1]) < len(operands) else None
        if t is None:
            return None
        try:
            if mode == "no_grad":
                with T.no_grad():
                    t.add_(1.0)
            else:
                t.add_(1.0)
            record.append(("change", "ok"))
        except Exception as e:
            record.append(("change", _outcome(e)))
            return record
    if not out.requires_grad:
        return record
    try:
        out.sum().backward(retain_graph=False)
        record.append(("backward", [None if x.grad is None else np.round(x.grad.detach().numpy(), 6).tolist()
                                    for x in leaves]))
    except Exception as e:
        record.append(("backward", _outcome(e)))
        return record
    if backward_twice:
        try:
            out.sum().backward()
            record.append(("second backward", "ok"))
        except Exception as e:
            record.append(("second backward", _outcome(e)))
    return record


def _programs():
    for i, op in enumerate(OPS):
        n = len(op[1])
        for kinds in itertools.product(KINDS, repeat=n):
            if "const" in kinds and len(set(kinds)) == 1:
                continue  # nothing requires grad: nothing saved
            for change in CHANGES:
                if change is not None and change[0].startswith("operand") and int(change[0][-1]) >= n:
                    continue
                yield op, kinds, change, _values(op[1], i)


def test_saved_tensors_match_pytorch_in_generated_programs():
    """Every (op, operand kinds, in-place change) program ends the same way in both libraries."""
    counts = {"same": 0, "different": 0}
    differences = []
    for op, kinds, change, arrays in _programs():
        ours = run_program(minigrad, op, kinds, change, arrays)
        theirs = run_program(torch, op, kinds, change, arrays)
        if ours == theirs:
            counts["same"] += 1
        else:
            counts["different"] += 1
            differences.append(f"{op[0]} {kinds} {change}:\n  minigrad {ours}\n  torch    {theirs}")
    print(counts)
    assert counts["same"] + counts["different"] >= 1500
    assert not differences, f"{len(differences)} programs differ, e.g.\n" + "\n".join(differences[:8])


def test_second_backward_matches_pytorch():
    """A graph that saved nothing can be walked twice; one that saved something says it was freed."""
    counts = {"same": 0, "different": 0}
    differences = []
    for op in OPS:
        kinds = ("leaf",) * len(op[1])
        arrays = _values(op[1], 7)
        ours = run_program(minigrad, op, kinds, None, arrays, backward_twice=True)
        theirs = run_program(torch, op, kinds, None, arrays, backward_twice=True)
        if ours == theirs:
            counts["same"] += 1
        else:
            counts["different"] += 1
            differences.append(f"{op[0]}:\n  minigrad {ours}\n  torch    {theirs}")
    print(counts)
    assert not differences, "\n".join(differences)


def test_the_issue_examples():
    a = minigrad.tensor(2.0, requires_grad=True)
    b = minigrad.tensor(3.0, requires_grad=True)
    d = a * b
    e = d * 2          # keeps the 2, not d
    d += 1
    e.backward()
    assert (a.grad.item(), b.grad.item()) == (6.0, 4.0)

    x = minigrad.tensor([0.5, 1.0], requires_grad=True)
    y = x.exp()        # keeps y, not x
    with minigrad.no_grad():
        x.add_(1)
    y.sum().backward()
    assert np.allclose(x.grad.numpy(), np.exp([0.5, 1.0]))

    y = x.exp()
    y.add_(1)          # y itself changed: its node needs the old y
    with pytest.raises(RuntimeError, match="output 0 of ExpBackward0, is at version 1; expected version 0"):
        y.sum().backward()


@pytest.mark.parametrize("name", ["exp", "tanh", "sigmoid", "sqrt", "reciprocal", "relu", "softmax", "log_softmax",
                                  "pow_tensor", "std", "norm", "max", "rpow"])
def test_second_derivatives_through_saved_results_match_pytorch(name):
    """The saved result comes back with this node as its grad_fn, so create_graph differentiates through it."""
    op = next(o for o in OPS if o[0] == name)
    arrays = _values(op[1], 3)

    def second(T):
        xs = [T.tensor(a, dtype=T.float64, requires_grad=True) for a in arrays]
        out = op[2](T, *xs)
        weights = T.tensor(np.linspace(0.5, 1.5, out.numel()).reshape(tuple(out.shape)), dtype=T.float64)
        firsts = T.autograd.grad((out * weights).sum(), xs, create_graph=True)
        total = sum((g * g).sum() for g in firsts)
        if not total.requires_grad:  # the first derivative is a constant (max): no second-order graph
            return ["constant first derivative"]
        return [g.detach().numpy() for g in T.autograd.grad(total, xs)]

    ours, theirs = second(minigrad), second(torch)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12) if not isinstance(a, str) else None
        assert isinstance(a, str) == isinstance(b, str)


def test_a_saved_result_is_rebuilt_with_its_node_and_version():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    (saved,) = y.grad_fn.saved_tensors
    assert saved is not y and saved.grad_fn is y.grad_fn and saved.requires_grad   # as PyTorch's _saved_result
    assert np.shares_memory(saved._data, y._data)
    with minigrad.no_grad():
        y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.grad_fn.saved_tensors


def test_saving_a_result_makes_no_reference_cycle():
    """node -> result -> grad_fn -> node would wait for the cycle collector: nothing may wait for it."""
    gc.disable()
    try:
        x = minigrad.ones(3, requires_grad=True)
        refs = []
        for f in (lambda t: t.exp(), lambda t: t.tanh(), lambda t: t.sigmoid(), lambda t: t.sqrt(),
                  lambda t: t.reciprocal(), lambda t: t.relu(), lambda t: t.softmax(0), lambda t: t.log_softmax(0),
                  lambda t: t ** t, lambda t: t.std(), lambda t: t.norm(), lambda t: t.max()):
            y = f(x)
            refs.append((weakref.ref(y), weakref.ref(y.grad_fn)))
            del y
        assert [(r(), n()) for r, n in refs] == [(None, None)] * len(refs)
    finally:
        gc.enable()
