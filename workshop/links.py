"""The lesson links, all made from one setting: the repository URL in pyproject.toml's [project.urls].

Two kinds of link open a lesson in JupyterLab with one click:

* Binder builds the repository (binder/) and opens the notebook;
* a hub link asks a JupyterHub's nbgitpuller to pull the repository into the attendee's home (cloning it
  the first time, merging later) and then opens the notebook from there.

    python -m workshop.links                      # print every lesson's links (for a workshop page)
    python -m workshop.links --hub https://hub.example.edu
    python -m workshop.links --write              # rewrite README.md's links after changing the setting
    python -m workshop.links --check              # exit 1 if README.md disagrees with the setting

Example:
    >>> binder_link("https://github.com/me/minigrad", "05_several_variables.ipynb")
    'https://mybinder.org/v2/gh/me/minigrad/HEAD?urlpath=lab/tree/notebooks/05_several_variables.ipynb'
"""
from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
# `make hub` serves here; README's hub links point at it so that they work for anyone running `make hub`.
LOCAL_HUB = "http://127.0.0.1:8000"
# README.md's generated block of hub links sits between these two lines.
BLOCK_START = "<!-- workshop-links: made by `python -m workshop.links --write`; do not edit by hand -->"
BLOCK_END = "<!-- workshop-links: end -->"
BINDER_LINK = re.compile(r"https://mybinder\.org/v2/[^)\s>\"]+")
HUB_LINK = re.compile(r"https?://[^)\s>\"]+/hub/user-redirect/git-pull\?[^)\s>\"]+")


def repository_url(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The `Repository` entry of [project.urls]: the one setting every link is made from."""
    urls = tomllib.loads(pyproject.read_text()).get("project", {}).get("urls", {})
    if "Repository" not in urls:
        raise SystemExit(f"{pyproject}: [project.urls] has no Repository entry; add "
                         'Repository = "https://github.com/OWNER/minigrad"')
    return urls["Repository"].rstrip("/")


def repository_name(repo: str) -> str:
    """The folder nbgitpuller clones into: the URL's last part, exactly as nbgitpuller takes it."""
    return repo.rstrip("/").split("/")[-1]


def binder_link(repo: str, notebook: str) -> str:
    """mybinder.org's link that builds `repo` at its default branch and opens notebooks/`notebook`."""
    parts = urlsplit(repo)
    path = parts.path.strip("/").removesuffix(".git")
    if parts.netloc == "github.com":
        spec = f"gh/{path}/HEAD"
    elif parts.netloc == "gitlab.com":
        spec = f"gl/{quote(path, safe='')}/HEAD"
    else:  # any other public git host
        spec = f"git/{quote(repo, safe='')}/HEAD"
    return f"https://mybinder.org/v2/{spec}?urlpath=lab/tree/notebooks/{notebook}"


def hub_link(repo: str, notebook: str, hub: str = LOCAL_HUB) -> str:
    """A JupyterHub link: log in, let nbgitpuller pull `repo` into ~/<name>/, open the notebook in JupyterLab.

    No branch is named, so nbgitpuller follows the repository's default branch (as Binder's HEAD does).
    """
    query = urlencode({"repo": repo, "urlpath": f"lab/tree/{repository_name(repo)}/notebooks/{notebook}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def notebooks() -> list[str]:
    return sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


def hub_block(repo: str, hub: str = LOCAL_HUB) -> str:
    """README.md's block of hub links: one line per lesson."""
    lines = [BLOCK_START]
    lines += [f"- [`{Path(nb).stem}`]({hub_link(repo, nb, hub)})" for nb in notebooks()]
    lines.append(BLOCK_END)
    return "\n".join(lines)


def rewrite_readme(text: str, repo: str) -> str:
    """README.md with every Binder link and the hub block made from `repo` (nothing else changes)."""
    def binder(match: re.Match) -> str:
        notebook = re.search(r"urlpath=lab/tree/notebooks/([^&#]+)", match.group(0))
        return binder_link(repo, notebook.group(1)) if notebook else match.group(0)

    text = BINDER_LINK.sub(binder, text)
    block = re.compile(re.escape(BLOCK_START) + r".*?" + re.escape(BLOCK_END), re.S)
    if not block.search(text):
        raise SystemExit(f"README.md has no hub-link block (a line {BLOCK_START!r} ... {BLOCK_END!r})")
    return block.sub(lambda _: hub_block(repo), text)


def link_problems(text: str, repo: str, hub: str = LOCAL_HUB, root: Path = ROOT) -> list[str]:
    """What is wrong with the lesson links in `text` (README.md): each must be the link the setting makes
    for a notebook that exists, and every notebook must have both kinds.  An empty list: all agree."""
    problems, binder_for, hub_for = [], set(), set()
    for link in BINDER_LINK.findall(text):
        notebook = re.search(r"urlpath=lab/tree/notebooks/([^&#]+)$", link)
        if not notebook:
            problems.append(f"{link}: a Binder link that opens no notebook")
            continue
        name = notebook.group(1)
        if not (root / "notebooks" / name).is_file():
            problems.append(f"{link}: notebooks/{name} does not exist")
        elif link != binder_link(repo, name):
            problems.append(f"{link}: not the link for {repo} (expected {binder_link(repo, name)})")
        binder_for.add(name)
    for link in HUB_LINK.findall(text):
        query = parse_qs(urlsplit(link).query)
        urlpath = query.get("urlpath", [""])[0]
        prefix = f"lab/tree/{repository_name(repo)}/"
        name = Path(urlpath).name
        if query.get("repo") != [repo]:
            problems.append(f"{link}: pulls {query.get('repo')}, not {repo}")
        elif not urlpath.startswith(prefix) or not (root / urlpath[len(prefix):]).is_file():
            problems.append(f"{link}: opens {urlpath!r}, which is no file of the repository's clone")
        elif link != hub_link(repo, name, hub):
            problems.append(f"{link}: not the link for {repo} on {hub} (expected {hub_link(repo, name, hub)})")
        hub_for.add(name)
    for name in notebooks():
        if name not in binder_for:
            problems.append(f"no Binder link for notebooks/{name}")
        if name not in hub_for:
            problems.append(f"no hub link for notebooks/{name} (run python -m workshop.links --write)")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hub", default=LOCAL_HUB, help=f"the hub's address (default: make hub's, {LOCAL_HUB})")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="rewrite README.md's links from the setting")
    action.add_argument("--check", action="store_true", help="exit 1 if README.md's links disagree with it")
    args = parser.parse_args(argv)
    repo = repository_url()
    if args.write or args.check:
        old = README.read_text()
        new = rewrite_readme(old, repo)
        if args.check:
            problems = link_problems(old, repo)
            for problem in problems:
                print(problem)
            if new != old or problems:
                print("README.md's lesson links disagree with pyproject.toml; run python -m workshop.links --write")
                return 1
            return 0
        README.write_text(new)
        print(f"README.md: links made from {repo}")
        return 0
    print(f"Lesson links for {repo} (hub: {args.hub})\n")
    for nb in notebooks():
        print(f"{Path(nb).stem}\n  hub:    {hub_link(repo, nb, args.hub)}\n  binder: {binder_link(repo, nb)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
