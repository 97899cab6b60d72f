# `make demo` and `make test` create (or reuse) the virtual environment themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT := out

.PHONY: demo test bench clean browser-deps

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
	@# compare solves every scenario (each into its own folder), then each result is re-checked
	$(BIN)/igf-sched compare scenarios/*.toml --out $(OUT)/compare --by-dc
	for s in block mixed dc-day-0 dc-day-2; do \
	  $(BIN)/igf-sched check $(OUT)/compare/$$s/schedule.csv --scenario scenarios/$$s.toml || exit 1; \
	done
	$(BIN)/igf-sched show DC-DT --schedule $(OUT)/compare/block
	$(BIN)/igf-sched show DC-Children --schedule $(OUT)/compare/dc-day-2

test: $(STAMP)
	$(BIN)/python -m pytest

# The site's browser test (tests/test_site.py) drives Debian's chromium with Playwright (no
# browser download); CI runs this first. Set CHROMIUM=/path/to/chromium to use another one.
CHROMIUM ?= /usr/bin/chromium
browser-deps:
	@if [ -x "$(CHROMIUM)" ]; then echo "browser-deps: $(CHROMIUM) is there"; \
	elif [ "$(CHROMIUM)" = /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium >/dev/null && \
	  echo "browser-deps: installed Debian's chromium"; \
	else echo "browser-deps: no Chromium at $(CHROMIUM): install it (Debian: apt-get install" \
	  "chromium) or set CHROMIUM=/path/to/chromium" >&2; exit 1; fi

bench: $(STAMP)
	$(BIN)/python bench/bench_solve.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
