"""Where a large-MLP training step's time and memory go: `python -m benchmarks.profile_step`.

The step of bench_mlp (64-256-256-10, batch 256, float32, cross-entropy, SGD with momentum), minigrad
beside the hand-written NumPy step, with the collector on:
  1. phases (forward, backward, optimizer), median milliseconds, for both;
  2. tracemalloc per phase: bytes still held at the end, and the peak above the start (what the
     phase's temporaries cost on top of what it keeps);
  3. per backward node (minigrad): median time, and the peak of new memory while it ran and what it
     left (its gradients): a node whose peak exceeds what it leaves made a temporary array;
  4. cProfile of minigrad's step: the functions with the most time of their own.
Not run by `python -m benchmarks`: a tool for finding what to change (see issue #14).
"""
from __future__ import annotations

import cProfile
import gc
import io
import pstats
import statistics
import tracemalloc
from collections import defaultdict

import numpy as np

import minigrad

from .bench_mlp import HandMLP, _library_step, from_the_same_state
from .common import now, table

SIZES, BATCH = [64, 256, 256, 10], 256


def _setup():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(BATCH, SIZES[0])).astype(np.float32)
    y = rng.integers(0, SIZES[-1], size=BATCH)
    minigrad.manual_seed(0)
    step, linears = _library_step(minigrad, SIZES, "ce", X, y)
    hand = HandMLP([m.weight.detach().numpy() for m in linears], [m.bias.detach().numpy() for m in linears], "ce")
    return step, hand, X, y


def _minigrad_phases(step):
    """The parts of bench_mlp's `step`, called one by one."""
    model, loss_fn, opt, tX, ty = (step.parts[k] for k in ("model", "loss_fn", "opt", "X", "y"))
    state = {}
    return [("zero_grad", opt.zero_grad),
            ("forward + loss", lambda: state.__setitem__("out", loss_fn(model(tX), ty))),
            ("backward", lambda: state["out"].backward()),
            ("optimizer step", opt.step),
            ("drop the graph", lambda: state.clear())]


def _hand_phases(hand, X, y):
    """The hand-written step, split where its own code splits (forward + loss, backward + update)."""
    # HandMLP.step interleaves backward and update per layer, as hand-written code does: time it whole,
    # and its forward + loss alone (the same lines, run on their own).
    def forward():
        a = X
        for i, (W, b) in enumerate(zip(hand.W, hand.b)):
            z = a @ W.T + b
            a = np.maximum(z, 0) if i < len(hand.W) - 1 else z
        shifted = a - a.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        return float((np.log(total[:, 0]) - shifted[np.arange(BATCH), y]).mean())
    return [("forward + loss (alone)", forward), ("whole step", lambda: hand.step(X, y))]


def phase_times(phases, restore, repeats: int = 30) -> dict[str, float]:
    samples = defaultdict(list)
    for _ in range(repeats):
        restore()  # (untimed) every repeat times the same step of training: see bench_mlp.from_the_same_state
        for name, fn in phases:
            start = now()
            fn()
            samples[name].append(now() - start)
    return {name: statistics.median(s) for name, s in samples.items()}


def phase_memory(phases) -> dict[str, tuple[int, int]]:
    """Per phase: (bytes held at its end minus at its start, peak above its start)."""
    for _, fn in phases:  # warm-up: first-call allocations are not a step's
        fn()
    gc.collect()
    out = {}
    tracemalloc.start()
    try:
        for name, fn in phases:
            start, _ = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            fn()
            end, peak = tracemalloc.get_traced_memory()
            out[name] = (end - start, peak - start)
    finally:
        tracemalloc.stop()
    return out


def _node_types(root) -> set[type]:
    types, stack, seen = set(), [root.grad_fn], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        types.add(type(node))
        stack.extend(child for child, _ in node.next_functions)
    return types


def per_node(step, repeats: int = 20) -> list[list[str]]:
    """Each backward node's median time and (with tracemalloc, in a separate pass) its memory, found
    by wrapping the node classes' __call__ for the duration (restored afterwards)."""
    phases = dict(_minigrad_phases(step))
    records: dict[tuple[int, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    state = {"i": 0, "memory": False}

    def wrap(cls, method):
        original = getattr(cls, method)

        def call(node, *args, **kwargs):
            key = (state["i"], node.name())
            state["i"] += 1
            if state["memory"]:
                start, _ = tracemalloc.get_traced_memory()
                tracemalloc.reset_peak()
                result = original(node, *args, **kwargs)
                end, peak = tracemalloc.get_traced_memory()
                records[key]["left"].append(end - start)
                records[key]["peak"].append(peak - start)
            else:
                t0 = now()
                result = original(node, *args, **kwargs)
                records[key]["time"].append(now() - t0)
            return result
        setattr(cls, method, call)
        return original

    phases["zero_grad"]()
    phases["forward + loss"]()
    # the methods the engine runs: a leaf's _accumulate, else __call__ (of the node's own class or a
    # base: per-op classes share one)
    methods = {("_accumulate" if "_accumulate" in dir(c) else "__call__") for c in _node_types_of(phases)}
    targets = {(next(k for k in c.__mro__ if m in vars(k)), m) for c in _node_types_of(phases) for m in methods
               if hasattr(c, m) and (m == "_accumulate") == ("_accumulate" in dir(c))}
    originals = {(c, m): wrap(c, m) for c, m in targets}
    try:
        for memory in (False, True):
            state["memory"] = memory
            if memory:
                tracemalloc.start()
            for _ in range(repeats if not memory else 3):
                phases["zero_grad"]()
                phases["forward + loss"]()
                state["i"] = 0
                phases["backward"]()
                phases["optimizer step"]()
                phases["drop the graph"]()
            if memory:
                tracemalloc.stop()
    finally:
        for (c, m), original in originals.items():
            setattr(c, m, original)
    kb = lambda n: f"{statistics.median(n) / 1024:.0f} KB"  # noqa: E731
    return [[f"{i + 1}. {name}", f"{statistics.median(r['time']) * 1e6:.0f} us", kb(r["peak"]), kb(r["left"])]
            for (i, name), r in sorted(records.items()) if r["time"] and r["peak"]]


def _node_types_of(phases) -> set[type]:
    # the graph of the loss forward just made (held by the phases' state)
    cells = phases["backward"].__closure__
    state = next(c.cell_contents for c in cells if isinstance(c.cell_contents, dict))
    return _node_types(state["out"]) | {type(state["out"].grad_fn)}


def profile(step, steps: int = 50, top: int = 18) -> str:
    profiler = cProfile.Profile(now)  # (the benchmarks' clock: CPU time unless --clock wall)
    profiler.enable()
    for _ in range(steps):
        step()
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(top)
    return text.getvalue()


def main() -> None:
    step, hand, X, y = _setup()
    for _ in range(5):  # warm-up (and the momentum buffers made)
        step()
        hand.step(X, y)
    ours, theirs = _minigrad_phases(step), _hand_phases(hand, X, y)
    t_ours = phase_times(ours, from_the_same_state(step))
    t_theirs = phase_times(theirs, from_the_same_state(hand.arrays))
    rows = [[f"minigrad: {k}", f"{v * 1e3:.3f} ms"] for k, v in t_ours.items()]
    rows.append(["minigrad: sum", f"{sum(t_ours.values()) * 1e3:.3f} ms"])
    rows += [[f"NumPy by hand: {k}", f"{v * 1e3:.3f} ms"] for k, v in t_theirs.items()]
    table("Phases of one step, median (collector on)", rows, ["phase", "time"])
    m_ours, m_theirs = phase_memory(ours), phase_memory(theirs)
    rows = [[f"minigrad: {k}", f"{held / 1024:.0f} KB", f"{peak / 1024:.0f} KB"] for k, (held, peak) in m_ours.items()]
    rows += [[f"NumPy by hand: {k}", f"{held / 1024:.0f} KB", f"{peak / 1024:.0f} KB"] for k, (held, peak) in m_theirs.items()]
    table("Memory per phase (tracemalloc)", rows, ["phase", "held at end - start", "peak above start"])
    nodes = per_node(step)
    if nodes:
        table("Backward nodes in the order the engine ran them (time, median; memory from a separate pass)",
              nodes, ["node", "time", "peak of new memory", "left (its gradients)"])
    else:  # the engine runs the nodes some other way than calling them
        print("\n(per-node table skipped: the engine did not call the graph's nodes through __call__)")
    print("\n### cProfile of 50 minigrad steps, by own time\n")
    print(profile(step))


if __name__ == "__main__":
    main()
