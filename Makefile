# Chirp: `make run` for the embedded demo, `make test` for the whole suite.
.DEFAULT_GOAL := help
SHELL := /bin/bash

HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# The first Python >= 3.12 that runs: python3.12 on PATH, else a pyenv install.
PYTHON ?= $(shell for c in python3.12 python3.13; do $$c -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null && { echo $$c; exit 0; }; done; \
	for p in $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do [ -x "$$p" ] && { echo $$p; exit 0; }; done; echo python3.12)

# The stack's services; override with your own.
STACK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/chirp
STACK_REDIS_URL ?= redis://127.0.0.1:6379/0
PYTEST_WORKERS ?= 2

.PHONY: help run stop reset stack test test-unit test-faults test-e2e lint format bench bench-small migrate clean messages

help:
	@echo "make run    - the whole product at http://$(HOST):$(PORT), with embedded PostgreSQL and Redis"
	@echo "make stop   - stop embedded servers that a manage.py command started"
	@echo "make reset  - delete the data folder (.data) and start afresh"
	@echo "make test   - the whole suite against local PostgreSQL and Redis"
	@echo "make stack  - the production layout against DATABASE_URL and REDIS_URL"
	@echo "make lint   - ruff"
	@echo "make bench  - the load benchmark (see docs/PERFORMANCE.md)"

# pip reports errors only: a machine's own pip configuration may warn a lot.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --quiet -r requirements.txt
	touch $@

# The e2e tests' Node packages (package.json: masto.js, tests/e2e/masto_journey.mjs). Only the
# tests need them: `make run` doesn't. Reinstalled when the lock file is newer than the install.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Everything in one process tree (config/run.py): embedded PostgreSQL and Redis, migrations,
# demo data on the first run, web + WebSockets on PORT, a Celery worker and beat.
run: $(VENV)/.installed
	@$(PY) -m config.run --host $(HOST) --port $(PORT)

# Stop the embedded servers a manage.py command started in the background.
stop: $(VENV)/.installed
	@$(PY) -m config.embedded stop

# Start over: stop the embedded servers and delete the data folder (database, Redis, media).
reset: stop
	rm -rf $${CHIRP_DATA_DIR:-.data}

# The production layout (the Procfile: granian HTTP on PORT, uvicorn WebSockets on PORT+1,
# a Celery worker and beat) against DATABASE_URL and REDIS_URL, under the same supervisor
# as `make run`: crashed processes are started again, Ctrl-C stops them all.
stack: export DATABASE_URL ?= $(STACK_DATABASE_URL)
stack: export REDIS_URL ?= $(STACK_REDIS_URL)
stack: $(VENV)/.installed
	@$(PY) -m config.run --stack --host $(HOST) --port $(PORT)

test: test-unit test-faults test-e2e

test-unit: $(VENV)/.installed
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile --ignore=tests/e2e --ignore=tests/faults --durations=20

# The fault suite kills, pauses and restarts real processes and times their answers: one at a time.
test-faults: $(VENV)/.installed
	$(PY) -m pytest tests/faults -p no:xdist --durations=10

# The browser tests fork a live server from the test process; a connection pool's
# threads must not be forked, so that run uses plain connections.
test-e2e: $(VENV)/.installed node_modules/.package-lock.json
	DATABASE_POOL=false $(PY) -m pytest tests/e2e -p no:xdist --durations=15

# The translation catalogues (docs/I18N.md): gather every message of the code into locale/<lang>/,
# keeping what is translated; translate the new ones, then run it again to compile the .mo files.
# Needs GNU gettext's xgettext (apt: gettext); compiling doesn't.
messages: $(VENV)/.installed
	$(PY) manage.py makemessages --all
	$(PY) manage.py makemessages --all -d djangojs
	$(PY) manage.py compilemessages

# Django's checks and the migrations check run in the suite (tests/config/test_checks.py),
# against its servers, so linting needs none.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports  # the import contracts of docs/DECISIONS.md, "Architecture"

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The benchmark's own PostgreSQL and Redis (bench/services.py, data in .data/bench), unless
# `make bench DATABASE_URL=… REDIS_URL=…` names a stack to measure. Only names given on the command
# line count: a DATABASE_URL exported for development must not receive the data set.
BENCH_URLS = $(if $(filter command line,$(origin DATABASE_URL)),--database-url '$(DATABASE_URL)') \
	$(if $(filter command line,$(origin REDIS_URL)),--redis-url '$(REDIS_URL)')

# Also rewrites the CPU-per-request record (bench/baseline/full.json) that later runs compare with: commit it.
bench: $(VENV)/.installed
	$(PY) -m bench.run --scale full --record $(BENCH_URLS)

# What CI runs: the builder and runner at small scale, briefly, with no timing asserted; it compares
# CPU per request with bench/baseline/small.json and flags rows, but never records and never fails on one.
bench-small: $(VENV)/.installed
	$(PY) -m bench.run --scale small --duration 2 --warmup 1 --fanout-rounds 2 $(BENCH_URLS)

migrate: $(VENV)/.installed
	$(PY) manage.py migrate

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
