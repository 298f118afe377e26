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
# make run's commands start with Ctrl-C ignored and take it up once Python runs (manage.py): a
# Ctrl-C while an interpreter was still starting printed "Fatal Python error" and a traceback.
# A Ctrl-C in that moment is not lost: make has it too, and ends after the command.
MANAGE := trap '' INT; $(DEV_ENV) CTRL_C_ONCE_STARTED=1 $(PY) manage.py

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
	@$(MANAGE) migrate --noinput --verbosity 0
	@$(MANAGE) seed_demo
	@echo
	@echo "  JuniperAdmin is starting at http://127.0.0.1:$(PORT)/ (store side: http://127.0.0.1:$(PORT)/shop/)"
	@$(MANAGE) ensure_demo_logins | sed 's/^/  /'
	@echo "  A task worker runs beside the server for big actions (jobs); it waits out a database"
	@echo "  outage, and is started again if it stops. Ctrl-C stops both."
	@echo
	@$(MANAGE) resume_cart_jobs --verbosity 0
	@$(SERVE_BESIDE_WORKER)

# The server, and beside it the task worker, started again if it stops of itself. Ctrl-C
# reaches both: each ends on its own (the worker after its task, with status 130), the loop
# does not start the worker again (130, or USR1), and the shell waits for it. If the server ends of itself, the worker is
# stopped (TERM). A background job ignores Ctrl-C in a script, hence USR1 for the loop.
define SERVE_BESIDE_WORKER
( trap 'stop=1' USR1; trap 'stop=1; kill $$child 2>/dev/null' TERM; \
  while :; do \
    $(DEV_ENV) $(PY) manage.py run_cart_worker --interval 1 & child=$$!; \
    while :; do wait $$child; status=$$?; kill -0 $$child 2>/dev/null || break; done; \
    [ -z "$$stop" ] && [ $$status -ne 130 ] || exit 0; \
    echo "  The task worker stopped; it starts again in 2 s."; sleep 2; \
    [ -z "$$stop" ] || exit 0; \
  done ) & worker=$$!; \
trap 'kill -USR1 $$worker 2>/dev/null; wait $$worker; exit 0' INT; \
trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
(trap '' INT; exec env $(DEV_ENV) CTRL_C_ONCE_STARTED=1 $(PY) manage.py runserver 127.0.0.1:$(PORT))
endef

# Ends with a short summary (tests/run_summary.py): passed, skipped grouped by reason, and the
# branch coverage total; the per-file coverage table goes to $(COVERAGE_TABLE), which the summary
# names (-rfE: failures and errors are still listed one by one, skips only by reason). In CI
# (Chromium present, nothing skipped) a figure below the floor in pyproject.toml fails the run;
# on a laptop without Chromium the browser tests skip, so there it only reports.
COVERAGE_TABLE := .coverage-report.md
test: install
	@$(EMBEDDED) run --throwaway -- $(VENV)/bin/pytest -rfE --cov --cov-report=markdown:$(COVERAGE_TABLE) \
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
