"""Which nodes autograd.grad and backward(inputs=...) run, and node pre-hooks (register_prehook), against
PyTorch: the order hooks see a gradient in, what they may return, which nodes are run and freed."""
from __future__ import annotations

import pytest

import minigrad

torch = pytest.importorskip("torch")


def _order(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    calls = []
    y.register_hook(lambda g: calls.append(("y tensor hook", type(g).__name__)) or g + 1)
    y.retain_grad()
    y.grad_fn.register_prehook(lambda gs: calls.append(("y node pre-hook", type(gs).__name__, y.grad.tolist()))
                               or (gs[0] * 10,))
    x.register_hook(lambda g: calls.append(("x tensor hook", g.tolist())))
    y.sum().backward(retain_graph=True)
    first = list(calls), x.grad.tolist(), y.grad.tolist()
    calls.clear()
    T.autograd.grad(y.sum(), x)  # x's AccumulateGrad is read, not run; y's node runs (x is below it)
    return first, calls


def test_hooks_run_in_pytorchs_order_and_a_node_pre_hook_gets_a_tuple():
    assert _order(minigrad) == _order(torch)


@pytest.mark.parametrize("returned, error", [
    (lambda gs: gs[0] * 2, "expected tuple, but hook returned 'Tensor'"),
    (lambda gs: (gs[0], gs[0]), "has returned an incorrect number of values (got 2, but expected 1)"),
    (lambda gs: (gs[0][:1],), "has changed the size of value"),
])
def test_a_node_pre_hook_returning_the_wrong_thing_fails_as_in_pytorch(returned, error):
    for T in (minigrad, torch):
        x = T.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        y.grad_fn.register_prehook(returned)
        with pytest.raises((TypeError, RuntimeError), match=error.replace("(", r"\(").replace(")", r"\)")) as info:
            y.sum().backward()
        assert type(info.value).__name__ == ("TypeError" if "expected tuple" in error else "RuntimeError")


def _which_nodes_run(T, how):
    a = T.tensor([1.0, 2.0], requires_grad=True)
    b = T.tensor([3.0, 4.0], requires_grad=True)
    kept = []
    a.register_hook(lambda g: kept.append("a"))
    h = a.exp()  # ExpBackward0 saves its result: whether it was run shows in a second backward
    h.register_hook(lambda g: kept.append("h"))
    out = (h * b).sum()
    if how == "grad wrt b":
        T.autograd.grad(out, b)
    elif how == "grad wrt h":
        T.autograd.grad(out, h)
    elif how == "backward inputs=[h]":
        out.backward(inputs=[h])
    else:
        out.backward(inputs=[b])
    try:
        h.sum().backward()
        freed = False
    except RuntimeError as err:
        assert "second time" in str(err)
        freed = True
    rounded = lambda t: None if t is None else [round(v, 5) for v in t.tolist()]  # noqa: E731 (exp's last digit)
    return kept, freed, rounded(b.grad), rounded(h.grad) if h.retains_grad else "not retained"


@pytest.mark.parametrize("how", ["grad wrt b", "grad wrt h", "backward inputs=[h]", "backward inputs=[b]"])
def test_only_the_nodes_on_the_way_to_the_inputs_run(how):
    assert _which_nodes_run(minigrad, how) == _which_nodes_run(torch, how)


def _hook_gives_none(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    z = (x * 3).exp()
    seen = []
    z.grad_fn.register_prehook(lambda grads: (None,))
    z.grad_fn.register_prehook(lambda grads: seen.append(grads[0] is None))
    z.sum().backward()
    return seen, x.grad


def test_a_node_pre_hook_returning_none_stops_the_gradient_as_in_pytorch():
    # PyTorch's undefined gradient: the next hooks see None, nothing reaches the inputs (no zeros).
    assert _hook_gives_none(minigrad) == _hook_gives_none(torch) == ([True], None)
