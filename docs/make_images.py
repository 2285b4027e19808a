"""Regenerate the pictures in docs/images/ (one per kind of picture minigrad.viz draws).

    .venv/bin/python docs/make_images.py            # needs Graphviz's `dot` and matplotlib

Every picture comes from a fixed program (seeded where random), so running this twice writes the
same files; `--check` only compares what it would write with what is there and exits 1 on a difference.
The graphs are saved as PNG with `dot`; the plots and the comparison table with matplotlib (Agg).
The pair lesson_graph_minigrad.png / lesson_graph_pytorch.png draws one computation from each library;
without PyTorch installed the second is skipped (and not checked).
"""
from __future__ import annotations

import os
import shutil
import sys

import matplotlib

matplotlib.use("Agg")

import minigrad  # noqa: E402
from minigrad import nn  # noqa: E402
from minigrad import viz  # noqa: E402
from minigrad.viz import BackwardStepper, compare, descent_plot, draw, side_by_side, tangent_explorer  # noqa: E402
from minigrad.viz.plots import _png  # noqa: E402

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "images")
DPI = "110"  # a little above dot's 96, so the text stays readable when GitHub scales the image down


def graph_png(drawing) -> bytes:
    """PNG bytes of a Drawing or SideBySide, laid out by `dot` (the drawing itself is not changed)."""
    g = drawing.digraph.copy()
    g.attr(dpi=DPI)
    return g.pipe(format="png")


def lesson():
    """The tutorial's example: e = 2x^4 - y^3 + 3z^2 at (2, 3, 4)."""
    x = minigrad.tensor(2.0, requires_grad=True)
    y = minigrad.tensor(3.0, requires_grad=True)
    z = minigrad.tensor(4.0, requires_grad=True)
    e = 2 * x ** 4 - y ** 3 + 3 * z ** 2
    return {"x": x, "y": y, "z": z, "e": e}


def forward_graph() -> bytes:
    t = lesson()
    return graph_png(draw(t["e"], names=t, legend=True))


def lesson_graph(lib) -> bytes:
    """The lesson's e after e.backward(), with viz.keep_values() on: every box shows its value and
    gradient. The same program for minigrad and for PyTorch (only `lib` differs)."""
    with viz.keep_values():
        x = lib.tensor(2.0, requires_grad=True)
        y = lib.tensor(3.0, requires_grad=True)
        z = lib.tensor(4.0, requires_grad=True)
        e = x ** 4 * 2 - y ** 3 + z ** 2 * 3
    e.backward()
    title = f"drawn from {'minigrad' if lib is minigrad else 'PyTorch ' + lib.__version__.split('+')[0]}"
    d = draw(e, names={"x": x, "y": y, "z": z, "e": e}, legend=False)
    return graph_png(side_by_side(d, titles=[title], legend=False))


def lesson_graph_minigrad() -> bytes:
    return lesson_graph(minigrad)


def lesson_graph_pytorch() -> bytes | None:
    try:
        import torch
    except ImportError:
        return None
    return lesson_graph(torch)


def backward_graph() -> bytes:
    """The lesson again, each intermediate result in a variable with retain_grad(), so every box shows its grad."""
    x = minigrad.tensor(2.0, requires_grad=True)
    y = minigrad.tensor(3.0, requires_grad=True)
    z = minigrad.tensor(4.0, requires_grad=True)
    x4 = x ** 4
    a = 2 * x4
    y3 = y ** 3
    s = a - y3
    b = 3 * z ** 2
    e = s + b
    for t in (x4, a, y3, s, b, e):
        t.retain_grad()
    e.backward()
    names = {"x": x, "y": y, "z": z, "x4 = x**4": x4, "a = 2*x4": a, "y3 = y**3": y3, "s = a - y3": s,
             "b = 3*z**2": b, "e = s + b": e}
    return graph_png(draw(e, names=names, direction="backward"))


def detach_vs_no_grad() -> bytes:
    a = minigrad.tensor([1.0, 2.0], requires_grad=True)
    b = a * 3
    tracked = (b * a).sum()
    with minigrad.no_grad():
        c = a * 3
    untracked = (c * a).sum()
    left = draw(tracked, names={"a": a, "b": b, "out": tracked})
    detached = b.detach()
    cut = (detached * a).sum()
    middle = draw(cut, names={"a": a, "b.detach()": detached, "out": cut})
    right = draw(untracked, names={"a": a, "c (no_grad)": c, "out": untracked})
    return graph_png(side_by_side(left, middle, right, titles=[
        "out = (b * a).sum(),  b = a * 3", "out = (b.detach() * a).sum()", "c = a * 3 under no_grad;  out = (c * a).sum()"]))


def stepper_frame() -> bytes:
    t = lesson()
    stepper = BackwardStepper(t["e"], names=t)
    return graph_png(stepper.frame(len(stepper.steps) // 2))


def compare_table() -> bytes:
    """The comparison as the table Jupyter shows (drawn with matplotlib: a PNG needs no browser)."""
    from matplotlib.figure import Figure

    t = lesson()
    t["e"].backward()
    x, y, z = (t[k].detach() for k in "xyz")
    result = compare([8 * x ** 3, -3 * y ** 2, 3 * z],  # de/dz wrong on purpose: 3z instead of 6z
                     [t["x"].grad, t["y"].grad, t["z"].grad], names=["de/dx", "de/dy", "de/dz"])
    header = ["name", "manual", "autograd", "max abs err", "max rel err", ""]
    rows = [c[:5] + ["✔ pass" if r.passed else "✘ FAIL"] for c, r in zip(result._cells(), result.rows)]
    fig = Figure(figsize=(6.8, 1.75), dpi=110)
    ax = fig.add_axes((0.02, 0.3, 0.96, 0.68))
    ax.axis("off")
    table = ax.table(cellText=rows, colLabels=header, cellLoc="left", colLoc="left", edges="horizontal",
                     colWidths=[0.12, 0.13, 0.15, 0.2, 0.2, 0.2], bbox=(0, 0, 1, 1))
    table.auto_set_font_size(False)
    table.set_fontsize(11)
    for (row, col), cell in table.get_celld().items():
        if row == 0:
            cell.set_text_props(fontweight="bold")
        elif col == 5:
            cell.set_text_props(color="#1a7f37" if result.rows[row - 1].passed else "#cf222e", fontweight="bold")
        elif col > 0:
            cell.set_text_props(family="monospace")
    fig.text(0.02, 0.16, result._summary(), color="#1a7f37" if result.passed else "#cf222e", fontsize=10)
    fig.text(0.02, 0.04, "compare(manual, auto, names=[...]): here de/dz was derived wrong on purpose (3z, not 6z)",
             color="#555555", fontsize=8.5)
    return _png(fig)


def tangent() -> bytes:
    return _png(tangent_explorer(lambda x: x ** 3 - 2 * x, x_range=(-2, 2), x0=1.2).figure)


def descent() -> bytes:
    f = lambda x, y: x ** 2 + 3 * y ** 2 + 0.5 * x * y  # noqa: E731
    return _png(descent_plot(f, [(-2.5, 1.5), (2.0, -1.8), (1.5, 2.0)], lr=0.1, steps=25).figure)


def big_graph() -> bytes:
    minigrad.manual_seed(0)
    w = minigrad.randn(3, 3, requires_grad=True)
    h = minigrad.randn(1, 3)
    for _ in range(400):
        h = (h @ w).tanh() + h
    loss = h.sum()
    return graph_png(draw(loss, names={"w": w, "loss": loss}))


def mlp() -> bytes:
    minigrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    X = minigrad.tensor([[0.5, -1.0], [1.5, 2.0]])
    target = minigrad.tensor([[1.0], [0.0]])
    loss = nn.MSELoss()(model(X), target)
    loss.backward()
    return graph_png(draw(loss, names={"model": model, "X": X, "target": target, "loss": loss}))


IMAGES = {
    "forward_graph.png": forward_graph,
    "lesson_graph_minigrad.png": lesson_graph_minigrad,
    "lesson_graph_pytorch.png": lesson_graph_pytorch,
    "backward_graph.png": backward_graph,
    "detach_vs_no_grad.png": detach_vs_no_grad,
    "stepper_frame.png": stepper_frame,
    "compare_table.png": compare_table,
    "tangent_explorer.png": tangent,
    "descent_plot.png": descent,
    "big_graph_summary.png": big_graph,
    "mlp_named_parameters.png": mlp,
}


def main(check: bool = False) -> int:
    if shutil.which("dot") is None:
        print("docs/make_images.py needs Graphviz's `dot` (apt install graphviz)", file=sys.stderr)
        return 2
    os.makedirs(HERE, exist_ok=True)
    changed = []
    for name, make in IMAGES.items():
        data = make()
        if data is None:
            print(f"skipped  {name}  (needs PyTorch)")
            continue
        path = os.path.join(HERE, name)
        old = open(path, "rb").read() if os.path.exists(path) else None
        if old != data:
            changed.append(name)
            if not check:
                with open(path, "wb") as f:
                    f.write(data)
        print(f"{'differs' if old != data else 'same   '}  {name}  ({len(data):,} bytes)")
    if check and changed:
        print(f"{len(changed)} picture(s) differ from docs/images/: {', '.join(changed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
