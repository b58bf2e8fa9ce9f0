# The same commands the README shows: run, test, check, bench, eval.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check bench eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/warta

test: $(STAMP)
	$(BIN)/python -m pytest -q

check: $(STAMP)
	$(BIN)/ruff format --check index tui lexicons tests scripts
	$(BIN)/ruff check index tui lexicons tests scripts
	$(BIN)/mypy index lexicons
	$(BIN)/python -m pytest -q

# Each script prints Markdown rows; docs/benchmarks.md keeps the figures of the last run.
bench: $(STAMP)
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_entities.py
	$(BIN)/python scripts/bench_events.py
	$(BIN)/python scripts/bench_import.py
	$(BIN)/python scripts/bench_memory.py
	$(BIN)/python scripts/bench_reader.py

eval: $(STAMP)
	$(BIN)/python -m warta.index.evaluate

clean:
	rm -rf $(VENV) build *.egg-info
