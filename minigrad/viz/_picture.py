"""From a graph of tensors and nodes to a picture: which boxes, which arrows, which colours.

The walk reads the graph only through a `Library` (_graph.py: minigrad's or PyTorch's public node
attributes, `grad_fn`, `next_functions`, `variable`, saved tensors, plus what keep_values() recorded),
so both libraries' graphs become the same picture. It builds a `Picture`: a plain list of vertices
and edges that `Drawing`, `side_by_side` and the backward stepper turn into graphviz DOT.

Every edge is stored in *backward* order (from the output side to the input side), so the output is
always at the top of the page; a forward drawing only turns the arrowheads round (`dir=back`). That
way the forward and the backward picture of one graph have the very same layout.
"""
from __future__ import annotations

import html
import sys
import types
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from ..autograd.graph import incoming_edges
from ._graph import MAX_VALUES, Info, Library, _numpy, describe, is_module, library_of
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
    "leaf": "leaf, requires_grad=True",
    "constant": "constant: no grad (also detach(), no_grad)",
    "intermediate": "intermediate result",
    "output": "output (what was drawn)",
    "op": "operation (backward node)",
    "accumulate": "AccumulateGrad: adds into .grad",
}
#: One meaning per line style, said in the legend.
CONSTANT_EDGE = {"style": "dashed", "color": "#777777"}  # dashed arrow: no gradient flows back along it
NOT_KEPT_BOX = {"style": "filled,rounded,dotted"}  # dotted box: a value that was not kept
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
    library: Library | None = None  # whose graph this is (minigrad's or PyTorch's)

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
    variable already names them. Tensors and modules of minigrad and of PyTorch both count.
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
        if name.startswith("_") or isinstance(value, (int, float, str, type, types.ModuleType, types.FunctionType)):
            continue
        if library_of(value) is not None:
            by_tensor.setdefault(id(value), []).append((name, value))
        elif is_module(value):
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
    if is_module(names):
        return _module_names(names)
    if not isinstance(names, dict):
        raise TypeError(f"{where}: names must be a dict {{name: tensor}} (e.g. names={{'x': x, 'y': y}}) or an "
                        f"nn.Module (its parameters are named as by named_parameters()); got {type(names).__name__}")
    checked = {}
    for name, t in names.items():
        if is_module(t):
            checked.update(_module_names(t, str(name)))
        elif library_of(t) is not None:
            checked[str(name)] = t
        else:
            raise TypeError(f"{where}: names[{name!r}] must be a tensor (minigrad's or PyTorch's) or an nn.Module, "
                            f"got {type(t).__name__}")
    return checked


def check_tensor(t, where: str) -> Library:
    """The Library of tensor t; a clear TypeError for anything else."""
    library = library_of(t)
    if library is not None:
        return library
    hint = f"; wrap it first: torch.tensor({t!r})" if isinstance(t, (int, float, bool)) else ""
    raise TypeError(f"{where} expects tensors (minigrad's or PyTorch's), got {type(t).__name__}{hint}")


def check_same_library(tensors: list, where: str) -> Library:
    """The one Library all `tensors` belong to (a graph cannot mix minigrad's and PyTorch's)."""
    libs = [check_tensor(t, where) for t in tensors]
    if any(lib is not libs[0] for lib in libs):
        raise TypeError(f"{where}: the tensors come from different libraries ({libs[0].name} and "
                        f"{next(lib for lib in libs if lib is not libs[0]).name}); draw each library's graph separately")
    return libs[0]


# ------------------------------------------------------------------------------------ text
def fmt_number(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (complex, np.complexfloating)):  # a PyTorch complex tensor
        return f"{complex(v):.4g}"
    s = f"{float(v):.4g}"
    return "0" if s == "-0" else s


def fmt_values(t) -> str:
    """Small tensors as nested lists of short numbers ("[1, 2.5]"), bigger ones as "[shape] tensor".

    t: a tensor of either library, a NumPy array, or a number."""
    if t is None:
        return "None"
    data = np.asarray(t) if isinstance(t, (np.ndarray, np.generic, int, float, list, tuple)) else _numpy(t)
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


def tensor_kind(info: Info, is_root: bool) -> str:
    if info.leaf:  # a leaf stays a leaf even when it is what was drawn
        return "leaf" if info.requires_grad else "constant"
    return "output" if is_root else "intermediate"


def tensor_label(info: Info, name: str | None, kind: str, show_values: bool, show_grads: bool) -> str:
    rows = [_row(name if name else {"leaf": "leaf", "constant": "constant"}.get(kind, "result"), bold=bool(name))]
    rows.append(_row(f"shape {list(info.shape)}, {info.dtype}", size=10))
    if kind == "constant" and info.leaf and not info.requires_grad:
        rows.append(_row("requires_grad=False", size=10, colour="#555555"))
    if show_values and info.numel() <= MAX_VALUES:
        rows.append(_row("value " + fmt_values(info.value)) if info.value is not None else
                    _row("value not kept", size=9))
    if show_grads and info.grad is not None:
        rows.append(_row("grad " + fmt_values(info.grad), colour="#b30000"))
    return html_label(rows)


def op_label(name: str, count: int = 1, saved: list[str] | None = None) -> str:
    rows = [_row(name + (f" × {count}" if count > 1 else ""))]
    if saved is not None:
        rows.append(_row("saved: " + (", ".join(saved) if saved else "nothing"), size=9, colour="#555555"))
    return html_label(rows)


def no_graph_note(t, name: str | None) -> str:
    """Why a tensor drawn alone has no graph behind it."""
    what = name or "this tensor"
    if t.requires_grad:
        return (f"{what} is a leaf: no operation made it, so it has no graph yet; "
                "draw a result computed from it instead")
    return (f"{what} has no graph: it does not require grad (made without requires_grad=True, "
            "under no_grad, or by detach()), so no operation was recorded")


NOT_KEPT_NOTE = ("dotted box: a value not kept (nothing holds that tensor any more); call viz.keep_values() "
                 "before computing, or keep it in a variable (h = ...), to see it drawn")


# ------------------------------------------------------------------------------------ the walk
def _chains(roots: list, library: Library) -> tuple[dict, int]:
    """For a big graph: {first node of a chain: (last node, length)} for runs of identical ops,
    and how many operation nodes remain once those runs are folded.

    A run is n1 -> n2 -> ... -> nk where each n(i+1) is the one tracked input of n(i), has the same
    name and feeds nothing else. Counting consumers needs the whole graph: one iterative pass.
    """
    order, consumers = incoming_edges(*roots)
    if len(order) <= MAX_NODES:
        return {}, len(order)
    name = library.node_name
    link = {}
    for node in order:
        tracked = [c for c, _ in node.next_functions if c is not None]
        if len(tracked) == 1:
            child = tracked[0]
            if consumers.get(child) == 1 and child.next_functions and name(child) == name(node):
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
          show_saved: bool = False, direction: str = "forward", library: Library | None = None) -> Picture:
    """Walk the graph behind `roots` (breadth first, inputs in argument order) into a Picture.

    The graph is read through `library` (minigrad's or PyTorch's, found from the roots if not given):
    a result's box shows the live tensor if someone holds it, else what keep_values() recorded, else
    a dotted "not kept" box; constants likewise.
    """
    if direction not in ("forward", "backward"):
        raise ValueError(f'direction must be "forward" (inputs -> outputs) or "backward" (gradient flow), '
                         f"got {direction!r}")
    library = library or library_of(roots[0])
    reader = library.reader()
    node_name = library.node_name
    pic = Picture(direction=direction, library=library)
    name_of = {id(t): n for n, t in names.items()}
    pic.tensor_names = name_of
    result_name = {}  # node -> the name of the tensor it made
    for n, t in names.items():
        if t.grad_fn is not None:
            result_name.setdefault(t.grad_fn, n)
            reader.know(t)
    keep_alive = []  # tensors whose id() we use as keys must live until the walk ends
    tensor_ids: dict[int, str] = {}
    result_ids: dict = {}  # node -> the vertex of its result
    root_ids = {id(r) for r in roots}
    runs, n_ops = _chains([r.grad_fn for r in roots if r.grad_fn is not None], library)
    # Still big after folding chains: draw the SUMMARY_NODES operations nearest the output, without
    # intermediate results and constants, and one "more" node standing for the rest.
    compact = n_ops > MAX_NODES
    if runs:
        collapsed = sum(n - 1 for _, n in runs.values())
        pic.notes.append(f"summary: {len(runs)} chain(s) of identical operations drawn as one 'op × N' node "
                         f"({collapsed} nodes folded; their intermediate results and constants not shown)")
    counter = {"t": 0, "n": 0}
    not_kept = []

    def new_id(prefix: str) -> str:
        counter[prefix] += 1
        return f"{prefix}{counter[prefix] - 1}"

    def info_vertex(info: Info, name: str | None, kind: str | None = None, is_root: bool = False) -> str:
        kind = kind or tensor_kind(info, is_root)
        vid = new_id("t")
        attrs = {}
        if show_values and info.value is None and info.numel() <= MAX_VALUES:
            attrs, _ = dict(NOT_KEPT_BOX), not_kept.append(vid)
        pic.vertices.append(Vertex(vid, kind, tensor_label(info, name, kind, show_values, show_grads), attrs))
        return vid

    def tensor_vertex(t, forced_kind: str | None = None, record: Info | None = None) -> str:
        if id(t) in tensor_ids:
            return tensor_ids[id(t)]
        keep_alive.append(t)
        name = name_of.get(id(t)) or (result_name.get(t.grad_fn) if t.grad_fn is not None else None)
        vid = info_vertex(describe(t, record), name, forced_kind, id(t) in root_ids)
        tensor_ids[id(t)] = vid
        return vid

    def missing_vertex(what: str, kind: str) -> str:
        vid = new_id("t")
        not_kept.append(vid)
        pic.vertices.append(Vertex(vid, kind, html_label([_row(what), _row("(not kept)", size=9)]), dict(NOT_KEPT_BOX)))
        return vid

    def result_vertex(child) -> tuple[str, bool]:
        """The box of the tensor `child` made, and whether it is new."""
        if child in result_ids:
            return result_ids[child], False
        out, record, meta = reader.result(child)
        if out is not None:
            vid = tensor_vertex(out, record=record)
        elif record is not None or meta is not None:
            vid = info_vertex(record or meta, result_name.get(child), "intermediate")
        else:
            vid = missing_vertex("result", "intermediate")
        result_ids[child] = vid
        return vid, True

    def saved_of(node) -> list[str] | None:
        if not show_saved:
            return None
        saved = reader.saved(node)
        if saved is None:
            return ["(freed by backward)"]
        # a saved tensor by its name, else by its value (a number such as the 2 of x * 2) or its shape
        return [name_of.get(id(s)) or result_name.get(s.grad_fn) or fmt_values(s) for s in saved]

    queue: deque = deque()
    op_ids: dict = {}
    more: dict = {}  # the one node standing for everything beyond SUMMARY_NODES in a compact drawing

    def op_vertex(node) -> str:
        if node in op_ids:
            return op_ids[node]
        if compact and len(op_ids) >= SUMMARY_NODES:
            if not more:
                more["id"] = new_id("n")
                pic.vertices.append(Vertex(more["id"], "summary", ""))
            return more["id"]
        vid = new_id("n")
        name = node_name(node)
        if name == "AccumulateGrad":
            pic.vertices.append(Vertex(vid, "accumulate", op_label(name)))
        elif node in runs:
            pic.vertices.append(Vertex(vid, "summary", op_label(name, runs[node][1])))
        else:
            pic.vertices.append(Vertex(vid, "op", op_label(name, saved=saved_of(node))))
        op_ids[node] = vid
        pic.node_ids[node] = vid
        queue.append(node)
        return vid

    for r in roots:
        reader.know(r)
        rid = tensor_vertex(r, "output" if r.grad_fn is not None else None,
                            library.record_of(r.grad_fn).result if r.grad_fn is not None and
                            library.record_of(r.grad_fn) else None)
        if r.grad_fn is None:  # nothing to walk: say why, so an empty picture is not a puzzle
            pic.notes.append(no_graph_note(r, name_of.get(id(r))))
            continue
        result_ids.setdefault(r.grad_fn, rid)
        pic.edges.append(Edge(rid, op_vertex(r.grad_fn)))

    while queue:
        node = queue.popleft()
        vid = op_ids[node]
        if node_name(node) == "AccumulateGrad":
            pic.edges.append(Edge(vid, tensor_vertex(node.variable)))
            continue
        last = runs[node][0] if node in runs else node  # a collapsed chain continues from its last node
        constants = (None,) * len(last.next_functions) if compact else reader.constants(last)
        for i, ((child, _), t) in enumerate(zip(last.next_functions, constants)):
            if child is None:
                if compact:
                    continue
                if t is None:  # a constant the program no longer holds (not saved for backward)
                    cid = missing_vertex("constant", "constant")
                elif isinstance(t, Info):
                    cid = info_vertex(t, None, "constant")
                else:
                    cid = tensor_vertex(t)
                pic.edges.append(Edge(vid, cid, dict(CONSTANT_EDGE)))
                continue
            if node_name(child) == "AccumulateGrad":
                edge = Edge(vid, op_vertex(child))
                pic.edges.append(edge)
                pic.grad_edges[(node, i)] = (edge,)
                continue
            cid = op_vertex(child)
            if compact:
                edge = Edge(vid, cid)
                pic.edges.append(edge)
                pic.grad_edges[(node, i)] = (edge,)
                continue
            # The result between two operations: its box (a dotted "not kept" box when its value is
            # unknown), so every operation has a result; the box leads on to the operation.
            tid, new = result_vertex(child)
            edge = Edge(vid, tid)
            pic.edges.append(edge)
            path = (edge,)
            if new:
                pic.edges.append(Edge(tid, cid))
                path = (edge, pic.edges[-1])
            pic.grad_edges[(node, i)] = path
    if not_kept:
        pic.notes.append(NOT_KEPT_NOTE)
    if compact:
        drawn = sum(1 for n in op_ids if node_name(n) != "AccumulateGrad")
        pic.notes.append(f"summary: {n_ops} operations; the {drawn} nearest the output are drawn, without "
                         "their intermediate results and constants")
        if more:
            rest = n_ops - drawn - sum(1 for n in op_ids if node_name(n) == "AccumulateGrad")
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
