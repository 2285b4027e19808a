"""(3) Depth: forward and backward of chains of 10,000 and 100,000 ops (the chain of bench_ops).

The engine walks the graph with loops, not recursion, so depth is limited only by memory, and the
time should grow in proportion to the number of ops. With the collector on, a live graph's tracked
objects are scanned by every collection of the oldest generation, and those come more often the
more objects the graph adds: that is the cost this benchmark shows against PyTorch, whose graph is
not made of Python objects.
"""
from __future__ import annotations

from types import SimpleNamespace

import minigrad

from . import bare_engine
from .bench_ops import cases, check
from .chain import tracked_per_op
from .common import OFF, ON, fmt_time, libraries, ratio, samples, table

#: The bare engine seen through the one call tracked_per_op makes.
BARE = SimpleNamespace(tensor=lambda data, requires_grad: bare_engine.Leaf(data))


def tracked(n: int) -> dict[str, tuple[float, float]]:
    """Collector-tracked objects per op of a live n-op chain, (before a collection, after one), per library."""
    libs = dict(libraries(minigrad), **{"bare engine": BARE})
    return {name: tracked_per_op(lib, n) for name, lib in libs.items()}


def main(quick: bool = False) -> dict:
    sizes = (1_000, 10_000) if quick else (10_000, 100_000)
    results = {}
    for n in sizes:
        check(min(n, 10_000))
        results[n] = samples(cases(n), repeats=1 if quick else (5 if n <= 10_000 else 3))
    rows = []
    for n in sizes:
        t = results[n]
        for setting in (ON, OFF):
            for name in t:
                fwd, bwd = t[name][setting]["forward"], t[name][setting]["backward"]
                both = fwd + bwd
                row = [f"{n:,} ops", setting, name, fmt_time(fwd), fmt_time(bwd), fmt_time(both),
                       fmt_time(both / n)]
                row.append(ratio(both, t["PyTorch"][setting]["forward"] + t["PyTorch"][setting]["backward"])
                           if "PyTorch" in t else "-")
                rows.append(row)
    table(f"(3) Depth: forward and backward of chains of {sizes[0]:,} and {sizes[1]:,} ops, median",
          rows, ["chain", "collector", "", "forward", "backward", "forward + backward", "per op",
                 "/ PyTorch (fwd + bwd)"])
    objects = tracked(1_000 if quick else 10_000)
    table(f"(3b) Objects the garbage collector tracks, per op of a live {1_000 if quick else 10_000:,}-op chain",
          [[name, f"{before:.2f}", f"{after:.2f}"] for name, (before, after) in objects.items()],
          ["", "before a collection", "after a collection"])
    results["tracked"] = objects
    return results
