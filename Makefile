# Every target that needs Python sets up .venv itself (and npm fetches the book's front-end files).
#   make book      build the book into _build/html (executes every notebook once; cached for
#                  rebuilds), with the lecture decks under _build/html/slides/
#   make test      build the book and the PDFs, then every test: unit, parity, gradient checks,
#                  every cell of every notebook's run, the browser tests of the pages and decks
#   make slides    every chapter as an executed lecture deck in _build/slides (opens from disk)
#   make pdf       every deck and the whole book as PDFs in _build/pdf (Chromium, offline)
#   make exercises regenerate exercises/ from solutions/
#   make lab       JupyterLab on the chapters, exercises and solutions (the .venv kernel)
#   make bench     speed against torch.nn (prints a table)
# torch: where nvidia-smi sees an NVIDIA GPU, PyPI's build (CUDA on Linux, several GB); else
# the CPU build from PyTorch's CPU index (a few hundred MB), or PyPI's if that index does not
# answer. TORCH picks a requirement from PyPI instead, e.g. `make test TORCH=torch==2.13.0`
# (what CI uses; a CPU build on the CI machines).

PYTHON ?= python3
TORCH ?=
TORCH_CPU_INDEX := https://download.pytorch.org/whl/cpu
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
SLIDE_JOBS ?= 2
# Processes that run side by side (two decks, two pytest workers) get one BLAS and OpenMP thread
# each: OpenBLAS's threads spin while they wait for a core the other process holds, which made
# chapter 5's NumPy training 18 times slower on two busy cores (0.29 s against 5.3 s for 50
# updates). torch reads OMP_NUM_THREADS too.
ONE_THREAD := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
CHAPTERS := $(sort $(wildcard book/*.ipynb))
DECKS := $(CHAPTERS:book/%.ipynb=_build/slides/%.slides.html)
PRINT_PDFS := $(BIN)/python book/_offline/pdf.py
PACKAGE_SOURCES := $(shell find course_rnn -name '*.py')
# A deck is rebuilt when its chapter, the deck tools or the package change.
DECK_SOURCES := $(wildcard book/_offline/*.py book/_offline/templates/*) $(PACKAGE_SOURCES)
# The book, the decks and the tests share one run of each notebook, in Jupyter Book's execution
# cache (book/_offline/execution.py). The cache matches runs by the notebooks' code alone, so
# it is emptied whenever the package changes, and so is Sphinx's record of what it has read
# (.doctrees; else it would not read, nor run, an unchanged notebook again): no run of older
# package code is reused.
RUNS_OF_THIS_PACKAGE := _build/.runs-of-this-package

.PHONY: test book slides decks pdf vendor bench lint clean exercises lab

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# One environment for everything: the book build, the tests and the slides share it.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@if [ -n "$(TORCH)" ]; then $(BIN)/pip install --quiet "$(TORCH)"; \
	elif nvidia-smi -L >/dev/null 2>&1; then $(BIN)/pip install --quiet "torch>=2.2"; \
	elif $(BIN)/python -c "import urllib.request as r; r.urlopen('$(TORCH_CPU_INDEX)/torch/', timeout=10)" 2>/dev/null; then \
	  echo "no NVIDIA GPU: installing torch's CPU build from $(TORCH_CPU_INDEX)"; \
	  $(BIN)/pip install --quiet "torch>=2.2" --index-url $(TORCH_CPU_INDEX) --extra-index-url https://pypi.org/simple; \
	else echo "$(TORCH_CPU_INDEX) did not answer: installing torch from PyPI"; \
	  $(BIN)/pip install --quiet "torch>=2.2"; fi
	$(BIN)/pip install --quiet -e ".[book,test]"
	touch $@

$(VENV)/.installed-lab: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[lab]"
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# MathJax, require.js and the widget manager, from the npm packages pinned in book/_offline.
# Standard library only, so the system Python runs it.
vendor:
	$(PYTHON) book/_offline/vendor.py

$(RUNS_OF_THIS_PACKAGE): $(PACKAGE_SOURCES)
	rm -rf _build/.jupyter_cache _build/.doctrees
	mkdir -p _build && touch $@

# Fails on any notebook error or Sphinx warning; notebooks whose run is cached are not executed
# again (the chapters' runs come from `make slides`). The decks go into the site beside the
# pages (the lecture plans link to them).
book: $(VENV)/.installed vendor slides $(RUNS_OF_THIS_PACKAGE)
	$(BIN)/jupyter-book build . --warningiserror --keep-going
	rm -rf _build/html/slides && cp -r _build/slides _build/html/slides

# The book, decks and PDFs first (the browser tests read _build/html, _build/slides, _build/pdf;
# tests/test_executed_notebooks.py reads every notebook's run), then one pytest run.
test: book
	@if [ -x /usr/bin/chromium ]; then $(PRINT_PDFS); \
	else echo "no /usr/bin/chromium: no PDFs printed (the PDF and browser tests will skip)"; fi
	$(ONE_THREAD) $(BIN)/python -m pytest -n 2 --dist loadfile tests $(PYTEST_ARGS)

# The decks execute their chapters, SLIDE_JOBS at a time, each on one thread (ONE_THREAD); what
# they share (front-end files, the cache's database) is made first.
slides: $(VENV)/.installed $(RUNS_OF_THIS_PACKAGE)
	$(BIN)/python book/_offline/slides.py --out _build/slides
	$(MAKE) --no-print-directory -j$(SLIDE_JOBS) decks

decks: $(DECKS)

_build/slides/%.slides.html: book/%.ipynb $(DECK_SOURCES) $(VENV)/.installed $(RUNS_OF_THIS_PACKAGE)
	$(ONE_THREAD) $(BIN)/python book/_offline/slides.py --out _build/slides $<

pdf: book
	$(PRINT_PDFS)

# Student notebooks from the marked solutions (course_rnn/checks/generate.py has the rules).
exercises: $(VENV)/.installed
	$(BIN)/python -m course_rnn.checks.generate

lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab

bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check course_rnn tests benchmarks book/_offline

clean:
	rm -rf _build .pytest_cache
