"""What a graph leaves for Python's garbage collector (issue #14).

With the collector on, as users run, every collection of the oldest generation scans every object it
tracks, so a live graph's cost grows with the tracked objects each op adds; and an op that made a
reference cycle would leave its graph to the collector instead of freeing it when dropped. Counted
with the benchmarks' own helper (benchmarks/chain.py), so the test and `python -m benchmarks` agree.
No timing here.
"""
from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

import minigrad
from benchmarks.chain import chain, tracked_per_op
from minigrad import nn

N = 2000


def test_live_graph_tracks_at_most_four_objects_per_op():
    before, after = tracked_per_op(minigrad, N)
    assert after <= 4, f"{after:.2f} tracked objects per op after a collection ({before:.2f} before one)"


def test_tracked_objects_per_op_counts_what_the_graph_holds():
    """The helper itself: a chain's count is the same at two lengths (per op, not per graph), at least
    one object per op (the node, which the collector must track), and zero for plain NumPy work."""
    short, long = tracked_per_op(minigrad, 500), tracked_per_op(minigrad, N)
    assert long[1] >= 1 and long[0] >= long[1]
    assert abs(short[1] - long[1]) < 0.05, (short, long)

    class NoGraph:  # the same chain on bare arrays: no graph, nothing tracked per op
        @staticmethod
        def tensor(data, requires_grad):
            return data
    assert tracked_per_op(NoGraph, N)[1] < 0.01


def _unreachable_after(build) -> int:
    """Objects a full collection finds unreachable after `build()`'s result is dropped, the collector
    off meanwhile: 0 when everything was freed by reference counting alone.

    The objects tracked before are held meanwhile, so that only what `build` made can be found: in a
    pytest run, earlier tests' objects can turn into garbage while it runs (seen: PyTorch graphs
    with Python hooks from tests/test_engine_walk.py, 233 objects), and would be counted otherwise."""
    gc.collect()
    gc.disable()
    try:
        before = gc.get_objects()
        build()
        found = gc.collect()
        del before
        return found
    finally:
        gc.enable()


def _chain_backward(n: int, backward: bool, retain_graph: bool = False):
    def build():
        x = minigrad.tensor(np.linspace(-1, 1, 10).astype(np.float32), requires_grad=True)
        out = chain(x, n)
        if backward:
            out.backward(retain_graph=retain_graph)
            assert x.grad is not None
    return build


@pytest.mark.parametrize("backward, retain_graph", [(False, False), (True, False), (True, True)])
def test_a_dropped_chain_is_freed_without_the_collector(backward, retain_graph):
    assert _unreachable_after(_chain_backward(N, backward, retain_graph)) == 0


def _training_step():
    """An MLP step with views, an in-place op, a hook and the optimizer: every kind of node a lesson makes."""
    minigrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    opt = minigrad.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = minigrad.randn(6, 4)
    for _ in range(2):
        opt.zero_grad()
        h = model(x)
        h = h.reshape(3, 2, 3).transpose(0, 1)[0]   # views
        h = h * 2
        h.mul_(1.5)                                 # in place on a non-leaf
        h.register_hook(lambda g: g * 1.0)
        loss = nn.functional.cross_entropy(h, minigrad.tensor([0, 1, 2]))
        loss.backward()
        opt.step()
    return model


def test_a_dropped_training_step_is_freed_without_the_collector():
    assert _unreachable_after(_training_step) == 0


def test_nodes_and_saved_tensors_die_with_the_graph():
    """Weak references to a node and to a tensor it saved are dead as soon as the output is dropped,
    with the collector off: reference counting alone frees the graph."""
    gc.disable()
    try:
        x = minigrad.tensor([1.0, 2.0], requires_grad=True)
        middle = x * 3.0
        out = (middle * middle).sum()
        node, saved = weakref.ref(out.grad_fn), weakref.ref(middle)
        del middle
        assert node() is not None and saved() is not None   # the graph keeps both alive
        del out
        assert node() is None and saved() is None
    finally:
        gc.enable()
