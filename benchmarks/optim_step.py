"""What an optimizer's `zero_grad()` + `step()` cost: `python -m benchmarks.optim_step [--against PATH]`.

The parameters of the two MLPs of bench_mlp (2-16-16-1 and 64-256-256-10, float32: six tensors each),
with gradients present, and one step of SGD (plain, momentum 0.9), SGD with every option, and Adam,
then `zero_grad()`; beside it the same update written by hand in NumPy (in place, three calls per
parameter for momentum). Each sample runs LOOPS rounds of (give the gradients back, step, zero_grad),
the gradients given back by setting `._grad` (the same few cheap stores in every column). With
`--against PATH` the minigrad package under PATH (e.g. a copy of main) is timed beside, in the same
process. CPU-time medians of interleaved repeats, collector on (as users run) and off.
Not run by `python -m benchmarks`: a tool for the optimizer's own cost (issue #14).
"""
from __future__ import annotations

import argparse

import numpy as np

import minigrad

from . import common
from .common import OFF, ON, fmt_time, ratio, samples, table

SHAPES = {"2-16-16-1": [2, 16, 16, 1], "64-256-256-10": [64, 256, 256, 10]}
OPTIONS = {"SGD": ("SGD", dict(lr=0.01)),
           "SGD momentum": ("SGD", dict(lr=0.01, momentum=0.9)),
           "SGD all options": ("SGD", dict(lr=0.01, momentum=0.9, dampening=0.1, weight_decay=1e-4, maximize=True)),
           "Adam": ("Adam", dict(lr=1e-3))}
LOOPS = 200


def _arrays(sizes: list[int]) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    out = []
    for a, b in zip(sizes, sizes[1:]):
        out += [rng.normal(size=(b, a)).astype(np.float32), rng.normal(size=b).astype(np.float32)]
    return out


def library_case(lib, sizes: list[int], make: str, kw: dict):
    params = [lib.tensor(a.copy(), requires_grad=True) for a in _arrays(sizes)]
    grads = [lib.tensor(a * 1e-3) for a in _arrays(sizes)]
    opt = getattr(lib.optim, make)(params, **kw)
    pairs = list(zip(params, grads))

    def job():
        for _ in range(LOOPS):
            for p, g in pairs:
                p._grad = g
            opt.step()
            opt.zero_grad()
    job()  # the first step makes the state
    return lambda: job


def hand_case(sizes: list[int], make: str, kw: dict):
    """The same update by hand, in place (SGD momentum: b *= m; b += g; p -= lr * b)."""
    params = [a.copy() for a in _arrays(sizes)]
    grads = [a * 1e-3 for a in _arrays(sizes)]
    buffers = [np.zeros_like(p) for p in params]
    work = [np.empty_like(p) for p in params]
    lr, momentum = np.float32(kw["lr"]), kw.get("momentum", 0)
    triples = list(zip(params, grads, buffers, work))
    present = [None] * len(params)

    def job():
        for _ in range(LOOPS):
            for i, g in enumerate(grads):
                present[i] = g
            for p, g, b, w in triples:
                if momentum:
                    b *= momentum
                    b += g
                    g = b
                p -= np.multiply(g, lr, out=w)
            for i in range(len(present)):
                present[i] = None
    return lambda: job


def main(against: str | None = None, repeats: int = 15, loops: int = LOOPS) -> None:
    global LOOPS
    LOOPS = loops
    libs = {"minigrad": minigrad}
    if against:
        libs["minigrad (before)"] = common.load_copy(against)
    rows = []
    for shape, sizes in SHAPES.items():
        for option, (make, kw) in OPTIONS.items():
            cases = {name: library_case(lib, sizes, make, kw) for name, lib in libs.items()}
            if option in ("SGD", "SGD momentum"):
                cases["NumPy (hand)"] = hand_case(sizes, make, kw)
            t = samples(cases, repeats)
            for setting in (ON, OFF):
                row = [shape, option, setting]
                for name in libs:
                    row.append(fmt_time(t[name][setting]["total"] / LOOPS))
                for name in list(libs)[1:] + ["NumPy (hand)"]:
                    row.append(ratio(t["minigrad"][setting]["total"], t[name][setting]["total"])
                               if name in t else "")
                rows.append(row)
    header = ["parameters", "optimizer", "collector", *libs] + [f"minigrad / {n}" for n in list(libs)[1:]] + \
        ["minigrad / NumPy (hand)"]
    table(f"zero_grad + step, 6 float32 parameters with gradients, median per step ({LOOPS} steps a sample)",
          rows, header)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="also time the minigrad package under this path")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--loops", type=int, default=LOOPS, help="steps a sample (more: steadier on a busy machine)")
    args = parser.parse_args()
    main(args.against, args.repeats, args.loops)
