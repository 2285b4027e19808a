"""Your own autograd Function behaves as PyTorch's `torch.autograd.Function`, checked against PyTorch.

PyTorch's rule: backward returns one gradient per argument of forward (None for an argument that is
not a tensor; extra trailing Nones are allowed), with its errors for the wrong count, a gradient for a
non-tensor argument, a gradient that is not a tensor, or one of a shape that does not fit.
`ctx.needs_input_grad` has one entry per argument. The generated programs cross argument lists
(tensors that require grad or not, ints, floats, None, strings) with ways of writing backward's
return, run each on minigrad and on PyTorch, and count the outcomes.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import minigrad
from minigrad.autograd import Function
from minigrad.autograd.function import once_differentiable

torch = pytest.importorskip("torch")

# One argument of forward: a tensor that requires grad (T+), one that does not (T-), or something else.
ARG_KINDS = ["T+", "T-", 3, 2.5, None, "mean"]
RETURN_STYLES = ["per argument", "per tensor", "extra None", "extra tensor", "gradient for a non-tensor",
                 "number", "bare", "list", "wrong shape", "broadcast shape"]


def make_function(T, style: str, seen: list):
    """A Function z = sum_i (i+1) t_i * (product of the number arguments), over its tensor arguments."""
    base = torch.autograd.Function if T is torch else Function

    def forward(ctx, *args):
        seen.append(("forward", tuple(ctx.needs_input_grad)))
        tensors = [a for a in args if isinstance(a, T.Tensor)]
        ctx.scale = math.prod(a for a in args if isinstance(a, (int, float)) and not isinstance(a, bool))
        ctx.kinds = [isinstance(a, T.Tensor) for a in args]
        return sum((i + 1) * t for i, t in enumerate(tensors)) * ctx.scale

    def backward(ctx, grad):
        seen.append(("backward", tuple(ctx.needs_input_grad)))
        exact, k = [], 0
        for is_tensor in ctx.kinds:
            if is_tensor:
                k += 1
                exact.append(grad * (k * ctx.scale))
            else:
                exact.append(None)
        first_tensor = ctx.kinds.index(True)
        if style == "per argument":
            return tuple(exact)
        if style == "per tensor":  # minigrad's old rule
            return tuple(g for g, t in zip(exact, ctx.kinds) if t)
        if style == "extra None":
            return tuple(exact) + (None,)
        if style == "extra tensor":
            return tuple(exact) + (grad,)
        if style == "gradient for a non-tensor":
            return tuple(grad if g is None else g for g in exact)
        if style == "number":
            exact[first_tensor] = 1.0
            return tuple(exact)
        if style == "bare":
            return exact[first_tensor]
        if style == "list":
            return list(exact)
        if style == "wrong shape":
            exact[first_tensor] = grad.sum()
            return tuple(exact)
        if style == "broadcast shape":  # a gradient with an extra leading dimension: summed back
            exact[first_tensor] = exact[first_tensor].expand(3, *grad.shape) / 3
            return tuple(exact)
        raise AssertionError(style)

    return type("Scaled", (base,), {"forward": staticmethod(forward), "backward": staticmethod(backward)})


def run(T, kinds, style):
    seen = []
    fn = make_function(T, style, seen)
    leaves, args = [], []
    for i, kind in enumerate(kinds):
        if kind in ("T+", "T-"):
            t = T.tensor([1.0 + i, 2.0 - i], dtype=T.float64, requires_grad=kind == "T+")
            leaves.append(t)
            args.append(t)
        else:
            args.append(kind)
    try:
        out = fn.apply(*args)
        out.sum().backward()
        outcome = ("ok", [None if t.grad is None else t.grad.tolist() for t in leaves])
    except RuntimeError as e:
        outcome = ("RuntimeError", str(e).split(": [")[0])
    return outcome, seen


def _programs():
    for n in (1, 2, 3):
        for kinds in itertools.product(ARG_KINDS, repeat=n):
            if "T+" not in kinds:
                continue
            for style in RETURN_STYLES:
                yield kinds, style


def test_custom_functions_follow_pytorchs_rule_in_generated_programs():
    counts = {"same": 0, "different": 0}
    outcomes = {"ok": 0, "RuntimeError": 0}
    differences = []
    for kinds, style in _programs():
        ours, theirs = run(minigrad, kinds, style), run(torch, kinds, style)
        if ours == theirs:
            counts["same"] += 1
            outcomes[ours[0][0]] += 1
        else:
            counts["different"] += 1
            differences.append(f"{kinds} {style}:\n  minigrad {ours}\n  torch    {theirs}")
    print(counts, outcomes)
    assert counts["same"] + counts["different"] > 1000
    assert outcomes["ok"] > 300 and outcomes["RuntimeError"] > 500  # both kinds of outcome are exercised
    assert not differences, f"{len(differences)} differ, e.g.\n" + "\n".join(differences[:6])


def test_the_issue_example_returns_none_for_a_number():
    class Scale(Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, grad):
            return grad * ctx.k, None

    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    Scale.apply(x, 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    Scale.apply(x, 3).sum().backward()  # nothing saved: a second graph, and (x+1)-style reuse is fine
    assert x.grad.tolist() == [6.0, 6.0]


def _both(body):
    """Run body(T, Function, once_differentiable) for minigrad and for torch."""
    from torch.autograd.function import once_differentiable as torch_once
    return body(minigrad, Function, once_differentiable), body(torch, torch.autograd.Function, torch_once)


def test_mark_dirty_returns_the_changed_input_as_in_pytorch():
    def body(T, Base, _):
        class Double(Base):
            @staticmethod
            def forward(ctx, a):
                a.mul_(2)
                ctx.mark_dirty(a)
                return a

            @staticmethod
            def backward(ctx, grad):
                return grad * 2

        x = T.tensor([1.0, 2.0], requires_grad=True)
        a = x * 1
        b = Double.apply(a)
        facts = [b is a, a.grad_fn.name(), a._version, a.tolist()]
        (b * b).sum().backward()
        facts.append(x.grad.tolist())
        try:
            Double.apply(T.ones(2, requires_grad=True))
        except RuntimeError as e:
            facts.append(str(e).split(".")[0])
        return facts

    ours, theirs = _both(body)
    assert ours == theirs
    assert ours[0] is True and ours[-1].startswith("a leaf Variable that requires grad has been used in an in-place")


def test_mark_non_differentiable_and_materialize_grads_as_in_pytorch():
    def body(T, Base, _):
        class Rank(Base):
            @staticmethod
            def forward(ctx, a):
                ctx.set_materialize_grads(False)
                r = a * 0 + 1
                ctx.mark_non_differentiable(r)
                return r

            @staticmethod
            def backward(ctx, grad):
                return grad

        y = Rank.apply(T.ones(2, requires_grad=True))
        return [y.requires_grad, y.grad_fn is None, y.is_leaf]

    ours, theirs = _both(body)
    assert ours == theirs == [False, True, True]


def test_once_differentiable_as_in_pytorch():
    def body(T, Base, once):
        class Cube(Base):
            @staticmethod
            def forward(ctx, a):
                ctx.save_for_backward(a)
                return a ** 3

            @staticmethod
            @once
            def backward(ctx, grad):
                (a,) = ctx.saved_tensors
                return grad * 3 * a ** 2

        x = T.tensor(2.0, dtype=T.float64, requires_grad=True)
        (g,) = T.autograd.grad(Cube.apply(x), x)          # grad mode off inside backward
        facts = [g.item(), g.requires_grad]
        (g,) = T.autograd.grad(Cube.apply(x), x, create_graph=True)
        facts += [g.item(), g.requires_grad]
        g2 = (g * x).sum()  # depends on x through g (refused) and directly
        try:
            T.autograd.grad(g2, x)
            facts.append("second derivative computed")
        except RuntimeError as e:
            facts.append(str(e))
        return facts

    ours, theirs = _both(body)
    assert ours == theirs


def test_integer_result_of_a_custom_function_is_not_tracked_as_in_pytorch():
    def body(T, Base, _):
        class Floor(Base):
            @staticmethod
            def forward(ctx, a):
                return a.long()

            @staticmethod
            def backward(ctx, grad):
                return grad

        y = Floor.apply(T.tensor([1.5, 2.5], requires_grad=True))
        return [y.requires_grad, y.grad_fn is None, str(y.dtype).split(".")[-1]]

    ours, theirs = _both(body)
    assert ours == theirs == [False, True, "int64"]


def test_an_input_returned_as_it_is_comes_back_as_a_view_as_in_pytorch():
    def body(T, Base, _):
        class Same(Base):
            @staticmethod
            def forward(ctx, a):
                return a

            @staticmethod
            def backward(ctx, grad):
                return grad * 5

        x = T.tensor([1.0, 2.0], requires_grad=True)
        y = Same.apply(x)
        facts = [y is x, y._base is x, y.grad_fn is not None]
        y.sum().backward()
        return facts + [x.grad.tolist()]

    ours, theirs = _both(body)
    assert ours == theirs == [False, True, True, [5.0, 5.0]]


def test_a_saved_output_of_a_custom_function_is_version_checked_as_in_pytorch():
    def body(T, Base, _):
        class Exp(Base):
            @staticmethod
            def forward(ctx, a):
                r = a.exp()
                ctx.save_for_backward(r)
                return r

            @staticmethod
            def backward(ctx, grad):
                (r,) = ctx.saved_tensors
                return grad * r

        x = T.tensor([0.0, 1.0], dtype=T.float64, requires_grad=True)
        y = Exp.apply(x)
        (r,) = y.grad_fn.saved_tensors
        facts = [r is y, r.grad_fn is y.grad_fn]
        y.sum().backward(retain_graph=True)
        facts.append(np.round(x.grad.numpy(), 6).tolist())
        with T.no_grad():
            y.add_(1)
        try:
            y.sum().backward()
        except RuntimeError as e:
            facts.append(str(e).split(": [")[0])
        return facts

    ours, theirs = _both(body)
    assert ours == theirs
    assert ours[-1].startswith("one of the variables needed for gradient computation has been modified")
