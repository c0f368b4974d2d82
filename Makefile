# The two commands of README.md: `make demo` (the main job) and `make test`.
# Both set the machine up first and are safe to run again: Debian packages are installed
# only when missing, and the virtual environment is rebuilt only when pyproject.toml changes.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Debian's `uno` module imports only in Debian's own /usr/bin/python3, so the environment is
# built on that interpreter and sees its site-packages (for uno) behind its own packages.
BASE_PYTHON := /usr/bin/python3
DEB_PACKAGES := python3 python3-venv python3-uno libreoffice-writer-nogui redis-server openssl chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

DEMO_PROFILE := fixtures/profiles/kenpo-fy3.toml
DEMO_RECORDS := fixtures/sample/bulk.csv
DEMO_ISSUE_DATE := 2025-12-01
DEMO_KEYS := fixtures/keys/test-facility.keys

.PHONY: help setup system demo test lint typecheck unit clean bench serve

help:
	@echo "make demo   set up, then run the main job over the sample records"
	@echo "make test   set up, then run ruff, mypy and pytest"
	@echo "make serve  set up, then the HTTP service on 127.0.0.1:8000 (demo key)"
	@echo "make bench  the benchmarks (minutes); figures to bench/BENCHMARKS.md"

setup: $(VENV)/.installed

system:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml | system
	@test -x $(PY) || $(BASE_PYTHON) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $@

# The main job: a bulk enrolment run over the sample into out/ (replaced on every run).
demo: setup
	rm -rf out
	$(PY) -m generator run $(DEMO_RECORDS) --profile $(DEMO_PROFILE) --issue-date $(DEMO_ISSUE_DATE) \
	  --kind enrolment --out out --facility-keys $(DEMO_KEYS) --preflight

lint: setup
	$(VENV)/bin/ruff check generator tests bench templates fonts
	$(VENV)/bin/ruff format --check generator tests bench templates fonts

typecheck: setup
	$(VENV)/bin/mypy

unit: setup
	$(VENV)/bin/pytest

test: lint typecheck
	$(VENV)/bin/pytest --cov=generator --cov-report=term-missing:skip-covered
	$(VENV)/bin/coverage report --include='generator/domain/*' --fail-under=95

clean:
	rm -rf $(VENV) out var .mypy_cache .ruff_cache .pytest_cache .coverage

# Bulk route, then the service, each beside the naive route; writes bench/BENCHMARKS.md (minutes).
bench: setup
	$(PY) -m bench.bench_bulk
	$(PY) -m bench.bench_api

# The HTTP service for trying it out: the fixtures' profiles and test keys, a demo API key.
serve: setup
	@echo "console: http://127.0.0.1:8000/console (API key: demo-key-change-me)"
	GENERATOR_API_KEYS=demo-key-change-me GENERATOR_PROFILES_DIR=fixtures/profiles \
	GENERATOR_FACILITY_KEYS_FILE=$(DEMO_KEYS) GENERATOR_DATA_DIR=var \
	$(PY) -m generator serve --port 8000
