"""The packaging promises of the README: the dependency lists agree, and the two commands exist.

pyproject.toml is the source of truth for Python dependencies; environment.yml (local conda users) and
binder/environment.yml (Binder) must list the same packages under their conda-forge names, or a lesson
that works after `make lab` fails on Binder.
"""
from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# pip name -> conda-forge name(s). The graphviz Python package is "python-graphviz" on conda-forge;
# "graphviz" there is the `dot` program, which pip cannot install.
CONDA_NAME = {"graphviz": "python-graphviz"}
# Needed by the lessons or their tests in every environment (beyond the runtime dependencies).
LESSON_EXTRAS = {"jupyterlab", "nbval", "pytest"}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement.strip(), maxsplit=1)[0].lower()


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _conda_dependencies(path: Path) -> dict[str, str]:
    """{name: spec} of the conda packages listed under `dependencies:` (pip sub-list excluded)."""
    deps, in_deps = {}, False
    for line in path.read_text().splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        if in_deps and re.match(r"^  - [^\s]", line) and not line.strip().startswith("- pip:"):
            spec = line.strip()[2:].strip()
            deps[_name(spec)] = spec
        elif in_deps and line and not line.startswith(" "):
            in_deps = False
    return deps


def _required_conda_names() -> set[str]:
    runtime = {_name(r) for r in _pyproject()["project"]["dependencies"]}
    return {CONDA_NAME.get(n, n) for n in runtime | LESSON_EXTRAS} | {"graphviz", "python", "pip"}


@pytest.mark.parametrize("env_file", ["environment.yml", "binder/environment.yml"])
def test_conda_environment_lists_what_pyproject_needs(env_file):
    listed = set(_conda_dependencies(ROOT / env_file))
    required = _required_conda_names()
    assert not required - listed, f"{env_file} lacks {sorted(required - listed)} (listed in pyproject.toml)"
    assert not listed - required, f"{env_file} lists {sorted(listed - required)}, unknown to pyproject.toml"


def test_version_bounds_agree_between_pyproject_and_conda():
    bounds = {CONDA_NAME.get(_name(r), _name(r)): r[len(_name(r)):].strip()
              for r in _pyproject()["project"]["dependencies"]}
    for env_file in ("environment.yml", "binder/environment.yml"):
        conda = _conda_dependencies(ROOT / env_file)
        for name, bound in bounds.items():
            assert conda[name][len(name):].strip() == bound, (
                f"{env_file}: {conda[name]!r} but pyproject.toml says {name}{bound}")


def test_binder_and_local_environment_are_the_same_list():
    local = _conda_dependencies(ROOT / "environment.yml")
    binder = _conda_dependencies(ROOT / "binder/environment.yml")
    assert local == binder


def test_pyproject_extras_cover_the_test_and_lab_tools():
    extras = _pyproject()["project"]["optional-dependencies"]
    assert {"pytest", "nbval", "jupyterlab", "playwright"} <= {_name(r) for r in extras["test"]}
    assert "jupyterlab" in {_name(r) for r in extras["lab"]}


def test_binder_postbuild_installs_the_project_and_fails_loudly():
    post = ROOT / "binder" / "postBuild"
    text = post.read_text()
    assert os.access(post, os.X_OK), "binder/postBuild must be executable"
    assert "set -euo pipefail" in text and "pip install" in text and "-e ." in text


def test_ci_runs_make_test():
    run = ROOT / ".ci" / "run"
    assert os.access(run, os.X_OK)
    commands = [l.strip() for l in run.read_text().splitlines() if l.strip() and not l.startswith("#")]
    assert "make test" in commands


def test_makefile_has_the_two_commands():
    targets = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), flags=re.M))
    assert {"lab", "test"} <= targets


def test_readme_shows_make_lab_and_make_test_first():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", readme, flags=re.S)
    assert blocks, "README has no command block"
    first = [l.strip() for l in blocks[0].splitlines() if l.strip() and not l.strip().startswith("#")]
    assert first == ["make lab", "make test"] or first[-2:] == ["make lab", "make test"], first


def test_readme_links_every_notebook_on_binder():
    readme = (ROOT / "README.md").read_text()
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"urlpath=lab/tree/notebooks/{nb.name}" in readme, f"README has no Binder link for {nb.name}"


def test_readme_pictures_exist():
    readme = (ROOT / "README.md").read_text()
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert images, "README shows no pictures"
    missing = [p for p in images if not (ROOT / p).is_file()]
    assert not missing, f"README shows pictures that are not committed: {missing}"
