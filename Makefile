# Every target does its own set-up from a fresh clone: a virtual environment in
# .venv/ with exactly the versions in uv.lock.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
# The editable install maps each top-level package when it is made, so a new
# package (a new folder with __init__.py) also calls for a reinstall.
PACKAGES := $(sort $(wildcard */__init__.py))
STAMP := $(VENV)/.installed-$(shell (cat uv.lock pyproject.toml; echo $(PACKAGES)) | sha256sum | cut -c1-16)

.PHONY: install demo test lint bench clean chromium

$(STAMP): pyproject.toml uv.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv sync --frozen --inexact --compile-bytecode --reinstall-package pledgewatch --python $(BIN)/python
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

demo: install
	$(BIN)/pledgewatch demo

# The review app's browser tests drive Debian's Chromium; Playwright downloads no browser here.
# A Japanese font lets the screenshots in docs/ show text instead of boxes.
chromium:
	command -v chromium || (apt-get update && apt-get install -y --no-install-recommends chromium)
	fc-list :lang=ja | grep -q . || (apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk)

# Two pytest workers (pytest-xdist): many tests wait on a subprocess, a server
# or a Prefect run, so the second core is otherwise idle. Bytecode is compiled at
# install time (--compile-bytecode above): every `python -m pledgewatch.cli` a
# test starts would otherwise compile Prefect from source where the
# environment sets PYTHONDONTWRITEBYTECODE.
test: install chromium
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -q -n 2

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: install
	$(BIN)/uv sync --frozen --inexact --group bench --python $(BIN)/python
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/classify.py

clean:
	rm -rf $(VENV) var
