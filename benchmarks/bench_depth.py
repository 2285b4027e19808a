"""(3) Depth: backward through chains of 10,000 and 100,000 ops.

The engine walks the graph with loops, not recursion, so depth is limited only by memory, and the
time should grow in proportion to the number of nodes: the 100k chain should take about 10x the
10k chain. PyTorch's own ratio is printed beside minigrad's.
"""
from __future__ import annotations

from .bench_ops import cases
from .common import fmt_time, interleaved, table


def main(quick: bool = False) -> dict:
    sizes = (1_000, 10_000) if quick else (10_000, 100_000)
    results = {}
    for n in sizes:
        _, backward = cases(n)
        results[n] = interleaved(backward, repeats=1 if quick else (5 if n <= 10_000 else 3))
    small, large = sizes
    rows = []
    for name in results[small]:
        rows.append([name, fmt_time(results[small][name]), fmt_time(results[large][name]),
                     f"{results[large][name] / results[small][name]:.1f}x"])
    table(f"(3) Depth: backward through a chain of {small:,} and {large:,} ops, median",
          rows, ["", f"{small:,} ops", f"{large:,} ops", f"{large // small}x the ops took"])
    return results
