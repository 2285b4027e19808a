"""python -m tests.parity [-v] [--category C]: run the differential suite and print the counts table.

Exit status 1 when anything but `same` and `clear error, other type` is left that the allow-list does
not excuse. -v lists those outcomes; PARITY_PROGRAMS=N sets the number of random programs.
"""
from __future__ import annotations

import sys

from .suite import failures, report, table, timed_run


def main(argv: list[str]) -> int:
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed: the differential suite needs it as the oracle.")
        return 0
    outcomes, seconds = timed_run(torch)
    if "--category" in argv:
        wanted = argv[argv.index("--category") + 1]
        outcomes = [o for o in outcomes if o.case.category == wanted]
    if "-v" in argv:
        print(report(outcomes, limit=10 ** 6))
    print(table(outcomes, seconds))
    return 1 if failures(outcomes) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
