"""From a graph of tensors and nodes to a picture: which boxes, which arrows, which colours.

The walk reads the graph only through its public attributes (`grad_fn`, `next_functions`, `inputs`,
`output`, `variable`, `saved_tensors`, ...). It builds a `Picture`: a plain list of vertices and
edges that `Drawing`, `side_by_side` and the backward stepper turn into graphviz DOT.

Every edge is stored in *backward* order (from the output side to the input side), so the output is
always at the top of the page; a forward drawing only turns the arrowheads round (`dir=back`). That
way the forward and the backward picture of one graph have the very same layout.
"""
from __future__ import annotations

import html
import sys
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from ..autograd.graph import incoming_edges
from ..nn import Module
from ..tensor import Tensor

#: Tensors with at most this many elements show their values (and .grad) in the drawing.
MAX_VALUES = 6
#: Graphs with more operations than this are summarised: long chains of one op become one "× N" node.
MAX_NODES = 150
#: How many operations (those nearest the output) a summary of a still-big graph draws.
SUMMARY_NODES = 20
#: Shortest chain of identical operations that a summary collapses.
MIN_CHAIN = 3

# Fill colours: what a box is, at a glance (chosen to stay readable in print and for colour-blind eyes).
COLOURS = {
    "leaf": "#9ecae1",          # blue: a tensor you made with requires_grad=True
    "constant": "#e0e0e0",      # grey: no gradient flows here (no requires_grad, no_grad, detach())
    "intermediate": "#fde9a9",  # yellow: a result on the way
    "output": "#a1d99b",        # green: what you asked to draw
    "op": "#ffffff",            # white ellipse: an operation (its backward node)
    "accumulate": "#dadaeb",    # lavender ellipse: AccumulateGrad, writes into a leaf's .grad
    "summary": "#fdd0a2",       # orange ellipse: a collapsed chain of identical operations
}
LEGEND = {
    "leaf": "leaf tensor, requires_grad=True",
    "constant": "constant: requires no grad (also detach() / no_grad results)",
    "intermediate": "intermediate result",
    "output": "output (what was drawn)",
    "op": "operation: its backward node, PyTorch's name",
    "accumulate": "AccumulateGrad: adds the gradient into the leaf's .grad",
}
FONT = "Helvetica"


@dataclass
class Vertex:
    id: str
    kind: str  # a key of COLOURS
    label: str  # graphviz HTML-like label, "<...>"
    attrs: dict = field(default_factory=dict)


@dataclass
class Edge:
    tail: str  # the output side
    head: str  # the input side
    attrs: dict = field(default_factory=dict)


@dataclass
class Picture:
    """Vertices and edges of one drawing, in a stable order, plus what the legend must say."""

    direction: str = "forward"
    vertices: list = field(default_factory=list)
    edges: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # extra legend lines (what a summary left out)
    title: str | None = None
    node_ids: dict = field(default_factory=dict)  # Node -> vertex id (for the stepper's highlights)
    grad_edges: dict = field(default_factory=dict)  # (Node, input index) -> the Edges carrying that gradient
    tensor_names: dict = field(default_factory=dict)  # id(tensor) -> name

    def kinds(self) -> list[str]:
        return sorted({v.kind for v in self.vertices}, key=list(COLOURS).index)

    def emit(self, graph, prefix: str = "") -> None:
        """Write the vertices and edges into a graphviz graph (or subgraph), ids prefixed."""
        for v in self.vertices:
            shape = "ellipse" if v.kind in ("op", "accumulate", "summary") else "box"
            style = "filled" if shape == "ellipse" else "filled,rounded"
            attrs = {"shape": shape, "style": style, "fillcolor": COLOURS[v.kind], "label": v.label}
            attrs.update(v.attrs)
            graph.node(prefix + v.id, **attrs)
        for e in self.edges:
            attrs = {} if self.direction == "backward" else {"dir": "back"}
            attrs.update(e.attrs)
            graph.edge(prefix + e.tail, prefix + e.head, **attrs)


# ------------------------------------------------------------------------------------ names
def _module_names(module, prefix: str = "") -> dict:
    """{dotted name: parameter} of an nn.Module, PyTorch's names ("0.weight"), optionally prefixed."""
    return {(f"{prefix}.{n}" if prefix else n): p for n, p in module.named_parameters()}


def caller_names(depth: int) -> dict:
    """{name: tensor} for the tensors the caller's variables point to, where one name is unambiguous.

    `depth` counts frames above the caller of this function. Names starting with "_" are skipped
    (IPython's `_`, `_1`, private helpers); a tensor reachable under two names gets neither. The
    parameters of a module held in a variable `model` are named "model.0.weight", unless a plain
    variable already names them.
    """
    frame = sys._getframe(depth + 1)
    try:
        scope = dict(frame.f_globals)
        scope.update(frame.f_locals)  # a local hides a global of the same name
    finally:
        del frame
    by_tensor: dict[int, list] = {}
    by_module: dict[int, list] = {}
    for name, value in scope.items():
        if name.startswith("_"):
            continue
        if isinstance(value, Tensor):
            by_tensor.setdefault(id(value), []).append((name, value))
        elif isinstance(value, Module):
            for pname, p in _module_names(value, name).items():
                by_module.setdefault(id(p), []).append((pname, p))
    found = {key: hits for key, hits in by_module.items() if key not in by_tensor}
    found.update(by_tensor)
    return {hits[0][0]: hits[0][1] for hits in found.values() if len(hits) == 1}


def check_names(names, where: str) -> dict:
    """`names` as {name: tensor}. It may be a dict of tensors and modules ({"model": model} names the
    parameters "model.0.weight"), or one nn.Module (names = its named_parameters(): "0.weight")."""
    if names is None:
        return {}
    if isinstance(names, Module):
        return _module_names(names)
    if not isinstance(names, dict):
        raise TypeError(f"{where}: names must be a dict {{name: tensor}} (e.g. names={{'x': x, 'y': y}}) or an "
                        f"nn.Module (its parameters are named as by named_parameters()); got {type(names).__name__}")
    checked = {}
    for name, t in names.items():
        if isinstance(t, Module):
            checked.update(_module_names(t, str(name)))
        elif isinstance(t, Tensor):
            checked[str(name)] = t
        else:
            raise TypeError(f"{where}: names[{name!r}] must be a minigrad Tensor or an nn.Module, "
                            f"got {type(t).__name__}")
    return checked


def check_tensor(t, where: str) -> Tensor:
    if isinstance(t, Tensor):
        return t
    hint = f"; wrap it first: minigrad.tensor({t!r})" if isinstance(t, (int, float, bool)) else ""
    raise TypeError(f"{where} expects minigrad Tensors, got {type(t).__name__}{hint}")


# ------------------------------------------------------------------------------------ text
def fmt_number(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    s = f"{float(v):.4g}"
    return "0" if s == "-0" else s


def fmt_values(t) -> str:
    """Small tensors as nested lists of short numbers ("[1, 2.5]"), bigger ones as "[shape] tensor"."""
    if t is None:
        return "None"
    data = t.detach().numpy() if isinstance(t, Tensor) else np.asarray(t)
    if data.size > MAX_VALUES:
        return f"{list(data.shape)} tensor"
    if data.ndim == 0:
        return fmt_number(data.item())

    def nested(a):
        return "[" + ", ".join(nested(x) if np.ndim(x) else fmt_number(x) for x in a) + "]"
    return nested(data.tolist() if data.ndim else data)


def _row(text: str, size: int | None = None, bold: bool = False, colour: str | None = None) -> str:
    body = html.escape(text)
    if bold:
        body = f"<B>{body}</B>"
    if size or colour:
        attrs = (f' POINT-SIZE="{size}"' if size else "") + (f' COLOR="{colour}"' if colour else "")
        body = f"<FONT{attrs}>{body}</FONT>"
    return f"<TR><TD>{body}</TD></TR>"


def html_label(rows: list[str]) -> str:
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def tensor_kind(t: Tensor, is_root: bool) -> str:
    if t.grad_fn is None:  # a leaf stays a leaf even when it is what was drawn
        return "leaf" if t.requires_grad else "constant"
    return "output" if is_root else "intermediate"


def tensor_label(t: Tensor, name: str | None, kind: str, show_values: bool, show_grads: bool) -> str:
    rows = [_row(name if name else {"leaf": "leaf", "constant": "constant"}.get(kind, "result"), bold=bool(name))]
    dtype = str(t.dtype).replace("minigrad.", "")
    rows.append(_row(f"shape {list(t.shape)}, {dtype}", size=10))
    if kind == "constant" and t.grad_fn is None and not t.requires_grad:
        rows.append(_row("requires_grad=False", size=10, colour="#555555"))
    if show_values and t.numel() <= MAX_VALUES:
        rows.append(_row("value " + fmt_values(t)))
    if show_grads and (t.grad_fn is None or t.retains_grad):  # .grad of a plain non-leaf would warn
        g = t.grad
        if g is not None:
            rows.append(_row("grad " + fmt_values(g), colour="#b30000"))
    return html_label(rows)


def op_label(node, count: int = 1, saved: list[str] | None = None) -> str:
    rows = [_row(node.name() + (f" × {count}" if count > 1 else ""))]
    if saved is not None:
        rows.append(_row("saved: " + (", ".join(saved) if saved else "nothing"), size=9, colour="#555555"))
    return html_label(rows)


def no_graph_note(t: Tensor, name: str | None) -> str:
    """Why a tensor drawn alone has no graph behind it."""
    what = name or "this tensor"
    if t.requires_grad:
        return (f"{what} is a leaf: no operation made it, so it has no graph yet; "
                "draw a result computed from it instead")
    return (f"{what} has no graph: it does not require grad (made without requires_grad=True, "
            "under no_grad, or by detach()), so no operation was recorded")


# ------------------------------------------------------------------------------------ the walk
def _chains(roots: list) -> tuple[dict, int]:
    """For a big graph: {first node of a chain: (last node, length)} for runs of identical ops,
    and how many operation nodes remain once those runs are folded.

    A run is n1 -> n2 -> ... -> nk where each n(i+1) is the one tracked input of n(i), has the same
    name and feeds nothing else. Counting consumers needs the whole graph: one iterative pass.
    """
    order, consumers = incoming_edges(*roots)
    if len(order) <= MAX_NODES:
        return {}, len(order)
    link = {}
    for node in order:
        tracked = [c for c, _ in node.next_functions if c is not None]
        if len(tracked) == 1:
            child = tracked[0]
            if child.name() == node.name() and consumers.get(child) == 1 and child.next_functions:
                link[node] = child
    targets = set(link.values())
    runs = {}
    for head in order:
        if head in link and head not in targets:
            last, length = head, 1
            while last in link:
                last, length = link[last], length + 1
            if length >= MIN_CHAIN:
                runs[head] = (last, length)
    return runs, len(order) - sum(n - 1 for _, n in runs.values())


def build(roots: list, names: dict, show_values: bool = True, show_grads: bool = True,
          show_saved: bool = False, direction: str = "forward") -> Picture:
    """Walk the graph behind `roots` (breadth first, inputs in argument order) into a Picture."""
    if direction not in ("forward", "backward"):
        raise ValueError(f'direction must be "forward" (inputs -> outputs) or "backward" (gradient flow), '
                         f"got {direction!r}")
    pic = Picture(direction=direction)
    name_of = {id(t): n for n, t in names.items()}
    pic.tensor_names = name_of
    keep_alive = []  # tensors whose id() we use as keys must live until the walk ends
    tensor_ids: dict[int, str] = {}
    root_ids = {id(r) for r in roots}
    runs, n_ops = _chains([r.grad_fn for r in roots if r.grad_fn is not None])
    # Still big after folding chains: draw the SUMMARY_NODES operations nearest the output, without
    # intermediate results and constants, and one "more" node standing for the rest.
    compact = n_ops > MAX_NODES
    if runs:
        collapsed = sum(n - 1 for _, n in runs.values())
        pic.notes.append(f"summary: {len(runs)} chain(s) of identical operations drawn as one 'op × N' node "
                         f"({collapsed} nodes folded; their intermediate results and constants not shown)")
    counter = {"t": 0, "n": 0}

    def new_id(prefix: str) -> str:
        counter[prefix] += 1
        return f"{prefix}{counter[prefix] - 1}"

    def tensor_vertex(t: Tensor, forced_kind: str | None = None) -> str:
        if id(t) in tensor_ids:
            return tensor_ids[id(t)]
        keep_alive.append(t)
        kind = forced_kind or tensor_kind(t, id(t) in root_ids)
        vid = new_id("t")
        pic.vertices.append(Vertex(vid, kind, tensor_label(t, name_of.get(id(t)), kind, show_values, show_grads)))
        tensor_ids[id(t)] = vid
        return vid

    def saved_of(node) -> list[str] | None:
        if not show_saved or not hasattr(type(node), "saved_tensors"):
            return None
        try:
            saved = node.saved_tensors
        except RuntimeError:
            return ["(freed by backward)"]
        return [name_of.get(id(s)) or f"{list(s.shape)}" for s in saved if s is not None]

    queue: deque = deque()
    op_ids: dict = {}
    freed_results: dict = {}  # Node -> id of the dashed box standing for its freed result

    more: dict = {}  # in compact mode: the one vertex standing for the operations not drawn

    def op_vertex(node) -> str:
        if node in op_ids:
            return op_ids[node]
        if compact and node.name() != "AccumulateGrad" and counter["n"] >= SUMMARY_NODES:
            if not more:
                more["id"] = new_id("n")
                pic.vertices.append(Vertex(more["id"], "summary", ""))
            return more["id"]
        vid = new_id("n")
        if node.name() == "AccumulateGrad":
            pic.vertices.append(Vertex(vid, "accumulate", op_label(node)))
        elif node in runs:
            pic.vertices.append(Vertex(vid, "summary", op_label(node, runs[node][1])))
        else:
            pic.vertices.append(Vertex(vid, "op", op_label(node, saved=saved_of(node))))
        op_ids[node] = vid
        pic.node_ids[node] = vid
        queue.append(node)
        return vid

    for r in roots:
        rid = tensor_vertex(r, "output" if r.grad_fn is not None else None)
        if r.grad_fn is None:  # nothing to walk: say why, so an empty picture is not a puzzle
            pic.notes.append(no_graph_note(r, name_of.get(id(r))))
        if r.grad_fn is not None:
            pic.edges.append(Edge(rid, op_vertex(r.grad_fn)))

    while queue:
        node = queue.popleft()
        vid = op_ids[node]
        if node.name() == "AccumulateGrad":
            pic.edges.append(Edge(vid, tensor_vertex(node.variable)))
            continue
        last = runs[node][0] if node in runs else node  # a collapsed chain continues from its last node
        try:
            inputs = last.inputs
        except AttributeError:  # a node type without recorded inputs
            inputs = (None,) * len(last.next_functions)
        for i, ((child, _), t) in enumerate(zip(last.next_functions, inputs)):
            if child is None:
                if compact:
                    continue
                if t is None:  # a constant the program no longer holds (not saved for backward)
                    cid = new_id("t")
                    pic.vertices.append(Vertex(cid, "constant", html_label([_row("constant"), _row("(not kept)", size=9)])))
                else:
                    cid = tensor_vertex(t)
                edge = Edge(vid, cid, {"style": "dashed", "color": "#777777"})
                pic.edges.append(edge)
                continue
            if child.name() == "AccumulateGrad":
                edge = Edge(vid, op_vertex(child))
                pic.edges.append(edge)
                pic.grad_edges[(node, i)] = (edge,)
                continue
            out = child.output
            known_op = child in op_ids
            cid = op_vertex(child)
            if compact:
                edge = Edge(vid, cid)
                pic.edges.append(edge)
                path = (edge,)
            elif out is not None or not known_op:
                # The result between two operations: its box, or a dashed "freed" box when nothing holds
                # the tensor any more (node.output is a weak reference), so every operation has a result.
                if out is not None:
                    known = id(out) in tensor_ids
                    tid = tensor_vertex(out)
                else:
                    known, tid = False, new_id("t")
                    freed_results[child] = tid
                    pic.vertices.append(Vertex(tid, "intermediate", html_label(
                        [_row("result"), _row("(not kept)", size=9)]), {"style": "filled,rounded,dashed"}))
                edge = Edge(vid, tid)
                pic.edges.append(edge)
                path = (edge,)
                if not known:
                    pic.edges.append(Edge(tid, cid))
                    path = (edge, pic.edges[-1])
            elif child in freed_results:  # a freed result used a second time: the arrow goes to its box
                edge = Edge(vid, freed_results[child])
                pic.edges.append(edge)
                path = (edge,)
            else:
                edge = Edge(vid, cid)
                pic.edges.append(edge)
                path = (edge,)
            pic.grad_edges[(node, i)] = path
    if freed_results:
        pic.notes.append("dashed box: a result tensor not kept (no variable or saved tensor holds it any "
                         "more); keep it in a variable, h = ..., to see it drawn")
    if compact:
        drawn = sum(1 for n in op_ids if n.name() != "AccumulateGrad")
        pic.notes.append(f"summary: {n_ops} operations; the {drawn} nearest the output are drawn, without "
                         "their intermediate results and constants")
        if more:
            rest = n_ops - drawn - sum(1 for n in op_ids if n.name() == "AccumulateGrad")
            for v in pic.vertices:
                if v.id == more["id"]:
                    v.label = html_label([_row(f"… {rest} more operations"), _row("(not drawn)", size=9)])
            seen_edges, kept = set(), []
            for e in pic.edges:  # many drawn operations feed the "more" node: one arrow each is enough
                if e.head == more["id"]:
                    if e.tail in seen_edges:
                        continue
                    seen_edges.add(e.tail)
                kept.append(e)
            pic.edges = kept
    return pic
