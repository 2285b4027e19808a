"""Draw the computation graph behind tensors with graphviz.

>>> import minigrad
>>> from minigrad.viz import draw
>>> x = minigrad.tensor(2.0, requires_grad=True)
>>> y = x * x + 1
>>> draw(y)
<minigrad.viz.Drawing: 7 nodes, 7 edges>

Tensors are boxes, operations (their backward nodes, named as PyTorch names them) are ellipses; the
colours say what each tensor is, and a legend says which colour is which. In Jupyter the drawing
shows as an SVG; without Graphviz's `dot` program it shows how to install it, and the DOT text.
"""
from __future__ import annotations

import html
import subprocess
import textwrap

import graphviz


from ._picture import (COLOURS, FONT, LEGEND, Picture, build, caller_names, check_names, check_same_library,
                       check_tensor)
from .keep import ensure_recording

INSTALL_HINT = (
    "This drawing needs Graphviz's `dot` program, which was not found (or failed).\n"
    "Install it, then run the cell again:\n"
    "  Debian/Ubuntu:  sudo apt install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  conda:          conda install -c conda-forge graphviz\n"
    "  Binder:         add a line `graphviz` to binder/apt.txt\n"
    "Here is the graph as DOT text (paste it into any Graphviz viewer):\n"
)
#: Whether the legend has been shown in this session (draw() shows it under the first picture only).
_legend_state = {"shown": False}


def _wrap(text: str, width: int = 72) -> str:
    """Escaped text broken into left-aligned lines, so a long note does not stretch the picture."""
    return "<BR/>".join(html.escape(line) for line in textwrap.wrap(text, width)) or html.escape(text)


def _legend_rows(directions: set[str]) -> list[str]:
    """The compact legend: the six kinds of box in two rows, then what each line style means."""
    cells = [f'<TD BGCOLOR="{COLOURS[kind]}" BORDER="1" WIDTH="14"> </TD><TD ALIGN="LEFT">{html.escape(text)}</TD>'
             for kind, text in LEGEND.items()]
    rows = ['<TR><TD COLSPAN="6" ALIGN="LEFT"><B>legend</B>: boxes are tensors, ellipses are operations</TD></TR>']
    rows += ["<TR>" + "".join(cells[k:k + 3]) + "</TR>" for k in range(0, len(cells), 3)]
    lines = ["dashed arrow: no gradient flows back along it (a constant input)",
             "dotted box: a value not kept (viz.keep_values() keeps it)"]
    if "forward" in directions:
        lines.append("arrows go from inputs to results (the computation)")
    if "backward" in directions:
        lines.append("backward: arrows go from the output to the leaves (the gradient flow)")
    rows += [f'<TR><TD COLSPAN="6" ALIGN="LEFT">{html.escape(line)}</TD></TR>' for line in lines]
    return rows


def _caption(notes: list[str], legend: set[str] | None, extra: str | None = None) -> str | None:
    """The label under a picture: `extra` (an HTML-like label), the picture's notes, the legend."""
    parts = []
    if legend is not None:  # the legend says what a dotted box is: no need to say it twice
        notes = [n for n in notes if not n.startswith("dotted box:")]
    if extra:
        parts.append(extra[1:-1] if extra.startswith("<") else html.escape(extra))
    if notes:
        rows = "".join(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{_wrap(n)}</TD></TR>' for n in notes)
        parts.append(f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{rows}</TABLE>')
    if legend is not None:
        parts.append('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">'
                     + "".join(_legend_rows(legend)) + "</TABLE>")
    if not parts:
        return None
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">'
            + "".join(f'<TR><TD ALIGN="LEFT">{p}</TD></TR>' for p in parts) + "</TABLE>>")


def _new_digraph(label: str | None = None) -> graphviz.Digraph:
    """A digraph in the house style; `label` (HTML-like) goes under the picture."""
    g = graphviz.Digraph(format="svg")
    # size: at most 8.5 inches wide (816 px), so a picture fits JupyterLab's output area (~850 px with
    # the file browser open) instead of needing sideways scrolling; smaller graphs keep their size.
    g.attr(rankdir="TB", fontname=FONT, nodesep="0.3", ranksep="0.35", size="8.5,60")
    if label:
        g.attr(label=label, labelloc="b", labeljust="l", fontsize="11")
    g.attr("node", fontname=FONT, fontsize="11", color="#444444", margin="0.08,0.04")
    g.attr("edge", color="#333333", arrowsize="0.7", fontname=FONT, fontsize="10")
    return g


def _mimebundle(digraph: graphviz.Digraph, text: str) -> dict:
    """SVG from `dot` or, if it is missing or fails, the install hint and the DOT source: never a traceback."""
    try:
        svg = digraph.pipe(format="svg", encoding="utf-8")
    except (graphviz.ExecutableNotFound, subprocess.CalledProcessError, OSError, RuntimeError) as err:
        reason = "" if isinstance(err, graphviz.ExecutableNotFound) else f"(dot said: {str(err).strip()[:300]})\n"
        return {"text/plain": f"{text}\n{INSTALL_HINT}{reason}{digraph.source}"}
    return {"image/svg+xml": svg, "text/plain": text}


class _Renderable:
    """What Drawing, SideBySide and Legend share: a digraph, its source, inline display and saving.

    `legend`: True (always drawn under the picture), False (never), None (drawn under the first
    picture displayed in the session only: once per notebook, not on every graph).
    """

    digraph: graphviz.Digraph
    legend: bool | None = False

    @property
    def source(self) -> str:
        """The DOT text: the same program draws the same text on every run."""
        return self.digraph.source

    def _with_legend(self) -> graphviz.Digraph:
        return self.digraph

    def _displayed_digraph(self) -> graphviz.Digraph:
        if self.legend is None and not _legend_state["shown"]:
            _legend_state["shown"] = True
            return self._with_legend()
        if self.legend is True:
            _legend_state["shown"] = True
        return self.digraph

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return _mimebundle(self._displayed_digraph(), repr(self))

    def save(self, path: str, format: str | None = None) -> str:
        """Render with `dot` to a file (format from the suffix: .png, .svg, .pdf); returns the path.

        >>> draw(y).save("graph.png")          # doctest: +SKIP
        'graph.png'
        """
        fmt = format or path.rsplit(".", 1)[-1]
        data = self.digraph.pipe(format=fmt)
        with open(path, "wb") as f:
            f.write(data)
        return path


def _check_legend(legend, where: str) -> None:
    if legend is not None and not isinstance(legend, bool):
        raise TypeError(f"{where}: legend must be True, False or None (None: only under the first picture "
                        f"shown), got {type(legend).__name__}")


class Drawing(_Renderable):
    """One drawn graph. `.digraph` is the graphviz.Digraph, `.source` its DOT text."""

    def __init__(self, picture: Picture, label: str | None = None, legend: bool | None = False) -> None:
        self.picture, self.label, self.legend = picture, label, legend
        self.digraph = self._digraph(legend is True)

    def _digraph(self, with_legend: bool) -> graphviz.Digraph:
        pic = self.picture
        g = _new_digraph(_caption(pic.notes, {pic.direction} if with_legend else None, self.label))
        pic.emit(g)
        return g

    def _with_legend(self) -> graphviz.Digraph:
        return self._digraph(True)

    @property
    def num_nodes(self) -> int:
        return len(self.picture.vertices)

    @property
    def num_edges(self) -> int:
        return len(self.picture.edges)

    def __repr__(self) -> str:
        return f"<minigrad.viz.Drawing: {self.num_nodes} nodes, {self.num_edges} edges>"


def draw(*roots, names=None, show_values: bool = True, show_grads: bool = True,
         show_saved: bool = False, direction: str = "forward", legend: bool | None = None) -> Drawing:
    """Draw the graph that produced `roots` (one or more tensors of minigrad or of PyTorch).

    names:       {name: tensor} labels, or an nn.Module (its parameters get their named_parameters()
                 names, "0.weight"); a dict may hold modules too ({"model": model}: "model.0.weight").
                 Without it, the caller's variable names are used where one name points to the
                 tensor (names starting with "_" are skipped), and a module variable names its
                 parameters ("model.0.weight").
    show_values: print the values of small tensors (at most 6 elements); show_grads: their .grad.
                 Results nothing holds any more show their values only if viz.keep_values() was on.
    show_saved:  list what each operation saved for backward (or that backward freed it).
    direction:   "forward" draws arrows from inputs to results, "backward" the gradient's way back.
    legend:      None: the legend goes under the first picture shown in the session only;
                 True: under this one too; False: never (viz.legend() draws it on request).

    >>> import minigrad
    >>> a = minigrad.tensor(2.0, requires_grad=True)
    >>> b = (a * 3).detach()          # a constant now: the drawing of c has no path to a
    >>> c = b * a
    >>> print(draw(c).source.count("MulBackward0"))
    1
    """
    if not roots:
        raise TypeError("draw() needs at least one tensor, e.g. draw(loss)")
    _check_legend(legend, "draw()")
    library = check_same_library(list(roots), "draw()")
    ensure_recording(library)
    given = check_names(names, "draw()")
    found = given if names is not None else caller_names(1)
    with library.reading():
        return Drawing(build(list(roots), found, show_values, show_grads, show_saved, direction, library),
                       legend=legend)


class Legend(_Renderable):
    """The legend alone (what viz.legend() returns): every kind of box, what each line style means."""

    legend = True

    def __init__(self) -> None:
        self.digraph = _new_digraph()
        self.digraph.node("legend", "<" + _caption([], {"forward", "backward"})[1:-1] + ">",
                          shape="plaintext", fontsize="10")

    def __repr__(self) -> str:
        return "<minigrad.viz.Legend>"


def legend() -> Legend:
    """Draw the legend on its own: colours of the boxes, line styles, arrow directions.

    >>> legend()
    <minigrad.viz.Legend>
    """
    return Legend()


class SideBySide(_Renderable):
    """Several drawings next to each other, as clusters of one graphviz graph (one shared caption)."""

    def __init__(self, drawings: list[Drawing], titles: list[str] | None, legend: bool | None = False) -> None:
        self.drawings, self.titles, self.legend = drawings, titles, legend
        self.digraph = self._digraph(legend is True)

    def _digraph(self, with_legend: bool) -> graphviz.Digraph:
        g = _new_digraph()
        notes, directions = [], set()
        for i, d in enumerate(self.drawings):
            with g.subgraph(name=f"cluster_{i}") as sub:
                sub.attr(label=self.titles[i] if self.titles else f"graph {i + 1}", fontsize="14", fontname=FONT,
                         style="rounded", color="#999999", labelloc="t")
                d.picture.emit(sub, prefix=f"g{i}_")
            notes += [n for n in d.picture.notes if n not in notes]
            directions.add(d.picture.direction)
        # The caption goes below the graphs rather than beside them: side by side pictures are wide
        # already, and anything beside them would shrink everything to fit 8.5 in.
        caption = _caption(notes, directions if with_legend else None)
        if caption:
            g.attr(label=caption, labelloc="b", labeljust="l", fontsize="10")
        return g

    def _with_legend(self) -> graphviz.Digraph:
        return self._digraph(True)

    def __repr__(self) -> str:
        return f"<minigrad.viz.SideBySide: {len(self.drawings)} graphs>"


def side_by_side(*drawables, titles: list[str] | None = None, legend: bool | None = None) -> SideBySide:
    """Put graphs next to each other: Drawing objects, or tensors (drawn with the caller's names).

    legend: as for draw() (None: only if no picture has shown it yet in this session).

    >>> import minigrad
    >>> x = minigrad.tensor(1.0, requires_grad=True)
    >>> tracked = x * 2
    >>> with minigrad.no_grad():
    ...     untracked = x * 2
    >>> side_by_side(tracked, untracked, titles=["tracked", "under no_grad"])
    <minigrad.viz.SideBySide: 2 graphs>
    """
    if not drawables:
        raise TypeError("side_by_side() needs drawings or tensors, e.g. side_by_side(draw(a), draw(b))")
    _check_legend(legend, "side_by_side()")
    if titles is not None:
        titles = [str(t) for t in titles]
        if len(titles) != len(drawables):
            raise ValueError(f"side_by_side() got {len(drawables)} graphs but {len(titles)} titles")
    names = None
    drawings = []
    for d in drawables:
        if isinstance(d, _Renderable) and not isinstance(d, Drawing):
            raise TypeError("side_by_side() cannot nest a SideBySide or a Legend; pass its drawings instead")
        if not isinstance(d, Drawing):
            library = check_tensor(d, "side_by_side()")
            ensure_recording(library)
            if names is None:
                names = caller_names(1)
            with library.reading():
                d = Drawing(build([d], names, library=library))
        drawings.append(d)
    return SideBySide(drawings, titles, legend)


__all__ = ["Drawing", "SideBySide", "Legend", "draw", "side_by_side", "legend", "INSTALL_HINT"]
