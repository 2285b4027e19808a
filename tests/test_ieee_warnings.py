"""Arithmetic that gives inf or nan (x * inf, overflow, a sum of nan) is silent in minigrad as in
PyTorch, while NumPy code of the user's own still warns: checked in a fresh interpreter, whose warning
filters are the default ones (pytest's own filters would hide what a notebook shows)."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROGRAM = textwrap.dedent("""
    import warnings
    warnings.simplefilter("always")  # (each warning every time, from the first line on)
    import numpy as np
    import minigrad
    x = minigrad.tensor([0.0, 1e38, 3e38, -3e38], requires_grad=True)
    cases = {
        "x * inf": lambda: x * float("inf"), "x * 10": lambda: x * 10.0, "x + x": lambda: x + x,
        "x - (-x)": lambda: x - (-x), "x * x": lambda: x * x, "sum of nan": lambda: (x * float("nan")).sum(),
        "x @ x": lambda: x @ x, "backward": lambda: (x * x).sum().backward(),
        "float64 overflow": lambda: minigrad.tensor([1e300], dtype=minigrad.float64) * 1e300,
    }
    for name, case in cases.items():
        with warnings.catch_warnings(record=True) as caught:  # (the filters as they are: no new one)
            case()
        print(f"{name}: {len(caught)} {[str(w.message) for w in caught]}")
    with warnings.catch_warnings(record=True) as caught:
        np.array([3e38], np.float32) * np.float32(10)  # the user's own NumPy code
    print(f"numpy: {len(caught)}")
""")


def _printed_by_a_fresh_interpreter(program: str) -> list[str]:
    """What `program` prints, run in a new Python with the default warning filters."""
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()


def test_inf_and_nan_from_arithmetic_are_silent_and_numpy_code_still_warns():
    lines = _printed_by_a_fresh_interpreter(PROGRAM)
    assert len(lines) == 10, lines
    for line in lines[:-1]:
        assert line.split(": ", 1)[1].startswith("0 "), f"a warning leaked out of minigrad: {line}"
    assert lines[-1] == "numpy: 1", f"the user's own NumPy code must still warn: {lines[-1]}"


REDUCTIONS = textwrap.dedent("""
    import warnings
    warnings.simplefilter("always")
    import numpy as np
    import minigrad
    import minigrad.nn.functional as F
    empty = minigrad.zeros(0, requires_grad=True)
    both = minigrad.tensor([float("inf"), -float("inf"), 1.0], requires_grad=True)
    big = minigrad.tensor([3e38, 3e38], requires_grad=True)
    cases = {
        "mean of nothing": lambda: empty.mean(), "mean over an empty dim": lambda: minigrad.zeros(2, 0).mean(1),
        "mean of inf and -inf": lambda: both.mean(), "sum of inf and -inf": lambda: both.sum(),
        "sum overflowing": lambda: big.sum(), "mean overflowing": lambda: big.mean(),
        "sum over a dim": lambda: minigrad.tensor([[3e38, 3e38]]).sum(1), "var": lambda: both.var(),
        "std of inf and -inf": lambda: both.std(), "var over a dim": lambda: big.view(1, 2).var(1),
        "norm overflowing": lambda: big.norm(), "mse_loss overflowing": lambda: F.mse_loss(big, -big),
        "backward of a mean of nothing": lambda: empty.mean().backward(),
        "backward summing inf and -inf": lambda: (both.view(3, 1) * minigrad.ones(1, 2)).backward(
            minigrad.tensor([[float("inf"), -float("inf")]] * 3)),
    }
    for name, case in cases.items():
        with warnings.catch_warnings(record=True) as caught:
            case()
        print(f"{name}: {len(caught)} {[str(w.message) for w in caught]}")
    for name, mine in (("mean", lambda: np.array([], np.float32).mean()),
                       ("sum", lambda: np.array([3e38, 3e38], np.float32).sum())):
        with warnings.catch_warnings(record=True) as caught:
            mine()  # the user's own NumPy code
        print(f"numpy {name}: {len(caught)}")
""")


def test_reductions_of_nothing_inf_or_overflow_are_silent_and_numpy_code_still_warns():
    # The rest of F12 (fuzz_findings.md): NumPy's own wrappers (ndarray.mean, .sum) raised these from
    # NumPy's module ("Mean of empty slice", "invalid value encountered in reduce"), where minigrad's
    # filter did not reach; PyTorch is silent.
    lines = _printed_by_a_fresh_interpreter(REDUCTIONS)
    assert len(lines) == 16, lines
    for line in lines[:-2]:
        assert line.split(": ", 1)[1].startswith("0 "), f"a warning leaked out of minigrad: {line}"
    assert lines[-2:] == ["numpy mean: 2", "numpy sum: 1"], f"the user's own NumPy code must still warn: {lines[-2:]}"
