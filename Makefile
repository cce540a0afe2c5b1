# make run | make test | make bench | make lint | make migrations
# Only Python 3 is needed up front: everything else lands in .venv (and Debian's Chromium for tests).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM := /usr/bin/chromium
PYTEST := $(PY) -m pytest -q -p no:cacheprovider

.DEFAULT_GOAL := help
.PHONY: help install install-test axe run test test-sqlite test-postgres chromium bench lint migrations clean

help:
	@echo "make run          install, migrate and serve (the local sandbox without SHOPIFY_API_KEY/SECRET)"
	@echo "make test         the whole suite on SQLite and on a throwaway PostgreSQL 15, plus lint"
	@echo "make bench        every tests/bench/bench_*.py"
	@echo "make lint         ruff + mypy"
	@echo "make migrations   regenerate shopify_app/storage/migrations/0001_initial.py (unreleased project)"

# The stamps make both installs idempotent; they are redone when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# With app credentials (environment or .env) serve for real; without them, the local sandbox.
run: install
	$(PY) -m shopify_app migrate
	@if $(PY) -c "from shopify_app.settings import Settings; raise SystemExit(0 if Settings.from_env().sandbox else 1)"; then \
		echo "No SHOPIFY_API_KEY/SHOPIFY_API_SECRET: starting the local sandbox"; \
		exec $(PY) -m shopify_app sandbox; \
	else \
		exec $(PY) -m shopify_app serve; \
	fi

# Debian's Chromium for the browser tests (Playwright launches it by path; no browser download).
chromium:
	@if [ -x $(CHROMIUM) ]; then \
		echo "chromium: $(CHROMIUM) present"; \
	else \
		SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		echo "chromium: installing Debian's chromium package"; \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium </dev/null; \
	fi

# axe-core for the browser tests' accessibility checks, pinned by tests/browser/package-lock.json.
axe:
	npm ci --prefix tests/browser --no-audit --no-fund --silent

# The suite runs twice: on SQLite (with the browser tests), then on PostgreSQL (browser tests
# are about the portal's pages, not storage, so they run once). The cluster is always stopped.
test: install-test chromium axe
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory lint

test-sqlite: install-test
	TEST_DATABASE=sqlite $(PYTEST)

test-postgres: install-test
	TEST_DATABASE=postgres $(PY) -m tests.support.postgres run -- $(PYTEST) -m "not browser"

lint: install-test
	$(VENV)/bin/ruff check shopify_app tests
	$(VENV)/bin/mypy

bench: install-test
	@set -e; found=0; for f in tests/bench/bench_*.py; do \
		[ -f "$$f" ] || continue; found=1; \
		echo "== $$f"; $(PY) -m tests.bench.$$(basename $$f .py); \
	done; [ $$found -eq 1 ] || echo "no benchmarks in tests/bench/"

# One initial migration is regenerated while the project is unreleased. makemigrations compares
# the models with the migration files; the throwaway database only satisfies Tortoise's config.
migrations: install-test
	rm -f shopify_app/storage/migrations/0001_initial.py
	DATABASE_URL="sqlite://:memory:" $(VENV)/bin/tortoise -c shopify_app.storage.db.TORTOISE_ORM makemigrations

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
