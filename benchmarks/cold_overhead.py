"""What minigrad's Python costs right after a large NumPy call: `python -m benchmarks.cold_overhead`.

The large MLP step (bench_mlp) spends most of its time in matrix products of 256x256 float32 arrays.
Each leaves the CPU's caches full of array data, so the Python that follows (recording the node, the
engine's bookkeeping) runs from colder caches than in a tight loop on small tensors. This measures it:

  1. Addmm.apply (a Linear layer's node) against its own NumPy work (x @ W^T, then + b in place), for
     square matrices of n = 8, 64, 256: the difference is what recording costs at that size;
  2. F.linear on 4x8 tensors, hot (after another F.linear) and right after a 256^3 matrix product.

Medians of interleaved repeats, wall clock (perf_counter), collector on. Not run by `python -m benchmarks`:
a tool for reading the large MLP step's profile (see issue #14).
"""
from __future__ import annotations

import statistics
import time

import numpy as np

import minigrad
import minigrad.nn.functional as F
from minigrad.ops.nn_ops import Addmm

from .common import table

_now = time.perf_counter_ns


def _median_us(samples: list) -> float:
    return statistics.median(samples) / 1e3


def recording_cost(n: int, repeats: int = 600) -> tuple[float, float]:
    """(Addmm.apply's time, its NumPy work's time), microseconds, for n x n float32 matrices."""
    rng = np.random.default_rng(0)
    x = minigrad.tensor(rng.normal(size=(n, n)).astype(np.float32), requires_grad=True)
    w = minigrad.tensor(rng.normal(size=(n, n)).astype(np.float32), requires_grad=True)
    b = minigrad.tensor(rng.normal(size=(n,)).astype(np.float32), requires_grad=True)
    wt = w.t()
    xa, wa, ba = x._data, wt._data, b._data
    applied, raw = [], []
    for _ in range(repeats):
        start = _now()
        y = Addmm.apply(b, x, wt)
        applied.append(_now() - start)
        del y
        start = _now()
        p = xa @ wa
        p += ba
        raw.append(_now() - start)
        del p
    return _median_us(applied), _median_us(raw)


def hot_and_cold(repeats: int = 2000) -> tuple[float, float]:
    """F.linear on small tensors: (right after another one, right after a 256^3 matrix product), us."""
    rng = np.random.default_rng(0)
    a = rng.normal(size=(256, 256)).astype(np.float32)
    c = rng.normal(size=(256, 256)).astype(np.float32)
    w = minigrad.randn(8, 8, requires_grad=True)
    b = minigrad.randn(8, requires_grad=True)
    x = minigrad.randn(4, 8)
    hot, cold = [], []
    for _ in range(repeats):
        F.linear(x, w, b)
        start = _now()
        F.linear(x, w, b)
        hot.append(_now() - start)
        a @ c
        start = _now()
        F.linear(x, w, b)
        cold.append(_now() - start)
    return _median_us(hot), _median_us(cold)


def main() -> None:
    rows = []
    for n in (8, 64, 256):
        applied, raw = recording_cost(n)
        rows.append([f"{n}x{n}", f"{applied:.1f} us", f"{raw:.1f} us", f"{applied - raw:.1f} us"])
    table("Addmm.apply against its own NumPy work (recording = the difference), median", rows,
          ["matrices", "Addmm.apply", "NumPy alone", "recording"])
    hot, cold = hot_and_cold()
    table("F.linear on 4x8 tensors, median", [["after another F.linear", f"{hot:.1f} us"],
                                              ["right after a 256x256 @ 256x256 product", f"{cold:.1f} us"]],
          ["when", "time"])


if __name__ == "__main__":
    main()
