"""Turn chapters into lecture decks that open from disk with no network (`make slides`).

A chapter's marks (``lecture_marks.py``) say which of its blocks and cells go on which slide,
with speaker notes and minutes. Each chapter's run comes from the execution cache it shares
with the book (``execution.py``: made once, with its figures drawn as SVG so they stay sharp at
any size and its sliders' frames at twice the resolution) and is rendered by ``deck_html.py``. Asset
URLs point into ``<out>/_vendor/`` (filled by :func:`vendor.vendor_slides` from the pinned npm
packages), so the folder can be copied to a lecture-room machine as it is.

Usage: ``python book/_offline/slides.py [--out DIR] NOTEBOOK...`` (default DIR: _build/slides).
With no NOTEBOOK it only prepares what every deck shares (the front-end files in DIR and the
execution cache), so that ``make`` can then build several decks at once.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from book_index import Book
from deck_html import render_deck
from execution import executed_for_the_room, open_cache
from lecture_marks import read_lecture
from myst_for_slides import Context
from vendor import ROOT, vendor_slides


def subtitle(book: Book, notebook: Path) -> str:
    number = book.chapters.get(notebook.with_suffix(""))
    return f"Chapter {number} · course_rnn" if number else "course_rnn"


def build_deck(notebook: Path, out: Path, book: Book) -> Path:
    """Write ``notebook``'s deck to ``out/<stem>.slides.html`` from its run for the room."""
    nb = executed_for_the_room(notebook)
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
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "slides")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    vendor_slides(args.out)
    open_cache()
    book = Book.load(ROOT)
    for notebook in args.notebooks:
        start = time.perf_counter()
        deck = build_deck(notebook.resolve(), args.out, book)
        print(f"slides.py: {deck} ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
