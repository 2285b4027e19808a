"""BackwardStepper: the steps follow a valid order, every gradient shown is the engine's, and the
last step's leaf gradients are what .backward() gives. The oracle is a real backward (with
retain_grad) on a second, identical copy of the computation, plus hand-derived values."""
from __future__ import annotations

import numpy as np
import pytest

import minigrad
from minigrad import nn
from minigrad.viz import BackwardStepper, Step
from minigrad.viz.stepper import CURRENT


def lesson(retain: bool = False):
    x = minigrad.tensor(2.0, requires_grad=True)
    y = minigrad.tensor(3.0, requires_grad=True)
    z = minigrad.tensor(4.0, requires_grad=True)
    x4 = x ** 4
    a = 2 * x4
    y3 = y ** 3
    s = a - y3
    z2 = z ** 2
    b = 3 * z2
    e = s + b
    t = dict(x=x, y=y, z=z, x4=x4, a=a, y3=y3, s=s, z2=z2, b=b, e=e)
    if retain:
        for k in ("x4", "a", "y3", "s", "z2", "b", "e"):
            t[k].retain_grad()
    return t


def reuse(retain: bool = False):
    a = minigrad.tensor([2.0, -1.0], requires_grad=True)
    b = a * a
    c = b + b
    w = minigrad.tensor([[1.0, 2.0], [0.5, -3.0]], requires_grad=True)
    wc = w @ c
    h = wc.tanh()
    k = minigrad.tensor([1.0, 4.0])  # a constant input: no gradient goes there
    p = h * k
    q = c.sin()
    s = p + q
    out = s.sum()
    t = dict(a=a, b=b, c=c, w=w, wc=wc, h=h, p=p, q=q, s=s, out=out)
    if retain:
        for name in ("b", "c", "wc", "h", "p", "q", "s", "out"):
            t[name].retain_grad()
    return t


def check_against_engine(make, output: str):
    shown = make()
    stepper = BackwardStepper(shown[output], names=shown)
    real = make(retain=True)
    real[output].backward()
    assert len(stepper.steps) >= 3
    checked = 0
    for step in stepper.steps:
        assert isinstance(step, Step)
        expected = real[step.target].grad  # the gradient the engine computed for that tensor
        np.testing.assert_allclose(step.upstream.numpy(), expected.numpy(), rtol=1e-6, err_msg=step.target)
        checked += 1
    final = stepper.leaf_grads()
    leaves = [n for n, t in real.items() if t.is_leaf and t.requires_grad]
    assert sorted(final) == sorted(leaves)
    for name in leaves:
        np.testing.assert_allclose(final[name].numpy(), real[name].grad.numpy(), rtol=1e-6)
    assert checked == len(stepper.steps)
    return stepper, shown


@pytest.mark.parametrize("make,output", [(lesson, "e"), (reuse, "out")])
def test_every_gradient_shown_is_the_engines(make, output):
    check_against_engine(make, output)


@pytest.mark.parametrize("make,output", [(lesson, "e"), (reuse, "out")])
def test_order_is_a_valid_reverse_topological_order(make, output):
    t = make()
    stepper = BackwardStepper(t[output], names=t)
    position = {id(s.graph_node): i for i, s in enumerate(stepper.steps)}
    assert len(position) == len(stepper.steps)  # each node runs once
    for i, step in enumerate(stepper.steps):
        for child, _ in step.graph_node.next_functions:
            if child is not None and id(child) in position:
                assert position[id(child)] > i, f"{child.name()} ran before {step.node}, which feeds it"
    assert stepper.steps[0].graph_node is t[output].grad_fn


def test_lesson_values_by_hand_and_chain_rule_text():
    t = lesson()
    stepper = BackwardStepper(t["e"], names={k: t[k] for k in "xyze"})
    final = stepper.leaf_grads()
    assert (final["x"].item(), final["y"].item(), final["z"].item()) == (64.0, -27.0, 24.0)  # 8x^3, -3y^2, 6z
    text = [str(s) for s in stepper.steps]
    assert text[0].startswith("AddBackward0 (makes e): upstream 1")
    pow_x = next(s for s in stepper.steps if s.node == "PowBackward0" and s.inputs == ("x",))
    assert pow_x.upstream.item() == 2.0 and pow_x.local[0].item() == 32.0 and pow_x.input_grads[0].item() == 64.0
    assert "2 × 32 = 64" in str(pow_x) and "n * a**(n-1)" in pow_x.formula
    sub = next(s for s in stepper.steps if s.node == "SubBackward0")
    assert [g.item() for g in sub.input_grads] == [1.0, -1.0] and [v.item() for v in sub.local] == [1.0, -1.0]
    assert text[-1] == "AccumulateGrad (leaf x): x.grad += 64 -> x.grad = 64"
    # leaf gradients grow step by step: z first, then y, then x (the engine's order here)
    assert [sorted(s.leaf_grads) for s in stepper.steps if s.node == "AccumulateGrad"] == \
        [["z"], ["y", "z"], ["x", "y", "z"]]


def test_network_leaf_grads_equal_backward():
    def make():
        minigrad.manual_seed(0)
        model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
        X = minigrad.randn(5, 3)
        loss = nn.MSELoss()(model(X), minigrad.zeros(5, 1))
        return model, loss

    model, loss = make()
    names = {f"p{i}": p for i, p in enumerate(model.parameters())}
    stepper = BackwardStepper(loss, names=names)
    ref_model, ref_loss = make()
    ref_loss.backward()
    final = stepper.leaf_grads()
    for i, p in enumerate(ref_model.parameters()):
        np.testing.assert_allclose(final[f"p{i}"].numpy(), p.grad.numpy(), rtol=1e-5, atol=1e-7)
    assert all(p.grad is None for p in model.parameters())  # the stepper never called backward
    loss.backward()  # and did not free the graph
    for p, q in zip(model.parameters(), ref_model.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-6)


def test_frames_highlight_the_step_and_label_gradients():
    t = lesson()
    stepper = BackwardStepper(t["e"], names={k: t[k] for k in "xyze"})
    first = stepper.show_step(0).source
    assert first.count(CURRENT) == 1 and "step 1 of 10: AddBackward0" in first
    last = stepper.frame(len(stepper.steps) - 1).source
    assert ".grad = 64" in last and ".grad = -27" in last and ".grad = 24" in last
    assert "label=\" 32 \"" not in last and "label=\" 64 \"" in last  # edge labels are the gradients sent
    assert stepper.index == 0
    with pytest.raises(IndexError, match="has 10 steps"):
        stepper.frame(10)


def test_static_display_without_a_kernel_and_without_dot(monkeypatch):
    t = lesson()
    stepper = BackwardStepper(t["e"], names={k: t[k] for k in "xyze"})
    bundle = stepper._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" not in bundle  # no kernel here
    assert "Backward pass, 10 steps" in bundle["text/html"] and "x.grad = 64" in bundle["text/html"]
    assert bundle["text/plain"] == "<minigrad.viz.BackwardStepper: 10 steps>"
    monkeypatch.setenv("PATH", "")
    stepper._frames.clear()
    html = stepper._repr_mimebundle_()["text/html"]
    assert "apt install graphviz" in html


def test_widget_buttons_and_slider_move_the_step():
    pytest.importorskip("ipywidgets")
    t = lesson()
    stepper = BackwardStepper(t["e"], names={k: t[k] for k in "xyze"})
    box = stepper.widget
    controls, view = box.children
    play, prev, slider, nxt = controls.children
    assert (slider.min, slider.max, play.max) == (0, 9, 9)
    nxt.click()
    nxt.click()
    assert slider.value == 2 and stepper.index == 2
    prev.click()
    assert stepper.index == 1
    stepper.show_step(5)
    assert slider.value == 5


def test_bad_outputs_say_what_is_wrong():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="is a leaf .* no graph behind it"):
        BackwardStepper(x)
    with pytest.raises(RuntimeError, match="does not have a grad_fn"):
        BackwardStepper(x.detach().sum())
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        BackwardStepper(x * 2)
    with pytest.raises(TypeError, match="got float"):
        BackwardStepper(1.5)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="already freed by a backward"):
        BackwardStepper(y)


@pytest.mark.parametrize("make,output", [(lesson, "e"), (reuse, "out")])
def test_steps_are_the_engines_own_order(make, output):
    from minigrad.autograd.graph import execution_order

    t = make()
    stepper = BackwardStepper(t[output], names=t)
    order = execution_order(t[output].grad_fn)
    # every node the engine calls is a step, in the same order (no node here is skipped: all need grad)
    assert [s.graph_node for s in stepper.steps] == order


def test_a_module_names_the_leaves_of_the_steps():
    minigrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1))
    loss = model(minigrad.tensor([[1.0, -1.0]])).sum()
    stepper = BackwardStepper(loss, names=model)
    assert sorted(stepper.leaf_grads()) == ["0.bias", "0.weight", "2.bias", "2.weight"]
    last = stepper.frame(len(stepper.steps) - 1).source
    assert "0.weight" in last and ".grad = " in last
