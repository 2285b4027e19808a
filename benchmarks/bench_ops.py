"""(2) Per-op overhead: forward and backward of a chain of 1,000 small ops on a 10-element tensor.

On a tensor this small the arithmetic costs almost nothing, so the time is what the library spends
per operation: recording a node in forward, and visiting it in backward. The chain alternates
y = y * 1.001 and y = y + 0.001 (a Python number each time, as in lesson code).
"""
from __future__ import annotations

import numpy as np

import minigrad

from . import bare_engine
from .common import fmt_time, interleaved, ratio, table, torch

N_OPS = 1000


def chain(x, n: int, total: bool = True):
    y = x
    for i in range(n // 2):
        y = y * 1.001
        y = y + 0.001
    return y.sum() if total else y  # (the bare engine has no sum: its backward starts from ones)


def cases(n: int) -> tuple[dict, dict]:
    """Forward-only jobs and backward-only jobs (each backward gets a freshly built graph)."""
    start = np.linspace(-1, 1, 10).astype(np.float32)
    libs = {"minigrad": lambda: minigrad.tensor(start, requires_grad=True)}
    if torch is not None:
        libs["PyTorch"] = lambda: torch.tensor(start, requires_grad=True)
    forward = {name: (lambda make=make: (lambda: chain(make(), n))) for name, make in libs.items()}

    def backward_job(make):
        def prepare():
            out = chain(make(), n)  # untimed: build the graph
            return out.backward
        return prepare
    backward = {name: backward_job(make) for name, make in libs.items()}
    forward["bare engine"] = lambda: (lambda: chain(bare_engine.Leaf(start), n, total=False))
    backward["bare engine"] = lambda: (lambda out=chain(bare_engine.Leaf(start), n, total=False): bare_engine.backward(out))
    return forward, backward


def check(n: int) -> None:
    """Both libraries give the same gradient (1.001**(n/2) everywhere) before anything is timed."""
    x = minigrad.tensor(np.zeros(10, np.float32), requires_grad=True)
    chain(x, n).backward()
    np.testing.assert_allclose(x.grad.numpy(), np.full(10, 1.001 ** (n // 2)), rtol=1e-4)
    bare = bare_engine.backward(chain(bare_engine.Leaf(np.zeros(10, np.float32)), n, total=False))
    np.testing.assert_allclose(bare, np.full(10, 1.001 ** (n // 2)), rtol=1e-4)


def main(quick: bool = False) -> dict:
    n = 100 if quick else N_OPS
    check(n)
    forward, backward = cases(n)
    repeats = 3 if quick else 21
    tf = interleaved(forward, repeats)
    tb = interleaved(backward, repeats)
    rows = []
    for label, t in (("forward", tf), ("backward", tb)):
        rows.append([f"{label} of {n} ops", fmt_time(t["minigrad"]), fmt_time(t["minigrad"] / n),
                     fmt_time(t["PyTorch"]) if "PyTorch" in t else "-",
                     ratio(t["minigrad"], t["PyTorch"]) if "PyTorch" in t else "-",
                     fmt_time(t["bare engine"]), ratio(t["minigrad"], t["bare engine"])])
    table(f"(2) Per-op overhead: chain of {n} ops on a 10-element float32 tensor, median",
          rows, ["", "minigrad", "minigrad per op", "PyTorch", "minigrad / PyTorch", "bare engine",
                 "minigrad / bare"])
    return {"forward": tf, "backward": tb}
