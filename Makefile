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
	$(BIN)/igf-sched solve scenarios/block.toml --out $(OUT)/block
	$(BIN)/igf-sched check $(OUT)/block/schedule.csv --scenario scenarios/block.toml
	$(BIN)/igf-sched show DC-DT --schedule $(OUT)/block
	$(BIN)/igf-sched solve scenarios/mixed.toml --out $(OUT)/mixed
	$(BIN)/igf-sched check $(OUT)/mixed/schedule.csv --scenario scenarios/mixed.toml
	$(BIN)/igf-sched solve scenarios/dc-day-0.toml --out $(OUT)/dc-day-0
	$(BIN)/igf-sched check $(OUT)/dc-day-0/schedule.csv --scenario scenarios/dc-day-0.toml
	$(BIN)/igf-sched solve scenarios/dc-day-2.toml --out $(OUT)/dc-day-2
	$(BIN)/igf-sched check $(OUT)/dc-day-2/schedule.csv --scenario scenarios/dc-day-2.toml
	$(BIN)/igf-sched show DC-Children --schedule $(OUT)/dc-day-2
	$(BIN)/igf-sched compare scenarios/*.toml --out $(OUT)/compare

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_solve.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
