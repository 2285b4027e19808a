"""Step through a backward pass one node at a time, in the engine's own order.

>>> import minigrad
>>> x = minigrad.tensor(2.0, requires_grad=True)
>>> y = 3 * x ** 2
>>> stepper = BackwardStepper(y, names={"x": x, "y": y})
>>> for step in stepper.steps:
...     print(step)
MulBackward0 (makes y): upstream 1; to pow(x): upstream × local = 1 × 3 = 3
PowBackward0 (makes pow(x)): upstream 3; to x: upstream × local = 3 × 4 = 12
AccumulateGrad (leaf x): x.grad += 12 -> x.grad = 12

The stepper runs the engine's own walk (`minigrad.autograd.engine.backward_walk`): the same nodes
in the same order, each called with the gradient that has reached it (`node(grad)`: upstream
gradient times local derivative), the results summed into the gradients waiting at the next nodes.
Only what happens at a node differs: it never calls `.backward()`, never frees the graph and never
touches `.grad` (a leaf's gradient is summed here: those of this one pass, as if every .grad started
at None); tensor hooks (register_hook) are not run. A PyTorch output goes through the same walk: its
nodes are callable too, and ordered by their `_sequence_nr()` as PyTorch's engine orders them.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from ..autograd.engine import backward_walk
from ..ops import elementwise_nodes, formulas
from ._graph import Info
from ._picture import build, caller_names, check_names, check_tensor, fmt_values
from .drawing import Drawing, _mimebundle

# Each op states its formula where it is defined (minigrad/ops): the stepper shows the same text. The
# nodes in ELEMENTWISE have one local derivative per element, which the stepper computes and shows.
FORMULAS = formulas()
ELEMENTWISE = elementwise_nodes()
# The node being processed (strong orange); nodes already processed (pale pink, like the red gradients
# they sent, and unlike any colour of a tensor box).
CURRENT, DONE = "#fd8d3c", "#fcd5d0"


@dataclass
class Step:
    """One call of one node during backward.

    node:        the node's name ("MulBackward0", "AccumulateGrad")
    target:      the tensor the node belongs to ("y", or "x" for a leaf's AccumulateGrad)
    upstream:    the gradient arriving at the node (w.r.t. its output)
    input_grads: what the node sends to each input: upstream × local derivative (None: no grad needed)
    inputs:      where each of those goes (a name, or the expression that made it)
    formula:     the local derivative as a formula
    local:       the local derivative's values per input, for elementwise ops (else None)
    leaf_grads:  {leaf name: gradient accumulated so far in this pass}
    graph_node:  the Node object itself (left out of repr and ==)
    """

    node: str
    target: str
    upstream: object  # a tensor of the output's library
    input_grads: tuple
    inputs: tuple
    formula: str
    local: tuple
    leaf_grads: dict = field(default_factory=dict)
    graph_node: object = field(default=None, repr=False, compare=False)

    def __str__(self) -> str:
        up = fmt_values(self.upstream)
        if self.node == "AccumulateGrad":
            return f"AccumulateGrad (leaf {self.target}): {self.target}.grad += {up} -> " \
                   f"{self.target}.grad = {fmt_values(self.leaf_grads[self.target])}"
        parts = []
        for where, g, loc in zip(self.inputs, self.input_grads, self.local):
            if g is None:
                continue
            if loc is not None:
                parts.append(f"to {where}: upstream × local = {up} × {fmt_values(loc)} = {fmt_values(g)}")
            else:
                parts.append(f"to {where}: {fmt_values(g)}")
        return f"{self.node} (makes {self.target}): upstream {up}; " + "; ".join(parts)


class BackwardStepper:
    """Walk through `output.backward()` node by node: an ipywidgets player in JupyterLab.

    `.steps` holds one Step per node call, in the engine's order; `.show_step(i)` draws step i (the
    node highlighted, gradients computed so far on the arrows). Without a live widget frontend
    (nbconvert, nbval, a static page) the display is the last frame plus all steps as text.
    """

    def __init__(self, output, names: dict | None = None) -> None:
        self.library = check_tensor(output, "BackwardStepper()")
        if output.grad_fn is None and output.requires_grad:
            raise RuntimeError("BackwardStepper(): this tensor is a leaf (one you made, not the result of an "
                               "operation), so there is no graph behind it to step through; step through a result "
                               "computed from it, e.g. BackwardStepper((x * 3).sum())")
        if output.grad_fn is None:
            raise RuntimeError("BackwardStepper(): element 0 of tensors does not require grad and does not have a "
                               "grad_fn: this tensor has no graph to step through (was it made under no_grad, by "
                               "detach(), or from tensors that do not require grad?)")
        if output.numel() != 1:
            raise RuntimeError(f"BackwardStepper(): grad can be implicitly created only for scalar outputs; "
                               f"this output has shape {list(output.shape)}: step through output.sum() instead")
        self.output = output
        self.names = check_names(names, "BackwardStepper()") if names is not None else caller_names(1)
        self._name_of = {id(t): n for n, t in self.names.items()}
        self._result_name = {}  # node -> the name of the tensor it made
        for n, t in self.names.items():
            if t.grad_fn is not None:
                self._result_name.setdefault(t.grad_fn, n)
        self._reader = self.library.reader()
        self._picture = None
        self._frames: dict[int, Drawing] = {}
        self._widget = None
        self.index = 0
        self.leaves: dict = {}  # leaf name -> the leaf tensor
        with self.library.reading():
            self.steps: list[Step] = self._run()

    def __repr__(self) -> str:
        return f"<minigrad.viz.BackwardStepper: {len(self.steps)} steps>"

    # ------------------------------------------------------------------ the backward pass, by hand
    def _tensor_name(self, node) -> str:
        """The name of what `node` made: a given name, the leaf's name, or a short expression."""
        if self.library.is_accumulate(node):
            leaf = node.variable
            name = self._name_of.get(id(leaf))
            if name is None:
                name = next((n for n, t in self.leaves.items() if t is leaf), None) or f"leaf{len(self.leaves)}"
            self.leaves.setdefault(name, leaf)
            return name
        if node in self._result_name:
            return self._result_name[node]
        return self._exprs.get(node, self.library.node_name(node) + " result")

    def _expressions(self, order: list) -> dict:
        """Short texts for unnamed results, e.g. "mul(2, pow(x))", built inputs first (no recursion)."""
        exprs: dict = {}
        for node in reversed(order):
            if self.library.is_accumulate(node):
                continue
            args = []
            for (child, _), t in zip(node.next_functions, self._reader.constants(node)):
                if child is None:
                    value = t.value if isinstance(t, Info) else t
                    args.append(fmt_values(value) if value is not None and _numel(value) == 1 else "const")
                else:
                    args.append(self._tensor_name(child) if self.library.is_accumulate(child) or
                                child in self._result_name else exprs.get(child, "…"))
            short = self.library.node_name(node).split("Backward")[0].lower()
            text = f"{short}({', '.join(args)})"
            exprs[node] = text if len(text) <= 32 else f"{short}(…)"
        return exprs

    def _call(self, node, grad) -> tuple:
        """What the stepper does at a node: the chain rule only. A leaf's AccumulateGrad is not called
        (the stepper sums leaf gradients itself, never into .grad), and no node frees what it saved."""
        if self.library.is_accumulate(node):
            return ()
        try:
            return self.library.call(node, grad)
        except RuntimeError as err:
            if "second time" in str(err):
                raise RuntimeError("BackwardStepper(): the graph was already freed by a backward() "
                                   "call; compute the output again (run the forward code once more), "
                                   "or use backward(retain_graph=True)") from None
            raise

    def _run(self) -> list[Step]:
        lib = self.library.module
        with lib.no_grad():
            # the engine's own walk (minigrad's or, for a PyTorch output, over PyTorch's nodes),
            # with the stepper's call: every node in the engine's order, with this pass's gradients
            walked = list(backward_walk([self.output.grad_fn], [lib.ones_like(self.output)], self._call,
                                        self.library.sequence_nr))
        self._exprs: dict = {}
        self._exprs = self._expressions([node for node, _, _ in walked])
        steps = []
        accumulated: dict = {}
        with lib.no_grad():
            for node, grad, input_grads in walked:
                if grad is None:  # no gradient reaches this node (an input that needs none)
                    continue
                target = self._tensor_name(node)
                name = self.library.node_name(node)
                if name == "AccumulateGrad":
                    accumulated[target] = grad.clone() if target not in accumulated else accumulated[target] + grad
                    steps.append(Step(name, target, grad, (), (), "leaf.grad += upstream", (),
                                      dict(accumulated), node))
                    continue
                # the local derivative of an elementwise op: the node called with an upstream of ones
                ones = self._call(node, lib.ones_like(grad)) if name in ELEMENTWISE else (None,) * len(input_grads)
                local = tuple(o if o is not None and g is not None and o.shape == grad.shape else None
                              for o, g in zip(ones, input_grads))
                where = tuple(self._tensor_name(c) if c is not None else "constant" for c, _ in node.next_functions)
                steps.append(Step(name, target, grad, tuple(input_grads), where,
                                  FORMULAS.get(name, "the node's backward moves the gradient back to its input"),
                                  local, dict(accumulated), node))
        return steps

    # ------------------------------------------------------------------ pictures
    def leaf_grads(self) -> dict:
        """{leaf name: gradient} after the last step: what .backward() would put into each .grad."""
        return dict(self.steps[-1].leaf_grads) if self.steps else {}

    def _step_text(self, i: int) -> list[str]:
        s = self.steps[i]
        lines = [f"step {i + 1} of {len(self.steps)}: {s.node}" + (f" of leaf {s.target}" if s.node == "AccumulateGrad"
                                                                   else f" (it made {s.target})")]
        lines.append(f"upstream gradient (d output / d {s.target}): {fmt_values(s.upstream)}")
        if s.node == "AccumulateGrad":
            lines.append(f"{s.target}.grad += {fmt_values(s.upstream)}  ->  {fmt_values(s.leaf_grads[s.target])}")
        else:
            lines.append(f"local derivative: {s.formula}")
            for where, g, loc in zip(s.inputs, s.input_grads, s.local):
                if g is None:
                    lines.append(f"to {where}: nothing (needs no gradient)")
                elif loc is not None:
                    lines.append(f"to {where}: upstream × local = {fmt_values(s.upstream)} × {fmt_values(loc)} = {fmt_values(g)}")
                else:
                    lines.append(f"to {where}: {fmt_values(g)}")
        if s.leaf_grads:
            lines.append("leaf gradients so far: " + ", ".join(f"{k} = {fmt_values(v)}" for k, v in s.leaf_grads.items()))
        return lines

    def frame(self, i: int) -> Drawing:
        """Step i as a drawing: the graph (backward arrows), the node of step i highlighted, the
        gradients sent so far written on the arrows, and the step explained underneath."""
        if not -len(self.steps) <= i < len(self.steps):
            raise IndexError(f"step {i} out of range: this backward pass has {len(self.steps)} steps (0..{len(self.steps) - 1})")
        i %= len(self.steps)
        if i in self._frames:
            return self._frames[i]
        with self.library.reading():
            pic = build([self.output], self.names, show_values=True, show_grads=False, direction="backward",
                        library=self.library)
        ids = {v.id: v for v in pic.vertices}
        step_nodes = [st.graph_node for st in self.steps]
        for k, node in enumerate(step_nodes[: i + 1]):
            if node not in pic.node_ids:  # folded into a summary of a big graph
                continue
            v = ids[pic.node_ids[node]]
            v.attrs.update({"fillcolor": CURRENT, "penwidth": "3"} if k == i else {"fillcolor": DONE})
            s = self.steps[k]
            for j, g in enumerate(s.input_grads):
                path = pic.grad_edges.get((node, j), ())
                if g is None:
                    continue
                for n_edge, edge in enumerate(path):  # the arrow to the input's box, then on to its node
                    edge.attrs.update({"color": "#b30000", "penwidth": "2" if k == i else "1.2"})
                    if n_edge == 0:
                        edge.attrs.update({"label": f" {fmt_values(g)} ", "fontcolor": "#b30000"})
            if s.node == "AccumulateGrad":
                for e in pic.edges:
                    if e.tail == pic.node_ids[node]:
                        e.attrs.update({"label": f" .grad = {fmt_values(s.leaf_grads[s.target])} ",
                                        "fontcolor": "#b30000", "color": "#b30000"})
        pic.notes.append("orange: the node of this step; pink: nodes done; red: gradients sent so far")
        rows = "".join(f'<TR><TD ALIGN="LEFT">{"<B>" if n == 0 else ""}{html.escape(line)}{"</B>" if n == 0 else ""}</TD></TR>'
                       for n, line in enumerate(self._step_text(i)))
        label = f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">{rows}</TABLE>>'
        self._frames[i] = Drawing(pic, label=label)
        return self._frames[i]

    def show_step(self, i: int) -> Drawing:
        """Move the player to step i and return that frame (it displays as a picture)."""
        d = self.frame(i)
        self.index = i % len(self.steps)
        if self._widget is not None:
            self._slider.value = self.index
        return d

    def _frame_html(self, i: int) -> str:
        bundle = _mimebundle(self.frame(i).digraph, "")
        if "image/svg+xml" in bundle:
            return bundle["image/svg+xml"]
        return "<pre>" + html.escape(bundle["text/plain"]) + "</pre>"

    def _static_html(self) -> str:
        items = "".join(f"<li><code>{html.escape(str(s))}</code></li>" for s in self.steps)
        return (f"<div><p><b>Backward pass, {len(self.steps)} steps</b> (static view: the last step is drawn; "
                f"run the notebook in JupyterLab to step through it)</p>{self._frame_html(len(self.steps) - 1)}"
                f"<ol start='0'>{items}</ol></div>")

    # ------------------------------------------------------------------ the widget
    @property
    def widget(self):
        """The ipywidgets player (built on first use): Play, Prev, slider, Next, and the frame."""
        if self._widget is None:
            import ipywidgets as w  # (here: only a live notebook needs it; importing it takes ~0.26 s)

            last = len(self.steps) - 1
            play = w.Play(value=self.index, min=0, max=last, step=1, interval=1500, description="play")
            slider = w.IntSlider(value=self.index, min=0, max=last, description="step")
            prev, nxt = w.Button(description="◀ prev", layout=w.Layout(width="80px")), \
                w.Button(description="next ▶", layout=w.Layout(width="80px"))
            view = w.HTML(self._frame_html(self.index))
            w.jslink((play, "value"), (slider, "value"))

            def show(change) -> None:
                self.index = change["new"]
                view.value = self._frame_html(self.index)

            slider.observe(show, names="value")
            prev.on_click(lambda _: setattr(slider, "value", max(0, slider.value - 1)))
            nxt.on_click(lambda _: setattr(slider, "value", min(last, slider.value + 1)))
            self._slider = slider
            self._widget = w.VBox([w.HBox([play, prev, slider, nxt]), view])
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = {"text/plain": repr(self), "text/html": self._static_html()}
        if _live_kernel():
            try:
                view = self.widget._repr_mimebundle_()
            except Exception:  # no widget support: the static HTML is what shows
                view = None
            if view:
                bundle.update({k: v for k, v in view.items() if k != "text/plain"})
        return bundle


def _numel(value) -> int:
    return value.size if hasattr(value, "size") and not callable(value.size) else value.numel()


def _live_kernel() -> bool:
    """True inside a Jupyter kernel (where a widget might be shown); the static HTML is always added."""
    try:
        from IPython import get_ipython  # (here: IPython is optional, absent outside Jupyter)
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


__all__ = ["BackwardStepper", "Step", "FORMULAS"]
