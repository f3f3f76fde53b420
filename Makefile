# The two commands of the README's quick start: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check fmt bench system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

system-deps:
	./scripts/install-system-deps.sh

demo: $(STAMP)
	$(BIN)/mailbot demo

test: $(STAMP) system-deps
	$(BIN)/ruff check mailbot tests benchmarks scripts
	$(BIN)/ruff format --check mailbot tests benchmarks scripts
	$(BIN)/python scripts/import_graph.py
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/ruff format --check mailbot tests benchmarks scripts
	$(BIN)/ruff check mailbot tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python scripts/import_graph.py

fmt: $(STAMP)
	$(BIN)/ruff format mailbot tests benchmarks scripts
	$(BIN)/ruff check --fix mailbot tests benchmarks scripts

bench: $(STAMP) system-deps
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
