# Two commands: `make run` (set up everything and serve) and `make test` (set up and pass the tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# One stamp per requirements set: the venv is brought up to date when either file changes.
STAMP := $(VENV)/.instalado-app
STAMP_DEV := $(VENV)/.instalado-dev
export FLASK_APP := app:create_app

.PHONY: run test lint format setup setup-dev bench clean-db chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# What the application needs to run (`make run`, production).
$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

# The same plus tests and tooling (`make test`, `make lint`).
$(STAMP_DEV): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP_DEV)

setup: $(STAMP)

setup-dev: $(STAMP_DEV)

run: $(STAMP)
	$(BIN)/python run.py

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP_DEV)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# One pytest-xdist worker per core, each with its own test database on the one embedded server; a module runs whole
# in one worker (its module fixtures are built once). `make test PYTEST_ARGS="-p no:xdist"` runs it in one process.
PYTEST_ARGS ?= -n auto --dist loadfile

test: $(STAMP_DEV) lint chromium
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Debian chromium (browser tests), poppler-utils and zbar-tools (the constancia rendered and its QR read back):
# installed if missing (as root or with sudo; otherwise says what to run).
chromium:
	tools/instalar_chromium.sh

bench: $(STAMP)
	$(BIN)/python -m bench.mesa_ayuda $(BENCH_ARGS)

clean-db:
	rm -rf instance/pgdata
