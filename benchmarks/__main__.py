"""Run every benchmark: `python -m benchmarks` (about 2-3 minutes), or `python -m benchmarks --quick`
for a smoke run of a few seconds whose numbers mean little."""
from __future__ import annotations

import argparse
import importlib
import os
import platform
import time

from . import THREADS  # noqa: F401  (first: pins the BLAS threads before NumPy is imported)


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or model
    return f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few repeats and small sizes: a smoke run")
    parser.add_argument("--only", nargs="*", help="run only these benchmarks (mlp, ops, depth, memory, micrograd, viz)")
    args = parser.parse_args()

    from .common import versions

    print(f"minigrad benchmarks{' (--quick: smoke run, numbers not meaningful)' if args.quick else ''}")
    print(f"machine: {machine()}")
    print(f"software: {versions()}")
    start = time.perf_counter()
    names = ["mlp", "ops", "depth", "memory", "micrograd"]
    for name in names:
        if args.only and name not in args.only:
            continue
        importlib.import_module(f".bench_{name}", __package__).main(quick=args.quick)
    # bench_viz.py is written separately; run it when it is there.
    viz_file = os.path.join(os.path.dirname(__file__), "bench_viz.py")
    if os.path.exists(viz_file) and (not args.only or "viz" in args.only):
        viz = importlib.import_module(".bench_viz", __package__)
        try:
            viz.main(quick=args.quick)
        except TypeError:  # a main() without the quick flag
            viz.main()
    print(f"\ntotal time: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
