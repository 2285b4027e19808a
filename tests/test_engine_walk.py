"""One backward walk: backward(), autograd.grad, execution_order and the stepper all go through
`engine.backward_walk`, so on any graph they visit the same nodes in the same order with the same
gradients. The oracle is PyTorch's own engine: the same random graph built in both libraries, every
node's pre-hook recording (name, gradient) as each engine calls it, and torch.autograd.grad."""
from __future__ import annotations

import random

import numpy as np
import pytest

import minigrad
from minigrad.autograd.engine import backward_walk
from minigrad.autograd.graph import execution_order
from minigrad.viz import BackwardStepper

torch = pytest.importorskip("torch")

# (name, number of tensor operands, how to apply it): the same code runs on both libraries' tensors
OPS = [("mul", 2, lambda a, b: a * b), ("add", 2, lambda a, b: a + b), ("sub", 2, lambda a, b: a - b),
       ("div", 2, lambda a, b: a / (b * b + 1)), ("scale", 1, lambda a: a * 1.5), ("shift", 1, lambda a: 0.5 - a),
       ("tanh", 1, lambda a: a.tanh()), ("sin", 1, lambda a: a.sin()), ("exp", 1, lambda a: (a * 0.1).exp()),
       ("sum", 1, lambda a: a.sum() * a), ("mean_keep", 1, lambda a: a.mean(0, keepdim=True) + a)]


def random_graph(seed: int):
    """A random DAG of elementwise ops over 2-4 leaves, with reuse (diamonds), constants and a
    branch that needs no gradient; returns builders that make it in either library."""
    rng = random.Random(seed)
    n_leaves = rng.randint(2, 4)
    leaf_values = [np.array([rng.uniform(-1, 1) for _ in range(3)]) for _ in range(n_leaves)]
    needs = [True] * n_leaves
    needs[rng.randrange(n_leaves)] = rng.random() < 0.7  # sometimes a leaf that needs no gradient
    plan = []
    n_values = n_leaves
    for _ in range(rng.randint(3, 25)):
        name, arity, _ = OPS[rng.randrange(len(OPS))]
        # favour recent values (long chains) but reach back too (several consumers per value)
        args = [max(0, n_values - 1 - int(rng.expovariate(0.5))) for _ in range(arity)]
        plan.append((name, args))
        n_values += 1
    outputs = sorted({n_values - 1, rng.randrange(n_values)})  # one or two roots
    return leaf_values, needs, plan, outputs


def build(lib, graph):
    leaf_values, needs, plan, outputs = graph
    leaves = [lib.tensor(v, dtype=lib.float64, requires_grad=r) for v, r in zip(leaf_values, needs)]
    values = list(leaves)
    ops = {name: fn for name, _, fn in OPS}
    for name, args in plan:
        values.append(ops[name](*(values[i] for i in args)))
    return leaves, [values[i].sum() for i in outputs if values[i].requires_grad]


def reachable(roots):
    seen, stack = set(), list(roots)
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        stack.extend(child for child, _ in node.next_functions)
    return seen


def engine_trace(lib, graph, how: str):
    """Run the library's own engine with a pre-hook on every node: (name, gradient) as it calls them."""
    leaves, outs = build(lib, graph)
    if not outs:
        return None
    calls = []
    for node in reachable([o.grad_fn for o in outs]):
        # (the hook holds the node's name, not the node: a node -> hook -> node cycle would outlive the test)
        node.register_prehook(lambda grad, name=node.name().rsplit("::", 1)[-1]: calls.append((name, _array(grad))))
    wanted = [t for t in leaves if t.requires_grad]
    if how == "backward":
        lib.autograd.backward(outs)
        grads = [t.grad for t in wanted]
    else:
        grads = lib.autograd.grad(outs, wanted, allow_unused=True)
    by_leaf = dict(zip([i for i, t in enumerate(leaves) if t.requires_grad], grads))
    return calls, [None if by_leaf.get(i) is None else by_leaf[i].detach().numpy() for i in range(len(leaves))]


def _array(grad) -> np.ndarray:
    """The gradient a pre-hook got (PyTorch passes a tuple of them, minigrad the one tensor)."""
    return np.array((grad[0] if isinstance(grad, tuple) else grad).detach().numpy())


def same_calls(a, b) -> bool:
    return [n for n, _ in a] == [n for n, _ in b] and all(
        ga.shape == gb.shape and np.allclose(ga, gb, rtol=1e-12, atol=1e-12) for (_, ga), (_, gb) in zip(a, b))


@pytest.mark.parametrize("seed", range(50))
def test_backward_calls_nodes_in_pytorchs_order_with_pytorchs_gradients(seed):
    graph = random_graph(seed)
    for how in ("backward", "grad"):
        ours = engine_trace(minigrad, graph, how)
        theirs = engine_trace(torch, graph, how)
        if ours is None:
            assert theirs is None
            continue
        if how == "grad":  # autograd.grad runs no AccumulateGrad (minigrad: captured, not called; PyTorch: pruned)
            ours = ([c for c in ours[0] if c[0] != "AccumulateGrad"], ours[1])
            theirs = ([c for c in theirs[0] if c[0] != "AccumulateGrad"], theirs[1])
        assert same_calls(ours[0], theirs[0]), (seed, how, [n for n, _ in ours[0]], [n for n, _ in theirs[0]])
        for g, h in zip(ours[1], theirs[1]):
            assert (g is None) == (h is None)
            if g is not None:
                np.testing.assert_allclose(g, h, rtol=1e-12, atol=1e-12)


def stepper_trace(lib, graph):
    leaves, outs = build(lib, graph)
    out = outs[-1]
    stepper = BackwardStepper(out, names={f"x{i}": t for i, t in enumerate(leaves)})
    return [(s.node, np.array(s.upstream.detach().numpy())) for s in stepper.steps], stepper


@pytest.mark.parametrize("seed", range(30))
def test_the_stepper_shows_the_engines_walk(seed):
    graph = random_graph(seed)
    graph = (graph[0], graph[1], graph[2], graph[3][-1:])  # one root: the stepper steps through one output
    if not build(minigrad, graph)[1]:
        return  # the output needs no gradient: nothing to step through
    ours, stepper = stepper_trace(minigrad, graph)
    engine = engine_trace(minigrad, graph, "backward")
    assert same_calls(ours, engine[0])
    # on the PyTorch graph, the same walk shows PyTorch's engine's calls
    theirs, torch_stepper = stepper_trace(torch, graph)
    assert same_calls(theirs, engine_trace(torch, graph, "backward")[0])
    assert same_calls(ours, theirs)
    # and what it sums for the leaves is this pass's gradient, never written into .grad
    for name, g in stepper.leaf_grads().items():
        np.testing.assert_allclose(g.numpy(), engine[1][int(name[1:])], rtol=1e-12, atol=1e-12)
    assert all(t.grad is None for t in stepper.leaves.values())
    assert all(t.grad is None for t in torch_stepper.leaves.values())


def test_the_walk_yields_what_each_node_sent_and_execution_order_is_its_order():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    c = minigrad.tensor([5.0, 5.0])
    y = (x * c).sin() * x
    with minigrad.no_grad():
        walked = list(backward_walk([y.grad_fn], [minigrad.ones(2)], lambda node, grad: node(grad)
                                    if node.name() != "AccumulateGrad" else ()))
    assert [n for n, _, _ in walked] == execution_order(y.grad_fn)
    assert [n.name() for n, _, _ in walked] == ["MulBackward0", "SinBackward0", "MulBackward0", "AccumulateGrad"]
    # the leaf's gradient is the sum of what both paths sent it: sin(5x) + x * 5 cos(5x)
    xv = np.array([1.0, 2.0])
    np.testing.assert_allclose(walked[-1][1].numpy(), np.sin(5 * xv) + xv * 5 * np.cos(5 * xv), rtol=1e-6)
    assert walked[-1][2] == ()
    assert x.grad is None  # the call given did not accumulate


def test_a_node_no_gradient_reaches_is_walked_but_not_called():
    class NoGradForFirst(minigrad.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, grad):
            return None, grad

    x = minigrad.tensor(2.0, requires_grad=True)
    w = minigrad.tensor(3.0, requires_grad=True)
    hidden = x.exp()  # gets no gradient: the Function sends None to it
    y = NoGradForFirst.apply(hidden, w)
    called = []
    walked = list(backward_walk([y.grad_fn], [minigrad.tensor(1.0)], lambda n, g: called.append(n) or n(g)))
    assert [(n.name(), g is None) for n, g, _ in walked] == [
        ("NoGradForFirstBackward", False), ("AccumulateGrad", False), ("ExpBackward0", True), ("AccumulateGrad", True)]
    assert [n.name() for n in called] == ["NoGradForFirstBackward", "AccumulateGrad"]
    assert x.grad is None and w.grad.item() == 1.0  # (this backward sends the upstream 1 to b as it is)


def test_roots_given_twice_and_a_root_behind_another():
    x = minigrad.tensor(1.5, requires_grad=True)
    a = x * x
    b = a * 3  # a is a root and also feeds the other root
    minigrad.autograd.backward([a, b, a])  # d(a + b + a)/dx = 2x + 6x + 2x
    xt = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    at = xt * xt
    torch.autograd.backward([at, at * 3, at])
    assert x.grad.item() == pytest.approx(xt.grad.item()) == pytest.approx(15.0)


def test_a_deep_chain_walks_without_recursion():
    x = minigrad.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(20_000):
        y = y * 1.0
    assert len(execution_order(y.grad_fn)) == 20_001
    y.backward()
    assert x.grad.item() == 1.0
