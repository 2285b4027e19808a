"""Recording quick paths (ops that make their node directly in their usual case, instead of through
Function.apply's general bookkeeping) against the general path they stand in for: those of the five ops
a training step of an MLP classifier records (MatrixTranspose and Addmm for each Linear layer, Relu,
LogSoftmax and NllLoss for the loss). Each case's inputs are made with grad mode on and recorded under
the case's grad mode, once each way (_both_ways).

MatrixTranspose.apply (x.t(), and Linear's weight.t()): generated tensors of every kind (leaf or not,
a view, under no_grad, empty, a row, square, float32, float64, int64, bool, a detached-in-place leaf,
a leaf with hooks, with a live graph, changed in place before, a Parameter, 0-dim and 1-d), with a graph
observer or not. Each is recorded both ways; the result tensors and their nodes must be alike in every
field (the same edges, versions, base, metadata; a sequence number in creation order), and the quick
path must have been taken where it should and left everywhere else.

Addmm.apply: generated Linear-layer inputs (a bias that is a leaf, hooked, a non-leaf or needs no gradient,
of one number per column, the result's shape or a wrong length; M the transpose of a leaf, a non-leaf, a
leaf, untracked, a tensor whose node is not its own (a saved result unpacked); X the input, a leaf, a relu
output, a slice, changed in place, a saved result; sizes with 0 and 1; float32, float64, int64 and mixed
dtypes; grad mode on and off; a graph observer), compared the same way, errors included.

Relu.apply and LogSoftmax.apply: generated inputs (a product, a view, changed in place, a saved result, a
leaf, untracked; 0, -0.0, nan, -inf; 0-dim, empty, a row; float32, float64, int64; grad mode on and off; an
observer; for log-softmax every dim, one out of range and a bool), the same way.

NllLoss.apply: the same inputs as scores of shape (N, C) or (C,), with targets in range, out of range, of
the wrong shape, as a tensor, ignored rows (ignore_index None, -100 or a class), every reduction.

Whole networks (linear -> relu -> linear -> cross_entropy, generated sizes and dtypes) through the quick
paths, against PyTorch; tests/test_mlp_second_derivative.py checks such a network through them against
finite differences (gradcheck, gradgradcheck) and PyTorch's first and second derivatives.
"""
from __future__ import annotations

import numpy as np
import pytest

import minigrad
import minigrad.nn.functional as F
from minigrad.autograd import function as function_module
from minigrad.autograd.function import BackwardNode, Function, _SavedResult
from minigrad.autograd.graph import observe_nodes
from minigrad.ops.elementwise import Relu
from minigrad.ops.nn_ops import Addmm, LogSoftmax, NllLoss
from minigrad.ops.shape import MatrixTranspose


def _describe(value, names: dict):
    """A value, with the objects of one recording (tensors, nodes, weak references) named by role, so
    that two recordings can be compared."""
    if isinstance(value, tuple):
        return tuple(_describe(v, names) for v in value)
    if value.__class__.__name__ == "ReferenceType" or hasattr(value, "__callback__"):
        return ("weakref to", _describe(value(), names))
    if isinstance(value, _SavedResult):
        return ("saved result", _describe(value.data, names), _describe(value.versions, names), value.version)
    if id(value) in names:
        return names[id(value)]
    if isinstance(value, np.ndarray):
        return ("array", value.shape, value.dtype.str, value.tobytes())
    return value


def _record(tensors: dict, make, observed: bool):
    """(the result's fields, the node's fields) of `make()` recorded once, its objects named by their
    role among `tensors` (name -> tensor); or the error it raised."""
    seen = []
    handle = observe_nodes(lambda node, result: seen.append(node.name())) if observed else None
    try:
        before = next(function_module._sequence)
        result = make()
    except Exception as e:  # noqa: BLE001 (the error is what is compared)
        return ("error", type(e).__name__, str(e)), None
    finally:
        if handle is not None:
            handle.remove()
    node = result.grad_fn
    names = {id(result): "result", id(node): "node", id(result._data): "the result's array"}
    for name, t in tensors.items():
        names.update({id(t): name, id(t._data): f"{name}'s array"})
        if t._versions is not None:
            names[id(t._version_counter())] = f"{name}'s versions"
        accumulator = t._accumulator() if t._accumulator is not None else None
        if accumulator is not None:
            names[id(accumulator)] = f"{name}'s AccumulateGrad"
        if t.grad_fn is not None:
            names[id(t.grad_fn)] = f"{name}'s node"
    if result._versions is not None:
        names.setdefault(id(result._versions), "the result's own versions")
    fields = {slot: _describe(getattr(result, slot), names) for slot in minigrad.Tensor.__slots__ if slot != "__weakref__"}
    data = result._data
    fields["_data"] = (data.shape, data.strides, data.dtype.str, data.tobytes(), names.get(id(data.base), data.base is None),
                       [name for name, t in tensors.items() if np.shares_memory(data, t._data)])
    node_fields = None
    if node is not None:
        own = dict(vars(node))
        sequence_nr = own.pop("sequence_nr", None)  # (a new number: in creation order, after `before`)
        node_fields = (sequence_nr is not None and sequence_nr > before, type(node).__name__, type(node).__mro__[1].__name__,
                       sorted(own), {k: _describe(v, names) for k, v in own.items()}, node.name(),
                       _describe(node.next_functions, names), seen)
    return fields, node_fields


_LIVE: list = []  # graphs kept alive by the 'live graph' and 'a saved result' cases


def _saved_result(t):
    """A tensor whose grad_fn is a node that is not its own: exp's saved result, unpacked (the node's
    output is another tensor, kept alive here)."""
    y = t.exp()
    _LIVE.append(y)
    return y.grad_fn.saved_tensors[0] if y.grad_fn is not None else y  # (under no_grad: y itself)


def _tensor(rng: np.random.Generator, kind: str, dtype: str, shape: tuple):
    data = (rng.normal(size=shape) * 3).astype(dtype)
    floating = dtype.startswith("float")
    if kind == "leaf":
        return minigrad.tensor(data, requires_grad=floating and rng.random() < 0.8)
    if kind == "parameter":
        return minigrad.nn.Parameter(minigrad.tensor(data.astype("float32")))
    if kind == "changed before":
        x = minigrad.tensor(data, requires_grad=floating)
        with minigrad.no_grad():
            x.copy_(x.detach().clone())  # (a version counter at 1 before the view shares it)
        return x
    if kind == "hooked leaf":
        x = minigrad.tensor(data, requires_grad=floating)
        if floating:
            x.register_hook(lambda g: g * 2)
        return x
    if kind == "live graph":
        x = minigrad.tensor(data, requires_grad=floating)
        if floating:
            _LIVE.append(x * 2)  # (an AccumulateGrad a live graph holds: the new edge must go to the same one)
        return x
    if kind == "detached in place":
        base = minigrad.tensor(data, requires_grad=floating)
        x = base * 1 if floating else base.clone()
        x.detach_()
        return x
    if kind == "non-leaf":
        base = minigrad.tensor(data, requires_grad=floating)
        return base * 2 if floating else base
    if kind == "view":
        base = minigrad.tensor(np.concatenate([data, data], axis=-1) if data.ndim else data, requires_grad=floating)
        return base[..., : shape[-1]] if data.ndim else base.view(())
    if kind == "view under no_grad":
        base = minigrad.tensor(data, requires_grad=floating)
        with minigrad.no_grad():
            return base.view(shape)
    raise AssertionError(kind)


KINDS = ("leaf", "leaf", "leaf", "parameter", "changed before", "hooked leaf", "live graph", "detached in place",
         "non-leaf", "view", "view under no_grad")


def _both_ways(fn: type, cases, inputs, expected_quick, general=None) -> dict:
    """Record each case twice, through fn.apply (its quick path where it applies) and through the general
    apply it stands in for (fn's parent's), from the same inputs made anew (`inputs(case)`: name ->
    tensor, with the call's arguments under "args"), under the case's grad mode and graph observer.
    The two recordings must be alike, and the quick path taken exactly where `expected_quick(case)` says
    (an error aside: it must only be the same). Returns how many went each way."""
    general = general or super(fn, fn).apply
    general_calls = []
    original = Function.apply.__func__

    def counting(cls, *args):
        if cls is fn:
            general_calls.append(1)
        return original(cls, *args)

    outcomes = {"quick": 0, "general": 0, "error": 0}
    Function.apply = classmethod(counting)
    try:
        for c in cases:
            records = []
            for quick in (True, False):
                tensors = inputs(c)  # (made with grad mode on: the case's mode is the recording's)
                args = tensors.pop("args")
                calls = len(general_calls)
                with minigrad.set_grad_enabled(c["grad_mode"]):
                    records.append(_record(tensors, lambda: (fn.apply if quick else general)(*args), c["observed"]))
                if quick:
                    took_general = len(general_calls) > calls
            assert records[0] == records[1], c
            if isinstance(records[0][0], tuple):
                outcomes["error"] += 1
            else:
                assert (not took_general) == expected_quick(c), c
                outcomes["general" if took_general else "quick"] += 1
    finally:
        Function.apply = classmethod(original)
    return outcomes


def test_quick_t_records_what_the_general_path_records():
    rng = np.random.default_rng(16)

    def case():
        shape = [(3, 5), (3, 5), (4, 4), (1, 7), (6, 1), (1, 1), (0, 3), (2, 0), (5,), ()][rng.integers(10)]
        dims = (0, -1) if len(shape) == 2 else (0, 0)
        if len(shape) == 2 and rng.random() < 0.15:
            dims = [(0, 1), (1, -1), (-2, -1)][rng.integers(3)]  # (not what t() passes: the general way)
        return dict(kind=str(rng.choice(KINDS)), dtype=str(rng.choice(["float32", "float32", "float64", "int64", "bool"])),
                    shape=shape, dims=dims, grad_mode=bool(rng.random() < 0.85), observed=bool(rng.random() < 0.1),
                    seed=int(rng.integers(1 << 30)))

    def inputs(c):
        x = _tensor(np.random.default_rng(c["seed"]), c["kind"], c["dtype"], c["shape"])
        c["requires_grad"] = x._requires_grad
        return {"x": x, "args": (x, *c["dims"])}

    def expected_quick(c):
        return (c["kind"] in ("leaf", "parameter", "changed before", "hooked leaf", "live graph") and c["requires_grad"]
                and len(c["shape"]) == 2 and 0 not in c["shape"] and c["dims"] == (0, -1) and c["grad_mode"]
                and not c["observed"])

    outcomes = _both_ways(MatrixTranspose, [case() for _ in range(600)], inputs, expected_quick)
    # Both ways were taken many times (the figures are those of this seed); t() of these never fails.
    assert outcomes["quick"] >= 70 and outcomes["general"] >= 300 and not outcomes["error"], outcomes  # (seed 16: 86 and 514)


def test_quick_t_keeps_the_graph_working():
    """The view and node the quick path made, used: an in-place change of the weight after forward is
    caught by the product that saved its transpose, and gradients reach the weight through TBackward0."""
    w = minigrad.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    x = minigrad.tensor([[1.0, 0.0], [0.0, 2.0]], requires_grad=True)
    wt = w.t()
    assert wt._base is w and wt.grad_fn.name() == "TBackward0"
    (x @ w).sum().backward()  # (x @ w: w not transposed; wt unused, its node never runs)
    y = (x.t() @ wt.t()).sum()
    with minigrad.no_grad():
        w.mul_(2)
    assert wt._version == 1  # (the view shares the weight's versions)
    try:
        y.backward()
    except RuntimeError as e:
        assert "modified by an inplace operation" in str(e) and "TBackward0" in str(e), e
    else:
        raise AssertionError("an in-place change of the weight after forward went unnoticed")
    w2 = minigrad.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    z = (w2.t() * minigrad.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).sum()
    z.backward()
    np.testing.assert_array_equal(w2.grad.numpy(), [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]])  # (the factor, transposed)


def _addmm_inputs(c: dict) -> dict:
    """A Linear layer's three inputs, of the kinds the case names, made from its seed."""
    rng = np.random.default_rng(c["seed"])
    n, k, out, dtype = c["n"], c["k"], c["out"], c["dtype"]
    floating = dtype.startswith("float")

    def values(*shape):
        return (rng.normal(size=shape) * 2).astype(dtype)

    tensors = {}
    w = minigrad.tensor(values(out, k).astype(c["w_dtype"]), requires_grad=floating and c["m"] != "no grad")
    tensors["W"] = w
    if c["m"] in ("t of a leaf", "no grad"):
        m = w.t()
    elif c["m"] == "a saved result":
        m = _saved_result(w.t()) if floating else w.t()
    elif c["m"] == "a leaf":
        m = minigrad.tensor(values(k, out).astype(c["w_dtype"]), requires_grad=floating)
    else:  # "a product": a non-leaf matrix, its node's own output
        m = w.t() * 1 if floating else w.t()
    tensors["m"] = m
    b_shape = {"row": (out,), "full": (n, out), "other length": (out + 1,)}[c["b_shape"]]
    b = minigrad.tensor(values(*b_shape).astype(c["b_dtype"]), requires_grad=c["b"] != "no grad" and floating)
    if c["b"] == "non-leaf" and floating:
        tensors["b leaf"] = b
        b = b * 1
    elif c["b"] == "hooked" and floating:
        b.register_hook(lambda g: g * 3)
    tensors["b"] = b
    h = minigrad.tensor(values(n, k), requires_grad=floating and c["x"] != "input")
    tensors["h"] = h
    x = {"input": h, "a leaf": h, "relu of a leaf": minigrad.relu(h) if floating else h,
         "a slice": h[:, :] if floating else h, "changed in place": (h * 1) if floating else h,
         "a saved result": _saved_result(h) if floating else h}[c["x"]]
    if c["x"] == "changed in place" and floating:
        x.mul_(2)  # (a version counter at 1, its node replaced by the in-place op's)
    tensors["x"] = x
    return tensors


def test_quick_addmm_records_what_the_general_path_records():
    rng = np.random.default_rng(61)

    def case():
        dtype = str(rng.choice(["float32", "float32", "float64", "int64"]))
        return dict(seed=int(rng.integers(1 << 30)), n=int(rng.choice([0, 1, 3])), k=int(rng.choice([0, 1, 4])),
                    out=int(rng.choice([0, 1, 2, 5])), dtype=dtype,
                    b_dtype=dtype if rng.random() < 0.85 else str(rng.choice(["float32", "float64"])),
                    w_dtype=dtype if rng.random() < 0.85 else str(rng.choice(["float32", "float64"])),
                    m=str(rng.choice(["t of a leaf"] * 4 + ["no grad", "a leaf", "a product", "a saved result"])),
                    b=str(rng.choice(["leaf"] * 4 + ["no grad", "non-leaf", "hooked"])),
                    b_shape=str(rng.choice(["row"] * 5 + ["full", "other length"])),
                    x=str(rng.choice(["relu of a leaf"] * 3 + ["input"] * 2 + ["a leaf", "a slice", "changed in place",
                                      "a saved result"])),
                    grad_mode=bool(rng.random() < 0.9), observed=bool(rng.random() < 0.08))

    def inputs(c):
        tensors = _addmm_inputs(c)
        tensors["args"] = (tensors["b"], tensors["x"], tensors["m"])
        return tensors

    def expected_quick(c):
        return (c["dtype"].startswith("float") and c["grad_mode"] and not c["observed"] and c["b"] in ("leaf", "hooked")
                and c["b_shape"] == "row" and c["b_dtype"] == c["w_dtype"] == c["dtype"]
                and c["m"] in ("t of a leaf", "a product")
                and c["x"] in ("input", "relu of a leaf", "a slice", "changed in place"))

    outcomes = _both_ways(Addmm, [case() for _ in range(500)], inputs, expected_quick)
    assert outcomes["quick"] >= 50 and outcomes["general"] >= 200 and outcomes["error"] >= 30, outcomes  # (seed 61: 73, 384, 43)


def _relu_input(c: dict) -> dict:
    rng = np.random.default_rng(c["seed"])
    dtype = c["dtype"]
    floating = dtype.startswith("float")
    values = (rng.normal(size=c["shape"]) * 2).astype(dtype)
    if c["specials"] and floating and values.size:
        values.reshape(-1)[: 4] = np.array([0.0, -0.0, np.nan, -np.inf], dtype)[: values.size]
    leaf = minigrad.tensor(values, requires_grad=floating and c["x"] != "untracked")
    x = {"untracked": leaf, "a leaf": leaf, "a product": leaf * 2 if floating else leaf,
         "a view": leaf.view(-1) if floating else leaf, "changed in place": leaf * 1 if floating else leaf,
         "a saved result": _saved_result(leaf) if floating else leaf}[c["x"]]
    if c["x"] == "changed in place" and floating:
        x.add_(1)
    return {"leaf": leaf, "x": x}


def _unary_case(rng: np.random.Generator, shapes: list) -> dict:
    return dict(seed=int(rng.integers(1 << 30)), dtype=str(rng.choice(["float32", "float32", "float64", "int64"])),
                shape=shapes[rng.integers(len(shapes))], specials=bool(rng.random() < 0.3),
                x=str(rng.choice(["a product"] * 3 + ["untracked", "a leaf", "a view", "changed in place", "a saved result"])),
                grad_mode=bool(rng.random() < 0.9), observed=bool(rng.random() < 0.08))


def _unary_expected_quick(c: dict) -> bool:
    return (c["dtype"].startswith("float") and c["grad_mode"] and not c["observed"]
            and c["x"] in ("a product", "a view", "changed in place"))


@pytest.mark.parametrize("op", ["relu", "log_softmax"])
def test_quick_unary_records_what_the_general_path_records(op):
    rng = np.random.default_rng(7)
    cases = []
    for _ in range(400):
        c = _unary_case(rng, [(3, 4), (5,), (), (0, 2), (1, 1), (4, 10)])
        dims = max(len(c["shape"]), 1)
        dim = list(range(-dims, dims)) + [2, True]
        c["extra"] = (dim[rng.integers(len(dim))],) if op == "log_softmax" else ()
        cases.append(c)

    def inputs(c):
        tensors = _relu_input(c)
        tensors["args"] = (tensors["x"], *c["extra"])
        return tensors

    outcomes = _both_ways({"relu": Relu, "log_softmax": LogSoftmax}[op], cases, inputs,
                          lambda c: _unary_expected_quick(c) and not any(d is True for d in c["extra"]))
    # (seed 7: relu 161 quick, 239 general; log_softmax 116, 140 and 144 errors alike, mostly dims out of range)
    assert outcomes["quick"] >= 100 and outcomes["general"] >= 100, outcomes


def test_quick_nll_loss_records_what_the_general_path_records():
    rng = np.random.default_rng(29)
    cases = []
    for _ in range(400):
        c = _unary_case(rng, [(4, 3), (1, 5), (0, 3), (6,), (3, 1)])
        c["dtype"] = str(rng.choice(["float32", "float32", "float64"]))
        c["reduction"], c["ignore"] = str(rng.choice(["mean", "mean", "sum", "none"])), [None, -100, 1][rng.integers(3)]
        classes, rows = c["shape"][-1], c["shape"][:-1]
        targets = np.random.default_rng(c["seed"]).integers(0, max(classes, 1), size=rows)
        kind = str(rng.choice(["in range"] * 4 + ["out of range", "wrong shape", "a tensor"]))
        if kind == "out of range" and targets.size:
            targets.reshape(-1)[0] = classes + 7
        elif kind == "wrong shape":
            targets = np.zeros((2, 2), dtype=np.int64)
        elif kind == "a tensor":  # (nll_loss passes an array: anything else goes the general way)
            targets = minigrad.tensor(targets)
        c["targets"] = targets
        cases.append(c)

    def inputs(c):
        tensors = _relu_input(c)
        tensors["args"] = (tensors["x"], c["targets"], c["reduction"], c["ignore"])
        return tensors

    outcomes = _both_ways(NllLoss, cases, inputs, lambda c: _unary_expected_quick(c) and isinstance(c["targets"], np.ndarray))
    assert outcomes["quick"] >= 90 and outcomes["general"] >= 100 and outcomes["error"] >= 60, outcomes  # (seed 29: 111, 133, 156)


def test_a_subclass_of_yours_records_the_general_way():
    """A Function of yours derived from one of the five ops follows your Functions' rules (a gradient per
    argument, its own node class, made once): its apply is the general one, never the op's quick path,
    and its nodes are general ones, not the op's quick node (Function.node_base)."""
    rng = np.random.default_rng(3)
    subclasses = {op: type(f"My{op.__name__}", (op,), {"__module__": __name__})
                  for op in (MatrixTranspose, Addmm, Relu, LogSoftmax, NllLoss)}

    def inputs_for(op, c):
        if op is MatrixTranspose:
            x = _tensor(np.random.default_rng(c["seed"]), "leaf", "float32", (3, 4))
            return {"x": x, "args": (x, 0, -1)}
        if op is Addmm:
            tensors = _addmm_inputs(dict(c, n=3, k=4, out=2, dtype="float32", b_dtype="float32", w_dtype="float32",
                                         m="t of a leaf", b="leaf", b_shape="row", x="relu of a leaf"))
            tensors["args"] = (tensors["b"], tensors["x"], tensors["m"])
            return tensors
        tensors = _relu_input(dict(c, dtype="float32", shape=(4, 3), specials=False, x="a product"))
        extra = {Relu: (), LogSoftmax: (1,), NllLoss: (np.array([0, 2, 1, 0]), "mean", None)}[op]
        tensors["args"] = (tensors["x"], *extra)
        return tensors

    for op, sub in subclasses.items():
        cases = [dict(seed=int(rng.integers(1 << 30)), grad_mode=True, observed=False) for _ in range(5)]
        outcomes = _both_ways(sub, cases, lambda c, op=op: inputs_for(op, c), lambda c: False,
                              general=super(op, sub).apply)
        assert outcomes == {"quick": 0, "general": 5, "error": 0}, (op, outcomes)
        with minigrad.enable_grad():
            first = sub.apply(*inputs_for(op, cases[0])["args"]).grad_fn
            second = sub.apply(*inputs_for(op, cases[1])["args"]).grad_fn
        assert type(first) is type(second) and type(first).__name__.startswith(f"My{op.__name__}Backward"), op
        assert len(first._arg_is_tensor) == len(inputs_for(op, cases[0])["args"]), op  # (one per argument of forward)
        assert type(first).__mro__[1] is BackwardNode, op  # (the general node, not the op's quick one)


def test_generated_networks_through_the_quick_paths_match_pytorch():
    """Whole networks recorded through the quick paths (and, where an input is tracked or grad mode is
    off, partly the general way), against PyTorch: linear -> relu -> linear -> cross_entropy on generated
    sizes (0 and 1 among them), both float dtypes, every reduction, the input tracked or not; the loss and
    every gradient. The quick paths must have been taken in most networks."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(11)
    general_calls = []
    original = Function.apply.__func__

    def counting(cls, *args):
        if cls in (MatrixTranspose, Addmm, Relu, LogSoftmax, NllLoss):
            general_calls.append(cls)
        return original(cls, *args)

    all_quick = 0
    Function.apply = classmethod(counting)
    try:
        for _ in range(60):
            n, k, h, c = (int(rng.choice(sizes)) for sizes in ([0, 1, 5], [1, 4], [1, 6], [1, 3]))
            dtype = str(rng.choice(["float32", "float64"]))
            reduction = str(rng.choice(["mean", "sum", "none"]))
            x_grad = bool(rng.random() < 0.3)
            arrays = [rng.standard_normal(s).astype(dtype) for s in [(n, k), (h, k), (h,), (c, h), (c,)]]
            target = rng.integers(0, c, n)
            results = {}
            for name, lib, fn in (("minigrad", minigrad, F), ("torch", torch, torch.nn.functional)):
                x, w1, b1, w2, b2 = [lib.tensor(a, requires_grad=(i > 0 or x_grad)) for i, a in enumerate(arrays)]
                calls = len(general_calls)
                loss = fn.cross_entropy(fn.linear(fn.relu(fn.linear(x, w1, b1)), w2, b2), lib.tensor(target),
                                        reduction=reduction)
                if name == "minigrad" and len(general_calls) == calls:
                    all_quick += 1
                loss.sum().backward()
                results[name] = [loss.detach().numpy()] + [t.grad.numpy() for t in (w1, b1, w2, b2, x) if t.grad is not None]
            assert len(results["minigrad"]) == len(results["torch"])
            tolerance = dict(rtol=1e-4, atol=1e-5) if dtype == "float32" else dict(rtol=1e-10, atol=1e-12)
            for ours, theirs in zip(results["minigrad"], results["torch"]):
                assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
                np.testing.assert_allclose(ours, theirs, **tolerance)
    finally:
        Function.apply = classmethod(original)
    assert all_quick >= 30, all_quick  # (seed 11: 45 of 60, every op recorded quickly)
