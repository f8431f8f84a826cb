# Một Cửa: `make run` sets up and serves the embedded service; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint bench messages clean

$(VENV)/.installed: pyproject.toml requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed  ## create or update .venv

run: export HOST := $(HOST)
run: export PORT := $(PORT)
# The demo runs with DEBUG off (the project's own error pages, not Django's debug page listing every URL) over plain
# HTTP (MOTCUA_DEMO: no HTTPS redirect, second factor or TLS-only cookies); whitenoise serves the static files.
run: export DEBUG := $(or $(DEBUG),false)
run: export MOTCUA_DEMO := $(or $(MOTCUA_DEMO),true)
run: setup  ## migrate, load the demo data, print the demo logins and serve on http://$(HOST):$(PORT)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py democa
	$(PY) manage.py loaddemo
	@echo "Serving Một Cửa on http://$(HOST):$(PORT)/ (staff workspace: http://$(HOST):$(PORT)/workspace/)"
	MOTCUA_INPROCESS_JOBS=$${MOTCUA_INPROCESS_JOBS:-true} $(PY) manage.py runserver $(HOST):$(PORT)

test: setup  ## the whole suite (set DATABASE_URL=postgres://... for PostgreSQL)
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .

bench: setup
	$(PY) bench/workcal.py
	$(PY) bench/catalogue_search.py

APP_CATALOGUES := feedback surveys programme reports

messages: setup  ## refresh and compile the English catalogues (the project's and the apps' own, docs/i18n.md)
	cd motcua && ../$(PY) ../manage.py makemessages -l en --no-obsolete $(foreach app,$(APP_CATALOGUES),--ignore=$(app)/*)
	for app in $(APP_CATALOGUES); do (cd motcua/$$app && ../../$(PY) ../../manage.py makemessages -l en --no-obsolete) || exit 1; done
	cd motcua && ../$(PY) ../manage.py compilemessages -l en

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
