"""Scalar programs in the style of a first autograd engine: every value a 0-dim float64 tensor that
requires grad, results updated in place with `+=` (non-leaves), mixed with relu, powers and division.

PyTorch saves only what each backward formula needs, so these run there; minigrad must run them too
and give the same values and gradients (a node that saved more than it needs would raise a false
"modified by an inplace operation" error).
"""
from __future__ import annotations

import math

import pytest

import minigrad

torch = pytest.importorskip("torch")


def _leaf(T, v):
    return T.tensor(v, dtype=T.float64, requires_grad=True)


def _accumulate(T, p, q):
    u = p * q + q ** 3          # the product saves p and q, the cube saves q
    s = p - q
    s += s * 3 + 1              # in place on a non-leaf that a product has saved
    u += u / 4 + (q - p).relu()  # u was saved by u / 4 only after the change: fine in PyTorch
    s += 2 + u + (-p)
    w = (s - u) ** 2
    out = w / 3.0
    out += 5.0 / w              # the division by w saves w, which is not changed afterwards
    return out


def _chained(T, p, q):
    acc = p * 1.0
    for k in range(1, 4):
        acc += (acc * q).relu() / k     # acc * q saves acc (q's gradient needs it), then acc changes:
        acc += q ** k                   # PyTorch refuses at backward, and minigrad must refuse too
    return acc * acc


@pytest.mark.parametrize("program", [_accumulate, _chained])
@pytest.mark.parametrize("p0, q0", [(-3.0, 1.5), (2.0, -0.5), (0.25, 4.0)])
def test_scalar_inplace_programs_match_pytorch(program, p0, q0):
    results = {}
    for T in (torch, minigrad):
        try:
            p, q = _leaf(T, p0), _leaf(T, q0)
            out = program(T, p, q)
            out.backward()
            results[T] = ("ok", out.item(), p.grad.item(), q.grad.item())
        except RuntimeError as exc:
            results[T] = ("error", str(exc).split(":")[0])
    assert results[minigrad][0] == results[torch][0], (results[torch], results[minigrad])
    if results[torch][0] == "ok":
        for a, b in zip(results[torch][1:], results[minigrad][1:]):
            assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12), (results[torch], results[minigrad])


def test_one_program_runs_in_pytorch_and_one_is_refused():
    """What the comparison above relies on: _accumulate runs in PyTorch, _chained is refused there."""
    p, q = _leaf(torch, -3.0), _leaf(torch, 1.5)
    _accumulate(torch, p, q).backward()
    assert p.grad is not None and q.grad is not None
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        _chained(torch, _leaf(torch, -3.0), _leaf(torch, 1.5)).backward()
