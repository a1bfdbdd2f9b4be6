# Two commands on a fresh machine:  make run  |  make test
# Both create .venv with a Python >= 3.12 found by scripts/find-python (or PYTHON=...).

PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast bench clean

$(STAMP): pyproject.toml setup.py
	@if [ -z "$(PYTHON)" ]; then echo "make: no Python >= 3.12 found (see the message above)"; exit 1; fi
	@echo "setting up $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

## run: set up, then run the main job (the baseline scenario) and write its table and figure
run: $(STAMP)
	$(BIN)/normsim run baseline --out results/baseline

## test: set up (and find or install a Chromium for the app's tests), then run the whole suite
## on all cores; the slowest 15 tests are listed. 19-23 min on 2 free cores before the shared
## store of replicate runs (tests/shared_runs.py, in .pytest_cache/normsim-runs/): it computes
## each run once for all tests and workers, and a second 'make test' of an unchanged package
## reads them (the durability tests' replicates: 124 CPU-s before, 110 cold, 7 warm).
test: $(STAMP)
	$(BIN)/python tests/browser.py --ensure
	$(BIN)/python -m pytest -q -n auto --durations=40

## test-fast: the everyday loop: every test except the statistical, multi-process and browser
## ones (the marks are registered in pyproject.toml; 1,546 of the 1,810 tests; 1,483 of them
## took 2 min 45 s on 2 free cores)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -n auto --durations=10 -m "not statistical and not multiprocess and not browser"

## bench: set up, then measure speed (prints a table and machine-readable lines);
## options go in ARGS, e.g. make bench ARGS=--quick  or  ARGS="--only population"
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(ARGS)

clean:
	rm -rf $(VENV) results .pytest_cache .hypothesis
