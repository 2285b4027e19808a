"""Drive the lessons in a real JupyterLab: a throw-away lab server and a notebook checker.

`LabServer` starts `jupyter lab` from the running interpreter's environment on 127.0.0.1 (random
token, free port, temporary runtime/config/data/settings/workspace folders, so no user state leaks
in) and stops its whole process group afterwards.  `check_notebook` opens one notebook in a
Playwright page, runs every cell through JupyterLab's own "Run All" command and returns the list of
problems it saw (an empty list means the notebook works in the browser).
"""
from __future__ import annotations

import ast
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

# Debian's Chromium; Ubuntu's package names it chromium-browser; $CHROMIUM overrides both.
CHROMIUM = (os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
            or "/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"

# A cell "draws" when it calls one of these (a picture must come out of it) ...
DRAWING_CALL = re.compile(
    r"\b(draw|side_by_side|BackwardStepper|tangent_explorer|descent_plot)\s*\("
    r"|\bplt\.(show|subplots|figure|plot|scatter|imshow|hist|contourf?)\s*\(")
# ... and compare() must show its table (HTML, not a picture).
COMPARE_CALL = re.compile(r"\bcompare\s*\(")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PICTURE_MIMES = ("image/svg+xml", "image/png")
MIN_INK = 0.002  # a picture must have at least 0.2% of its pixels off its background colour


# --------------------------------------------------------------------------- the server
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Settings that keep pop-ups (news, update checks) out of the way of clicks and screenshots.
_USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}


class LabServer:
    """`jupyter lab` serving a copy of notebooks/ (as <root>/notebooks), stopped by `stop()`.

    Working on a copy means the browser's autosave can never write outputs into the repository.
    """

    def __init__(self, startup_timeout: float = 90.0) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="minigrad-lab-"))
        self.root = self.tmp / "root"
        shutil.copytree(NOTEBOOKS, self.root / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = self.tmp / "lab.log"
        self.proc: subprocess.Popen | None = None
        self._start(startup_timeout)

    def _start(self, startup_timeout: float) -> None:
        state = {name: self.tmp / name for name in ("runtime", "config", "data", "ipython", "settings", "workspaces")}
        for path in state.values():
            path.mkdir()
        for name, value in _USER_SETTINGS.items():
            (state["settings"] / name).parent.mkdir(parents=True, exist_ok=True)
            (state["settings"] / name).write_text(json.dumps(value))
        env = dict(os.environ)
        # tests/conftest.py sets MPLBACKEND=Agg for the test process; a kernel inheriting it would
        # print nothing for plt.show().  The kernel must choose its inline backend as it does for users.
        env.pop("MPLBACKEND", None)
        env.pop("JUPYTER_PATH", None)
        env.update(JUPYTER_RUNTIME_DIR=str(state["runtime"]), JUPYTER_CONFIG_DIR=str(state["config"]),
                   JUPYTER_DATA_DIR=str(state["data"]), IPYTHONDIR=str(state["ipython"]),
                   JUPYTER_PLATFORM_DIRS="1")
        cmd = [sys.executable, "-m", "jupyter", "lab",
               "--no-browser", "--ip=127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.root}",
               "--LabApp.expose_app_in_browser=True",
               f"--LabApp.user_settings_dir={state['settings']}",
               f"--LabApp.workspaces_dir={state['workspaces']}",
               "--ServerApp.terminals_enabled=False",
               "--LabApp.extension_manager=readonly"]  # no PyPI queries from the extension manager
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # CI containers often run as root
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = self.log()
                self.stop()
                raise RuntimeError(f"jupyter lab exited with code {self.proc.returncode}:\n{log}")
            try:
                with urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.25)
        log = self.log()
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer /api/status within {startup_timeout:.0f} s:\n{log}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def url(self, path: str) -> str:
        """The lab URL that opens `path` (relative to the served root) in a fresh workspace."""
        return f"{self.base}/lab/tree/{path}?reset&token={self.token}"

    def _shutdown_kernels(self) -> None:
        """Ask the server to shut its kernels down (they run in their own sessions, not our group)."""
        try:
            with urllib.request.urlopen(f"{self.base}/api/kernels?token={self.token}", timeout=5) as r:
                kernels = json.load(r)
            for kernel in kernels:
                req = urllib.request.Request(f"{self.base}/api/kernels/{kernel['id']}?token={self.token}",
                                             method="DELETE")
                urllib.request.urlopen(req, timeout=10).close()
        except (urllib.error.URLError, ConnectionError, OSError, ValueError):
            pass  # the server's own SIGTERM handler shuts kernels down too; orphans exit with their parent

    def stop(self, grace: float = 10.0) -> None:
        """Shut kernels down, terminate the server's process group, kill it if it outlives `grace`."""
        if self.proc is not None and self.proc.poll() is None:
            self._shutdown_kernels()
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(5)
        if not getattr(self._log, "closed", True):
            self._log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


# --------------------------------------------------------------------------- the checker
@dataclass
class Problem:
    """One thing wrong with a notebook in the browser: which notebook, which cell, what."""

    notebook: str
    cell: int | None  # index in the notebook's cell list (0-based, as nbformat counts); None: the whole notebook
    message: str
    source: str = ""

    def __str__(self) -> str:
        where = f"{self.notebook}, cell {self.cell}" if self.cell is not None else self.notebook
        head = "".join(f"\n      | {line}" for line in self.source.splitlines()[:3])
        return f"{where}: {self.message}{head}"


# Records every JupyterLab dialog that ever shows (kernel selection, kernel died, errors...), since one
# could open and be answered before we look.
DIALOG_RECORDER = """
window.__minigradDialogs = [];
setInterval(() => {
  for (const d of document.querySelectorAll('.jp-Dialog')) {
    if (d.__minigradIndex === undefined) d.__minigradIndex = window.__minigradDialogs.push('') - 1;
    // Re-read while the dialog is open: a CI run once recorded a kernel-selection dialog without its
    // title ('Select kernel for: ...' only), most likely read while the dialog was still being built.
    // textContent rather than innerText, which depends on layout.
    const parts = [...d.querySelectorAll('.jp-Dialog-header, .jp-Dialog-body, .jp-Dialog-footer')];
    const text = parts.length ? parts.map(e => e.textContent).join(' | ') : d.textContent;
    window.__minigradDialogs[d.__minigradIndex] = (text || '').replace(/\\s+/g, ' ').trim().slice(0, 300);
  }
}, 100);
"""

_PANEL = "(() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget; " \
         "return w && w.content && w.content.model && w.sessionContext ? w : null; })()"

KERNEL_IDLE_OR_DIALOG = f"""() => {{
  if (window.__minigradDialogs && window.__minigradDialogs.length) return 'dialog';
  const p = {_PANEL};
  const k = p && p.context.isReady && p.sessionContext.isReady && p.sessionContext.session
            && p.sessionContext.session.kernel;
  return k && k.status === 'idle' ? 'idle' : false;
}}"""

RUN_FINISHED = f"""() => {{
  const p = {_PANEL};
  if ((window.__minigradDialogs || []).length) return 'dialog';
  const k = p.sessionContext.session && p.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  const cells = p.context.model.toJSON().cells;
  let pending = 0;
  for (const c of cells) {{
    if (c.cell_type !== 'code') continue;
    if ((c.outputs || []).some(o => o.output_type === 'error')) return 'error';
    const src = Array.isArray(c.source) ? c.source.join('') : c.source;
    if (src.trim() && c.execution_count == null) pending++;
  }}
  return pending === 0 ? 'done' : false;
}}"""

KERNEL_EXECUTABLE = f"""async () => {{
  const k = {_PANEL}.sessionContext.session.kernel;
  const future = k.requestExecute({{code: 'import sys; print([sys.executable, sys.prefix])', silent: false,
                                    store_history: false}});
  let text = '';
  future.onIOPub = msg => {{
    if (msg.header.msg_type === 'stream') text += msg.content.text;
    if (msg.header.msg_type === 'error') text += msg.content.ename + ': ' + msg.content.evalue;
  }};
  await future.done;
  return {{executable: text, kernel: k.name}};
}}"""

# Scroll cell i into view (it may be virtualised off-screen) and describe what its output area shows.
# The share of a picture's pixels that differ from its corner (background) colour: 0 for a blank or
# uniformly grey box, a few percent for any real graph or plot.  Drawn on a white canvas at most 400 px wide.
INK = """async (el, r) => {
  let source = el;
  if (el.tagName.toLowerCase() === 'svg') {
    const text = new XMLSerializer().serializeToString(el);
    source = new Image();
    source.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
  }
  if (source.tagName === 'IMG') {
    try { await source.decode(); } catch (e) { return 0; }
    if (!source.naturalWidth) return 0;
  }
  const scale = Math.min(1, 400 / r.width);
  const w = Math.max(1, Math.round(r.width * scale)), h = Math.max(1, Math.round(r.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w; canvas.height = h;
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff'; g.fillRect(0, 0, w, h);
  try { g.drawImage(source, 0, 0, w, h); } catch (e) { return 0; }
  let px;
  try { px = g.getImageData(0, 0, w, h).data; } catch (e) { return -1; }   // tainted: cannot look inside
  const [r0, g0, b0] = [px[0], px[1], px[2]];
  let count = 0;
  for (let k = 0; k < px.length; k += 4)
    if (Math.max(Math.abs(px[k] - r0), Math.abs(px[k + 1] - g0), Math.abs(px[k + 2] - b0)) > 40) count++;
  return count / (w * h);
}"""

DESCRIBE_CELL = f"""async (i) => {{
  const ink = {INK};
  const nb = {_PANEL}.content;
  const cell = nb.widgets[i];
  await nb.scrollToCell(cell, 'start');
  cell.node.setAttribute('data-minigrad-cell', String(i));   // so Playwright can find it
  const area = cell.node.querySelector('.jp-OutputArea');
  if (!area) return {{pictures: [], text: '', widgets: 0}};
  const pictures = [];
  for (const el of area.querySelectorAll('svg, img, canvas')) {{
    const r = el.getBoundingClientRect();
    if (el.closest('.jp-OutputPrompt, button, .jp-Toolbar')) continue;     // icons, not pictures
    if (r.width <= 20 || r.height <= 20) continue;
    pictures.push({{tag: el.tagName.toLowerCase(), width: r.width, height: r.height, ink: await ink(el, r)}});
  }}
  return {{pictures, text: area.innerText.slice(0, 2000), areaWidth: (area.querySelector('.jp-OutputArea-output') || area).getBoundingClientRect().width,
          widgets: area.querySelectorAll('.jupyter-widgets').length,
          tables: Array.from(area.querySelectorAll('table')).filter(t => t.getBoundingClientRect().height > 0).length}};
}}"""

# What a widget output shows, minus its own controls (a slider's readout changes by itself when moved).
WIDGET_SIGNATURE = f"""(i) => {{
  const area = {_PANEL}.content.widgets[i].node.querySelector('.jp-OutputArea');
  if (!area) return '';
  const copy = area.cloneNode(true);
  for (const el of copy.querySelectorAll('.widget-slider, .widget-hslider, .widget-play, .widget-readout, '
                                           + 'button, .noUi-target')) el.remove();
  return copy.innerHTML;
}}"""

WIDGET_CONTROLS = f"""(i) => {{
  const area = {_PANEL}.content.widgets[i].node.querySelector('.jp-OutputArea');
  const handles = Array.from(area.querySelectorAll('.noUi-handle')).map(h => ({{
      now: Number(h.getAttribute('aria-valuenow')), min: Number(h.getAttribute('aria-valuemin')),
      max: Number(h.getAttribute('aria-valuemax'))}}));
  const buttons = Array.from(area.querySelectorAll('button.jupyter-button, button.widget-button'))
      .map(b => b.innerText.trim());
  return {{handles, buttons}};
}}"""

SCREENSHOT_SIZE = f"""async () => {{
  window.jupyterapp.shell.collapseLeft();
  window.jupyterapp.shell.collapseRight();
  const nb = {_PANEL}.content;
  const scroller = nb.node.querySelector('.jp-WindowedPanel-outer') || nb.node;
  scroller.scrollTop = 0;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const last = nb.widgets[nb.widgets.length - 1];
  return {{inner: scroller.scrollHeight, outer: scroller.getBoundingClientRect().height,
          top: scroller.getBoundingClientRect().top, last: last ? last.node.getBoundingClientRect().bottom : 0}};
}}"""


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def model_problems(name: str, nb: dict) -> list[Problem]:
    """What the notebook model says after Run All: errors, unrun cells, warnings, missing pictures."""
    problems = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        src, outputs = _source(cell), cell.get("outputs", [])

        def problem(message: str) -> None:
            problems.append(Problem(name, i, message, src))

        for out in outputs:
            if out["output_type"] == "error":
                problem(f"raised {out.get('ename')}: {out.get('evalue')}")
            elif out["output_type"] == "stream" and out.get("name") == "stderr" and "warning" in _text(out["text"]).lower():
                problem("printed a warning on stderr: " + _text(out["text"]).strip().splitlines()[0][:200])
        if src.strip() and cell.get("execution_count") is None:
            problem("was not executed by Run All")
        data = [out.get("data", {}) for out in outputs if out["output_type"] in ("display_data", "execute_result")]
        if DRAWING_CALL.search(src) and cell.get("execution_count") is not None:
            if not any(m in d for d in data for m in PICTURE_MIMES + (WIDGET_MIME,)):
                kinds = sorted({m for d in data for m in d}) or ["no display output"]
                problem(f"draws, but its output has no picture or widget (only {', '.join(kinds)})")
        if COMPARE_CALL.search(src) and cell.get("execution_count") is not None:
            if not any("text/html" in d for d in data):
                problem("calls compare(), but its output has no HTML table")
    return problems


def _wait(page, expression: str, timeout_s: float, arg=None):
    """Poll `expression` until it is truthy; None on timeout."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        return page.wait_for_function(expression, arg=arg, timeout=timeout_s * 1000, polling=200).json_value()
    except PlaywrightTimeout:
        return None


def _picture_problems(page, name: str, i: int, src: str, checked: list[str]) -> list[Problem]:
    """The cell's output, scrolled into view, must show a real picture (svg/img with size and content)."""
    deadline = time.monotonic() + 10
    while True:
        seen = page.evaluate(DESCRIBE_CELL, i)
        real = [p for p in seen["pictures"] if p["ink"] > MIN_INK]
        if real:
            p = real[0]
            checked.append(f"cell {i}: picture {p['tag']} {p['width']:.0f}x{p['height']:.0f}, ink {p['ink']:.1%}")
            if p["width"] > seen["areaWidth"] + 1:  # a learner would have to scroll sideways to read it
                return [Problem(name, i, f"its picture is {p['width']:.0f} px wide, wider than the "
                                         f"{seen['areaWidth']:.0f} px output area (scrolls sideways)", src)]
            return []
        if time.monotonic() > deadline:
            what = ", ".join(f"{p['tag']} {p['width']:.0f}x{p['height']:.0f} ink {p['ink']:.2%}"
                             for p in seen["pictures"]) or "no svg/img element"
            text = seen["text"].strip().replace("\n", " ")[:160]
            return [Problem(name, i, f"shows no rendered picture in the page ({what}); it shows: {text!r}", src)]
        page.wait_for_timeout(250)


def _widget_problems(page, name: str, i: int, src: str, checked: list[str]) -> list[Problem]:
    """Widgets must render (no 'Error displaying widget'), and moving a slider / pressing a button
    must change what the cell shows."""
    problems = []

    def problem(message: str) -> None:
        problems.append(Problem(name, i, message, src))

    page.evaluate(DESCRIBE_CELL, i)  # scrolls the cell into view and marks it for the locators below
    rendered = _wait(page, f"""(i) => {{
        const area = {_PANEL}.content.widgets[i].node.querySelector('.jp-OutputArea');
        const t = area ? area.innerText : '';
        if (/Error displaying widget|Error rendering widget/.test(t)) return 'error: ' + t.slice(0, 200);
        const w = area && area.querySelector('.jupyter-widgets');
        return w && w.getBoundingClientRect().height > 0 && !/Loading widget/.test(t) ? 'ok' : false;
    }}""", 20, i)
    if rendered != "ok":
        problem(f"widget did not render ({rendered or 'no widget view after 20 s'})")
        return problems
    controls = page.evaluate(WIDGET_CONTROLS, i)
    if not controls["handles"] and not controls["buttons"]:
        checked.append(f"cell {i}: widget rendered (nothing to move)")
        return problems  # a widget with nothing to move (e.g. an output widget): rendering is the check

    def changed_after(action) -> bool | None:
        """True/False: the output changed or not; None: the control could not be used (reported)."""
        before = page.evaluate(WIDGET_SIGNATURE, i)
        try:
            action()
        except Exception as error:  # a control that cannot be focused or clicked: say so, go on
            problem(f"could not use a widget control: {str(error).splitlines()[0]}")
            return None
        return _wait(page, "([i, before]) => (" + WIDGET_SIGNATURE + ")(i) !== before", 10, [i, before]) is not None

    cell = page.locator(f'[data-minigrad-cell="{i}"]')
    for h, handle in enumerate(controls["handles"]):
        key = "ArrowLeft" if handle["now"] >= handle["max"] else "ArrowRight"

        def move(h=h, key=key) -> None:
            knob = cell.locator(".noUi-handle").nth(h)
            knob.focus(timeout=5000)
            knob.press(key, timeout=5000)

        changed = changed_after(move)
        if changed:
            checked.append(f"cell {i}: slider {h} ({key}) changed the output")
        elif changed is False:
            problem(f"moving slider {h} ({key}) did not change the cell's output")
    steppers = [b for b in controls["buttons"] if re.search(r"next|prev|step|▶|◀", b, re.I)]
    if steppers:
        outcomes = []
        for label in sorted(steppers, key=lambda b: "next" not in b.lower()):  # next first, then prev
            button = cell.locator("button", has_text=label).first
            outcomes.append(changed_after(lambda: button.click(timeout=5000)))
            if outcomes[-1]:
                checked.append(f"cell {i}: button {label!r} changed the output")
                break
        if not any(outcomes) and None not in outcomes:
            problem(f"pressing {' / '.join(steppers)} did not change the cell's output")
    return problems


def check_notebook(page, server: LabServer, path: str, screenshot: Path | None = None,
                   run_timeout: float = 180.0, checked: list[str] | None = None) -> list[Problem]:
    """Open `path` (relative to the served root) in JupyterLab, Run All, and list what is wrong.

    `page` is a fresh Playwright page.  An empty list means: no dialog, the kernel is the project's
    interpreter, every code cell ran without error or warning, every drawing shows a picture, every
    widget renders and responds.  `checked`, if given, receives one line per check that passed in
    the page (pictures seen, controls that changed the output).
    """
    checked = [] if checked is None else checked
    name = Path(path).name
    problems: list[Problem] = []
    page.add_init_script(DIALOG_RECORDER)
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.goto(server.url(path))

    state = _wait(page, KERNEL_IDLE_OR_DIALOG, 90)
    if state != "idle":
        page.wait_for_timeout(500)  # a dialog seen is still being built: let the recorder read it whole
        dialogs = page.evaluate("() => window.__minigradDialogs || []")
        reason = f"a dialog asked: {dialogs}" if dialogs else "the kernel did not become idle within 90 s"
        problems.append(Problem(name, None, f"could not start the kernel: {reason}"))
        _screenshot(page, screenshot)
        return problems
    kernel = page.evaluate(KERNEL_EXECUTABLE)
    try:
        executable, prefix = ast.literal_eval(kernel["executable"].strip())
    except (ValueError, SyntaxError):
        executable, prefix = kernel["executable"], "?"
    # The same environment (sys.prefix: a venv's python is a symlink to the base interpreter, so resolved
    # paths alone would not tell) and the same interpreter (`jupyter lab` re-executes the jupyter-lab
    # script, whose shebang may say python3 where we were started as python).
    if prefix != sys.prefix or Path(executable).resolve() != Path(sys.executable).resolve():
        problems.append(Problem(name, None, f"kernel {kernel['kernel']!r} runs {executable!r} (prefix {prefix!r}), "
                                            f"not this environment's {sys.executable} (prefix {sys.prefix!r})"))
    else:
        checked.append(f"kernel {kernel['kernel']!r} is {executable}")

    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    finished = _wait(page, RUN_FINISHED, run_timeout)
    if finished is None:
        problems.append(Problem(name, None, f"Run All did not finish within {run_timeout:.0f} s"))
    dialogs = page.evaluate("() => window.__minigradDialogs")
    if dialogs:
        problems.append(Problem(name, None, f"a dialog appeared: {dialogs}"))

    nb = page.evaluate(f"() => {_PANEL}.context.model.toJSON()")
    problems += model_problems(name, nb)
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or cell.get("execution_count") is None:
            continue
        src = _source(cell)
        mimes = {m for out in cell.get("outputs", []) for m in out.get("data", {})}
        if DRAWING_CALL.search(src) and (mimes & set(PICTURE_MIMES + (WIDGET_MIME,))):
            problems += _picture_problems(page, name, i, src, checked)
        if WIDGET_MIME in mimes:
            problems += _widget_problems(page, name, i, src, checked)
        if COMPARE_CALL.search(src) and "text/html" in mimes:
            seen = _wait(page, "async (i) => { const s = await (" + DESCRIBE_CELL + ")(i); return s.tables ? s : false; }",
                         10, i)
            if seen:
                checked.append(f"cell {i}: compare table shown")
            else:
                problems.append(Problem(name, i, "calls compare(), but no table shows in the page", src))
    for error in page_errors:
        problems.append(Problem(name, None, f"JavaScript error in the page: {error[:300]}"))
    _screenshot(page, screenshot)
    return problems


def _screenshot(page, path: Path | None) -> None:
    """The whole notebook in one picture: grow the viewport to the notebook's height, then shoot."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        viewport = page.viewport_size or {"width": 1280, "height": 900}
        size = page.evaluate(SCREENSHOT_SIZE)
        chrome = viewport["height"] - size["outer"]  # menus, toolbar, status bar around the notebook
        page.set_viewport_size({"width": viewport["width"], "height": int(min(16000, size["inner"] + chrome))})
        page.wait_for_timeout(800)  # let the grown notebook lay out and paint every cell
        size = page.evaluate(SCREENSHOT_SIZE)  # the real end of the last cell, now that all are laid out
        below = page.viewport_size["height"] - size["top"] - size["outer"]  # the status bar
        height = int(min(16000, max(viewport["height"], size["last"] + 40 + below)))
        page.set_viewport_size({"width": viewport["width"], "height": height})
        page.wait_for_timeout(300)
    except Exception:  # a notebook that never opened still gets a picture of the page
        pass
    page.screenshot(path=str(path))
