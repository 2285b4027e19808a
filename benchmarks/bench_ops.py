"""(2) Per-op overhead: forward and backward of a chain of 1,000 small ops on a 10-element tensor.

On a tensor this small the arithmetic costs almost nothing, so the time is what the library spends
per operation: recording a node in forward, and visiting it in backward. The chain (chain.py)
alternates y = y * 1.001 and y = y + 0.001 (a Python number each time, as in lesson code). One
sample builds a fresh chain (forward, timed), runs its backward (timed), then drops it (not timed).
"""
from __future__ import annotations

import numpy as np

import minigrad

from . import bare_engine
from .chain import chain
from .common import OFF, ON, fmt_time, libraries, now, ratio, samples, table

N_OPS = 1000
START = np.linspace(-1, 1, 10).astype(np.float32)


def chain_case(lib, n: int):
    """A case for `samples`: one fresh n-op chain per sample, forward and backward timed apart."""
    def job() -> dict[str, float]:
        x = lib.tensor(START, requires_grad=True)
        start = now()
        out = chain(x, n)
        middle = now()
        out.backward()
        end = now()
        return {"forward": middle - start, "backward": end - middle}
    return lambda: job


def bare_case(n: int):
    """The same for the bare engine (bare_engine.py): the floor, not a competitor."""
    def job() -> dict[str, float]:
        start = now()
        out = chain(bare_engine.Leaf(START), n, total=False)
        middle = now()
        bare_engine.backward(out)
        return {"forward": middle - start, "backward": now() - middle}
    return lambda: job


def cases(n: int) -> dict:
    result = {name: chain_case(lib, n) for name, lib in libraries(minigrad).items()}
    result["bare engine"] = bare_case(n)
    return result


def check(n: int) -> None:
    """Each library gives the known gradient (1.001**(n/2) everywhere; float32 rounding adds up along
    the chain, hence 1e-3) before anything is timed."""
    for name, lib in libraries(minigrad).items():
        x = lib.tensor(np.zeros(10, np.float32), requires_grad=True)
        chain(x, n).backward()
        np.testing.assert_allclose(x.grad.numpy(), np.full(10, 1.001 ** (n // 2)), rtol=1e-3, err_msg=name)
    bare = bare_engine.backward(chain(bare_engine.Leaf(np.zeros(10, np.float32)), n, total=False))
    np.testing.assert_allclose(bare, np.full(10, 1.001 ** (n // 2)), rtol=1e-3)


def main(quick: bool = False) -> dict:
    n = 100 if quick else N_OPS
    check(n)
    t = samples(cases(n), repeats=3 if quick else 21)
    rows = []
    for phase in ("forward", "backward"):
        for setting in (ON, OFF):
            row = [f"{phase} of {n} ops", setting]
            for name in t:
                value = t[name][setting][phase]
                row.append(fmt_time(value))
                if name != "minigrad":
                    row.append(ratio(t["minigrad"][setting][phase], value))
            rows.append(row)
    header = ["", "collector"]
    for name in t:
        header += [name] if name == "minigrad" else [name, f"minigrad / {name}"]
    table(f"(2) Per-op overhead: chain of {n} ops on a 10-element float32 tensor, median",
          rows, header)
    return {"n": n, "times": t}
