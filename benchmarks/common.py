"""Timing helpers shared by the benchmarks: interleaved repeats, medians, ratios, a table printer."""
from __future__ import annotations

import gc
import statistics
import sys
import time
from typing import Callable

import numpy as np

from . import THREADS

try:
    import torch
    torch.set_num_threads(int(THREADS))
except Exception:  # torch is optional: its columns are left out
    torch = None

try:
    from threadpoolctl import threadpool_limits
    threadpool_limits(int(THREADS))  # belt and braces, if it is installed
except Exception:
    pass


def interleaved(cases: dict[str, Callable[[], Callable[[], object]]], repeats: int, number: int = 1) -> dict[str, float]:
    """Median seconds per call of each case, the cases run in turn within each repeat.

    `cases[name]()` prepares one sample (untimed: e.g. builds the graph a backward will walk) and
    returns the function to time, which is called `number` times. Interleaving (a, b, c, a, b, c
    rather than a, a, a, b, b, b) spreads any slow period of a shared machine over every case
    instead of blaming one, and the order is reversed on odd repeats so no case always goes first.
    """
    names = list(cases)
    samples: dict[str, list[float]] = {n: [] for n in names}
    for name in names:  # one untimed warm-up each
        cases[name]()()
    for r in range(repeats):
        for name in (names if r % 2 == 0 else names[::-1]):
            job = cases[name]()
            gc.collect()
            gc.disable()  # a garbage collection inside one sample would add noise to it
            try:
                start = time.perf_counter()
                for _ in range(number):
                    job()
                elapsed = time.perf_counter() - start
            finally:
                gc.enable()
            samples[name].append(elapsed / number)
            del job
    return {n: statistics.median(s) for n, s in samples.items()}


def ready(fn: Callable[[], object]) -> Callable[[], Callable[[], object]]:
    """A case with nothing to prepare: time `fn` itself."""
    return lambda: fn


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} us"


def table(title: str, rows: list[list[str]], header: list[str]) -> None:
    """Print a Markdown table (so the output can be pasted into README.md as it is)."""
    print(f"\n### {title}\n")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))
    sys.stdout.flush()


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x"


def versions() -> str:
    parts = [f"Python {sys.version.split()[0]}", f"NumPy {np.__version__}"]
    parts.append(f"torch {torch.__version__}" if torch is not None else "torch not importable")
    return ", ".join(parts) + f"; BLAS/torch threads: {THREADS}"
