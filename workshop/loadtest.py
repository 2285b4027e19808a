"""Simulated attendees on the workshop hub: log in, follow the lesson link, Run All, check every output.

    python -m workshop.loadtest --attendees 10        # prints the table and the capacity it implies

Each attendee is a browser context of its own in one headless Chromium.  All of them follow the
nbgitpuller link of lesson 05 (which logs them in, starts their server as their own system user and
clones the repository into their home), wait for their kernel, and press Run All at the same moment,
the worst case of a room where the instructor says "now run everything"; then the same with lesson 06.
Every output is checked as the browser suite checks it (tests/browser/lab.py): no error, no warning,
no dialog, every drawing a real picture, every widget responding, the kernel the hub's Python.

Nothing leaves 127.0.0.1: the repository is served by `git daemon` on a free loopback port from a
bare clone of this checkout (the same code path as a pull from GitHub).  Everything started here is
stopped and every account and folder removed at the end, even when a check fails.
"""
from __future__ import annotations

import argparse
import ast
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.browser import lab
from workshop.hub import Hub, free_port, processes_of
from workshop.links import hub_link

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ("05_several_variables.ipynb", "06_backprop_network.ipynb")
# Seconds between two attendees following a lesson's link: a room arrives over a minute or so and follows
# the next link within seconds of being told; Run All is then pressed by everyone at the same moment.
ARRIVAL = (2.0, 1.0)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]
PAGE_SIZE = 4096
# pictures of what an attendee saw when their lesson did not open (git-ignored)
SCREENSHOTS = ROOT / "workshop" / "screenshots"

# Time of the first picture in the notebook's model after Run All (set by `RUN_ALL` below).
FIRST_GRAPH_WATCH = """
setInterval(() => {
  if (!window.__runAllAt || window.__firstGraphAt) return;
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const cells = w && w.content && w.content.model && w.content.model.cells;
  if (!cells) return;
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type !== 'code') continue;
    for (let j = 0; j < c.outputs.length; j++) {
      const d = c.outputs.get(j).data;
      if (d['image/svg+xml'] || d['image/png']) { window.__firstGraphAt = Date.now(); return; }
    }
  }
}, 100);
"""
# Clear the committed outputs first, so that the first picture seen is one this run drew.
RUN_ALL = """async () => {
  await window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs');
  window.__runAllAt = Date.now(); window.__firstGraphAt = 0;
  window.jupyterapp.commands.execute('notebook:run-all-cells');  // not awaited: it resolves when all ran
  return true;
}"""
# The lesson's notebook is the current tab and its kernel is idle ('dialog' if JupyterLab asked anything).
LESSON_READY = """(lesson) => {
  if (window.__minigradDialogs && window.__minigradDialogs.length) return 'dialog';
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.context || !w.context.path.endsWith(lesson) || !w.sessionContext) return false;
  const k = w.context.isReady && w.sessionContext.isReady && w.sessionContext.session
            && w.sessionContext.session.kernel;
  return k && k.status === 'idle' ? 'idle' : false;
}"""
WHO_AM_I = f"""async () => {{
  const k = {lab._PANEL}.sessionContext.session.kernel;
  const f = k.requestExecute({{code: 'import os, pwd, sys; print(repr((pwd.getpwuid(os.getuid()).pw_name, '
                                    + 'os.getpid(), sys.executable, sys.prefix)))', store_history: false}});
  let text = '';
  f.onIOPub = m => {{ if (m.header.msg_type === 'stream') text += m.content.text;
                      if (m.header.msg_type === 'error') text += m.content.ename + ': ' + m.content.evalue; }};
  await f.done;
  return text;
}}"""


# --------------------------------------------------------------------------- the repository on loopback
class GitServer:
    """`git daemon` on 127.0.0.1 serving a bare clone of this checkout as git://127.0.0.1:PORT/minigrad."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="minigrad-git-"))
        os.chmod(self.tmp, 0o755)
        self.bare = self.tmp / "minigrad"
        subprocess.run(["git", "clone", "--quiet", "--bare", str(ROOT), str(self.bare)], check=True)
        subprocess.run(["git", "-C", str(self.bare), "symbolic-ref", "HEAD", "refs/heads/main"], check=False,
                       capture_output=True)
        # the bare clone's HEAD: the branch checked out here, renamed main as a public repository has it
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
        subprocess.run(["git", "-C", str(self.bare), "update-ref", "refs/heads/main", head], check=True)
        self.port = free_port()
        self.url = f"git://127.0.0.1:{self.port}/minigrad"
        self.proc = subprocess.Popen(
            ["git", "daemon", "--reuseaddr", "--listen=127.0.0.1", f"--port={self.port}",
             f"--base-path={self.tmp}", "--export-all", "--informative-errors", str(self.tmp)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 20
        while subprocess.run(["git", "ls-remote", self.url], capture_output=True).returncode != 0:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError("git daemon did not serve the repository on 127.0.0.1")
            time.sleep(0.2)

    def commit_upstream(self, path: str, text: str, message: str) -> None:
        """A new commit on main, as if the instructor pushed a fix during the workshop."""
        work = self.tmp / "work"
        subprocess.run(["git", "clone", "--quiet", str(self.bare), str(work)], check=True)
        (work / path).write_text(text)
        git = ["git", "-C", str(work), "-c", "user.name=instructor", "-c", "user.email=instructor@127.0.0.1"]
        subprocess.run(git + ["add", path], check=True)
        subprocess.run(git + ["commit", "--quiet", "-m", message], check=True)
        subprocess.run(git + ["push", "--quiet", "origin", "HEAD:main"], check=True)
        shutil.rmtree(work)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        shutil.rmtree(self.tmp, ignore_errors=True)


# --------------------------------------------------------------------------- memory and CPU of processes
def _proc_stat(pid: int) -> tuple[int, float, str] | None:
    """(RSS in bytes, CPU seconds user+system, command line) of one process; None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2:].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        rss = int(fields[21]) * PAGE_SIZE
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        return rss, cpu, cmd
    except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
        return None


def descendants(root: int, depth: int = 1000) -> list[int]:
    """The processes below `root` (children, their children, ... down to `depth`), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                children.setdefault(int(stat[stat.rindex(")") + 2:].split()[1]), []).append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, ValueError):
                pass
    found, todo = [], [(root, 0)]
    while todo:
        pid, level = todo.pop()
        if level < depth:
            for child in children.get(pid, []):
                found.append(child)
                todo.append((child, level + 1))
    return found


def kind_of(cmd: str) -> str:
    """kernel, server (the attendee's JupyterLab) or other (git during a pull, ...)."""
    if "ipykernel" in cmd:
        return "kernel"
    if "jupyterhub-singleuser" in cmd:
        return "server"
    return "other"


class Sampler(threading.Thread):
    """Every `period` s: RSS and CPU time of each attendee's processes and of the hub's (peak RSS kept)."""

    def __init__(self, hub: Hub, uids: dict[str, int], period: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.hub, self.uids, self.period = hub, uids, period
        self.peak: dict[int, int] = {}      # pid -> peak RSS
        self.cpu: dict[int, float] = {}     # pid -> last CPU seconds seen
        self.owner: dict[int, tuple[str, str]] = {}  # pid -> (attendee or 'hub:<part>', kind)
        self.peak_total: dict[str, int] = {}  # attendee -> peak of the sum of their processes' RSS
        self.done = threading.Event()

    def sample(self) -> None:
        totals: dict[str, int] = {}
        for name, uid in self.uids.items():
            for pid in processes_of(uid):
                got = _proc_stat(pid)
                if got is None:
                    continue
                rss, cpu, cmd = got
                self.owner.setdefault(pid, (name, kind_of(cmd)))
                self.peak[pid] = max(self.peak.get(pid, 0), rss)
                self.cpu[pid] = cpu
                totals[name] = totals.get(name, 0) + rss
        for part, pid in self.hub.pids().items():
            got = _proc_stat(pid)
            if got is not None:
                self.owner.setdefault(pid, (f"hub:{part}", part))
                self.peak[pid] = max(self.peak.get(pid, 0), got[0])
                self.cpu[pid] = got[1]
        for pid in self.browser_processes():  # the simulated attendees' browser (their laptops in a room)
            got = _proc_stat(pid)
            if got is not None:
                self.owner.setdefault(pid, ("browser", "browser"))
                self.peak[pid] = max(self.peak.get(pid, 0), got[0])
                self.cpu[pid] = got[1]
        for name, total in totals.items():
            self.peak_total[name] = max(self.peak_total.get(name, 0), total)

    @staticmethod
    def browser_processes() -> list[int]:
        """Playwright's driver (a child of this process) and the Chromium below it."""
        found = []
        for pid in descendants(os.getpid(), depth=1):
            got = _proc_stat(pid)
            if got is not None and "playwright" in got[2]:
                found += [pid] + descendants(pid)
        return found

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.period)

    def processes(self, owner: str, kind: str | None = None) -> list[int]:
        return [pid for pid, (o, k) in self.owner.items() if o == owner and (kind is None or k == kind)]


# --------------------------------------------------------------------------- one attendee
@dataclass
class Attendee:
    name: str
    context: object
    page: object = None
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    lab_ready: dict[str, float] = field(default_factory=dict)   # lesson -> s from following the link
    # lesson -> {phase: s from following the link}: server up (the git-pull page), pulled (JupyterLab loading)
    phases: dict[str, dict[str, float]] = field(default_factory=dict)
    run_time: dict[str, float] = field(default_factory=dict)    # lesson -> s from Run All to done
    first_graph: dict[str, float] = field(default_factory=dict)  # lesson -> s from Run All to first picture
    kernel_pid: dict[str, int] = field(default_factory=dict)
    state: str = ""
    clicked: float = 0.0
    page_errors: list[str] = field(default_factory=list)
    slow_loads: int = 0  # times JupyterLab asked whether to keep waiting for it to load

    def fail(self, lesson: str, message: str) -> None:
        self.problems.append(f"{self.name} {lesson}: {message}")


def _evaluate(page, expression: str, arg=None):
    """page.evaluate that returns None while the page is between two documents (login, spawn, pull)."""
    try:
        return page.evaluate(expression, arg)
    except Exception:
        return None


SLOW_LOADING = "The loading screen is taking a long time"


def _keep_waiting(page) -> bool:
    """Answer JupyterLab's slow-loading question with "Keep Waiting", as an attendee would."""
    try:
        page.locator(".jp-Dialog button", has_text="Keep Waiting").first.click(timeout=5000)
    except Exception:
        return False
    _evaluate(page, "() => { window.__minigradDialogs.length = 0; }")
    return True


def log_in(page, hub: Hub, name: str, password: str) -> None:
    """Fill the hub's login form (the page must show it) and submit."""
    page.wait_for_selector("#username_input", timeout=60_000)
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.click("#login_submit", no_wait_after=True)


def open_lesson(attendees: list[Attendee], hub: Hub, repo: str, lesson: str, timeout: float,
                stagger: float = 0.0) -> None:
    """Every attendee follows the lesson's hub link (logging in if asked), `stagger` seconds apart;
    returns when every lab's kernel is idle, or marks the ones that did not get there within `timeout`."""
    link = hub_link(repo, lesson, hub.base)
    for a in attendees:
        if a.page is None:
            a.page = a.context.new_page()
            a.page.add_init_script(lab.DIALOG_RECORDER)
            a.page.add_init_script(FIRST_GRAPH_WATCH)
            a.page.on("pageerror", lambda error, errors=a.page_errors: errors.append(str(error)))
        a.clicked = time.monotonic()
        a.page.goto(link, wait_until="commit")
        a.state = "following"
        time.sleep(stagger)
    pending = [a for a in attendees if not a.problems]
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for a in list(pending):
            url = a.page.url
            phases = a.phases.setdefault(lesson, {})
            for phase, part in (("server", f"/user/{a.name}/git-pull"), ("pulled", f"/user/{a.name}/lab")):
                if part in url and phase not in phases:
                    phases[phase] = time.monotonic() - a.clicked
            if "/hub/login" in url and a.state == "following":
                try:
                    log_in(a.page, hub, a.name, hub.password)
                    a.state = "logging in"
                except Exception as error:  # the form not there yet: try again on the next round
                    if time.monotonic() > deadline:
                        a.fail(lesson, f"login form: {error}")
                continue
            state = _evaluate(a.page, LESSON_READY, lesson) if "/lab" in url else None
            if state == "idle":
                a.lab_ready[lesson] = time.monotonic() - a.clicked
                pending.remove(a)
            elif state == "dialog":
                dialogs = _evaluate(a.page, "() => window.__minigradDialogs") or []
                if dialogs and all(SLOW_LOADING in d for d in dialogs):
                    # JupyterLab's own "still loading" question on a busy machine: an attendee keeps waiting
                    if _keep_waiting(a.page):
                        a.slow_loads += 1
                    continue
                a.fail(lesson, f"a dialog asked: {dialogs}")
                pending.remove(a)
            elif "git-pull" in url and "error" in (_evaluate(a.page, "() => document.body.innerText") or "").lower()[:2000]:
                text = _evaluate(a.page, "() => document.body.innerText") or ""
                if "Error" in text and "phase" not in text:
                    a.fail(lesson, f"nbgitpuller failed: {text[:300]!r}")
                    pending.remove(a)
        time.sleep(0.3)
    for a in pending:
        shot = SCREENSHOTS / f"{a.name}-{Path(lesson).stem}.png"
        try:
            SCREENSHOTS.mkdir(exist_ok=True)
            a.page.screenshot(path=str(shot))
        except Exception:
            shot = "none"
        a.fail(lesson, f"JupyterLab with the lesson's kernel not ready within {timeout:.0f} s (at {a.page.url}; "
                       f"reached {a.phases.get(lesson)}; screenshot {shot})")


def check_kernel(a: Attendee, lesson: str, hub_prefix: str) -> None:
    """The kernel runs as the attendee, from the hub's environment."""
    text = _evaluate(a.page, WHO_AM_I) or ""
    try:
        user, pid, executable, prefix = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        a.fail(lesson, f"could not ask the kernel who it is: {text[:200]!r}")
        return
    a.kernel_pid[lesson] = pid
    if user != a.name:
        a.fail(lesson, f"the kernel runs as {user!r}, not as the attendee {a.name!r}")
    if prefix != hub_prefix:
        a.fail(lesson, f"the kernel runs {executable} (prefix {prefix}), not the hub's environment {hub_prefix}")
    else:
        a.checked.append(f"{lesson}: kernel {pid} runs as {user} from {prefix}")


def run_all(attendees: list[Attendee], lesson: str, timeout: float) -> None:
    """Press Run All in every attendee's lab at once; wait until every run has finished."""
    ready = [a for a in attendees if lesson in a.lab_ready]
    started = {}
    for a in ready:
        _evaluate(a.page, RUN_ALL)
        started[a.name] = time.monotonic()
    pending = list(ready)
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for a in list(pending):
            state = _evaluate(a.page, lab.RUN_FINISHED)
            if state:
                a.run_time[lesson] = time.monotonic() - started[a.name]
                times = _evaluate(a.page, "() => [window.__runAllAt, window.__firstGraphAt]") or [0, 0]
                if times[1]:
                    a.first_graph[lesson] = (times[1] - times[0]) / 1000
                pending.remove(a)
        time.sleep(0.3)
    for a in pending:
        a.fail(lesson, f"Run All did not finish within {timeout:.0f} s")


def check_outputs(a: Attendee, lesson: str) -> None:
    """What the browser suite checks after Run All: model, pictures, widgets, compare tables, dialogs."""
    page = a.page
    dialogs = _evaluate(page, "() => window.__minigradDialogs") or []
    if dialogs:
        a.fail(lesson, f"a dialog appeared: {dialogs}")
    nb = _evaluate(page, f"() => {lab._PANEL}.context.model.toJSON()")
    if nb is None:
        a.fail(lesson, "the notebook is not open")
        return
    problems = lab.model_problems(lesson, nb)
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or cell.get("execution_count") is None:
            continue
        src = lab._source(cell)
        mimes = {m for out in cell.get("outputs", []) for m in out.get("data", {})}
        if lab.DRAWING_CALL.search(src) and (mimes & set(lab.PICTURE_MIMES + (lab.WIDGET_MIME,))):
            problems += lab._picture_problems(page, lesson, i, src, a.checked)
        if lab.WIDGET_MIME in mimes:
            problems += lab._widget_problems(page, lesson, i, src, a.checked)
        if lab.COMPARE_CALL.search(src) and "text/html" in mimes:
            seen = lab._wait(page, "async (i) => { const s = await (" + lab.DESCRIBE_CELL + ")(i); "
                                   "return s.tables ? s : false; }", 10, i)
            if seen:
                a.checked.append(f"{lesson} cell {i}: compare table shown")
            else:
                problems.append(lab.Problem(lesson, i, "calls compare(), but no table shows in the page", src))
    for error in a.page_errors:
        problems.append(lab.Problem(lesson, None, f"JavaScript error in the page: {error[:300]}"))
    a.page_errors.clear()
    for p in problems:
        a.fail(lesson, str(p))
    a.checked.append(f"{lesson}: {sum(1 for c in nb['cells'] if c['cell_type'] == 'code')} code cells checked")


# --------------------------------------------------------------------------- the run
@dataclass
class Result:
    attendees: int
    served: int
    failures: list[str]
    rows: list[dict]
    hub_rss: dict[str, int]
    hub_cpu: float
    browser_cpu: float
    load: tuple[float, float]  # the machine's 1-minute load average at the start and at the end
    wall: float
    cores: int
    mem_total: int

    def per_attendee(self) -> dict[str, float]:
        """Medians over the attendees served: peak MB, CPU-seconds per lesson."""
        served = [r for r in self.rows if r["ok"]] or self.rows
        def median(values):
            values = sorted(values)
            return values[len(values) // 2] if values else 0.0
        return {"peak_mb": median([r["peak_total_mb"] for r in served]),
                "kernel_cpu": {lesson: median([r["kernel_cpu"].get(lesson, 0.0) for r in served]) for lesson in LESSONS},
                "cpu_per_lesson": median([r["cpu_s"] / len(LESSONS) for r in served]),
                "max_peak_mb": max([r["peak_total_mb"] for r in served], default=0.0)}

    def capacity(self, memory_gb: float, cores: int, lesson_minutes: float = 15.0,
                 burst_s: float = 30.0) -> dict[str, int]:
        """Attendees a machine serves, the smallest of three bounds: memory (peak per attendee, all at once,
        25% kept free), CPU on average (each attendee's CPU-seconds per lesson spread over a lesson of
        `lesson_minutes`, cores 70% busy) and the burst when the whole room presses Run All at once (the
        heaviest lesson's kernel CPU-seconds for everyone, done within `burst_s` seconds)."""
        per = self.per_attendee()
        hub_mb = sum(self.hub_rss.values()) / 2**20
        by_memory = int((memory_gb * 1024 * 0.75 - hub_mb) / max(per["max_peak_mb"], 1))
        by_cpu = int(cores * 0.7 * lesson_minutes * 60 / max(per["cpu_per_lesson"], 0.01))
        by_burst = int(cores * burst_s / max(max(per["kernel_cpu"].values(), default=0.0), 0.01))
        return {"memory": by_memory, "cpu": by_cpu, "burst": by_burst, "serves": min(by_memory, by_cpu, by_burst)}

    def table(self) -> str:
        mb = 2**20
        lines = [f"Workshop load test: {self.attendees} simulated attendees, lessons {' and '.join(LESSONS)}, "
                 f"arriving {ARRIVAL[0]:.0f} s apart, Run All pressed by all at once; machine: {self.cores} cores, {self.mem_total / 2**30:.0f} GB; "
                 f"wall time {self.wall:.0f} s; load average {self.load[0]:.1f} at the start, {self.load[1]:.1f} at the end "
                 f"(other work on the machine counts in it)",
                 f"attendees served: {self.served} of {self.attendees}; failures: {len(self.failures)}; "
                 f"JupyterLab's 'loading is taking a long time' question answered 'Keep Waiting': "
                 f"{sum(r['slow_loads'] for r in self.rows)} times",
                 "",
                 "| attendee | ok | 05: server up / pulled (s) | lab ready 05 / 06 (s) | first graph 05 / 06 (s) | Run All 05 / 06 (s) "
                 "| kernel RSS 05 / 06 (MB) | server RSS (MB) | peak total (MB) | CPU (s) |",
                 "|---|---|---|---|---|---|---|---|---|---|"]
        def pair(d, fmt="{:.1f}"):
            return " / ".join(fmt.format(d[l]) if l in d else "-" for l in LESSONS)
        for r in self.rows:
            first = r["phases"].get(LESSONS[0], {})
            up = " / ".join(f"{first[k]:.1f}" if k in first else "-" for k in ("server", "pulled"))
            lines.append(f"| {r['name']} | {'yes' if r['ok'] else 'NO'} | {up} | {pair(r['lab_ready'])} | "
                         f"{pair(r['first_graph'])} | {pair(r['run_time'])} | {pair(r['kernel_mb'], '{:.0f}')} | "
                         f"{r['server_mb']:.0f} | {r['peak_total_mb']:.0f} | {r['cpu_s']:.1f} |")
        hub = ", ".join(f"{k} {v / mb:.0f} MB" for k, v in self.hub_rss.items())
        lines += ["", f"hub processes (peak RSS): {hub}; total {sum(self.hub_rss.values()) / mb:.0f} MB, "
                      f"CPU {self.hub_cpu:.1f} s",
                  f"the simulated attendees' Chromium (their laptops in a real room) used {self.browser_cpu:.0f} "
                  f"CPU-seconds of this machine's {self.cores} cores"]
        per = self.per_attendee()
        here = self.capacity(self.mem_total / 2**30, self.cores)
        big = self.capacity(64, 16)
        kernel_cpu = " and ".join(f"{v:.1f} s for {Path(k).stem[:2]}" for k, v in per["kernel_cpu"].items())
        lines += [f"one attendee needs about {per['peak_mb']:.0f} MB (largest {per['max_peak_mb']:.0f} MB: server "
                  f"and both lessons' kernels) and {per['cpu_per_lesson']:.1f} CPU-seconds per lesson with their "
                  f"server's share (the kernel alone: {kernel_cpu})",
                  f"capacity, the smallest of: memory with 25% kept free; cores 70% busy over a 15-minute lesson; "
                  f"everyone's Run All of the heaviest lesson done within 30 s: this machine "
                  f"({self.mem_total / 2**30:.0f} GB, {self.cores} cores) serves about {here['serves']} "
                  f"(memory {here['memory']}, CPU {here['cpu']}, Run All burst {here['burst']}); "
                  f"a machine with 64 GB and 16 cores about {big['serves']} "
                  f"(memory {big['memory']}, CPU {big['cpu']}, burst {big['burst']})"]
        if self.failures:
            lines += ["", "failures:"] + [f"  - {f}" for f in self.failures]
        return "\n".join(lines)


@contextmanager
def room(n: int, *, chromium: str = lab.CHROMIUM, timeout: float = 900.0):
    """N attendees through both lessons at once on a fresh hub; yields a `Room` (hub, repository server,
    browser, attendees, the result) while everything still runs, for more checks (the fault tests), and
    tears everything down afterwards, whatever happened."""
    from playwright.sync_api import sync_playwright

    start = time.monotonic()
    deadline = start + timeout
    load_at_start = os.getloadavg()[0]
    if threading.current_thread() is threading.main_thread():
        # `kill` or a CI time-out sends SIGTERM: turn it into an exit, so the clean-up below still runs
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    git = GitServer()
    hub = None
    try:
        hub = Hub()
        names = [f"a{hub.group[3:]}{i:02d}" for i in range(n)]  # unique per run, like the hub's group
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                attendees = [Attendee(name, browser.new_context(viewport={"width": 1280, "height": 900}))
                             for name in names]
                uids: dict[str, int] = {}
                sampler = Sampler(hub, uids)
                sampler.start()
                try:
                    for lesson, stagger in zip(LESSONS, ARRIVAL):
                        left = max(60.0, deadline - time.monotonic())
                        open_lesson([a for a in attendees if not a.problems], hub, git.url, lesson, min(300.0, left),
                                    stagger)
                        for a in attendees:
                            if a.name not in uids:
                                try:
                                    uids[a.name] = pwd.getpwnam(a.name).pw_uid
                                except KeyError:
                                    pass
                        for a in attendees:
                            if lesson in a.lab_ready:
                                check_kernel(a, lesson, sys.prefix)
                        run_all([a for a in attendees if lesson in a.lab_ready], lesson,
                                min(400.0, max(60.0, deadline - time.monotonic())))
                        sampler.sample()
                        for a in attendees:
                            if lesson in a.run_time:
                                check_outputs(a, lesson)
                    sampler.sample()
                finally:
                    sampler.done.set()
                    sampler.join(5)
                result = _result(n, attendees, sampler, hub, time.monotonic() - start, load_at_start)
                yield Room(hub, git, browser, attendees, result)
            finally:
                browser.close()
    finally:
        if hub is not None:
            hub.stop()
        git.stop()


@dataclass
class Room:
    hub: Hub
    git: GitServer
    browser: object
    attendees: list[Attendee]
    result: Result


def _result(n: int, attendees: list[Attendee], sampler: Sampler, hub: Hub, wall: float,
            load_at_start: float) -> Result:
    rows, failures = [], []
    for a in attendees:
        kernels = sampler.processes(a.name, "kernel") + sampler.processes(a.name, "other")
        kernel_mb = {lesson: sampler.peak.get(pid, 0) / 2**20 for lesson, pid in a.kernel_pid.items()}
        kernel_cpu = {lesson: sampler.cpu.get(pid, 0.0) for lesson, pid in a.kernel_pid.items()}
        servers = sampler.processes(a.name, "server")
        ok = not a.problems and all(lesson in a.run_time for lesson in LESSONS)
        rows.append({"name": a.name, "ok": ok, "lab_ready": a.lab_ready, "phases": a.phases, "first_graph": a.first_graph,
                     "run_time": a.run_time, "kernel_mb": kernel_mb, "kernel_cpu": kernel_cpu,
                     "server_mb": sum(sampler.peak.get(pid, 0) for pid in servers) / 2**20,
                     "peak_total_mb": sampler.peak_total.get(a.name, 0) / 2**20,
                     "cpu_s": sum(sampler.cpu.get(pid, 0.0) for pid in kernels + servers),
                     "slow_loads": a.slow_loads})
        failures += a.problems
        if not ok and not a.problems:
            failures.append(f"{a.name}: did not finish both lessons")
    hub_rss: dict[str, int] = {}
    hub_cpu = 0.0
    browser_cpu = sum(sampler.cpu.get(pid, 0.0) for pid in sampler.processes("browser"))
    for pid, (owner, part) in sampler.owner.items():
        if owner.startswith("hub:"):
            hub_rss[part] = max(hub_rss.get(part, 0), sampler.peak.get(pid, 0))
            hub_cpu += sampler.cpu.get(pid, 0.0)
    mem_total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return Result(n, sum(r["ok"] for r in rows), failures, rows, hub_rss, hub_cpu, browser_cpu,
                  (load_at_start, os.getloadavg()[0]), wall, os.cpu_count() or 1, mem_total)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attendees", "-n", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=900.0, help="stop after this many seconds")
    args = parser.parse_args(argv)
    with room(args.attendees, timeout=args.timeout) as r:
        print(r.result.table(), flush=True)
    return 0 if not r.result.failures else 1


if __name__ == "__main__":
    sys.exit(main())
