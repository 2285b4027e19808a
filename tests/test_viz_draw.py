"""minigrad.viz.draw and side_by_side: read the DOT text (no `dot` needed), then render if `dot` exists."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

import minigrad
from minigrad.viz import Drawing, draw, side_by_side
from minigrad.viz import _picture
from minigrad.viz._picture import COLOURS

NODE = re.compile(r"^\t+(\w+) \[label=<(.*)> (.*)\]$")
EDGE = re.compile(r"^\t+(\w+) -> (\w+)(?: \[(.*)\])?$")


def parse(source: str):
    """{id: (label text without tags, attribute text)} and [(tail, head, attributes)] from DOT."""
    nodes, edges = {}, []
    for line in source.splitlines():
        m = NODE.match(line)
        if m:
            text = re.sub(r"<[^>]+>", "|", m.group(2))
            nodes[m.group(1)] = ("|".join(p for p in text.split("|") if p), m.group(3))
            continue
        m = EDGE.match(line)
        if m:
            edges.append((m.group(1), m.group(2), m.group(3) or ""))
    return nodes, edges


def caption(source: str) -> str:
    """The text under the picture (its notes, and the legend if drawn), tags stripped, spaces collapsed."""
    m = re.search(r"^\t[^\[\n]*\blabel=<(.*)> label", source, re.M)
    return " ".join(re.sub(r"<[^>]+>", " ", m.group(1)).split()) if m else ""


def fill(attrs: str) -> str:
    return re.search(r'fillcolor="([^"]+)"', attrs).group(1)


def shape(attrs: str) -> str:
    return re.search(r"shape=(\w+)", attrs).group(1)


def by_label(nodes, first_line: str):
    return [i for i, (label, _) in nodes.items() if label.split("|")[0] == first_line]


def lesson_graph():
    x = minigrad.tensor(2.0, requires_grad=True)
    y = minigrad.tensor(3.0, requires_grad=True)
    z = minigrad.tensor(4.0, requires_grad=True)
    e = 2 * x ** 4 - y ** 3 + 3 * z ** 2
    return x, y, z, e


def test_node_kinds_shapes_and_colours():
    x, y, z, e = lesson_graph()
    nodes, edges = parse(draw(e, names={"x": x, "y": y, "z": z, "e": e}).source)
    ops = [label.split("|")[0] for label, attrs in nodes.values() if shape(attrs) == "ellipse"]
    assert sorted(ops) == sorted(["AddBackward0", "SubBackward0", "MulBackward0", "MulBackward0", "PowBackward0",
                                  "PowBackward0", "PowBackward0", "AccumulateGrad", "AccumulateGrad", "AccumulateGrad"])
    for leaf in "xyz":
        (vid,) = by_label(nodes, leaf)
        assert shape(nodes[vid][1]) == "box" and fill(nodes[vid][1]) == COLOURS["leaf"]
    (eid,) = by_label(nodes, "e")
    assert fill(nodes[eid][1]) == COLOURS["output"] and "value 53" in nodes[eid][0]
    constants = by_label(nodes, "constant")
    assert sorted(nodes[c][0].split("value ")[1] for c in constants) == ["2", "3"]  # the numbers 2 and 3
    assert all(fill(nodes[c][1]) == COLOURS["constant"] for c in constants)
    assert all(fill(nodes[i][1]) == COLOURS["intermediate"] for i in by_label(nodes, "result"))
    assert "legend" not in caption(draw(e, legend=False).source)
    legend = caption(draw(e, legend=True).source)
    assert "leaf, requires_grad=True" in legend and "AccumulateGrad" in legend


def test_edges_follow_the_graph_and_direction_only_turns_arrowheads():
    a = minigrad.tensor(2.0, requires_grad=True)
    b = a * a
    c = b + b
    names = {"a": a, "b": b, "c": c}
    fwd, bwd = draw(c, names=names), draw(c, names=names, direction="backward")
    nf, ef = parse(fwd.source)
    nb, eb = parse(bwd.source)
    assert [(t, h) for t, h, _ in ef] == [(t, h) for t, h, _ in eb]  # same layout
    assert all("dir=back" in attrs for _, _, attrs in ef)
    assert not any("dir=back" in attrs for _, _, attrs in eb)
    ids = {nf[i][0].split("|")[0]: i for i in nf}
    pairs = [(nf[t][0].split("|")[0], nf[h][0].split("|")[0]) for t, h, _ in ef]
    # c <- Add; Add -> b twice (b used twice); b <- Mul; Mul -> AccumulateGrad twice; AccumulateGrad -> a
    assert pairs.count(("AddBackward0", "b")) == 2
    assert pairs.count(("MulBackward0", "AccumulateGrad")) == 2
    assert ("c", "AddBackward0") in pairs and ("b", "MulBackward0") in pairs and ("AccumulateGrad", "a") in pairs
    assert len(ids) == 6  # c, Add, b, Mul, AccumulateGrad, a (the legend is not a node)
    assert "arrows go from inputs" in caption(draw(c, names=names, legend=True).source)
    assert "backward: arrows go" in caption(draw(c, names=names, direction="backward", legend=True).source)


def test_values_grads_shape_dtype_and_big_tensors():
    w = minigrad.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    big = minigrad.ones(3, 4, requires_grad=True)
    loss = (w.sum() * big.double()).sum()
    loss.backward()
    nodes, _ = parse(draw(loss, names={"w": w, "big": big, "loss": loss}).source)
    (wid,) = by_label(nodes, "w")
    assert "shape [2, 2], float32" in nodes[wid][0]
    assert "value [[1, 2], [3, 4]]" in nodes[wid][0] and "grad [[12, 12], [12, 12]]" in nodes[wid][0]
    (bid,) = by_label(nodes, "big")
    assert "shape [3, 4], float32" in nodes[bid][0] and "value" not in nodes[bid][0]
    assert "grad [3, 4] tensor" in nodes[bid][0]
    (lid,) = by_label(nodes, "loss")
    assert "float64" in nodes[lid][0] and "value 120" in nodes[lid][0]
    quiet, _ = parse(draw(loss, names={"w": w}, show_values=False, show_grads=False).source)
    assert not any("value" in label or "grad [" in label for label, _ in quiet.values())


def test_show_saved_lists_saved_tensors_and_says_when_freed():
    x = minigrad.tensor(2.0, requires_grad=True)
    w = minigrad.tensor(3.0, requires_grad=True)
    y = (x * w).sin()
    nodes, _ = parse(draw(y, names={"x": x, "w": w, "y": y}, show_saved=True).source)
    (mul,) = by_label(nodes, "MulBackward0")
    assert "saved: x, w" in nodes[mul][0]
    y.backward()
    nodes, _ = parse(draw(y, names={"x": x, "w": w, "y": y}, show_saved=True).source)
    (mul,) = by_label(nodes, "MulBackward0")
    assert "saved: (freed by backward)" in nodes[mul][0]


def test_same_code_same_source_in_process_and_across_processes():
    def build():
        x, y, z, e = lesson_graph()
        return draw(e, names={"x": x, "y": y, "z": z, "e": e}, show_saved=True).source

    first, second = build(), build()
    assert first == second
    assert "0x" not in first and not re.search(r"\d{8,}", first)  # no id() anywhere
    code = ("import minigrad; from minigrad.viz import draw\n"
            "x = minigrad.tensor(2.0, requires_grad=True); y = minigrad.tensor(3.0, requires_grad=True)\n"
            "z = minigrad.tensor(4.0, requires_grad=True); e = 2 * x ** 4 - y ** 3 + 3 * z ** 2\n"
            "print(draw(e, names={'x': x, 'y': y, 'z': z, 'e': e}, show_saved=True).source, end='')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == first


def test_detach_cuts_the_graph():
    a = minigrad.tensor([1.0, 2.0], requires_grad=True)
    b = a * 3
    c = b.detach()
    d = (c * a).sum()
    nodes, edges = parse(draw(d).source)  # names from this function's variables
    (cid,) = by_label(nodes, "c")
    assert fill(nodes[cid][1]) == COLOURS["constant"] and "requires_grad=False" in nodes[cid][0]
    assert [label.split("|")[0] for label, attrs in nodes.values() if shape(attrs) == "ellipse"] == \
        ["SumBackward0", "MulBackward0", "AccumulateGrad"]  # b's MulBackward0 (a * 3) is not reachable
    assert not any(t == cid for t, _, _ in edges)  # nothing continues from c towards a
    assert [attrs for _, h, attrs in edges if h == cid] == ['color="#777777" dir=back style=dashed']
    assert by_label(nodes, "b") == []


def test_no_grad_result_is_a_constant():
    a = minigrad.tensor([1.0, 2.0], requires_grad=True)
    with minigrad.no_grad():
        b = a * 3
    c = (b * a).sum()
    nodes, edges = parse(draw(c).source)
    (bid,) = by_label(nodes, "b")
    assert fill(nodes[bid][1]) == COLOURS["constant"]
    assert sum(1 for label, _ in nodes.values() if label.startswith("MulBackward0")) == 1


def test_side_by_side_with_and_without_detach():
    a = minigrad.tensor(2.0, requires_grad=True)
    b = a * 3
    tracked = (b * a).sum()
    cut = (b.detach() * a).sum()
    both = side_by_side(tracked, cut, titles=["b as is", "b.detach()"])
    src = both.source
    assert "subgraph cluster_0" in src and "subgraph cluster_1" in src
    assert 'label="b as is"' in src and 'label="b.detach()"' in src
    nodes, _ = parse(src)
    left = [label.split("|")[0] for i, (label, _) in nodes.items() if i.startswith("g0_")]
    right = [label.split("|")[0] for i, (label, _) in nodes.items() if i.startswith("g1_")]
    assert left.count("MulBackward0") == 2 and right.count("MulBackward0") == 1
    assert "b" in left and "tracked" in left and "cut" in right
    assert repr(both) == "<minigrad.viz.SideBySide: 2 graphs>"
    mixed = side_by_side(draw(tracked), draw(tracked, direction="backward"), legend=True)
    assert 'label="graph 2"' in mixed.source and "backward: arrows" in mixed.source
    with pytest.raises(ValueError, match="2 graphs but 1 titles"):
        side_by_side(tracked, cut, titles=["one"])
    with pytest.raises(TypeError, match="got int"):
        side_by_side(tracked, 3)


def test_names_inferred_from_locals_unless_ambiguous_or_private():
    weight = minigrad.tensor(2.0, requires_grad=True)
    alias = also = minigrad.tensor(5.0, requires_grad=True)  # noqa: F841 - two names: neither is used (the drawing reads locals)
    _hidden = minigrad.tensor(1.0, requires_grad=True)
    out = weight * alias + _hidden
    nodes, _ = parse(draw(out).source)
    firsts = [label.split("|")[0] for label, _ in nodes.values()]
    assert "weight" in firsts and "out" in firsts
    assert "alias" not in firsts and "also" not in firsts and "_hidden" not in firsts
    assert firsts.count("leaf") == 2
    explicit, _ = parse(draw(out, names={"W": weight}).source)
    firsts = [label.split("|")[0] for label, _ in explicit.values()]
    assert "W" in firsts and "weight" not in firsts and "out" not in firsts  # explicit names only


def test_a_leaf_is_one_node_and_bad_input_says_what_to_do():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    d = draw(x)
    assert repr(d) == "<minigrad.viz.Drawing: 1 nodes, 0 edges>"
    nodes, _ = parse(d.source)
    assert fill(nodes["t0"][1]) == COLOURS["leaf"]
    assert fill(parse(draw(minigrad.tensor(3.0)).source)[0]["t0"][1]) == COLOURS["constant"]
    with pytest.raises(TypeError, match=r"got int; wrap it first: torch.tensor\(3\)"):
        draw(3)
    with pytest.raises(TypeError, match="at least one tensor"):
        draw()
    with pytest.raises(TypeError, match="names must be a dict"):
        draw(x, names=["x"])
    with pytest.raises(ValueError, match='direction must be "forward"'):
        draw(x * 2, direction="sideways")


def test_repr_is_stable():
    x, y, z, e = lesson_graph()
    d = draw(e, names={"x": x})
    assert repr(d) == f"<minigrad.viz.Drawing: {d.num_nodes} nodes, {d.num_edges} edges>"
    # 10 operations, x, y, z, e, the constants 2 and 3, x**4 and z**2 (saved by the Muls), and 4 freed results
    assert repr(d) == "<minigrad.viz.Drawing: 22 nodes, 21 edges>"


def test_without_dot_display_is_an_install_hint_and_the_source(monkeypatch):
    x, y, z, e = lesson_graph()
    d = draw(e, legend=False)
    monkeypatch.setenv("PATH", "")  # graphviz cannot find `dot` now
    bundle = d._repr_mimebundle_()
    assert "image/svg+xml" not in bundle
    text = bundle["text/plain"]
    assert "apt install graphviz" in text and "brew install graphviz" in text and "conda install" in text
    assert d.source in text
    assert "Traceback" not in text
    sbs = side_by_side(e, e * 2)
    assert "apt install graphviz" in sbs._repr_mimebundle_()["text/plain"]


def test_long_chain_of_one_op_is_folded():
    x = minigrad.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(1000):
        y = y * 1.001
    d = draw(y, names={"x": x, "y": y})
    nodes, edges = parse(d.source)
    labels = [label.split("|")[0] for label, _ in nodes.values()]
    assert "MulBackward0 × 1000" in labels
    assert d.num_nodes <= 6
    assert "1 chain(s) of identical operations" in caption(d.source) and "999 nodes folded" in caption(d.source)


def test_big_graph_without_chains_is_summarised():
    w = minigrad.randn(3, 3, requires_grad=True)
    h = minigrad.randn(1, 3)
    for _ in range(400):
        h = (h @ w).tanh() + h
    d = draw(h.sum(), names={"w": w})
    nodes, _ = parse(d.source)
    assert d.num_nodes <= _picture.SUMMARY_NODES + 5
    more = [label for label, _ in nodes.values() if "more operations" in label]
    assert len(more) == 1
    assert "1202 operations" in caption(d.source)


needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


@needs_dot
def test_renders_svg_and_png(tmp_path):
    x, y, z, e = lesson_graph()
    d = draw(e, names={"x": x, "y": y, "z": z, "e": e})
    bundle = d._repr_mimebundle_()
    svg = bundle["image/svg+xml"]
    assert svg.lstrip().startswith("<?xml") and "AddBackward0" in svg and ">x<" in svg
    assert bundle["text/plain"] == repr(d)
    path = d.save(str(tmp_path / "g.png"))
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    sbs = side_by_side(e, e.detach() * x)
    assert "<svg" in sbs._repr_mimebundle_()["image/svg+xml"]
    assert isinstance(d, Drawing)


@needs_dot
def test_bad_dot_source_is_reported_not_raised(monkeypatch):
    x = minigrad.tensor(1.0, requires_grad=True)
    d = draw(x * 2)
    d.digraph.body.append("\t this is not dot {{{\n")
    bundle = d._repr_mimebundle_()
    assert "image/svg+xml" not in bundle and "dot said" in bundle["text/plain"]


# ------------------------------------------------------------------ modules, empty graphs, freed results
def mlp_loss():
    from minigrad import nn
    minigrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    X = minigrad.tensor([[0.5, -1.0], [1.5, 2.0]])
    loss = nn.MSELoss()(model(X), minigrad.zeros(2, 1))
    return model, X, loss


def leaf_names(source: str) -> list[str]:
    nodes, _ = parse(source)
    return sorted(label.split("|")[0] for label, attrs in nodes.values() if "fillcolor" in attrs and
                  fill(attrs) == COLOURS["leaf"])


def test_a_module_names_its_parameters():
    model, X, loss = mlp_loss()
    assert leaf_names(draw(loss, names=model).source) == ["0.bias", "0.weight", "2.bias", "2.weight"]
    assert leaf_names(draw(loss, names=dict(model.named_parameters())).source) == \
        ["0.bias", "0.weight", "2.bias", "2.weight"]  # the documented equivalent
    prefixed = draw(loss, names={"model": model, "X": X, "loss": loss}).source
    assert leaf_names(prefixed) == ["model.0.bias", "model.0.weight", "model.2.bias", "model.2.weight"]
    nodes, _ = parse(prefixed)
    assert by_label(nodes, "X") and by_label(nodes, "loss")
    with pytest.raises(TypeError, match=r"names\['model'\] must be a tensor \(minigrad's or PyTorch's\) or an nn.Module, got list"):
        draw(loss, names={"model": [1, 2]})


def test_module_variables_of_the_caller_name_their_parameters():
    model, X, loss = mlp_loss()
    assert leaf_names(draw(loss).source) == ["model.0.bias", "model.0.weight", "model.2.bias", "model.2.weight"]
    w = model[0].weight  # noqa: F841 - read by draw() from locals: a plain variable names a parameter better than its path in a module
    names = leaf_names(draw(loss).source)
    assert "w" in names and "model.0.weight" not in names and "model.2.weight" in names


def test_a_tensor_with_no_graph_says_so():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    nodes, edges = parse(draw(x).source)
    assert edges == [] and "x is a leaf: no operation made it, so it has no graph yet" in caption(draw(x).source)
    with minigrad.no_grad():
        y = x * 2
    source = draw(y).source
    nodes, _ = parse(source)
    assert "y has no graph: it does not require grad" in caption(source) and "under no_grad" in caption(source)
    assert fill(nodes["t0"][1]) == COLOURS["constant"]
    assert "no graph" not in caption(draw(x * 2).source)


def test_results_nothing_holds_are_dotted_boxes_so_every_operation_has_a_result():
    x = minigrad.tensor([2.0, 1.0], requires_grad=True)
    y = (x * 3).sum()  # x * 3 is held by nobody once sum has run: sum saves nothing
    source = draw(y, names={"x": x, "y": y}).source
    nodes, edges = parse(source)
    (mul,) = by_label(nodes, "MulBackward0")
    (total,) = by_label(nodes, "SumBackward0")
    (freed,) = [i for i, (label, _) in nodes.items() if label == "result|(not kept)"]
    assert "dotted" in nodes[freed][1] and fill(nodes[freed][1]) == COLOURS["intermediate"]
    assert (total, freed) in [(t, h) for t, h, _ in edges] and (freed, mul) in [(t, h) for t, h, _ in edges]
    assert "dotted box: a value not kept" in caption(source) and "viz.keep_values()" in caption(source)
    kept = x * 3
    nodes, _ = parse(draw(kept.sum(), names={"x": x, "kept": kept}).source)
    assert by_label(nodes, "kept") and "not kept" not in "".join(label for label, _ in nodes.values())


def test_a_freed_result_used_twice_is_one_box():
    x = minigrad.tensor(2.0, requires_grad=True)
    h = x.exp()
    y = (h + h).sum()  # Add saves nothing, so h's tensor is freed once the name is gone
    del h
    nodes, edges = parse(draw(y, names={"x": x, "y": y}).source)
    freed = [i for i, (label, _) in nodes.items() if label == "result|(not kept)"]
    (add,) = by_label(nodes, "AddBackward0")
    (exp,) = by_label(nodes, "ExpBackward0")
    h_box = [h for t, h, _ in edges if t == add]
    assert len(h_box) == 2 and len(set(h_box)) == 1 and h_box[0] in freed
    assert [(t, h) for t, h, _ in edges].count((h_box[0], exp)) == 1


def test_drawing_emits_no_warning(tmp_path):
    import warnings
    from minigrad.viz import BackwardStepper, compare

    model, X, loss = mlp_loss()
    hidden = model[0](X)
    hidden.retain_grad()
    out = (model[2](model[1](hidden)) ** 2).sum()
    stepper = BackwardStepper(out, names={"model": model, "hidden": hidden})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out.backward()  # non-leaf .grad would warn if the drawing read it carelessly
        for d in (draw(out), draw(out, direction="backward", show_saved=True), side_by_side(out, hidden)):
            d._repr_mimebundle_()
        stepper._repr_mimebundle_()
        compare(model[0].weight.grad, model[0].weight.grad)._repr_html_()
    assert [str(w.message) for w in caught] == []


def test_summaries_and_modules_draw_the_same_source_in_another_process():
    code = ("import minigrad; from minigrad import nn; from minigrad.viz import draw\n"
            "minigrad.manual_seed(0)\n"
            "w = minigrad.tensor([[0.5, -0.2, 0.1], [0.3, 0.8, -0.4], [0.0, 0.2, 0.9]], requires_grad=True)\n"
            "h = minigrad.tensor([[1.0, 2.0, 3.0]])\n"
            "for _ in range(400):\n    h = (h @ w).tanh() + h\n"
            "m = nn.Sequential(nn.Linear(2, 2), nn.ReLU())\n"
            "print(draw(h.sum(), names={'w': w}).source + draw(m(minigrad.ones(1, 2)).sum(), names=m).source)\n")
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert first == second and "more operations" in first and "0.weight" in first


def test_missing_dot_reported_by_graphviz_gives_the_hint(monkeypatch):
    import graphviz

    def no_dot(self, *args, **kwargs):
        raise graphviz.ExecutableNotFound(("dot", "-Tsvg"))

    monkeypatch.setattr(graphviz.Digraph, "pipe", no_dot)
    x = minigrad.tensor(1.0, requires_grad=True)
    d = draw(x * 2)
    bundle = d._repr_mimebundle_()
    assert set(bundle) == {"text/plain"}
    assert bundle["text/plain"].startswith(repr(d)) and "sudo apt install graphviz" in bundle["text/plain"]
    assert "digraph {" in bundle["text/plain"] and "dot said" not in bundle["text/plain"]


@pytest.mark.parametrize("make,param_names,op", [
    (lambda nn: nn.Linear(2, 3), ["bias", "weight"], "AddmmBackward0"),
    (lambda nn: nn.Linear(2, 3, bias=False), ["weight"], "MmBackward0"),
    (lambda nn: nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2), nn.Sigmoid()),
     ["0.bias", "0.weight", "2.bias", "2.weight"], "SigmoidBackward0"),
    (lambda nn: nn.Tanh(), [], "TanhBackward0"),
    (lambda nn: nn.ReLU(), [], "ReluBackward0"),
])
def test_every_module_is_drawable_with_its_parameters_named(make, param_names, op):
    from minigrad import nn
    minigrad.manual_seed(0)
    module = make(nn)
    x = minigrad.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
    out = module(x).sum()
    nodes, _ = parse(draw(out, names=module).source)
    assert leaf_names(draw(out, names=module).source) == sorted(param_names + ["leaf"])  # x has no name here
    assert by_label(nodes, op)


@pytest.mark.parametrize("loss_name", ["MSELoss", "CrossEntropyLoss"])
def test_losses_draw_with_the_model_named(loss_name):
    from minigrad import nn
    minigrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3))
    X = minigrad.tensor([[1.0, -2.0], [0.5, 3.0]])
    target = minigrad.tensor([0, 2]) if loss_name == "CrossEntropyLoss" else minigrad.zeros(2, 3)
    loss = getattr(nn, loss_name)()(model(X), target)
    d = draw(loss, names=model)
    assert leaf_names(d.source) == ["0.bias", "0.weight"]
    nodes, _ = parse(d.source)
    assert fill(nodes["t0"][1]) == COLOURS["output"]


def test_no_drawn_object_shows_a_memory_address():
    from minigrad.viz import BackwardStepper, compare, descent_plot, tangent_explorer

    model, X, loss = mlp_loss()
    stepper = BackwardStepper(loss, names=model)
    objects = [draw(loss), side_by_side(loss, loss), stepper, compare(1.0, minigrad.tensor(1.0)),
               tangent_explorer(lambda x: x ** 2), descent_plot(lambda x, y: x ** 2 + y ** 2, [(1, 1)], steps=2)]
    texts = [repr(o) for o in objects] + [repr(s) for s in stepper.steps] + [str(s) for s in stepper.steps]
    assert not any(re.search(r"0x[0-9a-f]{6,}|at 0x| object at ", t) for t in texts), texts
    assert repr(stepper) == f"<minigrad.viz.BackwardStepper: {len(stepper.steps)} steps>"
