"""Machine instructions and cache misses of one large MLP step: `python -m benchmarks.instructions`.

Timings on a shared machine move by a few percent; valgrind's cachegrind counts instead. It runs the
step of bench_mlp's large case (64-256-256-10, batch 256, cross-entropy, SGD with momentum) in a
simulated CPU (64 KB instruction and data caches, 8-way, 64-byte lines; a 2 MB last level, as this
machine's L2) and reports, per step: instructions executed, instruction-cache misses, data-cache misses,
last-level data misses. minigrad and the hand-written NumPy step are counted the same way, so the
difference is what minigrad adds. Each variant runs in two processes, after the same warm-up, with 0
and with `steps` steps: the difference of the two, divided by `steps`, leaves out imports and set-up.
The counts are the same on every run (a few tenths of a percent apart), whatever else the machine does.

Needs `valgrind` (Debian: apt-get install valgrind). Takes about 2.5 minutes per variant (valgrind runs
Python about 50 times slower). Not run by `python -m benchmarks`: a tool for issue #14.

    python -m benchmarks.instructions                     # minigrad and NumPy by hand
    python -m benchmarks.instructions --against PATH      # and another copy of minigrad
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import table

ROOT = Path(__file__).resolve().parent.parent
COUNTS = ("instructions", "I-cache misses", "D-cache misses", "last-level D misses")
_LINES = {"instructions": r"I\s+refs:", "I-cache misses": r"I1\s+misses:", "D-cache misses": r"D1\s+misses:",
          "last-level D misses": r"LLd\s+misses:"}

# The child: the step of one variant, `n` times after a warm-up (no PyTorch: its import alone is billions
# of instructions, and nothing here uses it).
_CHILD = """
import sys
sys.modules["torch"] = None
root, variant, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, root)
import numpy as np
import benchmarks  # (first: one BLAS thread, as in every benchmark)
import minigrad
from benchmarks.bench_mlp import HandMLP, _library_step
rng = np.random.default_rng(0)
X = rng.normal(size=(256, 64)).astype(np.float32)
y = rng.integers(0, 10, size=256)
minigrad.manual_seed(0)
step, linears = _library_step(minigrad, [64, 256, 256, 10], "ce", X, y)
if variant == "hand":
    hand = HandMLP([m.weight.detach().numpy().copy() for m in linears], [m.bias.detach().numpy().copy() for m in linears], "ce")
    step = lambda: hand.step(X, y)
for _ in range(5 + n):
    step()
"""


def _run(valgrind: str, root: Path, variant: str, n: int) -> dict:
    """cachegrind's totals for one child process."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "child.py"
        script.write_text(_CHILD)
        done = subprocess.run([valgrind, "--tool=cachegrind", "--cache-sim=yes", "--I1=65536,8,64", "--D1=65536,8,64",
                               "--LL=2097152,16,64", f"--cachegrind-out-file={Path(tmp) / 'out'}", sys.executable,
                               str(script), str(root), variant, str(n)],
                              capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED="0"))
    if done.returncode != 0:
        raise RuntimeError(f"the {variant} run under valgrind failed:\n{done.stderr[-2000:]}")
    totals = {}
    for name, pattern in _LINES.items():
        found = re.search(pattern + r"\s+([\d,]+)", done.stderr)
        totals[name] = int(found.group(1).replace(",", "")) if found else 0
    return totals


def per_step(valgrind: str, root: Path, variant: str, steps: int) -> dict:
    """Counts per step of `variant` ("minigrad" or "hand") with the minigrad found under `root`."""
    before, after = _run(valgrind, root, variant, 0), _run(valgrind, root, variant, steps)
    return {name: (after[name] - before[name]) / steps for name in COUNTS}


def main(argv: "list[str] | None" = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20, help="steps counted (default 20)")
    parser.add_argument("--against", help="another checkout (a folder holding minigrad/ and benchmarks/) to count too")
    args = parser.parse_args(argv)
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    variants = {"NumPy (hand)": (ROOT, "hand"), "minigrad": (ROOT, "minigrad")}
    if args.against:
        variants["minigrad (before)"] = (Path(args.against).resolve(), "minigrad")
    counts = {name: per_step(valgrind, root, variant, args.steps) for name, (root, variant) in variants.items()}
    hand = counts["NumPy (hand)"]
    rows = [[name] + [f"{c[k] / 1e3:,.1f}k ({c[k] / hand[k]:.3f}x)" if hand[k] else f"{c[k] / 1e3:,.1f}k" for k in COUNTS]
            for name, c in counts.items()]
    table(f"Per step of the large MLP (cachegrind, {args.steps} steps; ratio to NumPy by hand)", rows, ["", *COUNTS])


if __name__ == "__main__":
    main()
