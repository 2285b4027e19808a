"""(viz) Drawing a 1,000-node graph: building the DOT text, and laying it out with Graphviz's `dot`.

Entry point for benchmarks/__main__.py: `main(quick=False) -> dict` (also `run`, an alias). Run it
alone with `python -m benchmarks.bench_viz [--quick]`.

Baseline, measured in the same process: graphviz (the Python package) building and `dot` laying out
a plain chain of 1,000 nodes, no minigrad involved. Cases:
  - chain:     y = y * 1.001 a thousand times; draw() folds the chain into one "MulBackward0 × 1000"
  - network:   400 blocks of (h @ W).tanh() + h, 1,202 nodes; draw() draws the 20 nearest the output
  - unfolded:  the same network with summaries switched off (every node and tensor box drawn),
               what a naive drawing would cost; its layout is run once, stopped after 60 s
  - PyTorch chain / network: the same two graphs built by PyTorch (when installed) and drawn by
               minigrad.viz from PyTorch's own nodes (grad_fn, next_functions)
A second table: what viz.keep_values() costs while the 400-block network is computed (forward only),
for minigrad (observe_nodes) and PyTorch (a TorchFunctionMode).
Build = draw(...) up to the DOT text; layout = `dot -Tsvg` on it. Ratios are against the baseline.
"graph nodes" counts the autograd nodes behind the output; "drawn nodes" the boxes and ellipses drawn.
"""
from __future__ import annotations

import shutil
import subprocess
import time

import graphviz

import minigrad
from minigrad import viz
from minigrad.viz import _picture, draw

from .common import fmt_time, interleaved, ratio, table


#: Seconds the unfolded network's layout may take before it is stopped (it needs minutes).
UNFOLDED_LIMIT = 60.0


def chain_graph(n: int = 1000, lib=minigrad):
    x = lib.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(n):
        y = y * 1.001
    return y


def network_graph(blocks: int = 400, lib=minigrad):
    minigrad.manual_seed(0)
    w = lib.tensor(minigrad.randn(3, 3).numpy(), requires_grad=True)  # the same numbers for both libraries
    h = lib.tensor(minigrad.randn(1, 3).numpy())
    for _ in range(blocks):
        h = (h @ w).tanh() + h
    return h.sum()


def _torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


def keep_values_cost(blocks: int, repeats: int) -> None:
    """Forward time of the network with keep_values off and on, per library."""
    libs = {"minigrad": minigrad}
    if _torch() is not None:
        libs["PyTorch"] = _torch()

    def case(lib, on):
        def run():
            with viz.keep_values(on):
                network_graph(blocks, lib)
        return lambda: run
    cases = {}
    for name, lib in libs.items():
        cases[f"{name}, keep_values off"] = case(lib, False)
        cases[f"{name}, keep_values on"] = case(lib, True)
    times = interleaved(cases, repeats=repeats)
    rows = []
    for name in libs:
        off, on = times[f"{name}, keep_values off"], times[f"{name}, keep_values on"]
        rows.append([name, fmt_time(off), fmt_time(on), ratio(on, off)])
    table(f"(viz) keep_values(): forward of the {blocks}-block network ({3 * blocks + 1} ops), median",
          rows, ["", "off", "on", "on vs off"])


def plain_chain(n: int = 1000) -> graphviz.Digraph:
    g = graphviz.Digraph()
    for i in range(n):
        g.node(f"n{i}", f"node {i}")
        if i:
            g.edge(f"n{i - 1}", f"n{i}")
    return g


def unfolded(root):
    saved = _picture.MAX_NODES
    _picture.MAX_NODES = 10 ** 9  # no summary: draw every node
    try:
        return draw(root, names={})
    finally:
        _picture.MAX_NODES = saved


def dot_once(source: str, limit: float) -> float | None:
    """Seconds `dot -Tsvg` takes on `source`, or None if it is still running after `limit` seconds."""
    start = time.perf_counter()
    try:
        subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, check=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - start


def main(quick: bool = False) -> dict:
    n = 200 if quick else 1000
    blocks = 60 if quick else 400
    repeats = 1 if quick else 5
    chain, net = chain_graph(n), network_graph(blocks)
    base = "baseline: graphviz, plain chain"
    roots = {"chain (folded)": chain, "network (summarised)": net}
    cases = {
        base: lambda: (lambda: plain_chain(n).source),
        "chain (folded)": lambda: (lambda: draw(chain, names={}).source),
        "network (summarised)": lambda: (lambda: draw(net, names={}).source),
        "network (unfolded)": lambda: (lambda: unfolded(net).source),
    }
    sizes = {base: (n, n), "chain (folded)": (n + 1, draw(chain, names={}).num_nodes),
             "network (summarised)": (3 * blocks + 2, draw(net, names={}).num_nodes),
             "network (unfolded)": (3 * blocks + 2, unfolded(net).num_nodes)}
    torch = _torch()
    if torch is not None:  # the same graphs from PyTorch's nodes
        t_chain, t_net = chain_graph(n, torch), network_graph(blocks, torch)
        roots.update({"PyTorch chain (folded)": t_chain, "PyTorch network (summarised)": t_net})
        cases["PyTorch chain (folded)"] = lambda: (lambda: draw(t_chain, names={}).source)
        cases["PyTorch network (summarised)"] = lambda: (lambda: draw(t_net, names={}).source)
        sizes["PyTorch chain (folded)"] = (n + 1, draw(t_chain, names={}).num_nodes)
        sizes["PyTorch network (summarised)"] = (3 * blocks + 2, draw(t_net, names={}).num_nodes)
    builds = interleaved(cases, repeats=repeats)
    results: dict = {"build": builds, "nodes": sizes, "layout": {}}
    has_dot = shutil.which("dot") is not None
    if has_dot:
        digraphs = {base: plain_chain(n)}
        digraphs.update({name: draw(root, names={}).digraph for name, root in roots.items()})
        results["layout"] = interleaved({k: (lambda g=g: (lambda: g.pipe(format="svg"))) for k, g in digraphs.items()},
                                        repeats=1 if quick else 3)
        if not quick:  # every node drawn: `dot` needs minutes here, so one run with a time limit
            results["layout"]["network (unfolded)"] = dot_once(unfolded(net).source, UNFOLDED_LIMIT)
    base_b, base_l = builds[base], results["layout"].get(base)
    rows = []
    for name in builds:
        graph_nodes, drawn = sizes[name]
        row = [name, f"{graph_nodes:,}", f"{drawn:,}", fmt_time(builds[name]), ratio(builds[name], base_b)]
        lay = results["layout"].get(name, "-")
        if lay == "-":
            row += ["-", "-", "-", "-"]
        elif lay is None:
            row += [f"> {UNFOLDED_LIMIT:.0f} s (stopped)", f"> {UNFOLDED_LIMIT / base_l:.0f}x", "-", "-"]
        else:
            row += [fmt_time(lay), ratio(lay, base_l), fmt_time(builds[name] + lay),
                    ratio(builds[name] + lay, base_b + base_l)]
        rows.append(row)
    table(f"(viz) Drawing a {n:,}-node graph ({'dot -Tsvg' if has_dot else 'no dot: layout not measured'}), median",
          rows, ["", "graph nodes", "drawn nodes", "build DOT", "vs baseline", "layout (dot)", "vs baseline",
                 "total", "vs baseline"])
    keep_values_cost(blocks, repeats)
    return results


run = main

if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv)
