# Every target that needs Python sets up .venv itself.
#   make test                   all tests (unit, parity, gradient checks)
#   make book                   build the book into _build/html
#   make bench                  speed against torch.nn (prints a table)
# TORCH picks the torch requirement, e.g. `make test TORCH=torch==2.13.0` (a CPU build on the CI machines).

PYTHON ?= python3
TORCH ?= torch>=2.2
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: test book bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet "$(TORCH)"
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

$(VENV)/.installed-book: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet "$(TORCH)"
	$(BIN)/pip install --quiet -e ".[book]"
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed-test
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

book: $(VENV)/.installed-book
	$(BIN)/jupyter-book build . --warningiserror --keep-going

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check course_rnn tests benchmarks

clean:
	rm -rf _build .pytest_cache
