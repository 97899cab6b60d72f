# `make demo` and `make test` create (or reuse) the virtual environment themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT := out

.PHONY: demo test bench clean browser-deps c3voc-tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# What a planner reads in one screen; every detail goes to a file under $(OUT) (named at the end).
# While the solves run, a terminal shows one updating progress line (a log gets every line).
# It still runs eligibility, solve, check, show and compare, and fails when a check fails.
demo: $(STAMP)
	@mkdir -p $(OUT)
	@echo "== Eligibility (each rule per DC: $(OUT)/eligibility.csv)"
	@$(BIN)/igf-sched eligibility scenarios/individual.toml --format csv > $(OUT)/eligibility.csv
	@$(BIN)/igf-sched eligibility scenarios/individual.toml --summary
	@echo
	@echo "== One session per DC request (scenarios/individual.toml)"
	@$(BIN)/igf-sched solve scenarios/individual.toml --out $(OUT)/individual
	@$(BIN)/igf-sched check $(OUT)/individual/schedule.csv --scenario scenarios/individual.toml
	@mkdir -p $(OUT)/show
	@$(BIN)/igf-sched show DCAD --schedule $(OUT)/individual > $(OUT)/show/DCAD-individual.txt
	@echo
	@echo "== Every scenario side by side (each solved into its own folder, then re-checked)"
	@$(BIN)/igf-sched compare scenarios/*.toml --out $(OUT)/compare
	@for s in block mixed dc-day-0 dc-day-0-reserved dc-day-2; do \
	  $(BIN)/igf-sched check $(OUT)/compare/$$s/schedule.csv --scenario scenarios/$$s.toml || exit 1; \
	done
	@$(BIN)/igf-sched show DC-DT --schedule $(OUT)/compare/block > $(OUT)/show/DC-DT-block.txt
	@$(BIN)/igf-sched show DC-Children --schedule $(OUT)/compare/dc-day-2 \
	  > $(OUT)/show/DC-Children-dc-day-2.txt
	@echo
	@echo "What one DC got (igf-sched show DC --schedule FOLDER): $(OUT)/show/"
	@echo "Every table in the terminal: add --verbose to solve or compare; examples: igf-sched --help"

# The tests include the site's browser test and the C3VOC conversion test, so `make test`
# installs their browser and library first.
test: $(STAMP) browser-deps c3voc-tools
	$(BIN)/python -m pytest

# The C3VOC schedule tools (tests/test_c3voc.py converts schedule.json with them) pin
# icalendar<6 and lxml<5, which igf-sched's own packages outgrew, so they get a virtual
# environment of their own; the test runs their Python (C3VOC_PYTHON=/path for another).
C3VOC_VENV := .venv-c3voc
C3VOC_TOOLS := c3voc-schedule-tools==1.1.0
c3voc-tools: $(C3VOC_VENV)/.installed
$(C3VOC_VENV)/.installed: Makefile
	$(PYTHON) -m venv $(C3VOC_VENV)
	$(C3VOC_VENV)/bin/pip install --quiet '$(C3VOC_TOOLS)'
	touch $@

# The site's browser test (tests/test_site.py) drives Debian's chromium with Playwright (no
# browser download); `make test` runs this first. Set CHROMIUM=/path/to/chromium to use another one.
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

# On demand, never in `make test`: 20 generated instances and the sample in every mode (about
# 10 minutes on one core; figures and targets in bench/RESULTS.md).
bench: $(STAMP)
	$(BIN)/python bench/bench_instances.py

clean:
	rm -rf $(VENV) $(C3VOC_VENV) $(OUT) .pytest_cache
