"""How much Python the large MLP step runs: `python -m benchmarks.opcodes [--top N] [--against PATH]`.

Timings on a shared 2-core machine move by a few percent from run to run, more than most single changes
to the per-op code save. Counting is exact: this runs one training step of bench_mlp's large case
(64-256-256-10, batch 256, cross-entropy, SGD with momentum) under sys.settrace with opcode events and
prints how many Python bytecode instructions (opcodes) each phase and each function executed, and
how many Python calls were made. The same step gives the same counts on every run, so a change that
removes work shows it at once. (What an opcode costs is not constant: one that calls into C, or that runs
right after a large NumPy call, costs more. Confirm a saving with an interleaved timing, and see
`benchmarks.instructions` for the machine instructions and cache misses of a whole step.)

>>> counts = step_opcodes()            # doctest: +SKIP
>>> counts["phases"]["backward"] > 0   # doctest: +SKIP
True

Not run by `python -m benchmarks`: a tool for issue #14.
"""
from __future__ import annotations

import argparse
import collections
import sys
from typing import Any

import numpy as np

from .bench_mlp import _library_step
from .common import load_copy, table

SIZES, BATCH = [64, 256, 256, 10], 256


def step_opcodes(lib: Any = None) -> dict:
    """Opcodes and calls of one warm training step of the large MLP with `lib` (minigrad by default):
    {"phases": {phase: opcodes}, "functions": Counter(qualname: opcodes), "calls": Counter(qualname: calls)}."""
    if lib is None:
        import minigrad as lib
    rng = np.random.default_rng(0)
    X = rng.normal(size=(BATCH, SIZES[0])).astype(np.float32)
    y = rng.integers(0, SIZES[-1], size=BATCH)
    lib.manual_seed(0)
    step, _ = _library_step(lib, SIZES, "ce", X, y)
    for _ in range(5):  # warm: the optimizer's buffers made, every cache filled, Python's bytecode specialised
        step()
    parts = step.parts
    functions: collections.Counter = collections.Counter()
    calls: collections.Counter = collections.Counter()
    count = [0]

    def tracer(frame, event, arg):
        frame.f_trace_opcodes = True
        if event == "opcode":
            count[0] += 1
            functions[frame.f_code.co_qualname] += 1
        elif event == "call":
            calls[frame.f_code.co_qualname] += 1
        return tracer

    def traced(f):
        count[0] = 0
        sys.settrace(tracer)
        try:
            result = f()
        finally:
            sys.settrace(None)
        return count[0], result

    phases = {}
    phases["zero_grad"], _ = traced(parts["opt"].zero_grad)
    phases["model"], out = traced(lambda: parts["model"](parts["X"]))
    phases["loss"], loss = traced(lambda: parts["loss_fn"](out, parts["y"]))
    phases["backward"], _ = traced(loss.backward)
    phases["optimizer step"], _ = traced(parts["opt"].step)
    phases["loss.item()"], _ = traced(loss.item)
    return {"phases": phases, "functions": functions, "calls": calls}


def main(argv: "list[str] | None" = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=25, help="how many functions to list (default 25)")
    parser.add_argument("--against", help="another copy of minigrad (a folder holding the package) to count beside")
    args = parser.parse_args(argv)
    counts = {"minigrad": step_opcodes()}
    if args.against:
        counts["minigrad (before)"] = step_opcodes(load_copy(args.against, "minigrad_before"))
    names = list(counts)
    phases = list(counts["minigrad"]["phases"])
    rows = [[p] + [f"{counts[n]['phases'][p]:,}" for n in names] for p in phases]
    rows.append(["whole step"] + [f"{sum(counts[n]['phases'].values()):,}" for n in names])
    rows.append(["Python calls"] + [f"{sum(counts[n]['calls'].values()):,}" for n in names])
    table("Python opcodes of one large MLP step (64-256-256-10, batch 256), by phase", rows, ["phase"] + names)
    mine = counts["minigrad"]
    table(f"The {args.top} functions that ran the most opcodes (minigrad)",
          [[name, f"{n:,}", f"{mine['calls'][name]:,}"] for name, n in mine["functions"].most_common(args.top)],
          ["function", "opcodes", "calls"])


if __name__ == "__main__":
    main()
