"""minigrad.viz.tangent_explorer and descent_plot under the Agg backend (no display)."""
from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from minigrad.viz import descent_plot, tangent_explorer  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def test_tangent_slope_is_the_hand_derivative_and_the_line_touches_f():
    ex = tangent_explorer(lambda x: x ** 3 - 2 * x, x_range=(-2, 2), x0=1.5)
    assert ex.slope(1.5) == pytest.approx(3 * 1.5 ** 2 - 2)  # f'(x) = 3x^2 - 2
    curve, tangent = ex.ax.lines[0], ex.ax.lines[1]
    xs, ts = tangent.get_data()
    y0 = 1.5 ** 3 - 3.0
    np.testing.assert_allclose(ts, y0 + (3 * 1.5 ** 2 - 2) * (xs - 1.5), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(curve.get_data()[1], xs ** 3 - 2 * xs, rtol=1e-5, atol=1e-6)
    ex.set_x0(-1.0)
    assert "slope f'(x) = 1.000" in ex.ax.get_legend().get_texts()[1].get_text()
    sin = tangent_explorer(lambda x: x.sin(), x0=0.5)
    assert sin.slope(0.5) == pytest.approx(math.cos(0.5))


def test_tangent_displays_as_the_same_png_every_time():
    a = tangent_explorer(lambda x: x ** 2, x0=1.0)._repr_mimebundle_()
    b = tangent_explorer(lambda x: x ** 2, x0=1.0)._repr_mimebundle_()
    assert a["image/png"].startswith(PNG) and a["image/png"] == b["image/png"]
    assert a["text/plain"] == "<minigrad.viz.TangentExplorer: x0=1, slope=2>"
    assert "application/vnd.jupyter.widget-view+json" not in a  # no kernel: the static figure only


def test_tangent_widget_slider_moves_the_point():
    pytest.importorskip("ipywidgets")
    ex = tangent_explorer(lambda x: x ** 2, x0=1.0)
    slider, image = ex.widget.children
    before = image.value
    slider.value = -2.0
    assert ex.x0 == -2.0 and image.value != before


def test_tangent_bad_f():
    with pytest.raises(TypeError, match="f must return a minigrad Tensor"):
        tangent_explorer(lambda x: 3.0)
    with pytest.raises(ValueError, match="low < high"):
        tangent_explorer(lambda x: x, x_range=(2, 1))
    with pytest.raises(TypeError, match="f must be a function of tensors.*got int"):
        tangent_explorer(5)


def test_descent_paths_follow_the_hand_update():
    lr, steps = 0.1, 20
    plot = descent_plot(lambda x, y: x ** 2 + 3 * y ** 2, [(-2.5, 1.5), (2.0, -1.8)], lr=lr, steps=steps)
    for (x0, y0), path in zip([(-2.5, 1.5), (2.0, -1.8)], plot.paths):
        k = np.arange(steps + 1)
        # gradient (2x, 6y): x <- x (1 - 2 lr), y <- y (1 - 6 lr)
        np.testing.assert_allclose(path[:, 0], x0 * (1 - 2 * lr) ** k, rtol=1e-9)
        np.testing.assert_allclose(path[:, 1], y0 * (1 - 6 * lr) ** k, rtol=1e-9)
    bundle = plot._repr_mimebundle_()
    assert bundle["image/png"].startswith(PNG)
    assert bundle["image/png"] == descent_plot(lambda x, y: x ** 2 + 3 * y ** 2, [(-2.5, 1.5), (2.0, -1.8)],
                                               lr=lr, steps=steps)._repr_mimebundle_()["image/png"]
    assert len(plot.ax.collections) > 0  # the contour lines


def test_descent_stops_a_diverging_path_and_checks_starts():
    plot = descent_plot(lambda x, y: x ** 2 + y ** 2, [(1.0, 1.0)], lr=1e10, steps=200)
    assert np.isfinite(plot.paths[0]).all() and len(plot.paths[0]) < 201
    with pytest.raises(ValueError, match="list of .x, y. points"):
        descent_plot(lambda x, y: x + y, [(1.0, 2.0, 3.0)])
    with pytest.raises(ValueError, match="list of .x, y. points"):
        descent_plot(lambda x, y: x + y, [1.0])  # a number, not a point
    with pytest.raises(ValueError, match="lr must be a positive step size"):
        descent_plot(lambda x, y: x + y, [(1.0, 2.0)], lr=-0.1)
    with pytest.raises(TypeError, match="f must be a function of tensors"):
        descent_plot("x ** 2", [(1.0, 2.0)])
