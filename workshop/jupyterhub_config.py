"""JupyterHub for a minigrad workshop: `make hub` (or `python -m workshop.hub`) starts it with this file.

Who gets in: anyone who knows the workshop's shared password (SharedPasswordAuthenticator), under a
name of their choice that is not already an account on this machine.  Never an open hub.
What each attendee gets: a system user of their own (created at their first start, home folder 0700),
their own JupyterLab server and kernels running as that user, nothing readable by the others.
What the hub does for the room: the lesson links (nbgitpuller) pull the repository into each home;
idle servers are stopped after MINIGRAD_HUB_IDLE seconds, idle kernels inside a server sooner, and
no more than MINIGRAD_HUB_MAX_USERS servers run at once (0: no limit).

Settings come from the environment, so one file serves the tests and a room (docs/workshop.md):
    MINIGRAD_HUB_PASSWORD     the workshop password (at least 8 characters; required)
    MINIGRAD_HUB_STATE        folder for the hub's database and cookie secret (required)
    MINIGRAD_HUB_IP / _PORT   where attendees connect (default 127.0.0.1:8000)
    MINIGRAD_HUB_API_PORT, MINIGRAD_HUB_PROXY_API_PORT   the hub's and proxy's own ports on 127.0.0.1
    MINIGRAD_HUB_GROUP        the system group every attendee account is put in (default minigrad-attendees)
    MINIGRAD_HUB_IDLE         seconds before an idle server is stopped (default 3600)
    MINIGRAD_HUB_MAX_USERS    servers allowed at once (default 0, no limit)
    MINIGRAD_HUB_PROXY        the configurable-http-proxy program
"""
import grp
import os
import pwd
import re
import subprocess
import sys

from jupyterhub.authenticators.shared import SharedPasswordAuthenticator

c = get_config()  # noqa: F821  (JupyterHub's config loader provides it)

env = os.environ
STATE = env["MINIGRAD_HUB_STATE"]
GROUP = env.get("MINIGRAD_HUB_GROUP", "minigrad-attendees")
IDLE = int(env.get("MINIGRAD_HUB_IDLE", "3600"))
# Names an attendee may choose: short, lower case, starting with a letter (they become system accounts).
NAME = re.compile(r"^[a-z][a-z0-9_-]{0,19}$")


def attendee_account(name: str):
    """The system account for `name`, or None if there is none yet."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def is_attendee(account) -> bool:
    try:
        return account.pw_name in grp.getgrnam(GROUP).gr_mem
    except KeyError:
        return False


class WorkshopAuthenticator(SharedPasswordAuthenticator):
    """The shared workshop password, for names that are free or already an attendee's.

    A name that belongs to an account this hub did not make (root, a staff login, a service) is refused
    even with the right password: the attendee's server would otherwise run as that account.
    """

    async def authenticate(self, handler, data):
        name = self.normalize_username(data.get("username", ""))
        if not NAME.match(name):
            self.log.warning("refused name %r: not a valid workshop name", name)
            return None
        account = attendee_account(name)
        if account is not None and not is_attendee(account):
            self.log.warning("refused name %r: a system account that is not an attendee's", name)
            return None
        return await super().authenticate(handler, data)


def create_attendee(spawner) -> None:
    """Before a server starts: make the attendee's system user and a home only they can open."""
    name = spawner.user.name
    account = attendee_account(name)
    if account is None:
        subprocess.run(["groupadd", "--force", GROUP], check=True)
        subprocess.run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", "--user-group",
                        "--groups", GROUP, "--comment", "minigrad workshop attendee", name], check=True)
        account = pwd.getpwnam(name)
    elif not is_attendee(account):  # authenticate() refuses these; never start a server as one
        raise RuntimeError(f"{name} is a system account, not a workshop attendee")
    # Debian's useradd leaves homes readable by everyone (HOME_MODE unset, UMASK 022).
    os.chmod(account.pw_dir, 0o700)


c.JupyterHub.authenticator_class = WorkshopAuthenticator
c.SharedPasswordAuthenticator.user_password = env["MINIGRAD_HUB_PASSWORD"]
c.Authenticator.allow_all = True  # anyone with the password; no admin login (a room does not need one)

c.JupyterHub.bind_url = f"http://{env.get('MINIGRAD_HUB_IP', '127.0.0.1')}:{env.get('MINIGRAD_HUB_PORT', '8000')}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{env.get('MINIGRAD_HUB_API_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env.get('MINIGRAD_HUB_PROXY_API_PORT', '8001')}"
if env.get("MINIGRAD_HUB_PROXY"):
    c.ConfigurableHTTPProxy.command = [env["MINIGRAD_HUB_PROXY"]]
c.ConfigurableHTTPProxy.pid_file = os.path.join(STATE, "proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(STATE, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(STATE, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(STATE, "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every attendee's server

c.JupyterHub.spawner_class = "localprocess"
c.Spawner.pre_spawn_hook = create_attendee
c.Spawner.cmd = [os.path.join(os.path.dirname(sys.executable), "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.ip = "127.0.0.1"
c.Spawner.start_timeout = 120  # a room logging in at once starts many servers on few cores
c.Spawner.http_timeout = 120
c.Spawner.args = [
    "--LabApp.extension_manager=readonly",  # no PyPI queries, no installs from attendees' browsers
    # window.jupyterapp: what the load test drives (and a console user can inspect); harmless otherwise
    "--LabApp.expose_app_in_browser=True",
    f"--MappingKernelManager.cull_idle_timeout={max(600, IDLE // 2)}",  # a forgotten kernel's memory back
    "--MappingKernelManager.cull_interval=120",
]
c.Spawner.environment = {
    # many kernels on few cores: one BLAS thread each instead of one per core each
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "PATH": os.path.dirname(sys.executable) + ":/usr/local/bin:/usr/bin:/bin",
}
c.JupyterHub.active_server_limit = int(env.get("MINIGRAD_HUB_MAX_USERS", "0"))
c.JupyterHub.concurrent_spawn_limit = 20

# jupyterhub-idle-culler: stop servers nobody has used for IDLE seconds (their files stay).
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE}", "--cull-every=60"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
