"""What a backward without retain_graph leaves behind, against PyTorch: generated programs.

A backward without retain_graph frees what the nodes saved (BackwardNode._release). A freed node
says so when its saved tensors are read (a flag, not a class change, unless an array on ctx went too),
so a second backward through it raises PyTorch's error, and one through nodes that saved nothing
works. Each generated program (a chain of ops from the ones a training step records quickly, and
others, some saving tensors, some not, a Function of yours among them) runs in both libraries: a
first backward with or without retain_graph, then a second one, maybe after an in-place change. The
outcome of each (the gradients, or the error's first words) must be PyTorch's; the outcomes are
counted, so that both kinds occur.
"""
from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")


def _functions(T):
    """A Function of yours that saves its input (and one that saves nothing), in library T."""

    class Cube(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x * x

    class Twice(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    return Cube, Twice


def _ops(T):
    F = T.nn.functional
    Cube, Twice = _functions(T)
    return {
        "linear": lambda h, p: F.linear(h, p["W"], p["b"]),
        "relu": lambda h, p: F.relu(h),
        "t.t": lambda h, p: h.t().t(),
        "mul number": lambda h, p: h * 1.5,
        "add number": lambda h, p: h + 0.25,
        "exp": lambda h, p: (h * 0.1).exp(),
        "tanh": lambda h, p: h.tanh(),
        "view": lambda h, p: h.reshape(-1).reshape(h.shape),
        "cube (yours)": lambda h, p: Cube.apply(h),
        "twice (yours)": lambda h, p: Twice.apply(h),
        "mul leaf": lambda h, p: h * p["S"],
    }


ENDS = ["cross_entropy", "sum", "log_softmax sum"]


def _program(seed: int) -> dict:
    rng = random.Random(seed)
    return dict(ops=[rng.choice(list(_ops(torch))) for _ in range(rng.randint(1, 5))], end=rng.choice(ENDS),
                retain=rng.random() < 0.3, change=rng.random() < 0.2, seed=seed)


def _run(T, program: dict) -> list:
    rng = np.random.default_rng(program["seed"])
    p = {"W": rng.normal(size=(4, 4)), "b": rng.normal(size=4), "S": rng.normal(size=(3, 4))}
    p = {k: T.tensor(v, requires_grad=True) for k, v in p.items()}
    x = T.tensor(rng.normal(size=(3, 4)), requires_grad=True)
    ops = _ops(T)
    h = x
    for name in program["ops"]:
        h = ops[name](h, p)
    F = T.nn.functional
    if program["end"] == "cross_entropy":
        loss = F.cross_entropy(h, T.tensor([0, 3, 1]))
    elif program["end"] == "sum":
        loss = h.sum()
    else:
        loss = F.log_softmax(h, dim=1).sum()
    outcomes = []
    for attempt in range(2):
        try:
            loss.backward(retain_graph=program["retain"] and attempt == 0)
            outcomes.append([t.grad.detach().numpy().copy() for t in (x, *p.values()) if t.grad is not None])
        except RuntimeError as e:
            outcomes.append(str(e).split(":")[0][:120])  # (the words before the tensor names)
        if program["change"] and attempt == 0:
            with T.no_grad():
                p["S"].add_(1.0)  # (a saved leaf changed in place: PyTorch's version error, if saved)
    return outcomes


def _same(a, b) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return len(a) == len(b) and all(np.allclose(u, v, rtol=1e-10, atol=1e-12) for u, v in zip(a, b))


def test_second_backwards_after_release_are_pytorchs():
    counts, differences = Counter(), []
    for seed in range(400):
        program = _program(seed)
        ours, theirs = _run(minigrad, program), _run(torch, program)
        for attempt, (a, b) in enumerate(zip(ours, theirs)):
            if not _same(a, b):
                differences.append((program, attempt, a if isinstance(a, str) else "gradients",
                                    b if isinstance(b, str) else "gradients"))
        counts["second raised" if isinstance(theirs[1], str) else "second ran"] += 1
    assert not differences, differences[:5]
    print(counts)
    # (at this commit: 279 second backwards raised in PyTorch, 121 ran)
    assert counts["second raised"] >= 100 and counts["second ran"] >= 100, counts


def test_a_node_freed_of_its_saved_tensors_only_keeps_its_class():
    x = minigrad.randn(3, 4, requires_grad=True)
    w = minigrad.randn(2, 4, requires_grad=True)
    b = minigrad.randn(2, requires_grad=True)
    out = minigrad.nn.functional.linear(x.relu(), w, b)
    loss = minigrad.nn.functional.cross_entropy(out, minigrad.tensor([0, 1, 1]))
    addmm = out.grad_fn
    nll = loss.grad_fn
    classes = type(addmm), type(nll)
    loss.backward()
    assert type(addmm) is classes[0]  # only saved tensors went: a flag says so
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        addmm.saved_tensors
    assert type(nll) is not classes[1]  # its target and places on ctx went too: reading them says why
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        nll.places
