"""Collect the cases, run them, count the outcomes, print the table."""
from __future__ import annotations

import os
import time
import zlib
from collections import Counter, defaultdict
from typing import Iterable

from . import catalogue, programs, scenarios
from .allow import excuse
from .runner import CLASSES, GOOD, Outcome, compare

RUNS: list = []  # (title, outcomes, seconds) of each run in this process, for pytest's summary table
DEFAULT_PROGRAMS = 600   # random programs
DEFAULT_STRIDE = 8       # one in 8 catalogue cases of each name (every name keeps at least one)


def catalogue_cases(stride: int = 1) -> list:
    """The op catalogue, thinned to one case in `stride` per name: a different, fixed one in each
    name's group (the offset comes from the name), so the default run still covers every name and,
    across names, every dtype, shape and mode."""
    groups: dict = {}
    for make in (catalogue.unary_cases, catalogue.dim_cases, catalogue.binary_cases, catalogue.matmul_cases,
                 catalogue.index_cases, catalogue.inplace_cases, catalogue.sampling_cases):
        for case in make():
            groups.setdefault((case.category, case.name), []).append(case)
    kept = []
    for (category, name), group in groups.items():
        offset = zlib.crc32(f"{category}:{name}".encode()) % stride
        kept += [c for i, c in enumerate(group) if (i + offset) % stride == 0] or group[:1]
    return kept


def all_cases(random_programs: int | None = None, stride: int | None = None):
    """Every case of the run. Defaults: PARITY_PROGRAMS random programs (600) and PARITY_STRIDE (8);
    PARITY_STRIDE=1 runs the whole catalogue."""
    n = int(os.environ.get("PARITY_PROGRAMS", DEFAULT_PROGRAMS)) if random_programs is None else random_programs
    stride = int(os.environ.get("PARITY_STRIDE", DEFAULT_STRIDE)) if stride is None else stride
    yield from catalogue_cases(stride)
    yield from catalogue.creation_cases()
    yield from scenarios.scenario_cases()
    yield from programs.random_cases(n)


def run(cases: Iterable, torch) -> list[Outcome]:
    outcomes = []
    for case in cases:
        outcome = compare(case, torch)
        if outcome.kind not in GOOD:
            outcome.allowed = excuse(outcome)
        outcomes.append(outcome)
    return outcomes


def table(outcomes: list[Outcome], seconds: float | None = None) -> str:
    """The counts: one row per class (allowed ones counted apart), one column per category."""
    categories = sorted({o.case.category for o in outcomes})
    counts = defaultdict(Counter)
    for o in outcomes:
        key = o.kind + (" (allowed)" if o.allowed else "")
        counts[key][o.case.category] += 1
        counts[key]["total"] += 1
    rows = [c for k in CLASSES for c in (k, k + " (allowed)") if c in counts]
    width = max([len(r) for r in rows] + [10])
    cols = categories + ["total"]
    lines = [f"{'outcome':<{width}} " + " ".join(f"{c:>9}" for c in cols)]
    for r in rows:
        lines.append(f"{r:<{width}} " + " ".join(f"{counts[r][c]:>9}" for c in cols))
    totals = Counter(o.case.category for o in outcomes)
    lines.append(f"{'programs':<{width}} " + " ".join(f"{totals[c] if c != 'total' else len(outcomes):>9}" for c in cols))
    if seconds is not None:
        lines.append(f"({len(outcomes)} programs in {seconds:.1f} s)")
    return "\n".join(lines)


def failures(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.kind not in GOOD and not o.allowed]


def report(outcomes: list[Outcome], limit: int = 200) -> str:
    bad = failures(outcomes)
    lines = [f"{o.kind}: {o.case.ident}: {o.detail}" for o in bad[:limit]]
    if len(bad) > limit:
        lines.append(f"... and {len(bad) - limit} more")
    return "\n".join(lines)


def timed_run(torch, random_programs: int | None = None, stride: int | None = None):
    start = time.perf_counter()
    outcomes = run(all_cases(random_programs, stride), torch)
    return outcomes, time.perf_counter() - start
