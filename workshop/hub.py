"""Start and stop the workshop JupyterHub (workshop/jupyterhub_config.py), and remove what it made.

    python -m workshop.hub --port 8000                 # `make hub`: runs until Ctrl-C, prints the password
    python -m workshop.hub --password 'our-secret' --ip 0.0.0.0   # a room (behind HTTPS; docs/workshop.md)
    python -m workshop.hub --remove-attendees          # after the workshop: delete the attendee accounts
    python -m workshop.hub --install-settings          # JupyterLab settings for attendees (make does it)

`Hub` is the same hub as an object, for the tests: it runs on free ports of 127.0.0.1 with its own
state folder and attendee group, and `stop()` ends every process and removes every account and home
it made, even after a failed check.

Example:
    >>> hub = Hub(password="a-long-secret")      # doctest: +SKIP
    >>> hub.url("/hub/login")                     # doctest: +SKIP
    'http://127.0.0.1:40123/hub/login'
"""
from __future__ import annotations

import argparse
import atexit
import grp
import json
import os
import pwd
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "jupyterhub_config.py"
# `make` installs the proxy beside the hub's environment: <HUB_HOME>/proxy next to <HUB_HOME>/venv.
PROXY = Path(sys.prefix).parent / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
# JupyterLab settings every attendee gets: no news or update checks from the browser (no outside traffic),
# and a lesson opened while another lesson's kernel runs starts its own kernel instead of asking which
# kernel to use (the "Select kernel" dialog a room of beginners should never see).
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"autoStartDefaultKernel": True},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def install_settings(prefix: str = sys.prefix) -> Path:
    """Write JupyterLab's overrides.json into the hub's environment (read by every attendee's server)."""
    path = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(LAB_OVERRIDES, indent=2) + "\n")
    return path


def group_members(group: str) -> list[str]:
    try:
        return list(grp.getgrnam(group).gr_mem)
    except KeyError:
        return []


def processes_of(uid: int) -> list[int]:
    """Process ids owned by `uid` (read from /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except FileNotFoundError:
                pass
    return pids


def remove_attendees(group: str) -> list[str]:
    """End every process of every account in `group`, delete the accounts with their homes, then the group.

    Only members of `group` are touched: the hub puts each attendee account there and nothing else.
    """
    removed = []
    for name in group_members(group):
        try:
            account = pwd.getpwnam(name)
        except KeyError:
            continue
        for sig in (signal.SIGTERM, signal.SIGKILL):
            pids = processes_of(account.pw_uid)
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + 5
            while pids and processes_of(account.pw_uid) and time.monotonic() < deadline:
                time.sleep(0.1)
        subprocess.run(["userdel", "--remove", name], capture_output=True)
        if account.pw_dir.startswith("/home/") and os.path.isdir(account.pw_dir):
            shutil.rmtree(account.pw_dir, ignore_errors=True)
        removed.append(name)
    subprocess.run(["groupdel", group], capture_output=True)
    return removed


class Hub:
    """The workshop hub on free ports of 127.0.0.1, in its own state folder; `stop()` undoes everything."""

    def __init__(self, password: str | None = None, port: int | None = None, group: str | None = None,
                 idle: int = 3600, max_users: int = 0, startup_timeout: float = 90.0) -> None:
        if os.geteuid() != 0:
            raise RuntimeError("the hub creates a system user per attendee: run it as root")
        if not os.access(PROXY, os.X_OK):
            raise RuntimeError(f"{PROXY} not found: `make hub-deps` installs configurable-http-proxy")
        self.password = password or secrets.token_urlsafe(12)
        self.port = port or free_port()
        self.group = group or f"mgw{secrets.token_hex(3)}"
        self.state = Path(tempfile.mkdtemp(prefix="minigrad-hub-"))
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = self.state / "hub.log"
        self.proc: subprocess.Popen | None = None
        self.env = dict(os.environ, MINIGRAD_HUB_PASSWORD=self.password, MINIGRAD_HUB_STATE=str(self.state),
                        MINIGRAD_HUB_IP="127.0.0.1", MINIGRAD_HUB_PORT=str(self.port),
                        MINIGRAD_HUB_API_PORT=str(free_port()), MINIGRAD_HUB_PROXY_API_PORT=str(free_port()),
                        MINIGRAD_HUB_GROUP=self.group, MINIGRAD_HUB_IDLE=str(idle),
                        MINIGRAD_HUB_MAX_USERS=str(max_users), MINIGRAD_HUB_PROXY=str(PROXY))
        for name in ("MPLBACKEND", "JUPYTER_PATH", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "PYTHONPATH"):
            self.env.pop(name, None)  # the test process's settings must not leak into attendees' servers
        atexit.register(self.stop)
        try:
            self._start(startup_timeout)
        except BaseException:
            self.stop()
            raise

    def url(self, path: str = "/") -> str:
        return self.base + path

    def _start(self, startup_timeout: float) -> None:
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=self.state, env=self.env,
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with code {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url("/hub/api/"), timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"jupyterhub did not answer within {startup_timeout:.0f} s:\n{self.log()}")

    def log(self, tail: int = 6000) -> str:
        return self.log_path.read_text(errors="replace")[-tail:] if self.log_path.exists() else ""

    def pids(self) -> dict[str, int]:
        """The hub's own processes: the hub and what it started as root (its proxy, the idle culler)."""
        if self.proc is None or self.proc.poll() is not None:
            return {}
        found = {"hub": self.proc.pid}
        for pid in processes_of(0):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) != self.proc.pid:  # not a child of the hub
                continue
            if "configurable-http-proxy" in cmd:
                found["proxy"] = pid
            elif "jupyterhub_idle_culler" in cmd:
                found["idle-culler"] = pid
        return found

    def stop(self, grace: float = 60.0) -> None:
        """Stop the hub (it stops the attendees' servers, its proxy and culler), then end and remove
        everything it made: what outlived `grace` is killed, every attendee account and home removed."""
        parts = list(self.pids().values())  # the proxy and culler run in sessions of their own
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.terminate()
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        kill_all(parts, "jupyterhub")  # whatever of the hub, its proxy and culler is still there
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(5)
        remove_attendees(self.group)
        if not getattr(getattr(self, "_log", None), "closed", True):
            self._log.close()
        shutil.rmtree(self.state, ignore_errors=True)


def kill_all(pids: list[int], word: str) -> None:
    """SIGKILL each of `pids` that is still the process we meant (its command line mentions `word`
    or configurable-http-proxy), so that a recycled process id is never hit."""
    for pid in pids:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            if word in cmd or "configurable-http-proxy" in cmd:
                os.kill(pid, signal.SIGKILL)
        except (FileNotFoundError, ProcessLookupError):
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The minigrad workshop JupyterHub (docs/workshop.md)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--ip", default="127.0.0.1", help="0.0.0.0 for a room, behind HTTPS (see the guide)")
    parser.add_argument("--password", default=os.environ.get("MINIGRAD_HUB_PASSWORD"),
                        help="the workshop password (default: $MINIGRAD_HUB_PASSWORD, else a new random one)")
    parser.add_argument("--state", default=str(Path(sys.prefix).parent / "state"),
                        help="folder for the hub's database and cookie secret")
    parser.add_argument("--group", default="minigrad-attendees", help="system group of the attendee accounts")
    parser.add_argument("--idle", type=int, default=3600, help="seconds before an idle server is stopped")
    parser.add_argument("--max-users", type=int, default=0, help="servers allowed at once (0: no limit)")
    parser.add_argument("--remove-attendees", action="store_true",
                        help="delete every account in --group with its home folder, and stop")
    parser.add_argument("--install-settings", action="store_true", help=install_settings.__doc__)
    args = parser.parse_args(argv)
    if args.install_settings:
        print(f"wrote {install_settings()}")
        return 0
    if os.geteuid() != 0:
        print("The hub creates a system user per attendee: run it as root.", file=sys.stderr)
        return 1
    if args.remove_attendees:
        print("removed:", " ".join(remove_attendees(args.group)) or "nobody")
        return 0
    password = args.password or secrets.token_urlsafe(9)
    if len(password) < 8:
        print("The workshop password needs at least 8 characters.", file=sys.stderr)
        return 1
    Path(args.state).mkdir(parents=True, exist_ok=True, mode=0o700)
    env = dict(os.environ, MINIGRAD_HUB_PASSWORD=password, MINIGRAD_HUB_STATE=args.state,
               MINIGRAD_HUB_IP=args.ip, MINIGRAD_HUB_PORT=str(args.port), MINIGRAD_HUB_GROUP=args.group,
               MINIGRAD_HUB_IDLE=str(args.idle), MINIGRAD_HUB_MAX_USERS=str(args.max_users),
               MINIGRAD_HUB_PROXY=str(PROXY))
    shown = "127.0.0.1" if args.ip in ("0.0.0.0", "127.0.0.1") else args.ip
    print(f"minigrad workshop hub on http://{shown}:{args.port}/  (Ctrl-C stops it)\n"
          f"  workshop password: {password}\n"
          f"  lesson links:      python -m workshop.links --hub http://{shown}:{args.port}\n"
          f"  after the workshop: python -m workshop.hub --remove-attendees", flush=True)
    # Its own session: Ctrl-C reaches only us, and the hub gets one clean SIGTERM (a second signal in the
    # middle of its shut-down can leave it waiting forever); it stops its proxy, culler and servers itself.
    proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=args.state, env=env,
                            start_new_session=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even if started in the background
    try:
        return proc.wait()
    except (KeyboardInterrupt, SystemExit):
        print("\nstopping the hub and every attendee's server (up to a minute; their files stay, "
              "--remove-attendees deletes them)", flush=True)
        proc.terminate()
        try:
            return proc.wait(90)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            return proc.wait()


if __name__ == "__main__":
    sys.exit(main())
