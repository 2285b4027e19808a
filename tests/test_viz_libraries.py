"""minigrad.viz on both libraries: the same computation drawn from minigrad and from PyTorch gives the
same DOT (node names, edges, values, gradients, kinds of box), the stepper takes the same steps,
keep_values() works for both and keeps no graph alive. Tests parametrized over [minigrad, torch]
skip the torch half cleanly when PyTorch is not installed.
"""
from __future__ import annotations

import gc
import re
import subprocess
import sys
import weakref

import numpy as np
import pytest

import minigrad
from minigrad import viz
from minigrad.viz import drawing
from minigrad.viz._picture import COLOURS

LIBS = ["minigrad", "torch"]  # the torch half skips cleanly (importorskip) without PyTorch
KIND_OF_FILL = {colour: kind for kind, colour in COLOURS.items()}


def load(name: str):
    return minigrad if name == "minigrad" else pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def values_off():
    """Every test starts and ends with keep_values off (it is a session-wide switch)."""
    viz.keep_values(False)
    yield
    viz.keep_values(False)


NODE = re.compile(r"^\t+(\w+) \[label=<(.*)> (.*)\]$")
EDGE = re.compile(r"^\t+(\w+) -> (\w+)(?: \[(.*)\])?$")


def picture(source: str) -> tuple[list, list]:
    """The drawing as text a person would read: sorted boxes (kind | label) and sorted edges
    (tail label -> head label, style), independent of vertex ids and of the order of the walk.

    A constant's dtype is left out: PyTorch wraps the 2 of `x * 2` as an int64 tensor, minigrad as a
    tensor of x's dtype (the value shown is the same)."""
    labels, edges = {}, []
    for line in source.splitlines():
        m = NODE.match(line)
        if m:
            text = "|".join(p for p in re.sub(r"<[^>]+>", "|", m.group(2)).split("|") if p)
            colour = re.search(r'fillcolor="([^"]+)"', m.group(3)).group(1)
            kind = KIND_OF_FILL.get(colour, colour)  # the stepper's highlights are colours of their own
            if kind == "constant":
                text = re.sub(r"(shape \[[^]]*\]), \w+", r"\1", text)
            dotted = " (dotted)" if "dotted" in m.group(3) else ""
            labels[m.group(1)] = f"{kind}: {text}{dotted}"
            continue
        m = EDGE.match(line)
        if m:
            edges.append((m.group(1), m.group(2), "dashed" if "dashed" in (m.group(3) or "") else "solid"))
    return sorted(labels.values()), sorted(f"{labels[t]} -> {labels[h]} ({s})" for t, h, s in edges)


# ------------------------------------------------------------------------------ computations
def lesson(lib):
    """The tutorial's e = 2x^4 - y^3 + 3z^2 (numbers on the right, so both record (x**4, 2))."""
    x = lib.tensor(2.0, requires_grad=True)
    y = lib.tensor(3.0, requires_grad=True)
    z = lib.tensor(4.0, requires_grad=True)
    e = x ** 4 * 2 - y ** 3 + z ** 2 * 3
    return {"x": x, "y": y, "z": z, "e": e}, [e]


def reuse(lib):
    a = lib.tensor([1.0, -2.0], requires_grad=True)
    b = a * a
    c = (b + b).exp() / lib.tensor([2.0, 4.0])
    out = c.mean() - a.sum()
    return {"a": a, "out": out}, [out]


def detach_and_no_grad(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = a * 3
    cut = b.detach()
    with lib.no_grad():
        untracked = a * 3
    out = (cut * a).sum() + (untracked * a).sum()
    return {"a": a, "b": b, "cut": cut, "untracked": untracked, "out": out}, [out]


def layer(lib):
    """A small tanh layer on fixed numbers: matmul, add, activation functions, a square loss."""
    w = lib.tensor(np.array([[0.5, -1.0], [1.5, 0.25]], dtype=np.float32), requires_grad=True)
    bias = lib.tensor(np.array([0.1, -0.2], dtype=np.float32), requires_grad=True)
    xin = lib.tensor(np.array([1.0, 2.0], dtype=np.float32))
    h = (w @ xin + bias).tanh()
    loss = ((h.sigmoid() - lib.tensor([1.0, 0.0])) ** 2).sum() + h.relu().sum()
    return {"w": w, "bias": bias, "xin": xin, "loss": loss}, [loss]


def two_roots(lib):
    x = lib.tensor([3.0], requires_grad=True)
    y = x.sin()
    return {"x": x, "y": y, "cos": x.cos()}, [y * 2, y.cos()]


COMPUTATIONS = [lesson, reuse, detach_and_no_grad, layer, two_roots]  # and mlp, defined further down


def skeleton(pic: tuple) -> tuple:
    """Boxes by kind and first line only (name, "result", "constant"), edges likewise: the structure."""
    first = lambda box: box.split("|")[0]  # noqa: E731
    return sorted(map(first, pic[0])), sorted(" -> ".join(first(p) for p in e.split(" -> ")) for e in pic[1])


def drawn(lib_name: str, make, keep: bool, backward: bool, **options) -> str:
    """The DOT of `make`'s computation, with keep_values on throughout if `keep` (as in a lesson:
    computing, backward and drawing all happen while it is on)."""
    lib = load(lib_name)
    with viz.keep_values(keep):
        names, roots = make(lib)
        if backward:
            roots[0].sum().backward(retain_graph=True)
        return viz.draw(*roots, names=names, legend=False, **options).source


# ------------------------------------------------------------------------------ same picture
@pytest.mark.parametrize("make", COMPUTATIONS + [lambda lib: mlp(lib)], ids=lambda f: f.__name__.replace("<lambda>", "mlp"))
@pytest.mark.parametrize("keep,backward", [(False, False), (True, False), (True, True)],
                         ids=["plain", "keep_values", "keep_values+backward"])
def test_same_computation_same_dot(make, keep, backward):
    pytest.importorskip("torch")
    mine = picture(drawn("minigrad", make, keep, backward))
    theirs = picture(drawn("torch", make, keep, backward))
    assert len(mine[0]) > 3 and len(mine[1]) > 3
    # Without keep_values a box shows what the library still holds: the same, as minigrad's nodes save
    # what PyTorch's save (for x ** 4 * 2: the 2, not x ** 4; PowBackward0 keeps x).
    assert mine[0] == theirs[0]  # every box: kind, name, shape, dtype, value, grad, dotted or not
    assert mine[1] == theirs[1]  # every edge, with its style


@pytest.mark.parametrize("direction,show_saved", [("backward", False), ("forward", True)])
def test_same_dot_backward_direction_and_saved(direction, show_saved):
    pytest.importorskip("torch")
    mine = picture(drawn("minigrad", reuse, True, False, direction=direction))
    theirs = picture(drawn("torch", reuse, True, False, direction=direction))
    assert mine == theirs
    # show_saved names what each node saved: the same on both (PyTorch's node lists them as
    # _saved_self, _saved_other, ...; minigrad's as saved_tensors); unnamed ones by their value
    saved = lambda s: sorted(re.findall(r"saved: ([^<]*)", s))  # noqa: E731
    for backward in (False, True):
        mine = saved(drawn("minigrad", lesson, True, backward, show_saved=True))
        assert mine == saved(drawn("torch", lesson, True, backward, show_saved=True))
        assert mine == ["2", "3", "nothing", "nothing", "x", "y", "z"]  # Mul saves the number, Pow its base


@pytest.mark.parametrize("lib_name", LIBS)
def test_lesson_values_and_gradients_on_every_box(lib_name):
    """keep_values(): the lesson's e shows 32 - 27 + 48 = 53 on its boxes, and every gradient after backward."""
    source = drawn(lib_name, lesson, keep=True, backward=True)
    boxes, edges = picture(source)
    text = "\n".join(boxes)
    assert "not kept" not in source and "dotted" not in source
    for value in ("value 32", "value 27", "value 48", "value 5", "value 53", "value 16"):
        assert value in text
    assert "output: e|shape [], float32|value 53|grad 1" in boxes
    assert "leaf: x|shape [], float32|value 2|grad 64" in boxes
    assert "intermediate: result|shape [], float32|value 27|grad -1" in boxes  # y ** 3, as retain_grad gives
    assert sum(b.startswith("constant:") and "value 2" in b for b in boxes) == 1
    plain = drawn(lib_name, lesson, keep=False, backward=True)
    assert "not kept" in plain  # without the switch, results nothing holds are not kept


@pytest.mark.parametrize("lib_name", LIBS)
def test_recorded_gradients_are_what_retain_grad_gives(lib_name):
    lib = load(lib_name)
    with viz.keep_values():
        a = lib.tensor([1.0, -2.0], requires_grad=True)
        h = (a * 3).tanh()
        out = (h * h).sum()
    h.retain_grad()
    out.backward(retain_graph=True)
    out.backward()  # twice: a retained gradient adds up, so does the recorded one
    boxes, _ = picture(viz.draw(out, names={"a": a, "h": h, "out": out}, legend=False).source)
    expected = "grad " + viz._picture.fmt_values(h.grad)
    (box,) = [b for b in boxes if b.startswith("intermediate: h|")]
    assert expected in box
    g = (h.grad * (1 - h.detach() ** 2))  # d out / d (a*3), summed over the two passes
    (mul,) = [b for b in boxes if b.startswith("intermediate: result|") and "value [3, -6]" in b]  # a * 3
    assert "grad " + viz._picture.fmt_values(g) in mul


# ------------------------------------------------------------------------------ the stepper
@pytest.mark.parametrize("make", [lesson, reuse, layer], ids=lambda f: f.__name__)
def test_stepper_takes_the_same_steps(make):
    pytest.importorskip("torch")
    texts = {}
    for name in ("minigrad", "torch"):
        with viz.keep_values():  # so that the frames' boxes show the same values on both
            names, roots = make(load(name))
        stepper = viz.BackwardStepper(roots[0], names=names)
        texts[name] = [str(s) for s in stepper.steps]
        frame = picture(stepper.frame(len(stepper.steps) // 2).source)
        texts[name + " frame"] = frame
    assert texts["minigrad"] == texts["torch"]
    assert texts["minigrad frame"] == texts["torch frame"]
    assert len(texts["torch"]) >= 4


@pytest.mark.parametrize("lib_name", LIBS)
def test_stepper_gradients_are_the_engines(lib_name):
    lib = load(lib_name)
    names, roots = layer(lib)
    stepper = viz.BackwardStepper(roots[0], names=names)
    roots[0].backward()
    for leaf in ("w", "bias"):
        np.testing.assert_allclose(stepper.leaf_grads()[leaf].numpy(), names[leaf].grad.numpy(), rtol=1e-6)
    assert repr(stepper) == f"<minigrad.viz.BackwardStepper: {len(stepper.steps)} steps>"
    with pytest.raises(RuntimeError, match="already freed by a backward"):
        viz.BackwardStepper(roots[0], names=names)


# ------------------------------------------------------------------------------ compare and plots
@pytest.mark.parametrize("lib_name", LIBS)
def test_compare_and_plots_take_either_library(lib_name):
    lib = load(lib_name)
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    (x ** 2).sum().backward()
    assert viz.compare(2 * x.detach(), x.grad).passed
    assert not viz.compare([x.grad * 1.1], [x.grad]).passed
    explorer = viz.tangent_explorer(lambda v: v ** 3 - 2 * v, x0=1.5, lib=lib)
    assert explorer.lib is lib and explorer.slope(1.5) == pytest.approx(3 * 1.5 ** 2 - 2)
    plot = viz.descent_plot(lambda a, b: a ** 2 + 3 * b ** 2, [(1.0, 1.0)], lr=0.1, steps=5, lib=lib)
    np.testing.assert_allclose(plot.paths[0][-1], [0.8 ** 5, 0.4 ** 5], rtol=1e-9)
    with pytest.raises(TypeError, match="lib must be the minigrad or the torch module"):
        viz.tangent_explorer(lambda v: v, lib=np)


def test_plots_find_torch_when_f_needs_it():
    torch = pytest.importorskip("torch")
    assert viz.tangent_explorer(lambda v: torch.sin(v)).lib is torch  # torch.sin refuses minigrad tensors
    assert viz.tangent_explorer(lambda v: v.sin()).lib is minigrad   # works on both: minigrad


# ------------------------------------------------------------------------------ keep_values()
def test_keep_values_switch_and_context_manager():
    assert repr(viz.keep_values()) == "<minigrad.viz.keep_values: on>"
    with viz.keep_values(False):
        assert repr(viz.keep_values) and not viz.keep.is_on()
    assert viz.keep.is_on()  # the state before the block is back
    assert repr(viz.keep_values(False)) == "<minigrad.viz.keep_values: off>"
    with viz.keep_values():
        assert viz.keep.is_on()
    assert not viz.keep.is_on()
    with pytest.raises(TypeError, match="on must be True or False"):
        viz.keep_values("yes")


@pytest.mark.parametrize("lib_name", LIBS)
def test_keep_values_keeps_no_graph_alive(lib_name):
    """With the switch on, a graph nobody holds is freed at once: no reference cycle (gc is off here)."""
    lib = load(lib_name)
    viz.keep_values()
    gc.disable()
    try:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        h = (x * 2).exp()
        out = (h * 3).sum()
        alive = [weakref.ref(t) for t in (h, out)]
        del h, out
        assert [r() for r in alive] == [None, None]
        h = (x * 2).exp()
        out = (h * 3).sum()
        out.backward()
        alive = [weakref.ref(t) for t in (h, out)]
        del h, out
        assert [r() for r in alive] == [None, None]
    finally:
        gc.enable()
    if lib_name == "minigrad":
        gc.collect()
        assert len(viz._graph.minigrad_library()._records) == 0  # the records went with their nodes


def test_drawing_minigrad_never_imports_torch():
    code = ("import sys, minigrad; from minigrad import viz; from minigrad.data import make_moons, batches\n"
            "viz.keep_values(); x = minigrad.tensor(2.0, requires_grad=True); y = x * 3; y.backward()\n"
            "viz.draw(y).source; viz.BackwardStepper(x * 2); viz.compare(x.grad, x.grad)\n"
            "viz.tangent_explorer(lambda v: v ** 2); list(batches(*make_moons(10), batch_size=4))\n"
            "print('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_torch_imported_after_keep_values_is_recorded_from_its_first_drawing():
    torch = pytest.importorskip("torch")
    viz.keep_values()
    lib = viz._graph.torch_library()
    lib.stop_recording()  # as if torch had been imported after keep_values()
    x = torch.tensor(2.0, requires_grad=True)
    before = (x * 3).exp() * 2
    assert "not kept" in viz.draw(before, legend=False).source
    after = (x * 3).exp() * 2
    assert "not kept" not in viz.draw(after, legend=False).source


def test_mixing_libraries_in_one_drawing_is_refused():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="different libraries"):
        viz.draw(minigrad.tensor(1.0) * 2, torch.tensor(1.0) * 2)


# ------------------------------------------------------------------------------ the legend
def test_legend_under_the_first_picture_shown_only(monkeypatch):
    monkeypatch.setitem(drawing._legend_state, "shown", False)
    x = minigrad.tensor(2.0, requires_grad=True)
    first, second = viz.draw(x * 3), viz.draw(x * 4)
    assert "legend" not in first.source  # the DOT text does not depend on what was displayed before
    shown = drawing._legend_state
    assert "legend" in first._displayed_digraph().source and shown["shown"]
    assert "legend" not in second._displayed_digraph().source
    assert "legend" in viz.draw(x * 5, legend=True)._displayed_digraph().source
    assert "legend" not in viz.side_by_side(x * 2, x * 3)._displayed_digraph().source
    monkeypatch.setitem(drawing._legend_state, "shown", False)
    assert "legend" not in viz.draw(x * 6, legend=False)._displayed_digraph().source
    assert "legend" in viz.side_by_side(x * 2, x * 3)._displayed_digraph().source
    with pytest.raises(TypeError, match="legend must be True, False or None"):
        viz.draw(x * 2, legend="yes")


def test_legend_on_request_gives_one_meaning_per_line_style(monkeypatch):
    monkeypatch.setitem(drawing._legend_state, "shown", False)
    legend = viz.legend()
    assert repr(legend) == "<minigrad.viz.Legend>"
    text = " ".join(re.sub(r"<[^>]+>", " ", legend.source).split())
    assert "dashed arrow: no gradient flows back along it" in text
    assert "dotted box: a value not kept" in text
    for kind in ("leaf", "constant", "intermediate result", "output", "operation", "AccumulateGrad"):
        assert kind in text
    legend._repr_mimebundle_()
    assert drawing._legend_state["shown"]  # asked for: the next drawing need not repeat it
    x = minigrad.tensor(2.0, requires_grad=True)
    kept = x * 3
    with minigrad.no_grad():
        const = minigrad.tensor(5.0)
    source = viz.draw((x * 3).exp() + kept * const, names={"x": x, "kept": kept}, legend=False).source
    boxes, edges = picture(source)
    # dashed: exactly the arrows into constants (the two 3s and const); dotted: only not-kept boxes
    dashed = [e for e in edges if e.endswith("(dashed)")]
    assert len(dashed) == 3 and all(" -> constant:" in e for e in dashed)
    assert all(" -> constant:" not in e for e in edges if e not in dashed)
    dotted = [b for b in boxes if b.endswith("(dotted)")]
    assert dotted and all("not kept" in b for b in dotted) and all("not kept" not in b for b in boxes if b not in dotted)


def mlp(lib):
    """nn.Sequential(Linear, Tanh, Linear) with the same weights on both libraries, and an MSE loss."""
    model = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.Tanh(), lib.nn.Linear(3, 1))
    rng = np.random.default_rng(0)
    with lib.no_grad():
        for p in model.parameters():
            p.copy_(lib.tensor(rng.normal(size=tuple(p.shape)).astype(np.float32)))
    X = lib.tensor([[0.5, -1.0], [1.5, 2.0]])
    loss = lib.nn.MSELoss()(model(X), lib.tensor([[1.0], [0.0]]))
    return {"model": model, "X": X, "loss": loss}, [loss]


@pytest.mark.parametrize("backward", [False, True])
def test_a_module_is_drawn_alike_from_both_libraries(backward):
    """Parameters named by named_parameters() on both; the same boxes, edges, values and gradients.
    W.T of the first layer is made inside PyTorch's F.linear, which a TorchFunctionMode sees as one
    call: keep_values' TorchDispatchMode holds it until the call returns, so it is drawn too."""
    pytest.importorskip("torch")
    mine = picture(drawn("minigrad", mlp, True, backward))
    theirs = picture(drawn("torch", mlp, True, backward))
    assert mine == theirs and len(mine[0]) == 22 and "not kept" not in str(theirs)
    assert "leaf: model.0.weight|shape [3, 2], float32" in " ".join(theirs[0])
    assert any(b.startswith("constant: X|shape [2, 2]") for b in theirs[0])  # F.linear's x, found among its arguments


# ------------------------------------------------------------------------------ random programs
def random_program(lib, seed: int):
    """A random chain of 2-7 operations on two leaves (unary, binary, constants, python numbers,
    reductions, detach, no_grad, views, matmul, indexing, cat/stack, in-place, retain_grad, ...)."""
    import random

    rng, r = random.Random(seed), np.random.default_rng(seed)
    a = lib.tensor(r.normal(size=(2,)).astype(np.float32), requires_grad=True)
    b = lib.tensor(r.normal(size=(2,)).astype(np.float32), requires_grad=True)
    vals, names = [a, b], {"a": a, "b": b}
    for i in range(rng.randint(2, 7)):
        kind, u, side = rng.randrange(16), rng.random(), rng.random() < 0.5
        x, y = vals[int(u * len(vals))], vals[int((1 - u) * (len(vals) - 1))]
        const = lib.tensor(r.normal(size=(2,)).astype(np.float32))
        if kind == 0:
            v = getattr(x, ["exp", "tanh", "sigmoid", "relu", "sin", "abs", "neg", "square"][int(u * 8)])()
        elif kind == 1:
            v = [x + y, x * y, x - y, x / (y.abs() + 1)][int(u * 4)]
        elif kind == 2:
            v = x * const if side else const - x
        elif kind == 3:
            v = [x * 2.5, x + 1, x / 3, 1 - x][int(u * 4)]
        elif kind == 4:
            v = (x.sum() if side else x.mean()) * lib.ones(2)
        elif kind == 5:
            v = x.detach() * y
        elif kind == 6:
            with lib.no_grad():
                c = x * 2
            v = c + y
        elif kind == 7:
            v = x ** 2 if side else (x.abs() + 1) ** 0.5
        elif kind == 8:
            v = x.view(2, 1).t().reshape(2) if side else x.unsqueeze(0).squeeze(0)
        elif kind == 9:
            v = const.view(2, 1) @ x.view(1, 2) @ y if side else (x.view(1, 2) @ y.view(2, 1)).view(1) * lib.ones(2)
        elif kind == 10:
            v = (x[0] * y[1:]).expand(2) if side else x[[1, 0]]
        elif kind == 11:
            v = lib.cat([x[:1], y[1:]]) if side else lib.stack([x, y]).sum(0)
        elif kind == 12:
            v = x.clamp(-0.5, 0.5) if side else lib.maximum(x, y)
        elif kind == 13:
            v = x.softmax(0) if side else (x.abs() + 1).log()
        elif kind == 14:
            v = x * 1
            v.add_(y) if side else v.mul_(2)
        else:
            v = x * y
            v.retain_grad()
        vals.append(v)
        if u < 0.3:
            names[f"v{i}"] = v
    out = vals[-1].sum() + vals[-2].sum()
    names["out"] = out
    return names, [out]


def test_random_programs_draw_alike():
    """60 random programs: the same picture from both libraries under keep_values (forward: exactly;
    after backward: the same boxes and arrows, gradients may differ in float32's last digits).
    Run by hand with 300 programs: 596 of 600 pictures identical, 4 differing only in such digits."""
    pytest.importorskip("torch")
    outcomes = {"same": 0, "same after backward": 0, "same steps": 0}
    for seed in range(60):
        make = lambda lib, seed=seed: random_program(lib, seed)  # noqa: E731
        assert picture(drawn("minigrad", make, True, False)) == picture(drawn("torch", make, True, False)), seed
        outcomes["same"] += 1
        mine, theirs = picture(drawn("minigrad", make, True, True)), picture(drawn("torch", make, True, True))
        assert skeleton(mine) == skeleton(theirs), seed
        outcomes["same after backward"] += 1
        steps = {}
        for name in ("minigrad", "torch"):  # the stepper: same nodes in the same order, same leaf gradients
            with viz.keep_values():
                names, roots = random_program(load(name), seed)
                stepper = viz.BackwardStepper(roots[0], names=names)
            steps[name] = ([s.node for s in stepper.steps],
                           {k: np.round(v.numpy(), 4).tolist() for k, v in stepper.leaf_grads().items()})
        assert steps["minigrad"] == steps["torch"], seed
        outcomes["same steps"] += 1
    assert outcomes == {"same": 60, "same after backward": 60, "same steps": 60}


def test_a_result_changed_in_place_keeps_the_value_it_had():
    """y = x * 1; y.mul_(2): the first MulBackward0's result is drawn with the value it had (recorded),
    not as the tensor y, which now holds the later value and belongs to the second node."""
    for name in ("minigrad", "torch"):
        lib = load(name) if name == "minigrad" else pytest.importorskip("torch")
        with viz.keep_values():
            x = lib.tensor([1.0, 2.0], requires_grad=True)
            y = x * 1
            y.mul_(2)
        boxes, edges = picture(viz.draw(y, names={"x": x, "y": y}, legend=False).source)
        assert "output: y|shape [2], float32|value [2, 4]" in boxes
        assert "intermediate: result|shape [2], float32|value [1, 2]" in boxes
        assert not any(e.startswith("op:") and "-> output: y" in e for e in edges)  # no loop back into y


@pytest.mark.parametrize("lib_name", LIBS)
def test_keep_values_never_breaks_what_it_watches(lib_name):
    """gradcheck (PyTorch's sends undefined gradients through the hooks), autograd.grad with
    create_graph, a second backward: the same results with keep_values on as off."""
    lib = load(lib_name)

    def run():
        x = lib.tensor([-1.0, 0.5, 2.0], dtype=lib.float64, requires_grad=True)
        ok = lib.autograd.gradcheck(lambda t: (1 + t.exp()).log(), (x,), raise_exception=False)
        y = (x ** 3).sum()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        g.sum().backward()
        z = (x * 2).sum()
        z.backward(retain_graph=True)
        z.backward()
        return ok, g.detach().numpy().tolist(), x.grad.numpy().tolist()

    off = run()
    with viz.keep_values():
        on = run()
    assert on == off and off[0] is True
