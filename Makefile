# Two commands for a newcomer: `make demo` (install and run on a sample) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
SAMPLE  = data/samples/national-2022_guangxi-2023.txt

.PHONY: demo test bench fuzz install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

REPORT  = yigai-demo-report.html

# A plain (non-editable) install, as users get it, then yigai on a bundled sample; it ends with the report
# to open and what to try next.
demo: $(BIN)/python
	$(BIN)/pip install --quiet .
	$(BIN)/yigai parse $(SAMPLE)
	$(BIN)/yigai compare $(SAMPLE)#1 $(SAMPLE)#2
	$(BIN)/yigai report $(SAMPLE)#1 $(SAMPLE)#2 data/samples/city-2023-draft.txt --output $(REPORT)
	@echo
	@echo "The report: $(CURDIR)/$(REPORT) (open it in a browser)"
	@echo "Next, try (after '. $(VENV)/bin/activate'):"
	@echo "  yigai compare '$(SAMPLE)#1' data/samples/city-2023-draft.txt --detail 7   one national item and its counterparts in full"
	@echo "  yigai check '$(SAMPLE)#1' data/samples/city-2023-draft.txt --min-coverage 80%   gate a draft on its coverage (exit 1 below)"
	@echo "  yigai diff tests/fixtures/diff/guangxi-2023.txt tests/fixtures/diff/guangxi-redraft.txt   what a redraft kept, changed, dropped"

# setuptools says, as information, that an editable install of packages mapped from other folders (cli/ is
# yigai_cli) goes through an import hook; pip shows it as a warning on every `make test`. Only that message is
# silenced.
install: $(BIN)/python
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip install --quiet -e ".[test]"

test: install
	$(BIN)/ruff check yigai cli tests bench docs
	$(BIN)/mypy yigai cli
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/parse_speed.py
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/confidence.py
	$(BIN)/python bench/align_speed.py
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/cache.py
	$(BIN)/python bench/report_speed.py
	$(BIN)/python bench/promises.py
	$(BIN)/python bench/hostile_speed.py
	$(BIN)/python bench/ocr.py

# Seeded fuzzing of the reader: prints crashes (and keeps their inputs) and the slowest cases.
fuzz: install
	$(BIN)/python bench/fuzz.py --cases 1000 --seed 20261201 --commands

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis bench/out $(REPORT)
