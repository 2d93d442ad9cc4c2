# Doorbraak: `make run` serves the demo, `make test` runs everything. See README.md.
SHELL := /bin/bash
PY := .venv/bin/python
PG_URL ?= postgres://postgres:postgres@127.0.0.1:5432/doorbraak
RUN_ENV := DEMO=1 DEBUG=0
BENCH_SIZES ?= 1000 10000
BENCH_INITIATIVES ?= 10000
BENCH_LEARNING_SIZES ?= 10000 100000

.PHONY: run test setup setup-test lint sbom audit bench bench-learning messages clean

.venv/.deps: requirements.txt requirements-dev.txt
	@test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) scripts/warm_deduce.py
	@touch $@

node_modules/.deps: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

var/vendor/.deps: node_modules/.deps scripts/vendor_assets.sh
	scripts/vendor_assets.sh
	@touch $@

setup: .venv/.deps var/vendor/.deps
	@scripts/ensure_system_packages.sh runtime

run: setup
	$(RUN_ENV) $(PY) manage.py migrate --no-input -v0
	$(RUN_ENV) $(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules 2>/dev/null || true
	$(RUN_ENV) $(PY) manage.py load_demo
	@echo ""
	@echo "Doorbraak draait op http://127.0.0.1:8000  (inloggen: http://127.0.0.1:8000/inloggen/)"
	@echo "Demo-accounts, wachtwoord 'doorbraak-demo': demo-professional, demo-lead, demo-approver,"
	@echo "  demo-policy, demo-moderator, demo-admin, demo-admin2 (tweede beheerder), demo-other (andere gemeente)"
	@echo ""
	@# gunicorn (gunicorn.conf.py) and one task worker; Ctrl-C stops both.
	$(RUN_ENV) scripts/run_demo.sh

setup-test: setup
	@scripts/ensure_system_packages.sh test
	@PG_URL=$(PG_URL) scripts/ensure_postgres.sh

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	PYTHONPATH=src .venv/bin/lint-imports --config pyproject.toml
	DOORBRAAK_ENV=test $(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) scripts/sbom.py --check

# CycloneDX SBOM of the Python (.venv, narrowed to the pins) and npm (package-lock.json) dependencies.
sbom: setup
	$(PY) scripts/sbom.py

# Known vulnerabilities (pip-audit, npm audit); also run by `make test` through scripts/test_all.sh.
audit: setup
	scripts/audit_dependencies.sh

test: setup-test lint
	@PG_URL=$(PG_URL) scripts/test_all.sh

bench: setup
	@PG_URL=$(PG_URL) scripts/ensure_postgres.sh
	PG_URL=$(PG_URL) $(PY) bench/run.py --sizes $(BENCH_SIZES)
	DOORBRAAK_ENV=test DATABASE_URL=$(PG_URL) $(PY) bench/bench_initiatives_search.py --count $(BENCH_INITIATIVES)
	DOORBRAAK_ENV=test $(PY) bench/bench_initiatives_search.py --count $(BENCH_INITIATIVES)

# Learning dashboard, patterns, council report and open data at 10k/100k cases (1M: see BENCHMARKS.md).
bench-learning: setup
	@PG_URL=$(PG_URL) scripts/ensure_postgres.sh
	PG_URL=$(PG_URL) $(PY) bench/bench_learning.py --sizes $(BENCH_LEARNING_SIZES)

messages: setup
	$(PY) manage.py makemessages -l nl -l en --ignore=.venv --ignore=node_modules --ignore=var

clean:
	rm -rf var/staticfiles var/vendor var/test-results

# Scale-out (issue 14): two gunicorn web processes + two db_workers on PostgreSQL and Redis (database 5), mixed
# load, worker and web kill drills, at 10k/100k cases (1M: see BENCHMARKS.md). Not a timed test.
BENCH_SCALEOUT_SIZES ?= 10000 100000
BENCH_LIST_SIZES ?= 10000 100000 1000000
# Issue 15: every list at 10k, 100k and 1M cases (builds the databases once, then reuses them).
.PHONY: bench-lists
bench-lists: setup
	@PG_URL=$(PG_URL) scripts/ensure_postgres.sh
	PG_URL=$(PG_URL) bench/bench_all_lists.sh $(BENCH_LIST_SIZES)

.PHONY: bench-scaleout
bench-scaleout: setup
	@PG_URL=$(PG_URL) scripts/ensure_postgres.sh
	PG_URL=$(PG_URL) $(PY) bench/bench_scaleout.py --sizes $(BENCH_SCALEOUT_SIZES)
