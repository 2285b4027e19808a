"""The op chain the per-op benchmarks time, and what its graph leaves for the garbage collector.

`chain(x, n)` alternates `y * 1.001` and `y + 0.001` (a Python number each time, as in lesson code)
on any library with PyTorch's tensor API (minigrad, a second copy of it, PyTorch) or on the bare
engine. `tracked_per_op` counts the objects the collector tracks per op of a live chain: the
collector's cost grows with them, since every collection of the oldest generation scans them all.
Imported by the benchmarks and by tests/test_gc_objects.py, so both count the same way; it imports
nothing heavy (no torch), so that the test stays quick.

>>> import minigrad
>>> before, after = tracked_per_op(minigrad, 200)
>>> before >= after > 0
True
"""
from __future__ import annotations

import gc

import numpy as np


def chain(x, n: int, total: bool = True):
    """n ops on x, alternately `* 1.001` and `+ 0.001`; summed to a scalar unless `total` is False."""
    y = x
    for _ in range(n // 2):
        y = y * 1.001
        y = y + 0.001
    return y.sum() if total else y  # (the bare engine has no sum: its backward starts from ones)


def tracked_per_op(lib, n: int = 2000) -> tuple[float, float]:
    """Objects the collector tracks per op of a live n-op chain: (before a collection, after one).

    Counted as the growth of `len(gc.get_objects())` while a chain is built with the collector off,
    then again after `gc.collect()` (which stops tracking tuples that hold only untracked objects, and
    frees what only a reference cycle kept); the chain stays alive while counting. Per op means the
    slope: the counts of an n-op and an n/2-op chain are subtracted, so what a graph holds once (the
    leaf's accumulator, say) is not spread over its ops.
    """
    half = n // 2
    _tracked(lib, 4)  # a first chain may create objects once per process (caches): not per op
    (built_n, kept_n), (built_half, kept_half) = _tracked(lib, n), _tracked(lib, half)
    return (built_n - built_half) / (n - half), (kept_n - kept_half) / (n - half)


def _new_objects(lib, n: int, types: bool = False):
    """The tracked objects an n-op chain added: (after building it, after a collection too), as
    counts, or (types=True) as counts per type name.

    "Added" means not tracked before the chain was built. The objects tracked before are held (a
    list) while counting: in a process that ran other code (a pytest run), some of them become
    garbage meanwhile, and counting lengths would take them off the chain's objects, and their
    addresses, were they freed, could be reused by the chain's objects and hide those.
    """
    x = lib.tensor(np.linspace(-1, 1, 10).astype(np.float32), requires_grad=True)
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        before = gc.get_objects()
        known = {id(obj) for obj in before}
        out = chain(x, n, total=False)
        built = _count([obj for obj in gc.get_objects() if id(obj) not in known], types)
        gc.collect()
        collected = _count([obj for obj in gc.get_objects() if id(obj) not in known], types)
        del before
    finally:
        if enabled:
            gc.enable()
    del out
    return built, collected


def _tracked(lib, n: int) -> tuple[int, int]:
    """(objects tracked after building an n-op chain, after a collection too), counted from before."""
    return _new_objects(lib, n)


def tracked_types(lib, n: int = 2000) -> dict[str, float]:
    """Per op of a live n-op chain, after a collection: how many tracked objects of each type (the
    breakdown behind `tracked_per_op`, for finding what to remove)."""
    _, end = _new_objects(lib, n, types=True)
    return {name: count / n for name, count in end.items() if count >= n / 100}


def _count(objects: list, types: bool):
    if not types:
        return len(objects)
    counts: dict[str, int] = {}
    for obj in objects:
        name = type(obj).__name__
        counts[name] = counts.get(name, 0) + 1
    return counts
