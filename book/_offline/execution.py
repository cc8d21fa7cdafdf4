"""Each notebook is executed once per change: the book, the decks and the tests share the run.

Jupyter Book executes a notebook only when its execution cache (jupyter-cache, in
``_build/.jupyter_cache``) holds no run of the notebook's current code; it stores every run it
makes there. The decks (``slides.py``) take their runs from the same cache, and so does the
test that checks every cell (``tests/test_executed_notebooks.py``), so ``make test`` executes
every notebook once, not once for the book, once for the slides and once for the tests.

A chapter is a deck too, and a projector wants its figures as vectors and its sliders' frames
at twice the book's resolution. So a chapter is executed for the room (:data:`FOR_THE_ROOM`
runs before its first cell) and its run is marked as such; the book then shows those SVG
figures and double-resolution frames too (a frame slider displays its frames at their
nominal size either way). ``make slides`` runs before the book build (two chapters at a
time), so the book reuses the chapters' runs. A chapter run the book made alone
(``jupyter-book build`` by hand) lacks the mark, and :func:`executed_for_the_room` runs it
again and replaces it.

The cache knows the notebooks' code, not the package's: ``make`` empties it when a file of
``course_rnn`` changes (see the Makefile), so no run of older package code is ever reused.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_client import KernelManager
from nbclient import NotebookClient
from vendor import ROOT

CACHE = ROOT / "_build" / ".jupyter_cache"
"""Where Jupyter Book keeps its runs (its default, beside the built site)."""

FOR_THE_ROOM = ("%config InlineBackend.figure_formats = ['svg']\n"
                "import course_rnn.viz.frames\n"
                "course_rnn.viz.frames.DPI_SCALE = 2.0")
"""Run before a chapter's first cell: vector figures, which a projector shows sharp at any
scale, and slider frames at twice the book's resolution."""

ROOM_MARK = "course_rnn_drawn_for_the_room"
"""A key in the metadata of a run made with :data:`FOR_THE_ROOM`."""


def open_cache() -> None:
    """Create the cache's database if it is not there yet.

    ``make slides`` runs several decks at once; the database is created first, by one
    process, so that they never race to create it (each run's record is written in one short
    transaction, which SQLite serialises).
    """
    get_cache(str(CACHE)).list_cache_records()


def cached_run(notebook: Path) -> nbformat.NotebookNode | None:
    """The cached run of ``notebook``'s current code (outputs and all), or None."""
    nb = nbformat.read(notebook, as_version=4)
    try:  # the cache keeps code cells only: merge them into the notebook's own cells
        return get_cache(str(CACHE)).merge_match_into_notebook(nb, nb_meta=None)[1]
    except KeyError:
        return None


def executed_for_the_room(notebook: Path, timeout: int = 600) -> nbformat.NotebookNode:
    """``notebook`` executed for the room: from the cache, or run now and cached.

    The run is made from the notebook's own folder, as Jupyter Book and JupyterLab run it;
    an error in any cell raises.
    """
    run = cached_run(notebook)
    if run is not None and run.metadata.get(ROOM_MARK):
        return run
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(FOR_THE_ROOM))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="course_rnn-kernel-") as sockets:
        NotebookClient(nb, km=kernel_in(sockets), timeout=timeout, record_timing=False,
                       resources={"metadata": {"path": str(notebook.parent)}}).execute()
    seconds = time.perf_counter() - start
    del nb.cells[0]
    renumber_from_one(nb)
    nb.metadata[ROOM_MARK] = True
    get_cache(str(CACHE)).cache_notebook_bundle(
        CacheBundleIn(nb, str(notebook), data={"execution_seconds": seconds}),
        check_validity=False, overwrite=True)
    if cached_run(notebook) is None:  # the run's code or cell metadata differ from the file's
        raise RuntimeError(f"{notebook}: the cached run does not match the notebook")
    return nb


def kernel_in(folder: str) -> KernelManager:
    """A kernel that talks over Unix sockets in ``folder`` (a fresh one), not over TCP ports.

    ``make slides`` starts two kernels at once, and kernels on TCP pick their ports by
    binding and releasing them, a race two kernels started together can both win: one then
    waits for ever on a port the other took (a known race of jupyter_client). Socket files in
    a folder of the kernel's own cannot collide.
    """
    return KernelManager(kernel_name="python3", transport="ipc", ip=f"{folder}/kernel")


def renumber_from_one(nb: nbformat.NotebookNode) -> None:
    """Execution counts as if the chapter's first cell had run first (the prelude ran before)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.execution_count is not None:
            cell.execution_count -= 1
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count = cell.execution_count
