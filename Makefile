# The two commands a newcomer needs: `make run` and `make test` (see README.md).
# Without DATABASE_URL both start an embedded PostgreSQL (juniperadmin/embedded_db.py): make run
# keeps its data in .pgdata/, make test uses a throwaway folder. With DATABASE_URL set, that
# server is used instead and nothing is started.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EMBEDDED := $(PY) -m juniperadmin.embedded_db
DEV_ENV := DEBUG=true

.PHONY: install run serve test lint psql

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	@$(EMBEDDED) run -- $(MAKE) --no-print-directory serve PORT=$(PORT)

# What make run does once its database is up (DATABASE_URL set).
serve:
	@$(DEV_ENV) $(PY) manage.py migrate --noinput --verbosity 0
	@$(DEV_ENV) $(PY) manage.py seed_demo
	@echo
	@echo "  JuniperAdmin is starting at http://127.0.0.1:$(PORT)/ (store side: http://127.0.0.1:$(PORT)/shop/)"
	@$(DEV_ENV) $(PY) manage.py ensure_demo_logins | sed 's/^/  /'
	@echo "  A task worker runs beside the server for big actions (jobs); it waits out a database"
	@echo "  outage, and is started again if it stops. Ctrl-C stops both."
	@echo
	@$(DEV_ENV) $(PY) manage.py resume_cart_jobs --verbosity 0
	@( trap 'kill $$child 2>/dev/null; wait $$child 2>/dev/null; exit 0' TERM; \
	  while :; do $(DEV_ENV) $(PY) manage.py run_cart_worker --interval 1 & child=$$!; wait $$child; \
	    echo "  The task worker stopped; it starts again in 2 s."; sleep 2; done ) & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Branch coverage, one line per file. In CI (Chromium present, nothing skipped) a figure below
# the floor in pyproject.toml fails the run; on a laptop without Chromium the browser tests skip,
# so there it only reports.
test: install
	@$(EMBEDDED) run --throwaway -- $(VENV)/bin/pytest --cov --cov-report=term \
	  $(if $(filter true 1 yes,$(CI)),,--cov-fail-under=0)

# Prints the database's URL and opens psql on it (make run's embedded server, started if need be).
psql: install
	@$(EMBEDDED) psql

# mypy runs with DEBUG=true: its Django plugin imports the settings, which otherwise want a
# SECRET_KEY.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DEBUG=true $(VENV)/bin/mypy
