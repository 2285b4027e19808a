"""Run every benchmark: `python -m benchmarks` (a few minutes), or `python -m benchmarks --quick` for a
smoke run of a few seconds whose numbers mean little. Every case is timed with the garbage collector
on (as users run) and off (beside it); a summary against issue #14's targets comes last.
`--against PATH` also times the minigrad package under PATH (e.g. a copy of an older commit), in the
same process, as "minigrad (before)"."""
from __future__ import annotations

import argparse
import importlib
import os
import platform
import time

from . import THREADS  # noqa: F401  (first: pins the BLAS threads before NumPy is imported)

#: Issue #14's targets: the most each ratio (or count) may be, at the full run's sizes.
TARGETS = {"chain forward": 0.75, "chain backward": 0.60, "depth 100000": 1.5, "tracked after": 4,
           "large MLP": 1.10, "small MLP": 1.0}


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or model
    return f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}"


def measured(results: dict, who: str) -> list[tuple[str, float | None, dict[str, float]]]:
    """(what, target or None, {collector setting: figure}) for library `who` ("minigrad" or
    "minigrad (before)"), for each figure the benchmarks that ran can give."""
    from .bench_mlp import CASES
    from .common import OFF, ON
    rows = []

    def add(what: str, target: str, t: dict, base: str, *phases: str) -> None:
        if who in t and base in t:
            rows.append((what, TARGETS.get(target), {s: sum(t[who][s][p] for p in phases) /
                                                     sum(t[base][s][p] for p in phases) for s in (ON, OFF)}))

    if "ops" in results:
        n, t = results["ops"]["n"], results["ops"]["times"]
        add(f"{n:,}-op chain forward / PyTorch", "chain forward" if n == 1000 else "", t, "PyTorch", "forward")
        add(f"{n:,}-op chain backward / PyTorch", "chain backward" if n == 1000 else "", t, "PyTorch", "backward")
    if "depth" in results:
        depth = results["depth"]
        for n in sorted((k for k in depth if isinstance(k, int)), reverse=True):
            add(f"{n:,}-op chain forward + backward / PyTorch", f"depth {n}", depth[n], "PyTorch", "forward", "backward")
        if who in depth["tracked"]:
            before, after = depth["tracked"][who]
            rows.append(("tracked objects per op of a live chain, after a collection", TARGETS["tracked after"],
                         {ON: after, OFF: after}))
            rows.append(("tracked objects per op of a live chain, before a collection", None, {ON: before, OFF: before}))
    if "mlp" in results:
        small_mlp, large_mlp = (results["mlp"][title] for title, *_ in CASES)
        add("large MLP step (64-256-256-10, batch 256) / NumPy by hand", "large MLP", large_mlp, "NumPy (hand)", "total")
        add("small MLP step (2-16-16-1, batch 32) / PyTorch", "small MLP", small_mlp, "PyTorch", "total")
    return rows


def summary(results: dict, against: bool) -> None:
    from .common import OFF, ON, table
    then = {what: f for what, _, f in measured(results, "minigrad (before)")} if against else {}
    rows = []
    for what, most, now in measured(results, "minigrad"):
        unit = "" if "objects" in what else "x"
        value = lambda f, s: f"{f[s]:.2f}{unit}"  # noqa: E731
        row = [what, f"<= {most}{unit}" if most is not None else "-", value(now, ON), value(now, OFF),
               ("yes" if now[ON] <= most else "no") if most is not None else "-"]
        if against:
            row += [value(then[what], ON), value(then[what], OFF)] if what in then else ["-", "-"]
        rows.append(row)
    header = ["measure (medians)", "target", "gc on", "gc off", "met (gc on)"]
    if against:
        header += ["before, gc on", "before, gc off"]
    if rows:
        table("Summary: issue #14's targets (ratios are minigrad's time over the baseline's)", rows, header)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few repeats and small sizes: a smoke run")
    parser.add_argument("--only", nargs="*", help="run only these benchmarks (mlp, ops, depth, memory, micrograd, viz)")
    parser.add_argument("--against", metavar="PATH",
                        help="also time the minigrad package under PATH (e.g. /work/bench_before), same process")
    parser.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                        help="cpu (default): this process's CPU time, steady on a shared machine; wall: elapsed time")
    args = parser.parse_args()

    from . import common
    common.set_clock(args.clock)

    print(f"minigrad benchmarks{' (--quick: smoke run, numbers not meaningful)' if args.quick else ''}")
    print(f"machine: {machine()}")
    print(f"software: {common.versions()}")
    print(f"clock: {args.clock} ({'CPU time of this process' if args.clock == 'cpu' else 'elapsed time'}); "
          "every case timed with the garbage collector on and off")
    if args.against:
        common.BEFORE = common.load_copy(args.against)
        print(f"against: {os.path.dirname(common.BEFORE.__file__)} (as \"minigrad (before)\")")
    try:
        print(f"load average at start: {os.getloadavg()[0]:.2f}")
    except OSError:
        pass
    import gc
    gc.collect()
    # With the collector on, a collection of the oldest generation comes once the objects that survived
    # younger collections reach a quarter of those already there: this count sets how often that is.
    print(f"objects the collector tracks after imports: {len(gc.get_objects()):,} (thresholds {gc.get_threshold()})")
    start = time.perf_counter()
    results, took = {}, {}
    for name in ["mlp", "ops", "depth", "memory", "micrograd"]:
        if args.only and name not in args.only:
            continue
        began = time.perf_counter()
        results[name] = importlib.import_module(f".bench_{name}", __package__).main(quick=args.quick)
        took[name] = time.perf_counter() - began
    # bench_viz.py is written separately; run it when it is there.
    viz_file = os.path.join(os.path.dirname(__file__), "bench_viz.py")
    if os.path.exists(viz_file) and (not args.only or "viz" in args.only):
        viz = importlib.import_module(".bench_viz", __package__)
        began = time.perf_counter()
        try:
            viz.main(quick=args.quick)
        except TypeError:  # a main() without the quick flag
            viz.main()
        took["viz"] = time.perf_counter() - began
    summary(results, against=bool(args.against))
    print(f"\ntotal time: {time.perf_counter() - start:.1f} s (elapsed; "
          + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in took.items()) + ")")


if __name__ == "__main__":
    main()
