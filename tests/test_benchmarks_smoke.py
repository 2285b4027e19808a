"""`python -m benchmarks --quick` runs end to end and prints its tables with ratios (numbers not checked)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_benchmarks_quick_run_prints_ratios():
    # --against this very tree: the second copy is loaded under another name and gets its own columns
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--against", str(ROOT)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for heading in ("(1) MLP training step", "(2) Per-op overhead", "(3) Depth", "(3b) Objects the garbage collector",
                    "(3c) Where the collector's time goes",
                    "(4) Memory", "(5) micrograd", "Summary: issue #14's targets"):
        assert heading in out, out
    ratios = re.findall(r"\|\s*(\d+\.\d+)x\s*\|", out)
    assert len(ratios) >= 4, out  # minigrad / NumPy twice, forward and backward against PyTorch or depth
    assert all(float(r) > 0 for r in ratios)
    assert "machine:" in out and "threads: 1" in out
    # every timed table has a row with the collector on and one with it off
    assert re.search(r"\| on\s+\|", out) and re.search(r"\| off\s+\|", out), out
    assert "minigrad (before)" in out and "before, gc on" in out, out


def test_opcode_counts_of_a_step_are_exact_and_repeat():
    """benchmarks.opcodes counts what one large-MLP step runs: the same numbers on a second run (what makes
    it useful on a noisy machine), every phase counted, and the functions' counts add up to the phases'."""
    from benchmarks.opcodes import step_opcodes

    first, second = step_opcodes(), step_opcodes()
    assert first["phases"] == second["phases"]
    assert all(first["phases"][p] > 0 for p in ("zero_grad", "model", "loss", "backward", "optimizer step"))
    assert sum(first["functions"].values()) == sum(first["phases"].values())
    # 3 Linear layers (W^T and the product), 2 ReLUs and the loss's log-softmax and nll_loss, each recorded by its
    # op's own apply (none through Function.apply)
    assert "Function.apply" not in first["calls"] and first["calls"]["Relu.apply"] == 2
    assert first["calls"]["LogSoftmax.apply"] == first["calls"]["NllLoss.apply"] == 1
    assert first["calls"]["MatrixTranspose.apply"] == first["calls"]["Addmm.apply"] == 3
