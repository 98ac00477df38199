# Two commands: `make run` (set up everything and serve) and `make test` (set up and pass the tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.instalado
export FLASK_APP := app:create_app

.PHONY: run test lint format setup bench clean-db chromium

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/python run.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(STAMP) lint chromium
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Debian chromium for the browser tests: installed if missing (as root or with sudo; otherwise says what to run).
chromium:
	tools/instalar_chromium.sh

bench: $(STAMP)
	$(BIN)/python -m bench.mesa_ayuda $(BENCH_ARGS)

clean-db:
	rm -rf instance/pgdata
