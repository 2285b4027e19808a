"""Timing helpers shared by the benchmarks: interleaved repeats with the garbage collector on (and off),
medians, ratios, a table printer, and loading a second copy of minigrad for before/after runs."""
from __future__ import annotations

import gc
import importlib.util
import statistics
import sys
import time
from pathlib import Path
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

#: The collector's two settings a case is timed under: "on" as users run (every notebook, every
#: script), "off" beside it to show what the collector costs.
ON, OFF = "on", "off"

#: The clock the timed cases read (see set_clock): CPU time of this process by default.
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
CLOCK = "cpu"


def set_clock(name: str) -> None:
    """"cpu" (the default): seconds this process ran on a CPU, which other people's jobs on a shared
    machine hardly disturb (being descheduled does not count; the collector's work, on our thread,
    does). "wall": elapsed time, what a user waits, but on a busy machine mostly other people's
    load. (On this 2-core machine under a load of 6, twenty-five 1,000-op forwards gave a median
    of 11.9 ms wall, quartiles 9.7-18.0 ms, and 5.95 ms CPU, quartiles 5.7-6.0 ms.)"""
    global CLOCK
    if name not in CLOCKS:
        raise ValueError(f"clock must be one of {sorted(CLOCKS)}, not {name!r}")
    CLOCK = name


def now() -> float:
    """The current reading of the chosen clock, in seconds."""
    return CLOCKS[CLOCK]()


#: A second copy of minigrad (`python -m benchmarks --against PATH`), timed beside this one; None if not asked.
BEFORE = None


def samples(cases: dict[str, Callable[[], Callable[[], object]]], repeats: int, number: int = 1,
            collector: tuple[str, ...] = (ON, OFF), warm_up: bool = True) -> dict[str, dict[str, dict[str, float]]]:
    """Median seconds of each case under each collector setting: `result[name][setting][phase]`.

    `cases[name]()` prepares one sample (untimed: e.g. builds the graph a backward will walk) and
    returns the job. A job that returns a dict of seconds timed its own phases (e.g. forward and
    backward of one graph): those are kept; otherwise the job is called `number` times and timed
    as a whole, phase "total", per call.

    Interleaved: within a repeat every (case, setting) pair runs once, a, b, c, a, b, c rather than
    a, a, a, b, b, b, so that a slow period of the shared machine is spread over every case instead
    of blaming one; the order is reversed on odd repeats so that no case always goes first. Each
    sample starts from a full collection (the same collector state for every case), then runs with
    the collector enabled ("on": the collections that its allocations trigger are part of its time,
    as they are for users) or disabled ("off"). What a job returns is dropped after its timing.
    `warm_up=False` skips the untimed first call of each case (for cases of seconds, where it buys nothing).
    Times are read from `now()` (CPU time unless set_clock("wall")); jobs timing their own phases use it too.
    """
    order = [(name, setting) for setting in collector for name in cases]
    times: dict = {(name, setting): {} for name, setting in order}
    for name in cases if warm_up else ():  # one untimed warm-up each (first calls fill caches)
        cases[name]()()
    for r in range(repeats):
        for name, setting in (order if r % 2 == 0 else order[::-1]):
            job = cases[name]()
            gc.collect()
            if setting == OFF:
                gc.disable()
            try:
                start = now()
                for _ in range(number):
                    out = job()
                elapsed = now() - start
            finally:
                gc.enable()
            phases = out if isinstance(out, dict) else {"total": elapsed / number}
            for phase, seconds in phases.items():
                times[name, setting].setdefault(phase, []).append(seconds)
            del job, out
    return {name: {setting: {phase: statistics.median(s) for phase, s in times[name, setting].items()}
                   for setting in collector} for name in cases}


def interleaved(cases: dict[str, Callable[[], Callable[[], object]]], repeats: int, number: int = 1) -> dict[str, float]:
    """Median wall-clock seconds per call of each case, collector on (see `samples`). Wall clock
    whatever set_clock says: bench_viz times Graphviz's `dot`, another process."""
    global CLOCK
    chosen, CLOCK = CLOCK, "wall"
    try:
        result = samples(cases, repeats, number, collector=(ON,))
    finally:
        CLOCK = chosen
    return {name: result[name][ON]["total"] for name in cases}


def ready(fn: Callable[[], object]) -> Callable[[], Callable[[], object]]:
    """A case with nothing to prepare: time `fn` itself."""
    return lambda: fn


def load_copy(path: str, name: str = "minigrad_before"):
    """Import the `minigrad` package found under `path` as module `name`, beside this one.

    Its modules import each other relatively, so the copy runs its own code throughout; a
    same-process before/after comparison then sees the same machine load and the same NumPy.
    """
    init = Path(path) / "minigrad" / "__init__.py"
    if not init.exists():
        raise SystemExit(f"--against: no minigrad package at {init.parent}")
    spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(init.parent)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def libraries(minigrad_module) -> dict:
    """The libraries the per-op cases compare: minigrad, its second copy if asked, PyTorch if importable."""
    libs = {"minigrad": minigrad_module}
    if BEFORE is not None:
        libs["minigrad (before)"] = BEFORE
    if torch is not None:
        libs["PyTorch"] = torch
    return libs


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
