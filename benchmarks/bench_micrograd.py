"""(5) micrograd (Karpathy's scalar autograd), if it is importable, on the small MLP step.

micrograd is not a dependency: `pip install micrograd` to include it. Its values are Python
floats, one graph node per multiply or add, so it shows what working on whole arrays buys.
"""
from __future__ import annotations

import numpy as np

from .bench_mlp import _setup
from .common import fmt_time, interleaved, ratio, ready, table


def main(quick: bool = False) -> dict:
    try:
        from micrograd.engine import Value
        from micrograd.nn import MLP
    except Exception:
        print("\n### (5) micrograd\n\nmicrograd is not importable: skipped (pip install micrograd to include it).")
        return {}
    sizes, batch = [2, 16, 16, 1], 32
    rng = np.random.default_rng(0)
    X = rng.normal(size=(batch, 2)).tolist()
    y = rng.normal(size=batch).tolist()
    model = MLP(2, [16, 16, 1])  # its hidden layers use ReLU, the last layer is linear, as ours

    def micrograd_step() -> float:
        model.zero_grad()
        loss = sum(((model(x) - t) ** 2 for x, t in zip(X, y)), Value(0.0)) * (1.0 / batch)
        loss.backward()
        for p in model.parameters():  # plain SGD
            p.data -= 0.01 * p.grad
        return loss.data

    steps, _ = _setup(sizes, batch, "mse")
    t = interleaved({"micrograd": ready(micrograd_step), "minigrad": ready(steps["minigrad"])},
                    repeats=3 if quick else 7, number=2 if quick else 10)
    table("(5) micrograd vs minigrad: one training step, batch 32, 2-16-16-1, MSE, median",
          [[fmt_time(t["micrograd"]), fmt_time(t["minigrad"]), ratio(t["micrograd"], t["minigrad"])]],
          ["micrograd", "minigrad", "micrograd / minigrad"])
    return t
