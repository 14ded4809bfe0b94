# Spyglass. `make run` starts it, `make test` checks it; `make help` lists every target.

.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV ?= .venv
RUN_ADDR ?= 127.0.0.1:8000
WORKER_QUEUES ?= celery,fetch,extract,classify
WORKER_CONCURRENCY ?= 2
WORKER_FLAGS ?=
PYTEST_ARGS ?=
LOCK_FLAGS ?=

BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PIP_STAMP := $(VENV)/.installed-pip
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
# The lock files must hold PyPI's hashes only, whatever mirror or local wheel folder this
# machine's pip is configured with, so `make lock` ignores pip's configuration.
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null \
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
	--strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links

# Procfile commands (python, celery) come from the venv.
export PATH := $(abspath $(BIN)):$(PATH)
export RUN_ADDR WORKER_QUEUES WORKER_CONCURRENCY

# The local development targets run with DEBUG on unless you set DEBUG yourself: that
# turns off the HTTPS-only settings and keeps a generated SECRET_KEY in var/secret_key.
run worker migrate shell manage: export DEBUG ?= true

.PHONY: help venv dev-venv run test e2e lint format worker migrate shell manage vendor lock clean

help: ## Show this list
	@echo "Usage: make TARGET [VARIABLE=value ...]"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z0-9-]*:.*## / {printf "  %-10s %s\n", $$1, $$2}' \
		$(MAKEFILE_LIST)
	@echo
	@echo "Variables: PYTHON=$(PYTHON) RUN_ADDR=$(RUN_ADDR) WORKER_QUEUES=$(WORKER_QUEUES)"
	@echo "           PYTEST_ARGS='...' (extra pytest arguments), LOCK_FLAGS=--upgrade"
	@echo "Settings come from environment variables: see .env.example and docs/configuration.md."

venv: $(RUNTIME_STAMP) ## Create .venv and install the runtime lock (only when the lock changed)

dev-venv: $(DEV_STAMP) ## Create .venv and install the development lock (tests, ruff, pip-tools)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "Spyglass needs Python 3.11 or newer, but '$(PYTHON)' is:" \
			"$$(command -v $(PYTHON) >/dev/null && $(PYTHON) --version 2>&1 || echo 'not found')." >&2; \
		echo "Install Python 3.11+ and pass it, e.g.: make $(MAKECMDGOALS) PYTHON=python3.12" >&2; \
		exit 1; }
	@echo "Creating $(VENV) with $$($(PYTHON) --version)"
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Could not create $(VENV). On Debian or Ubuntu: apt install python3-venv" >&2; \
		exit 1; }

# The venv starts with whatever pip the system's Python bundles, and old pips resolve a
# locked package's extras (justext's `lxml[html_clean]`) as a separate, unpinned
# requirement: they pick the newest release on the index and then refuse it under
# --require-hashes, so a new upstream release could break every fresh install. Installing
# the pinned, hash-checked pip of requirements-pip.lock first makes the install depend only
# on the lock files, whatever pip the system bundles and whatever the index publishes later.
$(PIP_STAMP): requirements-pip.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-pip.lock
	@touch $@

$(RUNTIME_STAMP): requirements.lock $(PIP_STAMP) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

# The dev lock is a superset of the runtime lock at the same versions (see `lock`), so
# installing it brings the runtime environment up to date too.
$(DEV_STAMP): requirements-dev.lock requirements.lock $(PIP_STAMP) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $(RUNTIME_STAMP) $@

# scripts/run.py starts the Procfile's processes with the shell's settings only (not .env,
# which is for docker compose), so the commands above and the processes see the same
# configuration. On Ctrl-C it stops them with a warm shutdown and exits 0, and so does make
# (see the script for why it takes the terminal's foreground). RUN_GRACE: seconds to stop.
RUN_GRACE ?= 30
run: venv ## Migrate, import seeds/, ensure an admin, serve on RUN_ADDR with a worker + beat
	$(MANAGE) migrate --noinput
	$(MANAGE) import_markdown seeds/
	$(MANAGE) ensure_admin
	$(MANAGE) metrics_reset
	@echo "Starting the web server on http://$(RUN_ADDR)/ and a worker; Ctrl-C stops both."
	exec $(BIN)/python scripts/run.py --procfile Procfile --grace "$(RUN_GRACE)"

test: dev-venv ## Run the tests (SQLite + embedded broker; set DATABASE_URL/REDIS_URL for services)
	$(BIN)/pytest $(PYTEST_ARGS)

# Playwright drives the system's chromium (SPYGLASS_CHROMIUM, default /usr/bin/chromium); it
# never downloads a browser. Screenshots land in test-artifacts/screenshots/.
e2e: dev-venv ## Run the browser tests only, in chromium (fail, not skip, when it is missing)
	SPYGLASS_BROWSER_REQUIRED=1 $(BIN)/pytest -m browser tests/browser $(PYTEST_ARGS)

lint: dev-venv ## Check code style (ruff check, ruff format --check)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: dev-venv ## Rewrite code to the project style (ruff format, ruff check --fix)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: venv ## Run a Celery worker alone on WORKER_QUEUES (add WORKER_FLAGS=--beat for beat)
	exec $(BIN)/celery -A config worker --loglevel INFO --queues "$(WORKER_QUEUES)" \
		--concurrency "$(WORKER_CONCURRENCY)" $(WORKER_FLAGS)

migrate: venv ## Apply database migrations
	$(MANAGE) migrate --noinput

shell: venv ## Open a Django shell
	$(MANAGE) shell

ARGS ?=
manage: venv ## Run a manage.py command, e.g. make manage ARGS="createuser ana --role analyst"
	@[[ -n "$(ARGS)" ]] || { echo 'Name the command: make manage ARGS="createuser ana --role analyst"' \
		"(make manage ARGS=help lists them)." >&2; exit 2; }
	$(MANAGE) $(ARGS)

vendor: ## Re-vendor htmx from npm (version pinned in package.json) into static/vendor/
	@command -v npm >/dev/null || { echo "make vendor needs npm (Node.js)." >&2; exit 1; }
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	cp package.json package-lock.json "$$tmp"/; \
	npm ci --prefix "$$tmp" --ignore-scripts --no-audit --no-fund --loglevel=error; \
	pkg="$$tmp/node_modules/htmx.org"; \
	version=$$(node -p "require('$$pkg/package.json').version"); \
	dest="static/vendor/htmx-$$version"; \
	mkdir -p "$$dest"; \
	cp "$$pkg/dist/htmx.min.js" "$$pkg/LICENSE" "$$dest"/; \
	echo "Vendored htmx $$version into $$dest/."; \
	echo "If the version changed: update templates/base.html and static/vendor/README.md," \
		"then delete the old static/vendor/htmx-* folder."

# Resolving the dev lock first, then the runtime lock starting from its pins, keeps both
# at the same versions.
# requirements-pip.lock pins the pip that installs the other two (see $(PIP_STAMP)).
lock: | $(BIN)/pip-compile ## Re-resolve requirements*.lock from pyproject.toml (LOCK_FLAGS=--upgrade for newest)
	$(PIP_COMPILE) $(LOCK_FLAGS) --extra dev --output-file requirements-dev.lock pyproject.toml
	cp requirements-dev.lock requirements.lock
	$(PIP_COMPILE) --output-file requirements.lock pyproject.toml
	echo pip | $(PIP_COMPILE) $(LOCK_FLAGS) --output-file requirements-pip.lock -

$(BIN)/pip-compile: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "pip-tools>=7.4"

clean: ## Remove caches and .venv (keeps var/, which holds your database)
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache $(wildcard var/staticfiles)
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# Benchmarks report figures and exit 0; those that need ../shared/corpus skip without it.
BENCH_ARGS ?=
BROWSE_ARGS ?=
RECORDS_ARGS ?=
.PHONY: bench bench-ingest bench-browse bench-records bench-clusters bench-export

bench: bench-ingest bench-browse bench-records bench-clusters bench-export ## Run every benchmark (see benchmarks/README.md)

bench-ingest: venv ## Ingest benchmark: pipeline vs plain loop, F1, memory (BENCH_ARGS='--workers 2')
	$(BIN)/python benchmarks/ingest.py $(BENCH_ARGS)

bench-browse: venv ## Pages and API on demo data kept between runs: p95, SQL time, queries, memory vs targets (BROWSE_ARGS='--size 20')
	$(BIN)/python benchmarks/browse.py $(BROWSE_ARGS)

bench-records: venv ## Classifiers vs hand-written gold records (RECORDS_ARGS='--baseline FILE --details')
	$(BIN)/python benchmarks/records.py $(RECORDS_ARGS)

bench-clusters: venv ## Signal clustering per method and threshold on the paraphrase set (CLUSTERS_ARGS='--orders 10')
	$(BIN)/python benchmarks/clusters.py $(CLUSTERS_ARGS)
bench-export: venv ## Peak memory of the CSV, JSON and backup exports by base size (EXPORT_ARGS='--sizes 500,2000')
	$(BIN)/python benchmarks/export_memory.py $(EXPORT_ARGS)
