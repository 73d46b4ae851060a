# Two commands for a newcomer: `make demo` (install and run on a sample) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
SAMPLE  = data/samples/national-2022_guangxi-2023.txt

.PHONY: demo test bench fuzz install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# A plain (non-editable) install, as users get it, then yigai on a bundled sample.
demo: $(BIN)/python
	$(BIN)/pip install --quiet .
	$(BIN)/yigai parse $(SAMPLE)
	$(BIN)/yigai compare $(SAMPLE)#1 $(SAMPLE)#2
	$(BIN)/yigai report $(SAMPLE)#1 $(SAMPLE)#2 data/samples/sichuan-2021.txt --output $(VENV)/demo-report.html
	@echo "report: $(VENV)/demo-report.html"

install: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

test: install
	$(BIN)/ruff check yigai cli tests bench docs
	$(BIN)/mypy yigai cli
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/parse_speed.py
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/align_speed.py
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/report_speed.py
	$(BIN)/python bench/promises.py
	$(BIN)/python bench/hostile_speed.py
	$(BIN)/python bench/ocr.py

# Seeded fuzzing of the reader: prints crashes (and keeps their inputs) and the slowest cases.
fuzz: install
	$(BIN)/python bench/fuzz.py --cases 1000 --seed 20261201 --commands

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis bench/out
