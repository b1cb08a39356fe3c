# The two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_DB ?= var/demo/ethos.sqlite3

.PHONY: demo test lint typecheck unit format system-deps clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## demo: install Ethos, create the demo organisation in SQLite, walk through stage 1,
## then serve the web app on http://127.0.0.1:8000/ (demo accounts are printed; Ctrl-C stops)
demo: $(STAMP)
	rm -rf var/demo
	$(BIN)/ethos --db sqlite:///$(DEMO_DB) demo --out var/demo
	$(BIN)/ethos --db sqlite:///$(DEMO_DB) serve --host 127.0.0.1 --port 8000

## test: install everything the tests need (system packages too) and run the whole suite
test: system-deps $(STAMP) lint typecheck unit

system-deps:
	./scripts/install-system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
