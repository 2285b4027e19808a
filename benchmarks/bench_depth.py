"""(3) Depth: forward and backward of chains of 10,000 and 100,000 ops (the chain of bench_ops).

The engine walks the graph with loops, not recursion, so depth is limited only by memory, and the
time should grow in proportion to the number of ops. With the collector on, a live graph's tracked
objects are scanned by every collection of the oldest generation, and those come more often the
more objects the graph adds: that is the cost this benchmark shows against PyTorch, whose graph is
not made of Python objects. (3b) counts the tracked objects per op; (3c) times the collections
during one forward, per generation (gc.callbacks).
"""
from __future__ import annotations

import gc
from types import SimpleNamespace

import minigrad

from . import bare_engine
from .bench_ops import START, cases, check
from .chain import chain, tracked_per_op
from .common import OFF, ON, fmt_time, libraries, now, ratio, samples, table

#: The bare engine seen through the one call tracked_per_op makes.
BARE = SimpleNamespace(tensor=lambda data, requires_grad: bare_engine.Leaf(data))


def collections(lib, n: int) -> tuple[float, dict[int, tuple[int, float]]]:
    """The forward of one n-op chain with the collector on: its time, and per generation the number
    of collections during it and their time (from gc.callbacks)."""
    stats = {generation: [0, 0.0] for generation in range(3)}
    started = []

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            started.append(now())
        else:
            stats[info["generation"]][0] += 1
            stats[info["generation"]][1] += now() - started.pop()

    x = lib.tensor(START, requires_grad=True)
    gc.collect()
    gc.callbacks.append(callback)
    try:
        start = now()
        out = chain(x, n)
        total = now() - start
    finally:
        gc.callbacks.remove(callback)
    del out
    return total, {g: tuple(s) for g, s in stats.items()}


def tracked(n: int) -> dict[str, tuple[float, float]]:
    """Collector-tracked objects per op of a live n-op chain, (before a collection, after one), per library."""
    libs = dict(libraries(minigrad), **{"bare engine": BARE})
    return {name: tracked_per_op(lib, n) for name, lib in libs.items()}


def main(quick: bool = False) -> dict:
    sizes = (1_000, 10_000) if quick else (10_000, 100_000)
    results = {}
    for n in sizes:
        check(min(n, 10_000))
        results[n] = samples(cases(n), repeats=1 if quick else (5 if n <= 10_000 else 3), warm_up=n <= 10_000)
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

    n = sizes[-1]
    rows = []
    for name, lib in libraries(minigrad).items():
        total, stats = collections(lib, n)
        in_gc = sum(t for _, t in stats.values())
        rows.append([name, fmt_time(total), fmt_time(in_gc), f"{in_gc / total:.0%}"] +
                    [f"{count} ({fmt_time(t)})" for count, t in stats.values()])
    table(f"(3c) Where the collector's time goes: one forward of the {n:,}-op chain, collector on",
          rows, ["", "forward", "in collections", "share", "generation 0: count (time)", "generation 1", "generation 2 (full)"])
    return results
