"""The workshop hub tests run under `make test-workshop` (as root, in the hub's environment under /opt).

Anywhere else (the project's own .venv, a non-root user) they skip with the reason; when make runs them
(WORKSHOP_N is set) a missing piece is an error instead, so CI cannot pass by skipping them.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `workshop` and `tests.browser` are imported from the checkout
    sys.path.insert(0, str(ROOT))

# The load test's table and what the fault tests saw, printed at the end of the run.
REPORT: list[str] = []


@pytest.fixture(scope="session")
def report() -> list[str]:
    return REPORT


def pytest_configure(config):
    config.addinivalue_line("markers", "workshop: a JupyterHub with simulated attendees (make test-workshop)")


def missing_tools() -> str | None:
    if os.geteuid() != 0:
        return "the hub creates a system user per attendee: run as root (make test-workshop)"
    try:
        import jupyterhub  # noqa: F401
        import nbgitpuller  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed here: make test-workshop runs these tests in the hub's environment"
    from tests.browser.lab import CHROMIUM
    from workshop.hub import PROXY

    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} not found (make browser-deps)"
    if not os.access(PROXY, os.X_OK):
        return f"{PROXY} not found (make hub-deps)"
    return None


@pytest.fixture(scope="session")
def workshop_tools():
    reason = missing_tools()
    if reason:
        if os.environ.get("WORKSHOP_N"):
            pytest.fail(reason)
        pytest.skip(reason)


def _still_running(pid: int) -> bool:
    """Whether `pid` is still one of the hub's processes (not a recycled id)."""
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return False
    return "jupyterhub" in cmd or "configurable-http-proxy" in cmd


@pytest.fixture(scope="module")
def room(workshop_tools):
    """WORKSHOP_N attendees (default 3) through lessons 05 and 06 on a fresh hub, kept running for the
    module's tests; afterwards nothing of it may be left (checked here, so a leak fails the run)."""
    from workshop import loadtest
    from workshop.hub import group_members

    with loadtest.room(int(os.environ.get("WORKSHOP_N", "3"))) as r:
        REPORT.append(r.result.table())
        yield r
        parts = r.hub.pids()  # hub, proxy, idle culler: each must be gone afterwards
        assert {"hub", "proxy", "idle-culler"} <= set(parts), parts
    left = [f"{part} {pid}" for part, pid in parts.items() if _still_running(pid)]
    assert not left, f"hub processes left running: {left}"
    assert not group_members(r.hub.group), f"attendee accounts left: {group_members(r.hub.group)}"
    assert not any(Path("/home", a.name).exists() for a in r.attendees), "attendee homes left in /home"
    assert not r.hub.state.exists() and not r.git.tmp.exists()
    assert r.hub.proc.poll() is not None and r.git.proc.poll() is not None


def pytest_terminal_summary(terminalreporter):
    if REPORT:
        terminalreporter.section("workshop load test")
        for block in REPORT:
            terminalreporter.write_line(block)
