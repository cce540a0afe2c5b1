# make run | make test | make bench | make lint | make migrations
# Only Python 3 is needed up front: everything else lands in .venv (and Debian's Chromium for tests).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM := /usr/bin/chromium
PYTEST := $(PY) -m pytest -q -p no:cacheprovider
NPM ?= npm
EXT := extensions

.DEFAULT_GOAL := help
.PHONY: help install install-test axe run test test-sqlite test-postgres chromium postgres node extensions extensions-build theme-check wrk bench bench-scale worker lint migrations clean

help:
	@echo "make run          install, migrate and serve (the local sandbox without SHOPIFY_API_KEY/SECRET)"
	@echo "make test         the whole suite on SQLite and on a throwaway PostgreSQL 15, plus lint"
	@echo "make bench        every tests/bench/bench_*.py"
	@echo "make bench-scale  the customers listing at 10k/100k/1M contracts on a throwaway PostgreSQL (minutes)"
	@echo "make worker       run background jobs apart from serve"
	@echo "make lint         ruff + mypy"
	@echo "make extensions   the customer account extensions: npm ci, type-check, build (64 KB check), unit tests"
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

# Debian's Node.js and npm for the extensions when npm is missing (Node 20 or later).
node:
	@if command -v $(NPM) >/dev/null; then \
		echo "node: $$(node --version) with npm $$($(NPM) --version)"; \
	else \
		SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		echo "node: installing Debian's nodejs and npm packages"; \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm </dev/null; \
	fi

# The customer account UI extensions (extensions/): npm dependencies pinned by package-lock.json.
$(EXT)/node_modules/.installed: $(EXT)/package.json $(EXT)/package-lock.json
	$(MAKE) --no-print-directory node
	cd $(EXT) && $(NPM) ci --no-audit --no-fund
	touch $@

# The bundles the sandbox's account pages load (SHOPIFY_APP_URL is the backend they call).
extensions-build: $(EXT)/node_modules/.installed
	cd $(EXT) && $(NPM) run --silent build

# Type-check (tsc), build with esbuild (fails above Shopify's 64 KB), node's test runner.
extensions: $(EXT)/node_modules/.installed
	cd $(EXT) && $(NPM) run --silent typecheck && $(NPM) run --silent build && $(NPM) run --silent test

# With app credentials (environment or .env) serve for real; without them, the local sandbox.
run: install
	@if command -v $(NPM) >/dev/null; then $(MAKE) --no-print-directory extensions-build; \
	else echo "npm not found: the sandbox's customer account pages will say the extension is not built"; fi
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

# Debian's PostgreSQL server binaries for the throwaway test cluster (no service is started:
# tests.support.postgres runs initdb and the server itself, in a temporary directory).
postgres:
	@if [ -x /usr/lib/postgresql/15/bin/initdb ] || [ -n "$$POSTGRES_BINDIR" ]; then \
		echo "postgres: server binaries present"; \
	else \
		SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		echo "postgres: installing Debian's postgresql package"; \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql </dev/null; \
	fi

# The tail-latency benchmark drives `serve` with wrk (Debian's package); without it that part
# of `make bench` is skipped with a message.
WRK := /usr/bin/wrk
wrk:
	@if [ -x $(WRK) ]; then \
		echo "wrk: $(WRK) present"; \
	else \
		SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		echo "wrk: installing Debian's wrk package"; \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk </dev/null || \
		{ $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk </dev/null; } || \
		echo "wrk: could not be installed; the wrk benchmark will be skipped"; \
	fi

# axe-core for the browser tests' accessibility checks, pinned by tests/browser/package-lock.json.
axe:
	npm ci --prefix tests/browser --no-audit --no-fund --silent

# The suite runs twice: on SQLite (with the browser tests), then on PostgreSQL (browser tests
# are about the portal's pages, not storage, so they run once). The cluster is always stopped.
test: install-test chromium postgres axe
	$(MAKE) --no-print-directory theme-check
	$(MAKE) --no-print-directory extensions
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory lint

# Shopify's theme linter on the theme app extension, pinned by tools/theme-check's lockfile
# (npm ci reinstalls when the lockfile changes). Skipped, saying so, only where node is absent.
THEME_CHECK := tools/theme-check
theme-check:
	@if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
		echo "theme-check: SKIPPED: node/npm not installed, extensions/manage-subscriptions not linted"; \
	else \
		if [ ! -f $(THEME_CHECK)/node_modules/.installed ] || \
		   [ $(THEME_CHECK)/package-lock.json -nt $(THEME_CHECK)/node_modules/.installed ]; then \
			(cd $(THEME_CHECK) && npm ci --no-audit --no-fund --loglevel=error) && \
			touch $(THEME_CHECK)/node_modules/.installed || exit 1; \
		fi; \
		node $(THEME_CHECK)/run.mjs extensions/manage-subscriptions; \
	fi

test-sqlite: install-test
	TEST_DATABASE=sqlite $(PYTEST)

test-postgres: install-test postgres
	TEST_DATABASE=postgres $(PY) -m tests.support.postgres run -- $(PYTEST) -m "not browser"

lint: install-test
	$(VENV)/bin/ruff check shopify_app tests
	$(VENV)/bin/mypy

bench: install-test wrk
	@set -e; found=0; for f in tests/bench/bench_*.py; do \
		[ -f "$$f" ] || continue; found=1; \
		echo "== $$f"; $(PY) -m tests.bench.$$(basename $$f .py); \
	done; [ $$found -eq 1 ] || echo "no benchmarks in tests/bench/"

# Import throughput, then the listing at 10k, 100k and 1M contracts (COPY-filled), on a
# throwaway PostgreSQL; the last line is the listing's summary.
bench-scale: install-test
	$(PY) -m tests.support.postgres run -- sh -c \
		'$(PY) -m tests.bench.bench_import && $(PY) -m tests.bench.bench_scale $(SCALE_ARGS)'

worker: install
	$(PY) -m shopify_app worker

# One initial migration is regenerated while the project is unreleased. makemigrations compares
# the models with the migration files; the throwaway database only satisfies Tortoise's config.
migrations: install-test
	rm -f shopify_app/storage/migrations/0001_initial.py
	DATABASE_URL="sqlite://:memory:" $(VENV)/bin/tortoise -c shopify_app.storage.db.TORTOISE_ORM makemigrations

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
