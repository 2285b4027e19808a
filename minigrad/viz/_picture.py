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
    library: Library | None = None  # whose graph this is (minigrad's or PyTorch's)

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
    return _Builder(roots, names, show_values, show_grads, show_saved, direction, library).picture()


class _Builder:
    """One Picture in the making. The steps, in order: the roots' boxes (`add_root`), then breadth first
    each operation's inputs (`add_inputs`), then the legend's notes (`finish`). Boxes are made on first
    sight (`tensor_vertex`, `result_vertex`, `op_vertex`, ...) and remembered, so a tensor or node reached
    twice is drawn once. Vertex ids count up in the order boxes are made ("t0", "t1", ..., "n0", ...)."""

    def __init__(self, roots: list, names: dict, show_values: bool, show_grads: bool, show_saved: bool,
                 direction: str, library: Library | None) -> None:
        self.roots = roots
        self.show_values, self.show_grads, self.show_saved = show_values, show_grads, show_saved
        self.library = library or library_of(roots[0])
        self.reader = self.library.reader()
        self.node_name = self.library.node_name
        self.pic = Picture(direction=direction, library=self.library)
        self.name_of = {id(t): n for n, t in names.items()}
        self.result_name = {}  # node -> the name of the tensor it made
        for n, t in names.items():
            if t.grad_fn is not None:
                self.result_name.setdefault(t.grad_fn, n)
                self.reader.know(t)
        self.keep_alive = []  # tensors whose id() we use as keys must live until the walk ends
        self.tensor_ids: dict[int, str] = {}  # id(tensor) -> its vertex
        self.result_ids: dict = {}  # node -> the vertex of its result
        self.op_ids: dict = {}  # node -> its vertex
        self.root_ids = {id(r) for r in roots}
        self.counts = {"t": 0, "n": 0}  # vertices made so far: tensors ("t0", ...) and operations ("n0", ...)
        self.not_kept = []  # vertices of values not kept (the legend then says what a dotted box is)
        self.queue: deque = deque()  # operations drawn whose inputs are still to draw
        self.more_id: str | None = None  # in a compact drawing: the one node standing for all beyond it
        self.runs, self.n_ops = _chains([r.grad_fn for r in roots if r.grad_fn is not None], self.library)
        # Still big after folding chains: draw the SUMMARY_NODES operations nearest the output, without
        # intermediate results and constants, and one "more" node standing for the rest.
        self.compact = self.n_ops > MAX_NODES
        if self.runs:
            collapsed = sum(n - 1 for _, n in self.runs.values())
            self.pic.notes.append(f"summary: {len(self.runs)} chain(s) of identical operations drawn as one "
                                  f"'op × N' node ({collapsed} nodes folded; their intermediate results and "
                                  "constants not shown)")

    def picture(self) -> Picture:
        for r in self.roots:
            self.add_root(r)
        while self.queue:
            self.add_inputs(self.queue.popleft())
        self.finish()
        return self.pic

    # ---------------------------------------------------------------- the steps
    def add_root(self, r) -> None:
        """The box of a tensor asked for, and an arrow to the operation that made it (if any)."""
        self.reader.know(r)
        if r.grad_fn is None:  # nothing to walk: say why, so an empty picture is not a puzzle
            self.tensor_vertex(r)
            self.pic.notes.append(no_graph_note(r, self.name_of.get(id(r))))
            return
        record = self.library.record_of(r.grad_fn)
        rid = self.tensor_vertex(r, "output", record.result if record else None)
        self.result_ids.setdefault(r.grad_fn, rid)
        self.pic.edges.append(Edge(rid, self.op_vertex(r.grad_fn)))

    def add_inputs(self, node) -> None:
        """The arrows from an operation to what it takes: constants, leaves, earlier operations."""
        vid = self.op_ids[node]
        if self.node_name(node) == "AccumulateGrad":
            self.pic.edges.append(Edge(vid, self.tensor_vertex(node.variable)))
            return
        last = self.runs[node][0] if node in self.runs else node  # a collapsed chain continues from its last node
        constants = (None,) * len(last.next_functions) if self.compact else self.reader.constants(last)
        for i, ((child, _), t) in enumerate(zip(last.next_functions, constants)):
            if child is None:
                if not self.compact:
                    self.pic.edges.append(Edge(vid, self.constant_vertex(t), dict(CONSTANT_EDGE)))
            elif self.compact or self.node_name(child) == "AccumulateGrad":
                edge = Edge(vid, self.op_vertex(child))
                self.pic.edges.append(edge)
                self.pic.grad_edges[(node, i)] = (edge,)
            else:
                self.pic.grad_edges[(node, i)] = self.through_result(vid, child)

    def through_result(self, vid: str, child) -> tuple:
        """The arrows from operation `vid` to operation `child` by way of child's result box (a dotted
        "not kept" box when its value is unknown), so every operation has a result; the edges on the way."""
        cid = self.op_vertex(child)
        tid, new = self.result_vertex(child)
        edge = Edge(vid, tid)
        self.pic.edges.append(edge)
        if not new:  # the box already leads on to child
            return (edge,)
        onward = Edge(tid, cid)
        self.pic.edges.append(onward)
        return (edge, onward)

    def finish(self) -> None:
        """The legend's notes; in a compact drawing, what the "more" node stands for."""
        if self.not_kept:
            self.pic.notes.append(NOT_KEPT_NOTE)
        if not self.compact:
            return
        drawn = sum(1 for n in self.op_ids if self.node_name(n) != "AccumulateGrad")
        self.pic.notes.append(f"summary: {self.n_ops} operations; the {drawn} nearest the output are drawn, "
                              "without their intermediate results and constants")
        # A compact graph has more than MAX_NODES operations, so op_vertex has made the "more" node.
        rest = self.n_ops - drawn - sum(1 for n in self.op_ids if self.node_name(n) == "AccumulateGrad")
        for v in self.pic.vertices:
            if v.id == self.more_id:
                v.label = html_label([_row(f"… {rest} more operations"), _row("(not drawn)", size=9)])
        tails, kept = set(), []
        for e in self.pic.edges:  # many drawn operations feed the "more" node: one arrow each is enough
            if e.head == self.more_id:
                if e.tail in tails:
                    continue
                tails.add(e.tail)
            kept.append(e)
        self.pic.edges = kept

    # ---------------------------------------------------------------- the boxes
    def new_id(self, prefix: str) -> str:
        self.counts[prefix] += 1
        return f"{prefix}{self.counts[prefix] - 1}"

    def info_vertex(self, info: Info, name: str | None, kind: str | None = None, is_root: bool = False) -> str:
        """A tensor's box from what is known of it (a live tensor's Info or a recorded one)."""
        kind = kind or tensor_kind(info, is_root)
        vid = self.new_id("t")
        attrs = {}
        if self.show_values and info.value is None and info.numel() <= MAX_VALUES:
            attrs = dict(NOT_KEPT_BOX)
            self.not_kept.append(vid)
        label = tensor_label(info, name, kind, self.show_values, self.show_grads)
        self.pic.vertices.append(Vertex(vid, kind, label, attrs))
        return vid

    def tensor_vertex(self, t, kind: str | None = None, record: Info | None = None) -> str:
        """The box of tensor t (made once per tensor), named by the caller's names if it has one."""
        if id(t) in self.tensor_ids:
            return self.tensor_ids[id(t)]
        self.keep_alive.append(t)
        name = self.name_of.get(id(t)) or (self.result_name.get(t.grad_fn) if t.grad_fn is not None else None)
        vid = self.info_vertex(describe(t, record), name, kind, id(t) in self.root_ids)
        self.tensor_ids[id(t)] = vid
        return vid

    def missing_vertex(self, what: str, kind: str) -> str:
        """A dotted box for a tensor nothing holds any more."""
        vid = self.new_id("t")
        self.not_kept.append(vid)
        label = html_label([_row(what), _row("(not kept)", size=9)])
        self.pic.vertices.append(Vertex(vid, kind, label, dict(NOT_KEPT_BOX)))
        return vid

    def constant_vertex(self, t) -> str:
        """A constant input's box: `t` is a live tensor, a recorded Info, or None."""
        if t is None:  # a constant the program no longer holds (not saved for backward)
            return self.missing_vertex("constant", "constant")
        if isinstance(t, Info):
            return self.info_vertex(t, None, "constant")
        return self.tensor_vertex(t)

    def result_vertex(self, child) -> tuple[str, bool]:
        """The box of the tensor `child` made, and whether it is new."""
        if child in self.result_ids:
            return self.result_ids[child], False
        out, record, meta = self.reader.result(child)
        if out is not None:
            vid = self.tensor_vertex(out, record=record)
        elif record is not None or meta is not None:
            vid = self.info_vertex(record or meta, self.result_name.get(child), "intermediate")
        else:
            vid = self.missing_vertex("result", "intermediate")
        self.result_ids[child] = vid
        return vid, True

    def saved_of(self, node) -> list[str] | None:
        """What an operation's ellipse lists as saved for backward (with show_saved only)."""
        if not self.show_saved:
            return None
        saved = self.reader.saved(node)
        if saved is None:
            return ["(freed by backward)"]
        # a saved tensor by its name, else by its value (a number such as the 2 of x * 2) or its shape
        return [self.name_of.get(id(s)) or self.result_name.get(s.grad_fn) or fmt_values(s) for s in saved]

    def op_vertex(self, node) -> str:
        """An operation's ellipse (made once per node; queued so its inputs are drawn in turn)."""
        if node in self.op_ids:
            return self.op_ids[node]
        if self.compact and len(self.op_ids) >= SUMMARY_NODES:
            if self.more_id is None:
                self.more_id = self.new_id("n")
                self.pic.vertices.append(Vertex(self.more_id, "summary", ""))
            return self.more_id
        vid = self.new_id("n")
        name = self.node_name(node)
        if name == "AccumulateGrad":
            self.pic.vertices.append(Vertex(vid, "accumulate", op_label(name)))
        elif node in self.runs:
            self.pic.vertices.append(Vertex(vid, "summary", op_label(name, self.runs[node][1])))
        else:
            self.pic.vertices.append(Vertex(vid, "op", op_label(name, saved=self.saved_of(node))))
        self.op_ids[node] = vid
        self.pic.node_ids[node] = vid
        self.queue.append(node)
        return vid
