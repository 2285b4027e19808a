# minigrad: two commands for a fresh Debian/Ubuntu machine (see README.md).
#   make lab    install everything and open JupyterLab on the lessons
#   make test   install everything and run every test (unit, notebooks with nbval, browser)
# Other targets: make test-fast (no notebooks, no browser), make test-notebooks, make test-browser,
# make bench, make clean.

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

.PHONY: lab test test-fast test-unit test-notebooks test-browser bench system-deps browser-deps clean

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
	$(PY) -m pytest -q tests -m "not browser"
	$(PY) -m pytest -q $(NBVAL) notebooks
	$(PY) -m pytest -q -m browser tests/browser

test-fast: $(VENV)/.installed
	$(PY) -m pytest -q -x tests -m "not slow and not browser"

test-unit: $(VENV)/.torch
	$(PY) -m pytest -q tests -m "not browser"

test-notebooks: $(VENV)/.installed
	$(PY) -m pytest -q $(NBVAL) notebooks

test-browser: $(VENV)/.installed browser-deps
	$(PY) -m pytest -q -m browser tests/browser

bench: $(VENV)/.torch
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .hypothesis tests/browser/screenshots
