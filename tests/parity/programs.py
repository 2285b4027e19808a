"""Seeded random programs: chains of 3-8 steps over 1-3 inputs (views among them), with no_grad
stretches and in-place steps; every intermediate value is compared, then the leaves' gradients
(or first and second derivatives).
"""
from __future__ import annotations

from typing import Iterator

import numpy as np

from .runner import Case


def _bcast(a, b) -> bool:
    try:
        np.broadcast_shapes(tuple(a.shape), tuple(b.shape))
        return True
    except ValueError:
        return False


def _d(a, k):
    return None if a.dim() == 0 else k % a.dim()


UNARY = [
    lambda T, a: -a, lambda T, a: a.tanh().exp(), lambda T, a: (a.abs() + 0.5).log(), lambda T, a: (a * a + 0.1).sqrt(),
    lambda T, a: a.abs(), lambda T, a: a.sin(), lambda T, a: T.cos(a), lambda T, a: a.sigmoid(), lambda T, a: a.relu(),
    lambda T, a: (a * 2.5 + 1) / 3 - 0.5, lambda T, a: 1 - 2 / (a.abs() + 1), lambda T, a: a ** 2, lambda T, a: a.pow(3),
    lambda T, a: 2 ** a.tanh(), lambda T, a: a.clamp(-0.5, 0.7), lambda T, a: a.sum(),
    lambda T, a: a.sum(_d(a, 1)) if a.dim() else None, lambda T, a: a.mean(0, keepdim=True) if a.dim() else None,
    lambda T, a: a.max() if a.numel() else None, lambda T, a: a.reshape(-1), lambda T, a: a.t() if a.dim() == 2 else None,
    lambda T, a: a.transpose(0, -1) if a.dim() >= 2 else None, lambda T, a: a.unsqueeze(0),
    lambda T, a: a.unsqueeze(0).expand(2, *a.shape), lambda T, a: a[0] if a.dim() and a.shape[0] else None,
    lambda T, a: a[1:] if a.dim() and a.shape[0] > 1 else None, lambda T, a: a[..., ::2] if a.dim() else None,
    lambda T, a: a[a > 0] if a.dim() else None, lambda T, a: a.clone(), lambda T, a: a.square(),
    lambda T, a: a.softmax(-1) if a.dim() else None, lambda T, a: a.log_softmax(0) if a.dim() else None,
    lambda T, a: a.cumsum(-1) if a.dim() else None, lambda T, a: a.masked_fill(a < 0, 0.25),
    lambda T, a: a.detach(), lambda T, a: a.contiguous().view(-1), lambda T, a: a.flatten(),
    lambda T, a: a.var() if a.numel() > 1 else None, lambda T, a: a.norm() if a.numel() else None,
    lambda T, a: _no_grad(T, a), lambda T, a: _no_grad_view(T, a), lambda T, a: _inplace(T, a),
    lambda T, a: _inplace_view(T, a), lambda T, a: _setitem(T, a), lambda T, a: a.data * 2,
    lambda T, a: a.double(), lambda T, a: a.to(a.dtype),
    # (no .float(): float32 rounding inside a float64 program would need float32's tolerance)
]
BINARY = [
    lambda T, a, b: a + b if _bcast(a, b) else None, lambda T, a, b: a - b if _bcast(a, b) else None,
    lambda T, a, b: a * b if _bcast(a, b) else None, lambda T, a, b: a / (b.abs() + 1) if _bcast(a, b) else None,
    lambda T, a, b: (a.abs() + 0.5) ** b.tanh() if _bcast(a, b) else None,
    lambda T, a, b: T.where(a > b, a, b) if _bcast(a, b) else None, lambda T, a, b: T.maximum(a, b) if _bcast(a, b) else None,
    lambda T, a, b: a @ b if a.dim() and b.dim() and a.shape[-1] == (b.shape[-2] if b.dim() > 1 else b.shape[0])
    and a.dim() <= 2 and b.dim() <= 2 else None,
    lambda T, a, b: T.cat([a, b]) if a.dim() and a.dim() == b.dim() and a.shape[1:] == b.shape[1:] else None,
    lambda T, a, b: T.stack([a, b], -1) if a.shape == b.shape else None,
]


def _no_grad(T, a):
    with T.no_grad():
        return a * 2


def _no_grad_view(T, a):
    with T.no_grad():
        v = a[..., :1] if a.dim() else a.view(1)
    return v * 1


def _inplace(T, a):
    b = a * 1
    b.mul_(3)
    b += 1
    return b


def _inplace_view(T, a):
    if a.dim() == 0 or a.shape[0] == 0:
        return None
    b = a * 1
    b[0] += 2  # in-place through a view of a non-leaf (CopySlices in PyTorch)
    return b


def _setitem(T, a):
    if a.dim() == 0 or a.shape[0] == 0:
        return None
    b = a.clone()
    b[0] = 0.5
    return b


def _shape(rng):
    return tuple(int(s) for s in rng.integers(1, 4, size=rng.integers(0, 4)))


def make_program(seed: int):
    rng = np.random.default_rng(seed)
    n_inputs = int(rng.integers(1, 4))
    base = _shape(rng)
    shapes = [base] + [tuple(1 if rng.random() < 0.3 else s for s in base[int(rng.integers(0, len(base) + 1)):])
                       for _ in range(n_inputs - 1)]
    dtype = "float32" if rng.random() < 0.3 else "float64"
    layouts = [str(rng.choice(["plain", "plain", "t", "slice", "viewview"])) if len(s) == 2 else "plain" for s in shapes]
    requires = [True] + [bool(rng.random() < 0.8) for _ in range(n_inputs - 1)]
    steps = [(int(rng.integers(0, 1 << 30)), int(rng.integers(0, 1 << 30)), int(rng.integers(0, 1 << 30)),
              bool(rng.random() < 0.35)) for _ in range(int(rng.integers(3, 9)))]
    mode = "double" if (dtype == "float64" and rng.random() < 0.25) else "backward"
    return shapes, dtype, layouts, requires, steps, mode


def _program(shapes, dtype, layouts, requires, steps):
    def program(T, ctx):
        values = [ctx.tensor(s, dtype, requires_grad=r, layout=lay) for s, lay, r in zip(shapes, layouts, requires)]
        for pick, i, j, binary in steps:
            a, b = values[i % len(values)], values[j % len(values)]
            result = BINARY[pick % len(BINARY)](T, a, b) if binary else None
            if result is None:
                result = UNARY[pick % len(UNARY)](T, a)
            if result is None:
                result = a * 1.0
            values.append(result)
        return values[-1], values[:-1]
    return program


def random_cases(n: int, start: int = 0) -> Iterator[Case]:
    for seed in range(start, start + n):
        shapes, dtype, layouts, requires, steps, mode = make_program(seed)
        # (a float32 program may convert to float64 midway: its float32 rounding then sets the tolerance)
        yield Case("random", "program", f"seed={seed},{dtype},{mode}", _program(shapes, dtype, layouts, requires, steps),
                   mode, seed, loosest=dtype)
