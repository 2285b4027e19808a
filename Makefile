# minigrad: two commands for a fresh Debian/Ubuntu machine (see README.md).
#   make lab    install everything and open JupyterLab on the lessons
#   make test   install everything and run every test (unit, notebooks with nbval, browser)
# Other targets: make test-fast (no notebooks, no browser), make test-notebooks, make test-browser, make lint,
# make bench, make clean; make hub (a workshop JupyterHub on 127.0.0.1) and make test-workshop N=10
# (simulated attendees on that hub), both as root: see docs/workshop.md.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
# PyTorch is only the oracle for the parity tests (they skip cleanly without it). The CPU build 2.13.0
# is what the tests were written against; `make test TORCH=` skips installing it.
TORCH  ?= torch==2.13.0
# apt runs through sudo unless we are root.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Jupyter refuses to run as root unless told (containers, WSL set-ups): say so only when we are root.
AS_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg

.PHONY: lab test test-fast test-unit lint test-notebooks test-browser bench system-deps browser-deps clean \
	hub test-workshop hub-deps

## System programs, installed with apt only when absent: graphviz's `dot` draws the graphs and
## python3-venv is missing on a bare Debian/Ubuntu (both for everyone); Chromium runs the browser tests.
system-deps:
	@missing=""; \
	command -v dot >/dev/null 2>&1 || missing="$$missing graphviz"; \
	$(PYTHON) -c "import ensurepip, venv" >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	$(call apt_install,$$missing)

browser-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  missing="$$missing chromium"; \
	$(call apt_install,$$missing)

# apt_install(packages): apt-get update + install, or nothing when the list is empty.
define apt_install
if [ -n "$(strip $(1))" ]; then \
	  echo "Installing system packages:$(1)"; \
	  $(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y $(1); \
	fi
endef

# The virtual environment is rebuilt when pyproject.toml changes; the stamp file records success.
$(VENV)/.installed: pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade --quiet pip
	$(PIP) install --quiet -e ".[test,lab]"
	@touch $@

$(VENV)/.torch: $(VENV)/.installed
	@if [ -n "$(TORCH)" ]; then \
	  $(PIP) install --quiet "$(TORCH)" || echo "NOTE: could not install $(TORCH); PyTorch parity tests will be skipped."; \
	fi
	@touch $@

lab: $(VENV)/.installed
	$(VENV)/bin/jupyter lab $(AS_ROOT) --ServerApp.root_dir=$(CURDIR) notebooks/00_setup_check.ipynb

test: $(VENV)/.torch browser-deps
	$(PY) -m ruff check .
	$(PY) -m pytest -q tests -m "not browser and not workshop"
	$(PY) -m pytest -q $(NBVAL) notebooks
	$(PY) -m pytest -q -m browser tests/browser
	@if [ "$$(id -u)" = 0 ]; then $(MAKE) --no-print-directory test-workshop; \
	else echo "NOTE: make test-workshop skipped: the workshop hub test creates system users, so it needs root"; fi

test-fast: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m pytest -q -x tests -m "not slow and not browser"

# pyflakes' rules through ruff (pyproject.toml's [tool.ruff]); test and test-fast run it first.
lint: $(VENV)/.installed
	$(PY) -m ruff check .

test-unit: $(VENV)/.torch
	$(PY) -m pytest -q tests -m "not browser"

test-notebooks: $(VENV)/.installed
	$(PY) -m pytest -q $(NBVAL) notebooks

test-browser: $(VENV)/.installed browser-deps
	$(PY) -m pytest -q -m browser tests/browser

bench: $(VENV)/.torch
	$(PY) -m benchmarks

## The workshop hub (docs/workshop.md). Attendees' servers and kernels run as their own system users, so
## the hub's environment must be readable by all of them: Debian's python3 (the default python3 may live
## under /root) in a venv under HUB_HOME, minigrad installed into it as a copy (the checkout may be private),
## and configurable-http-proxy from npm beside it.  Root only: the hub creates one system user per attendee.
HUB_PYTHON ?= /usr/bin/python3
HUB_HOME   ?= /opt/minigrad-workshop
HUB_PY     := $(HUB_HOME)/venv/bin/python
# simulated attendees for `make test-workshop` (all at once); `make test` runs it with 3
N          ?= 3
HUB_PORT   ?= 8000

$(HUB_HOME)/.installed: pyproject.toml
	@[ "$$(id -u)" = 0 ] || { echo "make hub / test-workshop create a system user per attendee: run them as root"; exit 1; }
	@missing=""; \
	[ -x $(HUB_PYTHON) ] && $(HUB_PYTHON) -c "import ensurepip, venv" >/dev/null 2>&1 || missing="$$missing python3 python3-venv"; \
	command -v git >/dev/null 2>&1 || missing="$$missing git"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	command -v useradd >/dev/null 2>&1 || missing="$$missing passwd"; \
	$(call apt_install,$$missing)
	mkdir -p $(HUB_HOME) && chmod 755 $(HUB_HOME)
	[ -x $(HUB_PY) ] || $(HUB_PYTHON) -m venv $(HUB_HOME)/venv
	$(HUB_PY) -m pip install --upgrade --quiet pip setuptools
	$(HUB_PY) -m pip install --quiet ".[test,workshop]"
	npm install --silent --no-audit --no-fund --prefix $(HUB_HOME)/proxy configurable-http-proxy@5
	$(HUB_PY) -m workshop.hub --install-settings
	@touch $@

# Every run installs this checkout's minigrad into the hub's environment (a copy, so a few seconds).
hub-deps: $(HUB_HOME)/.installed
	@$(HUB_PY) -m pip install --quiet --no-deps --no-build-isolation --force-reinstall .

hub: hub-deps
	$(HUB_PY) -m workshop.hub --port $(HUB_PORT)

test-workshop: hub-deps browser-deps
	WORKSHOP_N=$(N) $(HUB_PY) -m pytest -q -p no:cacheprovider -m workshop tests/workshop

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .hypothesis tests/browser/screenshots
