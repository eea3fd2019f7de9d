# Two commands on a fresh machine: `make demo` and `make test`. Both bootstrap
# the Debian packages and the virtual environment they need; nothing by hand.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEB_PACKAGES := poppler-utils fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b

.PHONY: demo test bench lint typecheck deps venv clean

deps:
	@./scripts/ensure-debian-packages $(DEB_PACKAGES)

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

lint: venv
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: venv
	$(VENV)/bin/mypy

test: deps venv lint typecheck
	@./scripts/run-pytest

demo: deps venv
	@$(VENV)/bin/python -m cosec.demo

bench: deps venv
	@$(VENV)/bin/python -m bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
