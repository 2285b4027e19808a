"""Autograd semantics: accumulation, hooks, retain_grad, grad modes, autograd.grad, custom Functions.

Expected numbers are derived by hand in the comments; where torch is importable the graph's
structure (node names, next_functions) is compared with PyTorch's too.
"""
from __future__ import annotations


import numpy as np
import pytest

import minigrad
from minigrad.autograd import Function
from helpers import try_torch


def names(node):
    return [n.name() if n is not None else None for n, _ in node.next_functions]


# ------------------------------------------------------------------ accumulation, flags
def test_grad_accumulates_across_backward_calls_until_zeroed():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()          # d/dx = 3
    (x * x).sum().backward()          # d/dx = 2x = [2, 4]
    assert x.grad.tolist() == [5.0, 7.0]
    x.grad.zero_()
    (x * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    x.grad = None
    x.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_first_gradient_is_a_private_copy():
    """The gradient stored in .grad must not alias a tensor that other code still holds."""
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    g = minigrad.tensor([5.0, 6.0])
    x.backward(g)
    x.grad.add_(1.0)
    assert g.tolist() == [5.0, 6.0]
    assert x.grad.tolist() == [6.0, 7.0]


def test_flags_of_leaves_and_results():
    a = minigrad.ones(2)                        # user-made, no grad
    x = minigrad.ones(2, requires_grad=True)     # user-made, grad
    y = x * 2
    z = a * 2
    with minigrad.no_grad():
        w = x * 2
    d = y.detach()
    assert (a.is_leaf, a.requires_grad, a.grad_fn) == (True, False, None)
    assert (x.is_leaf, x.requires_grad, x.grad_fn) == (True, True, None)
    assert (y.is_leaf, y.requires_grad, y.grad_fn.name()) == (False, True, "MulBackward0")
    assert (z.is_leaf, z.requires_grad, z.grad_fn) == (True, False, None)
    assert (w.is_leaf, w.requires_grad, w.grad_fn) == (True, False, None)
    assert (d.is_leaf, d.requires_grad, d.grad_fn) == (True, False, None)


def test_next_functions_for_number_operand_and_leaf():
    x = minigrad.ones(2, 4, requires_grad=True)
    y = x + 1
    assert y.grad_fn.name() == "AddBackward0"
    (leaf, _), (const, _) = y.grad_fn.next_functions
    assert leaf.name() == "AccumulateGrad" and leaf.variable is x and const is None
    assert leaf.next_functions == ()
    assert x._accumulate_grad_node() is leaf  # one accumulator per leaf, reused


def test_tensor_used_twice_keeps_one_edge_per_use():
    """b = a + a, c = b * b with a non-leaf a: two edges each, to the same node, every path counted."""
    x = minigrad.tensor([1.0, -2.0], requires_grad=True)
    a = x * 3                    # a = 3x
    b = a + a                    # b = 6x
    c = b * b                    # c = 36 x^2, dc/dx = 72 x
    assert len(b.grad_fn.next_functions) == 2
    assert b.grad_fn.next_functions[0][0] is a.grad_fn
    assert b.grad_fn.next_functions[1][0] is a.grad_fn
    assert c.grad_fn.next_functions[0][0] is b.grad_fn is c.grad_fn.next_functions[1][0]
    assert c.grad_fn.inputs == (b, b) and b.grad_fn.inputs == (a, a)
    a.retain_grad()
    b.retain_grad()
    c.sum().backward()
    assert b.grad.tolist() == [12.0, -24.0]     # dc/db = 2b = 12x
    assert a.grad.tolist() == [24.0, -48.0]     # two paths of dc/db each
    assert x.grad.tolist() == [72.0, -144.0]


def test_tensor_used_twice_next_functions_match_torch():
    torch = pytest.importorskip("torch")
    for T in (torch, minigrad):
        x = T.tensor([1.0], requires_grad=True)
        a = x * 3
        b = a + a
        c = b * b
        n = [(type(nf).__name__ if T is torch else nf.name()) for nf, _ in c.grad_fn.next_functions]
        assert n == ["AddBackward0", "AddBackward0"]
        assert c.grad_fn.next_functions[0][0] is c.grad_fn.next_functions[1][0] or T is torch
        if T is torch:  # PyTorch returns the same node object from both edges too
            assert c.grad_fn.next_functions[0][0] is c.grad_fn.next_functions[1][0]


def test_execution_order_is_reverse_topological_and_stable():
    from minigrad.autograd.graph import execution_order

    x = minigrad.tensor(2.0, requires_grad=True)
    a = x.exp()
    b = x.sin()
    c = a * b
    order = [n.name() for n in execution_order(c.grad_fn)]
    # newest first among ready nodes: Mul, then Sin (made after Exp), then Exp, then the leaf
    assert order == ["MulBackward0", "SinBackward0", "ExpBackward0", "AccumulateGrad"]
    assert [n.name() for n in execution_order(c.grad_fn)] == order


def test_sequence_nr_increases():
    x = minigrad.tensor(1.0, requires_grad=True)
    a = x * 2
    b = a + 1
    assert b.grad_fn.sequence_nr > a.grad_fn.sequence_nr


def test_node_outputs_and_saved_tensors_are_public():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = minigrad.tensor([3.0, 4.0], requires_grad=True)
    z = x * y
    node = z.grad_fn
    assert node.output is z
    assert node.inputs == (x, y)
    sx, sy = node.saved_tensors
    assert sx is x and sy is y
    gx, gy = node(minigrad.ones(2))        # calling a node gives dz/dx = y, dz/dy = x
    assert gx.tolist() == [3.0, 4.0] and gy.tolist() == [1.0, 2.0]
    assert node.saved_tensors[0] is x      # calling a node never frees
    node.metadata["label"] = "z"
    assert z.grad_fn.metadata == {"label": "z"}


# ------------------------------------------------------------------ retain_grad and hooks
def test_retain_grad_on_non_leaf():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    y.retain_grad()
    assert y.retains_grad
    (y * 3).sum().backward(retain_graph=True)
    assert y.grad.tolist() == [3.0, 3.0]
    assert x.grad.tolist() == [6.0, 12.0]
    (y * 1).sum().backward()                    # accumulates like a leaf's
    assert y.grad.tolist() == [4.0, 4.0]


def test_non_leaf_grad_is_none_without_retain_grad():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.sum().backward()
    with pytest.warns(UserWarning, match="retain_grad"):
        assert y.grad is None


def test_hook_on_leaf_changes_gradient_and_can_be_removed():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    handle = x.register_hook(lambda g: seen.append(g.tolist()) or g * 10)
    (x * 2).sum().backward()
    assert seen == [[2.0, 2.0]] and x.grad.tolist() == [20.0, 20.0]
    handle.remove()
    handle.remove()  # twice is harmless
    x.grad = None
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0] and len(seen) == 1


def test_hook_on_non_leaf_changes_what_flows_on():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = x * x                                   # dy/dx = 2x
    seen = []
    y.register_hook(lambda g: seen.append(g.tolist()))   # returns None: gradient unchanged
    h = y.register_hook(lambda g: g * 0.5)
    (y * 4).sum().backward()
    assert seen == [[4.0, 4.0]]
    assert x.grad.tolist() == [4.0, 8.0]        # 4 * 0.5 * 2x
    h.remove()
    x.grad = None
    z = x * x
    z.register_hook(lambda g: g + 1)
    z.sum().backward()
    assert x.grad.tolist() == [4.0, 8.0]        # (1 + 1) * 2x


def test_hook_and_retain_grad_match_torch():
    torch = pytest.importorskip("torch")
    results = []
    for T in (torch, minigrad):
        x = T.tensor([1.0, 2.0], requires_grad=True)
        y = x * x
        y.retain_grad()
        y.register_hook(lambda g: g * 3)
        (y * 2).sum().backward()
        results.append((y.grad.tolist(), x.grad.tolist()))
    assert results[0] == results[1]


def test_register_hook_on_tensor_without_grad_refuses():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        minigrad.ones(2).register_hook(lambda g: g)


# ------------------------------------------------------------------ detach, requires_grad_
def test_detach_shares_data_and_leaves_the_graph():
    x = minigrad.rand(4, 3, requires_grad=True)
    d = x.detach()
    assert d.requires_grad is False and d.grad_fn is None and d.is_leaf
    assert np.shares_memory(d._data, x._data)
    with minigrad.no_grad():
        d[0, 0] = 5.0
    assert x[0, 0].item() == 5.0      # same memory, as in PyTorch


def test_detach_inplace_and_requires_grad_():
    x = minigrad.rand(4, 3, requires_grad=True)
    y = x * 2
    y.detach_()
    assert y.grad_fn is None and not y.requires_grad and y.is_leaf
    x.requires_grad_(False)
    assert not x.requires_grad
    assert x.requires_grad_() is x and x.requires_grad
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf"):
        (x * 2).requires_grad_(False)


def test_detached_branch_gets_no_gradient():
    x = minigrad.tensor([2.0], requires_grad=True)
    y = x * x.detach()          # d/dx = x only (the detached factor is a constant)
    y.backward()
    assert x.grad.tolist() == [2.0]


# ------------------------------------------------------------------ grad modes
def test_no_grad_and_enable_grad_context_managers_nest():
    x = minigrad.ones(2, requires_grad=True)
    with minigrad.no_grad():
        assert not minigrad.is_grad_enabled()
        y = x * 2
        with minigrad.enable_grad():
            assert minigrad.is_grad_enabled()
            z = x * 2
        assert not minigrad.is_grad_enabled()
    assert minigrad.is_grad_enabled()
    assert not y.requires_grad and z.requires_grad


def test_grad_mode_restored_after_exception():
    with pytest.raises(ValueError):
        with minigrad.no_grad():
            raise ValueError("boom")
    assert minigrad.is_grad_enabled()


def test_grad_modes_as_decorators():
    x = minigrad.ones(2, requires_grad=True)

    @minigrad.no_grad()
    def off(t):
        return t * 2

    @minigrad.enable_grad()
    def on(t):
        return t * 2

    @minigrad.set_grad_enabled(False)
    def set_off(t):
        return t * 2

    assert minigrad.is_grad_enabled()  # defining set_off did not switch grad off for us
    assert off.__name__ == "off"
    assert not off(x).requires_grad and not set_off(x).requires_grad
    with minigrad.no_grad():
        assert on(x).requires_grad
    assert minigrad.is_grad_enabled()


def test_set_grad_enabled_as_function_and_context_manager():
    x = minigrad.ones(2, requires_grad=True)
    with minigrad.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert minigrad.is_grad_enabled()
    minigrad.set_grad_enabled(False)
    try:
        assert not minigrad.is_grad_enabled()
        assert not (x * 2).requires_grad
    finally:
        minigrad.set_grad_enabled(True)
    assert (x * 2).requires_grad


def test_no_grad_decorator_used_without_parentheses_matches_torch():
    """PyTorch also accepts @torch.no_grad and @torch.enable_grad (no call)."""
    torch = pytest.importorskip("torch")
    for T in (torch, minigrad):
        try:
            @T.no_grad
            def f(t):
                return t * 2
            out = f(T.ones(1, requires_grad=True))

            @T.enable_grad
            def g(t):
                return t * 2
            with T.no_grad():
                again = g(T.ones(1, requires_grad=True))
            result = ("ok", out.requires_grad, again.requires_grad, f.__name__)
        except Exception as e:  # noqa: BLE001 - we record what happens
            result = ("error", type(e).__name__)
        if T is torch:
            expected = result
        else:
            assert result == expected == ("ok", False, True, "f")


# ------------------------------------------------------------------ autograd.grad and backward(inputs=)
def test_autograd_grad_returns_without_accumulating():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = minigrad.tensor([3.0, 4.0], requires_grad=True)
    z = (x * y).sum()
    gx, gy = minigrad.autograd.grad(z, (x, y))
    assert gx.tolist() == [3.0, 4.0] and gy.tolist() == [1.0, 2.0]
    assert x.grad is None and y.grad is None


def test_autograd_grad_with_grad_outputs_and_non_leaf_input():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    out = h * h                                # d out/d h = 2h = [6, 12]
    (gh,) = minigrad.autograd.grad(out, h, grad_outputs=minigrad.tensor([1.0, 10.0]))
    assert gh.tolist() == [6.0, 120.0]


def test_autograd_grad_allow_unused():
    x = minigrad.tensor(1.0, requires_grad=True)
    unused = minigrad.tensor(1.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        minigrad.autograd.grad(x * 2, [x, unused])
    gx, gu = minigrad.autograd.grad(x * 2, [x, unused], allow_unused=True)
    assert gx.item() == 2.0 and gu is None


def test_autograd_grad_create_graph_higher_order():
    """y = x^4: y' = 4x^3 = 32, y'' = 12x^2 = 48, y''' = 24x = 48 at x = 2."""
    x = minigrad.tensor(2.0, dtype=minigrad.float64, requires_grad=True)
    y = x ** 4
    (d1,) = minigrad.autograd.grad(y, x, create_graph=True)
    assert d1.requires_grad and d1.grad_fn is not None
    (d2,) = minigrad.autograd.grad(d1, x, create_graph=True)
    (d3,) = minigrad.autograd.grad(d2, x)
    assert (d1.item(), d2.item(), d3.item()) == (32.0, 48.0, 48.0)
    assert not d3.requires_grad


def test_backward_create_graph_then_differentiate_grad():
    """f = sin(x) * x: f' = cos x * x + sin x, f'' = 2 cos x - x sin x."""
    x0 = 0.7
    x = minigrad.tensor(x0, dtype=minigrad.float64, requires_grad=True)
    (x.sin() * x).backward(create_graph=True)
    g = x.grad
    assert g.requires_grad
    np.testing.assert_allclose(g.item(), np.cos(x0) * x0 + np.sin(x0))
    (g2,) = minigrad.autograd.grad(g, x)
    np.testing.assert_allclose(g2.item(), 2 * np.cos(x0) - x0 * np.sin(x0))


def test_mixed_second_derivative():
    """f = x^2 y^3: d2f/dxdy = 6 x y^2 = 6 * 1.5 * 4 = 36."""
    x = minigrad.tensor(1.5, dtype=minigrad.float64, requires_grad=True)
    y = minigrad.tensor(2.0, dtype=minigrad.float64, requires_grad=True)
    (gx,) = minigrad.autograd.grad(x ** 2 * y ** 3, x, create_graph=True)
    (gxy,) = minigrad.autograd.grad(gx, y)
    assert gxy.item() == pytest.approx(36.0)


def test_backward_inputs_only_fills_those():
    x = minigrad.tensor([1.0], requires_grad=True)
    y = minigrad.tensor([2.0], requires_grad=True)
    z = (x * y).sum()
    z.backward(inputs=[x])
    assert x.grad.tolist() == [2.0] and y.grad is None
    h = x * 5
    (h * y).sum().backward(inputs=[h, y])      # a non-leaf input gets its .grad too
    assert h.grad.tolist() == [2.0] and y.grad.tolist() == [5.0]
    assert x.grad.tolist() == [2.0]            # untouched


def test_backward_inputs_matches_torch():
    torch = pytest.importorskip("torch")
    out = []
    for T in (torch, minigrad):
        x = T.tensor([1.0, 3.0], requires_grad=True)
        y = T.tensor([2.0, 1.0], requires_grad=True)
        h = x * y
        (h * h).sum().backward(inputs=[h, x])
        out.append((x.grad.tolist(), y.grad, h.grad.tolist()))
    assert out[0] == out[1]


def test_backward_with_gradient_argument():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    y.backward(minigrad.tensor([1.0, 0.5]))
    assert x.grad.tolist() == [2.0, 2.0]


def test_multiple_outputs_backward():
    x = minigrad.tensor(3.0, requires_grad=True)
    minigrad.autograd.backward([x * 2, x * x], [minigrad.tensor(1.0), minigrad.tensor(1.0)])
    assert x.grad.item() == 8.0


# ------------------------------------------------------------------ custom Function
class ScaledCube(Function):
    """y = s * x^3 (s a number);  dy/dx = 3 s x^2."""

    @staticmethod
    def forward(ctx, x, s):
        ctx.save_for_backward(x)
        ctx.s = s
        return x.data ** 3 * s

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * ctx.s * x ** 2, None  # one gradient per argument of forward: None for s


class MulAdd(Function):
    """z = x * y + y;  dz/dx = y,  dz/dy = x + 1; records needs_input_grad."""
    seen = []

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x.data * y.data + y.data

    @staticmethod
    def backward(ctx, grad):
        MulAdd.seen.append(ctx.needs_input_grad)
        x, y = ctx.saved_tensors
        return (grad * y if ctx.needs_input_grad[0] else None,
                grad * (x + 1) if ctx.needs_input_grad[1] else None)


def test_custom_function_forward_backward_and_name():
    x = minigrad.tensor([1.0, 2.0], dtype=minigrad.float64, requires_grad=True)
    y = ScaledCube.apply(x, 2.0)
    assert y.grad_fn.name() == "ScaledCubeBackward"
    assert y.tolist() == [2.0, 16.0]
    y.sum().backward()
    assert x.grad.tolist() == [6.0, 24.0]
    from helpers import check_gradients, check_second_derivatives
    check_gradients(lambda t: ScaledCube.apply(t, 0.5), np.array([0.3, -1.2]))
    check_second_derivatives(lambda t: ScaledCube.apply(t, 0.5), np.array([0.3, -1.2]))


def test_custom_function_needs_input_grad_and_broadcast():
    MulAdd.seen.clear()
    x = minigrad.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = minigrad.tensor([10.0, 20.0])         # no grad, broadcast along rows
    MulAdd.apply(x, y).sum().backward()
    assert MulAdd.seen == [(True, False)]
    assert x.grad.tolist() == [[10.0, 20.0], [10.0, 20.0]]
    y.requires_grad_()
    MulAdd.apply(x.detach(), y).sum().backward()
    assert MulAdd.seen[-1] == (False, True)
    assert y.grad.tolist() == [6.0, 8.0]      # summed back over rows: (1+1)+(3+1), (2+1)+(4+1)


def test_custom_function_name_matches_torch():
    torch = pytest.importorskip("torch")

    class Twice(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    class MTwice(Function):
        @staticmethod
        def forward(ctx, x):
            return x.data * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    t = Twice.apply(torch.ones(1, requires_grad=True))
    m = MTwice.apply(minigrad.ones(1, requires_grad=True))
    assert t.grad_fn.name().replace("Twice", "MTwice") == m.grad_fn.name()


def test_custom_function_wrong_number_of_gradients():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x.data + y.data

        @staticmethod
        def backward(ctx, grad):
            return grad

    x = minigrad.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="incorrect number of gradients"):
        Bad.apply(x, x).sum().backward()


def test_custom_function_not_tracked_under_no_grad():
    x = minigrad.ones(2, requires_grad=True)
    with minigrad.no_grad():
        y = ScaledCube.apply(x, 1.0)
    assert y.grad_fn is None and not y.requires_grad



def test_custom_function_forward_runs_with_grad_mode_off():
    # PyTorch runs a Function's forward under no_grad, whether or not an input requires grad.
    libs = [minigrad] + [t for t in [try_torch()] if t is not None]
    for T in libs:
        seen = []

        class Spy(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                seen.append(T.is_grad_enabled())
                return x * 2 if T is not minigrad else x.data * 2

            @staticmethod
            def backward(ctx, grad):
                return grad * 2

        Spy.apply(T.ones(2, requires_grad=True))
        Spy.apply(T.ones(2))
        assert seen == [False, False], T.__name__
        assert T.is_grad_enabled()


def test_node_names_match_torch_for_common_ops():
    torch = pytest.importorskip("torch")
    exprs = ["x + 1", "x - 1", "1 - x", "x * 2", "x / 2", "2 / x", "-x", "x ** 2", "x ** y", "2 ** x",
             "x.exp()", "x.log()", "x.sqrt()", "x.abs()", "x.sin()", "x.cos()", "x.tanh()", "x.sigmoid()",
             "x.relu()", "x.sum()", "x.sum(0)", "x.mean()", "x.mean(1)", "x.max()", "x.max(0).values",
             "x.min()", "x.min(1).values", "x @ y.T", "x[0] @ y[0]", "x @ y[0]", "x.reshape(6)", "x.view(6)",
             "x.transpose(0, 1)", "x.T", "x.t()", "x.permute(1, 0)", "x.unsqueeze(0)", "x.squeeze()",
             "x.squeeze(0)", "x[0]", "x[:, 1:]", "x[[0, 1, 1]]", "x[x > 0]", "x[None]", "T.cat([x, y])",
             "T.stack([x, y])", "T.where(x > 0, x, y)", "x.clamp(0, 1)", "x.clamp(min=0)", "x.clone()",
             "x.to(T.float32)", "x.float().double()", "x[1, 2]", "x[0, 1:]", "x[None, 1]", "x[..., 1]", "x.expand(2, 2, 3)", "x.flatten()", "x.reciprocal()", "x.pow(y)"]
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0.5, 2, (2, 3)), rng.normal(size=(2, 3))
    for expr in exprs:
        got = []
        for T in (torch, minigrad):
            x = T.tensor(a, requires_grad=True)
            y = T.tensor(b, requires_grad=True)
            out = eval(expr, {"T": T, "x": x, "y": y})
            got.append((out.grad_fn.name(), [None if n is None else n.name().replace("torch::autograd::", "")
                                             for n, _ in out.grad_fn.next_functions]))
        assert got[0] == got[1], expr


def test_leaf_switched_off_after_use_gets_no_grad():
    # PyTorch's AccumulateGrad skips a leaf that no longer requires grad when backward reaches it.
    x = minigrad.ones(2, requires_grad=True)
    before = x * 2
    x.requires_grad_(False)
    before.sum().backward()
    assert x.grad is None
    torch = try_torch()
    if torch is not None:
        t = torch.ones(2, requires_grad=True)
        tb = t * 2
        t.requires_grad_(False)
        tb.sum().backward()
        assert t.grad is None
