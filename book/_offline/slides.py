"""Turn chapters into lecture decks that open from disk with no network (`make slides`).

A chapter's marks (``lecture_marks.py``) say which of its blocks and cells go on which slide,
with speaker notes and minutes. Each chapter is executed with its own folder as working
directory (as the book and nbval do), its figures drawn as SVG so they stay sharp at any size
(and its sliders' frames at twice the resolution), and rendered by ``deck_html.py``. Asset
URLs point into ``<out>/_vendor/`` (filled by :func:`vendor.vendor_slides` from the pinned npm
packages), so the folder can be copied to a lecture-room machine as it is.

Usage: ``python book/_offline/slides.py [--out DIR] NOTEBOOK...`` (default DIR: _build/slides).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from book_index import Book
from deck_html import render_deck
from lecture_marks import read_lecture
from myst_for_slides import Context
from nbclient import NotebookClient
from vendor import ROOT, vendor_slides

# Run before the chapter: vector figures, which a projector shows sharp at any scale, and the
# frames of kernel-free sliders at twice the book's resolution, as the deck shows them larger.
FOR_THE_ROOM = ("%config InlineBackend.figure_formats = ['svg']\n"
                "import course_rnn.viz.frames\n"
                "course_rnn.viz.frames.DPI_SCALE = 2.0")


def execute(notebook: Path, timeout: int = 600) -> nbformat.NotebookNode:
    """``notebook`` run from its own folder, drawn for the room; an error in any cell raises."""
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(FOR_THE_ROOM))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook.parent)}})
    client.execute()
    del nb.cells[0]
    return nb


def subtitle(book: Book, notebook: Path) -> str:
    number = book.chapters.get(notebook.with_suffix(""))
    return f"Chapter {number} · course_rnn" if number else "course_rnn"


def build_deck(notebook: Path, out: Path, book: Book) -> Path:
    """Execute ``notebook`` and write its deck to ``out/<stem>.slides.html``."""
    nb = execute(notebook)
    ctx = Context(book, notebook)
    slides = read_lecture(nb, ctx)
    if ctx.missing:
        raise ValueError(f"{notebook.name}: unresolved citations or references {ctx.missing}")
    deck = out / f"{notebook.stem}.slides.html"
    deck.write_text(render_deck(book.title(notebook), subtitle(book, notebook), slides,
                                vendor="_vendor"), encoding="utf-8")
    return deck


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "slides")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    vendor_slides(args.out)
    book = Book.load(ROOT)
    for notebook in args.notebooks:
        start = time.perf_counter()
        deck = build_deck(notebook.resolve(), args.out, book)
        print(f"slides.py: {deck} ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
