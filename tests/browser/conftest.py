"""Fixtures for the browser suite: one JupyterLab server and one Chromium for the whole session,
a fresh page per notebook.  Everything skips, with the reason, when Playwright, Debian's Chromium
or JupyterLab is missing (`make test` installs them, so CI runs the suite)."""
from __future__ import annotations

import os
import time

import pytest

from .lab import CHROMIUM, LabServer

# seconds per browser test, shown at the end of the run (the suite must stay under 5 minutes)
TIMINGS: dict[str, float] = {}
# what each lesson's checks saw in the page (pictures, widgets that responded), shown at the end too
CHECKED: dict[str, list[str]] = {}


def _require_browser_tools() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright; no browser download needed)")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        pytest.skip("jupyterlab is not installed in this environment")


@pytest.fixture(scope="session")
def lab_server():
    """`jupyter lab` from this interpreter's environment, serving a temporary copy of notebooks/."""
    _require_browser_tools()
    start = time.monotonic()
    server = LabServer()
    TIMINGS["(lab server start)"] = time.monotonic() - start
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (no browser download)."""
    _require_browser_tools()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def lab_page(chromium, request):
    """A fresh page (own context: no storage shared between notebooks), 1280x900 like a laptop."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    start = time.monotonic()
    try:
        yield context.new_page()
    finally:
        TIMINGS[request.node.name] = time.monotonic() - start
        context.close()


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        terminalreporter.section("browser suite timings")
        for name, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{seconds:7.1f} s  {name}")
        terminalreporter.write_line(f"{sum(TIMINGS.values()):7.1f} s  total in fixtures and tests")
    if CHECKED:
        terminalreporter.section("browser suite: what was seen working in the page")
        for name, lines in CHECKED.items():
            terminalreporter.write_line(f"{name}: " + ("; ".join(lines) or "no drawings or widgets"))
