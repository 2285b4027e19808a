"""Derivatives you can see: a tangent line you can slide along, gradient descent on a contour map.

Both use matplotlib Figures made without pyplot (so Jupyter does not show them twice) and compute
every derivative with autograd: minigrad's, or PyTorch's with `lib=torch` (or when f works only on
PyTorch's tensors). They display as a PNG, which is all a static page
(nbconvert, nbval) can show; in a live kernel the tangent explorer adds a slider.

>>> import minigrad
>>> explorer = tangent_explorer(lambda x: x ** 2, x0=1.5)
>>> explorer.slope(1.5)
3.0
"""
from __future__ import annotations

import io
import sys
from typing import Callable, Sequence

import numpy as np

import minigrad

from .stepper import _live_kernel


def _check_function(f, where: str, example: str) -> None:
    if not callable(f):
        raise TypeError(f"{where}: f must be a function of tensors, e.g. {example}; got {type(f).__name__}")


def _figure(width: float = 6.0, height: float = 4.0):
    from matplotlib.figure import Figure  # on first use: importing matplotlib takes most of a second

    fig = Figure(figsize=(width, height), dpi=100)
    return fig, fig.add_subplot()


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})  # no version stamp: same bytes every run
    return buf.getvalue()


def _value(lib, f: Callable, x, what: str):
    out = f(x)
    if not isinstance(out, lib.Tensor):
        raise TypeError(f"{what}: f must return a {lib.__name__} Tensor (use {lib.__name__} operations such as "
                        f"x.sin() or x ** 2 inside f), got {type(out).__name__}")
    return out


def _library(lib, f: Callable, n_args: int, what: str):
    """The module whose autograd runs f: `lib` if given (minigrad or torch); else minigrad, unless f
    does not work on minigrad's tensors and PyTorch is imported (then PyTorch: f was written for it)."""
    if lib is not None:
        if getattr(lib, "__name__", None) not in ("minigrad", "torch"):
            raise TypeError(f"{what}: lib must be the minigrad or the torch module (lib=torch), got {lib!r}")
        return lib
    torch = sys.modules.get("torch")
    if torch is None or _works_on(minigrad, f, n_args):
        return minigrad
    return torch if _works_on(torch, f, n_args) else minigrad  # neither: minigrad's error message follows


def _works_on(lib, f: Callable, n_args: int) -> bool:
    try:
        with lib.no_grad():
            return isinstance(f(*[lib.tensor(0.5, dtype=lib.float64)] * n_args), lib.Tensor)
    except Exception:
        return False


class TangentExplorer:
    """f and its tangent at x0. `.slope(x)` is f'(x) by autograd; `.figure` is the matplotlib Figure."""

    def __init__(self, f: Callable, x_range: tuple = (-3, 3), x0: float = 1.0, lib=None) -> None:
        _check_function(f, "tangent_explorer()", "lambda x: x ** 3 - 2 * x")
        self.lib = lib = _library(lib, f, 1, "tangent_explorer()")
        lo, hi = float(x_range[0]), float(x_range[1])
        if not lo < hi:
            raise ValueError(f"tangent_explorer(): x_range must be (low, high) with low < high, got {x_range}")
        self.f, self.x_range, self.x0 = f, (lo, hi), float(x0)
        self.xs = np.linspace(lo, hi, 301)
        with lib.no_grad():
            ys = _value(lib, f, lib.tensor(self.xs), "tangent_explorer()")
        if ys.shape != (len(self.xs),):
            raise ValueError("tangent_explorer(): f must work elementwise (f(tensor of 301 x values) gave shape "
                             f"{list(ys.shape)}, expected [301])")
        self.ys = ys.numpy()
        self.figure, self.ax = _figure()
        self._widget = None
        self._draw()

    def slope(self, x0: float) -> float:
        """f'(x0), computed by backward through f (float64)."""
        lib = self.lib
        x = lib.tensor(float(x0), dtype=lib.float64, requires_grad=True)
        y = _value(lib, self.f, x, "tangent_explorer()")
        y.backward()
        return float(x.grad.item())

    def _draw(self) -> None:
        ax, x0 = self.ax, self.x0
        lib = self.lib
        with lib.no_grad():
            y0 = float(_value(lib, self.f, lib.tensor(x0, dtype=lib.float64), "tangent_explorer()").item())
        k = self.slope(x0)
        ax.clear()
        ax.plot(self.xs, self.ys, color="#1f77b4", lw=2, label="f(x)")
        ax.plot(self.xs, y0 + k * (self.xs - x0), color="#d62728", lw=1.5, ls="--",
                label=f"tangent at x = {x0:.2f}: slope f'(x) = {k:.3f}")
        ax.plot([x0], [y0], "o", color="#d62728")
        spread = np.ptp(self.ys) or 1.0
        ax.set_ylim(self.ys.min() - 0.15 * spread, self.ys.max() + 0.15 * spread)
        ax.set_xlim(*self.x_range)
        ax.axhline(0, color="#999999", lw=0.6)
        ax.axvline(0, color="#999999", lw=0.6)
        ax.set_xlabel("x")
        ax.set_ylabel("f(x)")
        ax.set_title("the derivative is the slope of the tangent (computed by autograd)")
        ax.legend(loc="upper left", fontsize=9)
        self.figure.tight_layout()

    def set_x0(self, x0: float) -> None:
        """Move the tangent point (what the slider does)."""
        self.x0 = float(x0)
        self._draw()

    @property
    def widget(self):
        if self._widget is None:
            import ipywidgets as w  # only in a live kernel, on first display of the slider

            slider = w.FloatSlider(value=self.x0, min=self.x_range[0], max=self.x_range[1],
                                   step=(self.x_range[1] - self.x_range[0]) / 100, description="x0",
                                   continuous_update=False)
            image = w.Image(value=_png(self.figure), format="png")

            def move(change) -> None:
                self.set_x0(change["new"])
                image.value = _png(self.figure)

            slider.observe(move, names="value")
            self._widget = w.VBox([slider, image])
        return self._widget

    def __repr__(self) -> str:
        return f"<minigrad.viz.TangentExplorer: x0={self.x0:g}, slope={self.slope(self.x0):.4g}>"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = {"image/png": _png(self.figure), "text/plain": repr(self)}
        if _live_kernel():
            try:
                view = self.widget._repr_mimebundle_()
            except Exception:
                view = None
            if view:
                bundle.update({k: v for k, v in view.items() if k != "text/plain"})
        return bundle


def tangent_explorer(f: Callable, x_range: tuple = (-3, 3), x0: float = 1.0, lib=None) -> TangentExplorer:
    """Plot f on x_range with its tangent line at x0; in JupyterLab a slider moves x0.

    f takes a tensor and returns a tensor, elementwise: `lambda x: x ** 3 - 2 * x` or `lambda x: x.sin()`.
    lib: the library whose autograd computes the slope (minigrad or torch; see the module's doc).
    """
    return TangentExplorer(f, x_range, x0, lib)


class DescentPlot:
    """Contour of f(x, y) with gradient-descent paths. `.paths`: one (steps+1, 2) array per start."""

    def __init__(self, f: Callable, starts: Sequence, lr: float, steps: int, lib=None) -> None:
        _check_function(f, "descent_plot()", "lambda x, y: x ** 2 + 3 * y ** 2")
        self.lib = _library(lib, f, 2, "descent_plot()")
        try:
            starts = [tuple(float(v) for v in s) for s in starts]
        except (TypeError, ValueError):
            starts = []  # a start that is not a pair of numbers: the message below says what is expected
        if not starts or any(len(s) != 2 for s in starts):
            raise ValueError("descent_plot(): starts must be a list of (x, y) points, e.g. [(-2, 1), (1.5, 2)]")
        if not float(lr) > 0 or int(steps) < 1:
            raise ValueError(f"descent_plot(): lr must be a positive step size and steps at least 1, got lr={lr}, "
                             f"steps={steps}")
        self.f, self.lr, self.steps = f, float(lr), int(steps)
        self.paths = [self._descend(s) for s in starts]
        self.figure, self.ax = _figure(6, 6)
        self._draw()

    def _descend(self, start: tuple) -> np.ndarray:
        lib = self.lib
        x = lib.tensor(start[0], dtype=lib.float64, requires_grad=True)
        y = lib.tensor(start[1], dtype=lib.float64, requires_grad=True)
        points = [start]
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is stopped below, not warned about
            points += self._steps(x, y)
        return np.array(points)

    def _steps(self, x, y) -> list:
        points, lib = [], self.lib
        for _ in range(self.steps):
            loss = self.f(x, y)
            if not isinstance(loss, lib.Tensor) or loss.numel() != 1:
                raise TypeError(f"descent_plot(): f(x, y) must return a one-element {lib.__name__} Tensor "
                                f"(use {lib.__name__} operations inside f)")
            x.grad = y.grad = None
            loss.backward()
            with lib.no_grad():
                x -= self.lr * x.grad
                y -= self.lr * y.grad
            point = (float(x.item()), float(y.item()))
            if not np.isfinite(point).all():  # diverged: stop the path here rather than plot inf
                break
            points.append(point)
        return points

    def _draw(self) -> None:
        ax = self.ax
        allp = np.concatenate(self.paths)
        lo, hi = allp.min(axis=0), allp.max(axis=0)
        # A square window around the paths (equal scales on both axes: each step then crosses the
        # contour lines at a right angle, as a gradient does).
        centre, half = (lo + hi) / 2, max(float((hi - lo).max()) * 0.625, 1.0 + float((hi - lo).max()) / 2)
        gx = np.linspace(centre[0] - half, centre[0] + half, 121)
        gy = np.linspace(centre[1] - half, centre[1] + half, 121)
        X, Y = np.meshgrid(gx, gy)
        with self.lib.no_grad(), np.errstate(over="ignore", invalid="ignore"):
            Z = self.f(self.lib.tensor(X), self.lib.tensor(Y)).numpy()
        cs = ax.contour(X, Y, Z, levels=20, cmap="viridis", linewidths=0.8)
        ax.clabel(cs, fontsize=7, fmt="%.2g")
        colours = ["#d62728", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
        for i, p in enumerate(self.paths):
            c = colours[i % len(colours)]
            ax.plot(p[:, 0], p[:, 1], "-o", color=c, ms=3, lw=1.2,
                    label=f"start ({p[0, 0]:g}, {p[0, 1]:g}) -> ({p[-1, 0]:.3g}, {p[-1, 1]:.3g})")
            ax.plot(p[0, 0], p[0, 1], "s", color=c, ms=7)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_title(f"gradient descent, lr = {self.lr:g}, {self.steps} steps (gradients by autograd)")
        ax.set_xlim(gx[0], gx[-1])
        ax.set_ylim(gy[0], gy[-1])
        ax.set_aspect("equal", adjustable="box")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8, ncol=1, frameon=False)
        self.figure.tight_layout()

    def __repr__(self) -> str:
        return f"<minigrad.viz.DescentPlot: {len(self.paths)} paths, lr={self.lr:g}, steps={self.steps}>"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"image/png": _png(self.figure), "text/plain": repr(self)}


def descent_plot(f: Callable, starts: Sequence, lr: float = 0.1, steps: int = 30, lib=None) -> DescentPlot:
    """Run gradient descent on f(x, y) from each start and draw the paths over f's contour lines.

    f takes two tensors and must work elementwise (it is also evaluated on a grid for the contours):
    `lambda x, y: x ** 2 + 3 * y ** 2`. lib: minigrad or torch, as for tangent_explorer().
    """
    return DescentPlot(f, starts, lr, steps, lib)
