"""Deep graphs (no recursion anywhere) and freeing what backward no longer needs.

No timing assertions: speed is measured by benchmarks/, not here.
"""
from __future__ import annotations

import gc
import sys
import tracemalloc
import weakref

import numpy as np
import pytest

import minigrad
from minigrad.autograd.function import FREED_MESSAGE

DEPTH = 100_000


@pytest.mark.slow
def test_backward_through_a_chain_of_100000_ops():
    """y = x * 1.00001 ... (100,000 times): dy/dx = 1.00001**100000 (hand-derived), no RecursionError."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # any recursive walk of the graph would fail loudly here
    try:
        x = minigrad.tensor(1.0, dtype=minigrad.float64, requires_grad=True)
        y = x
        for _ in range(DEPTH // 2):
            y = y * 1.00001
            y = y + 0.0
        y.backward()
        np.testing.assert_allclose(x.grad.item(), 1.00001 ** (DEPTH // 2), rtol=1e-9)
        ref = weakref.ref(y.grad_fn)
        del y  # dropping a 100,000-node chain must not overflow the stack either
        gc.collect()
        assert ref() is None
    finally:
        sys.setrecursionlimit(limit)


def test_deep_chain_smaller_not_slow():
    """The same without the slow mark, 5,000 ops with a low recursion limit: the engine iterates."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(500)
    try:
        x = minigrad.tensor([1.0, 2.0], dtype=minigrad.float64, requires_grad=True)
        y = x
        for _ in range(5000):
            y = y.sin() * 0.5 + y * 0.5
        y.sum().backward()
        assert np.isfinite(x.grad._data).all()
        from minigrad.autograd.graph import execution_order
        z = x * 1.0
        for _ in range(3000):
            z = z + 1.0
        assert len(execution_order(z.grad_fn)) == 3002  # 3000 adds, the mul, the leaf
    finally:
        sys.setrecursionlimit(limit)


def test_saved_intermediates_are_freed_after_backward():
    x = minigrad.rand(100, dtype=minigrad.float64, requires_grad=True)
    a = x * 2            # Mul saves the 2 (dz/dx = 2), not x, as PyTorch
    b = a.exp()          # Exp saves its output's memory (dz/da = e**a = b), not a
    c = b * b            # Mul saves b twice
    loss = c.sum()
    refs = [weakref.ref(b)]
    a_ref, c_ref = weakref.ref(a), weakref.ref(c)
    del a, b, c
    gc.collect()
    assert all(r() is not None for r in refs)  # the graph keeps what backward will need
    assert a_ref() is None                     # and nothing more: a is gone already
    assert c_ref() is None                     # Sum saved nothing: c is gone already
    loss.backward()
    gc.collect()
    assert [r() for r in refs] == [None]
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        loss.backward()
    with pytest.raises(RuntimeError) as info:
        loss.grad_fn.next_functions[0][0].saved_tensors
    assert str(info.value) == FREED_MESSAGE


def test_retain_graph_keeps_saved_tensors_and_second_backward_works():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    a = x * 3
    loss = (a * a).sum()
    ref = weakref.ref(a)
    del a
    loss.backward(retain_graph=True)
    gc.collect()
    assert ref() is not None
    loss.backward()              # 2 * (2 * 9x) = 36x
    assert x.grad.tolist() == [36.0, 72.0]
    gc.collect()
    assert ref() is None


def test_memory_returns_after_backward():
    """tracemalloc: the saved arrays of a forward pass (tens of MB) are released by backward."""
    n = 500_000  # 4 MB per float64 array
    x = minigrad.rand(n, dtype=minigrad.float64, requires_grad=True)
    gc.collect()
    tracemalloc.start()
    try:
        y = x
        for _ in range(8):
            y = (y * 0.5).tanh()      # each step saves its input arrays
        loss = y.sum()
        del y
        gc.collect()
        after_forward, _ = tracemalloc.get_traced_memory()
        loss.backward()
        gc.collect()
        after_backward, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    held_by_graph = after_forward - after_backward
    assert after_forward > 8 * n * 8           # at least one saved array per step was held
    assert held_by_graph > 0.8 * after_forward - 2 * n * 8  # nearly all of it returned (x.grad stays)


def test_graph_without_backward_is_collected_when_dropped():
    x = minigrad.ones(10, requires_grad=True)
    y = (x * 2).exp()
    node = weakref.ref(y.grad_fn)
    del y
    gc.collect()
    assert node() is None


def test_leaf_gradient_and_leaf_survive_graph_release():
    x = minigrad.tensor([3.0], requires_grad=True)
    y = x * x
    y.backward()
    assert y.grad_fn.next_functions[0][0].variable is x
    assert x.grad.tolist() == [6.0]
