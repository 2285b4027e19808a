"""What a backward without retain_graph frees: every array or tensor an op saved, however it kept it
(save_for_backward, or an array put on ctx directly), as PyTorch frees its saved tensors. And an op's
`ctx_plain` (the ctx attributes _release does not look at, for speed) never holds one.

Checked over every program of the parity suite (the whole catalogue: every public name, dtypes, shapes,
layouts, grad modes; its scenarios and 300 random programs), run on minigrad alone, with two watchers: one on each node recorded (its ctx_plain fields right
after forward), one on each release (nothing left behind).
"""
from __future__ import annotations

import numpy as np
import pytest

import minigrad
from minigrad.autograd import function
from minigrad.autograd.function import _NODE_FIELDS, BackwardNode, Function, _holds_array
from minigrad.autograd.graph import observe_nodes
from tests.parity import suite
from tests.parity.runner import _run


def _left_behind(node) -> list[str]:
    """The names of a node's ctx attributes that still hold an array or a tensor."""
    return [k for k, v in vars(node).items() if k not in _NODE_FIELDS and _holds_array(v)]


def _plain_fields_holding_arrays(node) -> list[str]:
    fn = node._fn
    return [k for k in fn.ctx_plain if _holds_array(vars(node).get(k))] if fn is not None else []


@pytest.mark.slow
def test_every_catalogue_program_frees_what_it_saved_and_ctx_plain_holds_no_array(monkeypatch):
    released, problems, declared = [], [], 0
    original = BackwardNode._release

    def release(node):
        original(node)
        released.append(node.name())
        if not node._arg_is_tensor:  # (your own Function's ctx attributes are yours: they stay)
            for name in _left_behind(node):
                problems.append(f"{node.name()} kept ctx.{name} after release")

    def watch(node, result):
        nonlocal declared
        if node._fn is not None and node._fn.ctx_plain:
            declared += 1
            for name in _plain_fields_holding_arrays(node):
                problems.append(f"{node.name()}: ctx.{name} is in ctx_plain but holds an array")

    monkeypatch.setattr(BackwardNode, "_release", release)
    cases = 0
    handle = observe_nodes(watch)
    try:
        for case in suite.all_cases(random_programs=300, stride=1):
            _run(minigrad, case)
            cases += 1
    finally:
        handle.remove()
    assert cases > 1000 and len(released) > 1000 and declared > 200, (cases, len(released), declared)
    assert not problems, sorted(set(problems))[:20]


def test_a_ctx_plain_op_is_still_freed_of_its_saved_tensors():
    x = minigrad.randn(4, 3, requires_grad=True)
    w = minigrad.randn(2, 3, requires_grad=True)
    b = minigrad.randn(2, requires_grad=True)
    out = minigrad.nn.functional.linear(x, w, b).log_softmax(1).sum()
    nodes = []
    node = out.grad_fn
    while node is not None:  # (the chain Sum -> LogSoftmax -> Addmm)
        nodes.append(node)
        node = next((n for n, _ in node.next_functions if n is not None and not isinstance(n, function.AccumulateGrad)), None)
    assert [n.name() for n in nodes] == ["SumBackward0", "LogSoftmaxBackward0", "AddmmBackward0", "TBackward0"]
    out.backward()
    for n in nodes:
        assert not _left_behind(n)
    for n in nodes[1:3]:  # (those that saved tensors: LogSoftmax its output, Addmm x and W^T)
        with pytest.raises(RuntimeError, match="backward through the graph a second time"):
            n.saved_tensors
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        out.backward()


def test_release_still_finds_an_array_kept_on_ctx_by_an_op_without_ctx_plain():
    class Scale(Function):  # a built-in-like op keeping an array on ctx: made to look like one of minigrad's
        @staticmethod
        def forward(ctx, x):
            ctx.factor = np.full(x.shape, 2.0, x._data.dtype)
            ctx.label = "twice"
            return x._data * ctx.factor

        @staticmethod
        def backward(ctx, grad):
            return grad * minigrad.tensor(ctx.factor)

    Scale._builtin = True  # (its nodes then follow the built-in rule: ctx arrays are saved tensors)
    x = minigrad.ones(3, requires_grad=True)
    y = Scale.apply(x)
    y.sum().backward()
    node = y.grad_fn
    assert "factor" not in vars(node) and vars(node).get("label") == "twice"
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        node.factor
