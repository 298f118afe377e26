# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=true DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3

.PHONY: install run test lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py seed_demo
	@echo
	@echo "  JuniperAdmin is starting at http://127.0.0.1:8000/ (store side: http://127.0.0.1:8000/shop/)"
	@$(DEV_ENV) $(PY) manage.py ensure_demo_logins | sed 's/^/  /'
	@echo "  A task worker runs beside the server for big actions (jobs); Ctrl-C stops both."
	@echo
	@$(DEV_ENV) $(PY) manage.py resume_cart_jobs --verbosity 0
	@$(DEV_ENV) $(PY) manage.py db_worker --interval 1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Branch coverage, one line per file. In CI (PostgreSQL and Chromium, nothing skipped) a figure
# below the floor in pyproject.toml fails the run; on a laptop's SQLite some tests skip, so
# there it only reports.
test: install
	$(VENV)/bin/pytest --cov --cov-report=term $(if $(filter true 1 yes,$(CI)),,--cov-fail-under=0)

# mypy runs with DEBUG=true: its Django plugin imports the settings, which otherwise want a
# SECRET_KEY.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DEBUG=true $(VENV)/bin/mypy
