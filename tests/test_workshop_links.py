"""The lesson links in README.md (Binder and hub) are the ones made from the one setting, pyproject.toml's
[project.urls] Repository, and each opens a notebook that exists (workshop/links.py)."""
from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from workshop import links

README = links.README.read_text()
REPO = links.repository_url()


def test_the_setting_is_a_repository_url():
    parts = urlsplit(REPO)
    assert parts.scheme == "https" and parts.netloc and parts.path.count("/") == 2, REPO


def test_every_readme_link_agrees_with_the_setting_and_opens_a_notebook():
    assert links.link_problems(README, REPO) == []
    # the README really has both kinds for every lesson (the check above would pass on an empty README
    # only by reporting every notebook as missing; count them here too)
    assert len(links.BINDER_LINK.findall(README)) >= len(links.notebooks()) > 0
    assert len(links.HUB_LINK.findall(README)) == len(links.notebooks())


def test_the_readme_is_what_the_script_writes():
    assert links.rewrite_readme(README, REPO) == README, "run python -m workshop.links --write"
    run = subprocess.run([sys.executable, "-m", "workshop.links", "--check"], cwd=links.ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("spoil, expected", [
    (lambda t: t.replace("HEAD?urlpath=lab/tree/notebooks/01", "main?urlpath=lab/tree/notebooks/01", 1),
     "not the link for"),
    (lambda t: t.replace("gh/OWNER/minigrad", "gh/someone/minigrad", 1), "not the link for"),
    (lambda t: t.replace("notebooks/05_several_variables.ipynb)", "notebooks/05_several_variable.ipynb)", 1),
     "does not exist"),
    (lambda t: t.replace("notebooks%2F06_backprop_network.ipynb", "notebooks%2F06_backprop.ipynb", 1),
     "no file of the repository"),
    (lambda t: t.replace("github.com%2FOWNER%2Fminigrad", "github.com%2Fother%2Fminigrad", 1), "pulls"),
    (lambda t: re.sub(r"- \[`00_setup_check`\]\([^)]*\)\n", "", t), "no hub link for notebooks/00"),
])
def test_a_wrong_link_is_caught(spoil, expected):
    spoiled = spoil(README)
    assert spoiled != README
    problems = links.link_problems(spoiled, REPO)
    assert problems and any(expected in p for p in problems), problems


def test_a_fork_changes_one_line():
    fork = "https://github.com/someone/minigrad"
    rewritten = links.rewrite_readme(README, fork)
    assert links.link_problems(rewritten, fork) == []
    assert "OWNER" not in "".join(links.BINDER_LINK.findall(rewritten) + links.HUB_LINK.findall(rewritten))


def test_link_shapes():
    assert links.binder_link("https://github.com/me/minigrad", "05_x.ipynb") == \
        "https://mybinder.org/v2/gh/me/minigrad/HEAD?urlpath=lab/tree/notebooks/05_x.ipynb"
    assert links.binder_link("https://gitlab.com/me/minigrad", "a.ipynb").startswith(
        "https://mybinder.org/v2/gl/me%2Fminigrad/HEAD?")
    hub = links.hub_link("https://github.com/me/minigrad", "05_x.ipynb", "https://hub.example.edu/")
    parts = urlsplit(hub)
    assert (parts.netloc, parts.path) == ("hub.example.edu", "/hub/user-redirect/git-pull")
    # nbgitpuller clones into the URL's last part, so the lesson opens from there
    assert parse_qs(parts.query) == {"repo": ["https://github.com/me/minigrad"],
                                     "urlpath": ["lab/tree/minigrad/notebooks/05_x.ipynb"]}
    assert links.repository_name("https://example.org/me/minigrad.git/") == "minigrad.git"
