# `make demo` and `make test` create (or reuse) the virtual environment themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT := out

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/igf-sched eligibility scenarios/individual.toml
	$(BIN)/igf-sched solve scenarios/individual.toml --out $(OUT)/individual
	$(BIN)/igf-sched check $(OUT)/individual/schedule.csv --scenario scenarios/individual.toml
	$(BIN)/igf-sched show DCAD --schedule $(OUT)/individual

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_solve.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
