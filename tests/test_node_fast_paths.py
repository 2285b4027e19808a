"""The quick __call__ of AddmmBackward0's and TBackward0's nodes (ops/nn_ops.py _AddmmNode, ops/shape.py
_MatrixTransposeNode) against the general path they stand in for, and against PyTorch.

Generated linear layers: batch, in and out sizes with 0 and 1 among them, float32 and float64 and the two
mixed, a bias of one number per column, a bias of the result's shape or none, every choice of which of
x, W and b require grad, x a transposed view, the weight or x changed in place after forward, a second
backward through a released graph, create_graph. Each node the backward reaches is called both ways,
under no_grad as the engine calls it: the quick path must give what the general one gives (the same
tensors' bits, shapes and dtypes, or the same error), and the whole backward what PyTorch gives. The
counts at the end show that both the quick path and its way back to the general one ran."""
from __future__ import annotations

import collections

import numpy as np
import pytest

import minigrad
import minigrad.nn.functional as F
from minigrad.autograd.function import BackwardNode

DTYPES = ((("float32", "float32"),) * 3 + (("float64", "float64"),) * 2 + (("float32", "float64"), ("float64", "float32")))


def _case(rng: np.random.Generator) -> dict:
    n, k, out = (int(rng.choice([0, 1, 3, 5])) for _ in range(3))
    x_dtype, w_dtype = DTYPES[rng.integers(len(DTYPES))]
    return dict(n=n, k=k, out=out, x_dtype=x_dtype, w_dtype=w_dtype, seed=int(rng.integers(1 << 30)),
                bias=str(rng.choice(["row", "row", "full", "none"])), transposed=bool(rng.random() < 0.2),
                x_grad=bool(rng.random() < 0.6), w_grad=bool(rng.random() < 0.8), b_grad=bool(rng.random() < 0.7),
                change=str(rng.choice(["nothing"] * 6 + ["weight", "x"])), twice=bool(rng.random() < 0.15),
                create_graph=bool(rng.random() < 0.15))


def _inputs(lib, c: dict) -> tuple:
    rng = np.random.default_rng(c["seed"])
    shape = (c["k"], c["n"]) if c["transposed"] else (c["n"], c["k"])
    x = lib.tensor(rng.normal(size=shape).astype(c["x_dtype"]), requires_grad=c["x_grad"])
    w = lib.tensor(rng.normal(size=(c["out"], c["k"])).astype(c["w_dtype"]), requires_grad=c["w_grad"])
    b = None
    if c["bias"] != "none":
        b_shape = (c["out"],) if c["bias"] == "row" else (c["n"], c["out"])
        b = lib.tensor(rng.normal(size=b_shape).astype(c["w_dtype"]), requires_grad=c["b_grad"])
    return x, w, b


def _run(lib, c: dict):
    """The backward's outcome: ("grads", [x.grad, W.grad, b.grad] as arrays or None) or ("error", type, first words)."""
    x, w, b = _inputs(lib, c)
    leaves = [t for t in (x, w, b) if t is not None]
    try:
        xin = x.t() if c["transposed"] else x
        y = F.linear(xin, w, b) if lib is minigrad else lib.nn.functional.linear(xin, w, b)
        if not y.requires_grad:
            return ("untracked",)
        with lib.no_grad():
            if c["change"] == "weight":
                w.add_(1.0)
            elif c["change"] == "x":
                x.mul_(2.0)
        loss = (y * y).sum()
        loss.backward(retain_graph=c["twice"], create_graph=c["create_graph"])
        if c["twice"]:
            loss.backward()
    except RuntimeError as e:
        return ("error", str(e).split(";")[0][:60])
    return ("grads", [None if t.grad is None else t.grad.detach().numpy().copy() for t in leaves])


def _same_call(node, grad, counts) -> None:
    """node(grad) and the general path on the same node and gradient: the same tensors (values, shape, dtype
    and memory layout), or the same error."""
    outcomes = []
    for call in (type(node).__call__, BackwardNode.__call__):
        try:
            got = call(node, grad)
            outcomes.append(("grads", [None if g is None else (g._data.tobytes(), g._data.shape, g._data.dtype, g._data.strides)
                                       for g in got]))
        except RuntimeError as e:
            outcomes.append(("error", str(e)))
    assert outcomes[0] == outcomes[1], (type(node).__name__, outcomes)
    counts[type(node).__name__, outcomes[0][0]] += 1


def _call_every_node(starts: list, counts) -> None:
    """_same_call at each node reached from the (node, gradient) pairs `starts`, each node called with a
    gradient of its output's shape and dtype (what the node above gave, as the engine gives it)."""
    stack, seen = list(starts), set()
    while stack:
        node, grad = stack.pop()
        if node is None or id(node) in seen or not isinstance(node, BackwardNode):
            continue
        seen.add(id(node))
        with minigrad.no_grad():
            _same_call(node, grad, counts)
            try:
                got = node(grad)
            except RuntimeError:
                continue
        stack.extend((child, gi) for (child, _), gi in zip(node.next_functions, got) if gi is not None)


def test_quick_node_calls_give_what_the_general_path_gives():
    rng = np.random.default_rng(20261130)
    counts: collections.Counter = collections.Counter()
    for _ in range(300):
        c = _case(rng)
        x, w, b = _inputs(minigrad, c)
        try:
            y = F.linear(x.t() if c["transposed"] else x, w, b)
        except RuntimeError:  # (two dtypes: refused, as PyTorch refuses them; the last test compares)
            continue
        if y.grad_fn is None:
            continue
        with minigrad.no_grad():
            if c["change"] == "weight":
                w.add_(1.0)
            elif c["change"] == "x":
                x.mul_(2.0)
        g = minigrad.tensor(np.random.default_rng(c["seed"] + 1).normal(size=y.shape).astype(y._data.dtype.name))
        _call_every_node([(y.grad_fn, g)], counts)
        if c["twice"] and c["change"] == "nothing":  # a released node: the quick path must say so as the general one does
            (y * y).sum().backward()
            with minigrad.no_grad():
                _same_call(y.grad_fn, g, counts)
    print(dict(counts))
    # Both node kinds ran, with gradients and with errors (the changed-in-place and released cases)
    for name in ("AddmmBackward0", "TBackward0"):
        assert counts[name, "grads"] >= 50, counts
    assert counts["AddmmBackward0", "error"] >= 10, counts


def test_quick_node_paths_are_taken_and_left():
    """The quick paths ran where they should (a float32 Linear layer), and left for the general path
    where they must (a weight changed in place, create_graph)."""
    general = collections.Counter()
    original = BackwardNode.__call__

    def counting(self, *grads):
        if type(self).__name__ in ("AddmmBackward0", "TBackward0"):
            general[type(self).__name__] += 1
        return original(self, *grads)
    BackwardNode.__call__ = counting
    try:
        layer = minigrad.nn.Linear(4, 3)
        layer(minigrad.ones(2, 4)).sum().backward()
        assert general == {}, general  # both nodes quick
        y = layer(minigrad.ones(2, 4, requires_grad=True)).sum()  # (so that W^T is saved: x's gradient needs it)
        with minigrad.no_grad():
            layer.weight.add_(1.0)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.backward()
        assert general["AddmmBackward0"] == 1 and general["TBackward0"] == 0, general
        layer(minigrad.ones(2, 4)).sum().backward(create_graph=True)
        assert general["AddmmBackward0"] == 2 and general["TBackward0"] == 1, general
    finally:
        BackwardNode.__call__ = original


def test_linear_backward_against_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    outcomes: collections.Counter = collections.Counter()
    for _ in range(200):
        c = _case(rng)
        ours, theirs = _run(minigrad, c), _run(torch, c)
        assert ours[0] == theirs[0], (c, ours, theirs)
        if ours[0] == "grads":
            for a, b in zip(ours[1], theirs[1]):
                assert (a is None) == (b is None), c
                if a is not None:
                    assert a.dtype == b.dtype and a.shape == b.shape, c
                    np.testing.assert_allclose(a, b, rtol=1e-5 if a.dtype == np.float32 else 1e-12, atol=1e-5)
        elif ours[0] == "error":
            assert ours[1].split(":")[0] == theirs[1].split(":")[0], (c, ours, theirs)
        outcomes[ours[0]] += 1
    print(dict(outcomes))
    assert outcomes["grads"] >= 100 and outcomes["error"] >= 10, outcomes


def test_quick_relu_node_gives_what_the_general_path_gives():
    """ReluBackward0's quick path (ops/elementwise.py _ReluNode) against the general one, on generated
    inputs and gradients with 0, -0.0, inf and nan among them, 0-dim, empty and transposed arrays, both
    float dtypes, the output changed in place after forward, a released node."""
    rng = np.random.default_rng(11)
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.5, -2.0])
    counts: collections.Counter = collections.Counter()
    for _ in range(300):
        dtype = str(rng.choice(["float32", "float64"]))
        shape = [(), (0,), (1,), (3,), (2, 3), (4, 2, 3)][rng.integers(6)]
        values = rng.normal(size=shape)
        if values.size:
            flat = values.reshape(-1)
            picks = rng.random(flat.size) < 0.3
            flat[picks] = rng.choice(specials, size=int(picks.sum()))
        x = minigrad.tensor(values.astype(dtype), requires_grad=True)
        source = x.t() if values.ndim == 2 and rng.random() < 0.3 else x
        y = source.relu()
        out_shape = tuple(y.shape)
        g_values = rng.choice(specials, size=out_shape) if rng.random() < 0.3 else rng.normal(size=out_shape)
        g = minigrad.tensor(np.asarray(g_values).astype(dtype))
        if rng.random() < 0.1:
            g = g.to(minigrad.float64 if dtype == "float32" else minigrad.float32)  # (another dtype: the general path)
        kind = rng.choice(["plain", "changed", "released"], p=[0.8, 0.1, 0.1])
        if kind == "changed":
            with minigrad.no_grad():
                y.add_(1.0)
        elif kind == "released":
            (y * 1.0).sum().backward()
        with minigrad.no_grad():
            _same_call(y.grad_fn, g, counts)
    print(dict(counts))
    assert counts["ReluBackward0", "grads"] >= 200 and counts["ReluBackward0", "error"] >= 30, counts


def test_quick_loss_nodes_give_what_the_general_path_gives():
    """LogSoftmaxBackward0's and NllLossBackward0's quick paths (ops/nn_ops.py) against the general one:
    cross_entropy and log_softmax + nll_loss on generated logits (empty batches, one row, a transposed
    input, inf and nan among them, both float dtypes), targets with ignored rows, every reduction, the
    logits or the log-probabilities changed in place after forward, released nodes; every node the
    backward reaches called both ways."""
    rng = np.random.default_rng(5)
    counts: collections.Counter = collections.Counter()
    for _ in range(300):
        dtype = str(rng.choice(["float32", "float64"]))
        rows, classes = int(rng.choice([0, 1, 4])), int(rng.choice([1, 3]))
        logits = rng.normal(size=(classes, rows) if rng.random() < 0.2 else (rows, classes))
        if logits.size and rng.random() < 0.2:
            logits.reshape(-1)[rng.integers(logits.size)] = rng.choice([np.inf, -np.inf, np.nan])
        x = minigrad.tensor(logits.astype(dtype), requires_grad=True)
        x_in = x.t() if logits.shape != (rows, classes) else x
        target = minigrad.tensor(rng.integers(0, classes, size=rows))
        ignore = int(rng.choice([-100, 0]))
        reduction = str(rng.choice(["mean", "sum", "none"]))
        log_probs = F.log_softmax(x_in, dim=1)
        loss = F.nll_loss(log_probs, target, ignore_index=ignore, reduction=reduction)
        kind = rng.choice(["plain", "logits changed", "log-probs changed", "released"], p=[0.7, 0.1, 0.1, 0.1])
        if kind == "logits changed":
            with minigrad.no_grad():
                x.mul_(2.0)
        elif kind == "log-probs changed":
            with minigrad.no_grad():
                log_probs.add_(1.0)
        elif kind == "released":
            loss.sum().backward()
        g = minigrad.tensor(rng.normal(size=tuple(loss.shape)).astype(dtype))
        g_log_probs = minigrad.tensor(rng.normal(size=tuple(log_probs.shape)).astype(dtype))
        _call_every_node([(loss.grad_fn, g), (log_probs.grad_fn, g_log_probs)], counts)  # (log_softmax's even if nll's raises)
    print(dict(counts))
    for name in ("LogSoftmaxBackward0", "NllLossBackward0"):
        assert counts[name, "grads"] >= 150 and counts[name, "error"] >= 10, counts
