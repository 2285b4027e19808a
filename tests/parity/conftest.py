"""Print the differential suite's counts table at the end of a pytest run that ran it."""
from __future__ import annotations

from . import suite


def pytest_terminal_summary(terminalreporter):
    for title, outcomes, seconds in suite.RUNS:
        terminalreporter.write_sep("=", f"minigrad vs PyTorch: {title}")
        terminalreporter.write_line(suite.table(outcomes, seconds))
