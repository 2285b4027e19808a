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


from ._picture import COLOURS, FONT, LEGEND, Picture, build, caller_names, check_names, check_tensor

INSTALL_HINT = (
    "This drawing needs Graphviz's `dot` program, which was not found (or failed).\n"
    "Install it, then run the cell again:\n"
    "  Debian/Ubuntu:  sudo apt install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  conda:          conda install -c conda-forge graphviz\n"
    "  Binder:         add a line `graphviz` to binder/apt.txt\n"
    "Here is the graph as DOT text (paste it into any Graphviz viewer):\n"
)


def _wrap(text: str, width: int = 64) -> str:
    """Escaped text broken into left-aligned lines, so a long note does not stretch the legend."""
    return "<BR/>".join(html.escape(line) for line in textwrap.wrap(text, width)) or html.escape(text)


def _legend(kinds: list[str], notes: list[str], directions: set[str]) -> str:
    """The legend as one HTML-like table: a colour swatch per kind of box that the picture uses."""
    rows = ['<TR><TD COLSPAN="2"><B>legend</B>: boxes are tensors, ellipses are operations</TD></TR>']
    for kind in kinds:
        if kind in LEGEND:
            rows.append(f'<TR><TD BGCOLOR="{COLOURS[kind]}" BORDER="1" WIDTH="24"> </TD>'
                        f'<TD ALIGN="LEFT">{html.escape(LEGEND[kind])}</TD></TR>')
    if "forward" in directions:
        rows.append('<TR><TD COLSPAN="2" ALIGN="LEFT">forward: arrows go from inputs to results '
                    '(the computation)</TD></TR>')
    if "backward" in directions:
        rows.append('<TR><TD COLSPAN="2" ALIGN="LEFT">backward: arrows go from the output to the leaves '
                    '(the gradient flow)</TD></TR>')
    rows.append('<TR><TD COLSPAN="2" ALIGN="LEFT">dashed arrow: a constant input (no gradient goes there)</TD></TR>')
    for note in notes:
        text = _wrap(note)
        if note.startswith("summary"):
            rows.append(f'<TR><TD BGCOLOR="{COLOURS["summary"]}" BORDER="1"> </TD>'
                        f'<TD ALIGN="LEFT" BALIGN="LEFT">{text}</TD></TR>')
        else:
            rows.append(f'<TR><TD COLSPAN="2" ALIGN="LEFT" BALIGN="LEFT">{text}</TD></TR>')
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">' + "".join(rows) + "</TABLE>>"


def _new_digraph(label: str | None = None) -> graphviz.Digraph:
    g = graphviz.Digraph(format="svg")
    # size: at most 8.5 inches wide (816 px), so a picture fits JupyterLab's output area (~850 px with
    # the file browser open) instead of needing sideways scrolling; smaller graphs keep their size.
    g.attr(rankdir="TB", fontname=FONT, nodesep="0.3", ranksep="0.35", size="8.5,60")
    if label:
        g.attr(label=label, labelloc="b", fontsize="12")
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
    """What Drawing and SideBySide share: a digraph, its source, inline display and saving."""

    digraph: graphviz.Digraph

    @property
    def source(self) -> str:
        """The DOT text: the same program draws the same text on every run."""
        return self.digraph.source

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return _mimebundle(self.digraph, repr(self))

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


class Drawing(_Renderable):
    """One drawn graph. `.digraph` is the graphviz.Digraph, `.source` its DOT text."""

    def __init__(self, picture: Picture, label: str | None = None) -> None:
        self.picture = picture
        self.digraph = _new_digraph(label)
        picture.emit(self.digraph)
        self.digraph.node("legend", _legend(picture.kinds(), picture.notes, {picture.direction}),
                          shape="plaintext", fontsize="10")

    @property
    def num_nodes(self) -> int:
        return len(self.picture.vertices)

    @property
    def num_edges(self) -> int:
        return len(self.picture.edges)

    def __repr__(self) -> str:
        return f"<minigrad.viz.Drawing: {self.num_nodes} nodes, {self.num_edges} edges>"


def draw(*roots, names=None, show_values: bool = True, show_grads: bool = True,
         show_saved: bool = False, direction: str = "forward") -> Drawing:
    """Draw the graph that produced `roots` (one or more tensors).

    names:       {name: tensor} labels, or an nn.Module (its parameters get their named_parameters()
                 names, "0.weight"); a dict may hold modules too ({"model": model}: "model.0.weight").
                 Without it, the caller's variable names are used where one name points to the
                 tensor (names starting with "_" are skipped), and a module variable names its
                 parameters ("model.0.weight").
    show_values: print the values of small tensors (at most 6 elements); show_grads: their .grad.
    show_saved:  list what each operation saved for backward (or that backward freed it).
    direction:   "forward" draws arrows from inputs to results, "backward" the gradient's way back.

    >>> import minigrad
    >>> a = minigrad.tensor(2.0, requires_grad=True)
    >>> b = (a * 3).detach()          # a constant now: the drawing of c has no path to a
    >>> c = b * a
    >>> print(draw(c).source.count("MulBackward0"))
    1
    """
    if not roots:
        raise TypeError("draw() needs at least one tensor, e.g. draw(loss)")
    roots_checked = [check_tensor(r, "draw()") for r in roots]
    given = check_names(names, "draw()")
    found = given if names is not None else caller_names(1)
    return Drawing(build(roots_checked, found, show_values, show_grads, show_saved, direction))


class SideBySide(_Renderable):
    """Several drawings next to each other, as clusters of one graphviz graph (one shared legend)."""

    def __init__(self, drawings: list[Drawing], titles: list[str] | None) -> None:
        self.drawings = drawings
        self.titles = titles
        self.digraph = _new_digraph()
        notes, kinds, directions = [], [], set()
        for i, d in enumerate(drawings):
            with self.digraph.subgraph(name=f"cluster_{i}") as sub:
                sub.attr(label=titles[i] if titles else f"graph {i + 1}", fontsize="14", fontname=FONT,
                         style="rounded", color="#999999", labelloc="t")
                d.picture.emit(sub, prefix=f"g{i}_")
            notes += [n for n in d.picture.notes if n not in notes]
            kinds += [k for k in d.picture.kinds() if k not in kinds]
            directions.add(d.picture.direction)
        kinds.sort(key=list(COLOURS).index)
        # The legend is the picture's label, below the graphs rather than beside them: side by side
        # pictures are wide already, and a legend beside them would shrink everything to fit 8.5 in.
        self.digraph.attr(label=_legend(kinds, notes, directions), labelloc="b", labeljust="l", fontsize="10")

    def __repr__(self) -> str:
        return f"<minigrad.viz.SideBySide: {len(self.drawings)} graphs>"


def side_by_side(*drawables, titles: list[str] | None = None) -> SideBySide:
    """Put graphs next to each other: Drawing objects, or tensors (drawn with the caller's names).

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
    if titles is not None:
        titles = [str(t) for t in titles]
        if len(titles) != len(drawables):
            raise ValueError(f"side_by_side() got {len(drawables)} graphs but {len(titles)} titles")
    names = None
    drawings = []
    for d in drawables:
        if isinstance(d, (Drawing, SideBySide)) and not isinstance(d, Drawing):
            raise TypeError("side_by_side() cannot nest a SideBySide; pass its drawings instead")
        if not isinstance(d, Drawing):
            check_tensor(d, "side_by_side()")
            if names is None:
                names = caller_names(1)
            d = Drawing(build([d], names))
        drawings.append(d)
    return SideBySide(drawings, titles)


__all__ = ["Drawing", "SideBySide", "draw", "side_by_side", "INSTALL_HINT"]
