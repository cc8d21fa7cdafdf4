"""Turn chapters into executed reveal.js decks that open from disk with no network (`make slides`).

Each notebook is executed with its own folder as working directory (as the book and nbval do)
and exported with nbconvert's SlidesExporter; every asset URL points into ``<out>/_vendor/``,
filled by :func:`vendor.vendor_slides` from the pinned npm packages, so the folder can be copied
to a lecture-room machine as it is. Cells' ``slideshow.slide_type`` metadata decides the slides;
MyST roles and directives are rewritten first (``myst_for_slides.py``) so slides show no raw MyST.

Usage: ``python book/_offline/slides.py [--out DIR] NOTEBOOK...`` (default DIR: _build/slides).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from book_index import Book
from nbclient import NotebookClient
from nbconvert import SlidesExporter
from traitlets.config import Config
from vendor import ROOT, vendor_slides

TEMPLATES = Path(__file__).resolve().parent / "templates"

# The decks refer to their assets relative to themselves, so a folder of decks is portable.
ASSETS = {
    "reveal_url_prefix": "_vendor/reveal.js",
    "mathjax_url": "_vendor/mathjax2/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "require_js_url": "_vendor/requirejs/require.js",
    "jquery_url": "_vendor/jquery/jquery.min.js",
    # Only used where a deck holds widget state; base and controls are bundled in embed-amd.js.
    "widget_renderer_url": "_vendor/html-manager/embed-amd.js",
}


def exporter() -> SlidesExporter:
    """A SlidesExporter whose pages load nothing from outside their folder."""
    c = Config()
    for name, value in ASSETS.items():
        setattr(c.SlidesExporter, name, value)
    c.SlidesExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.SlidesExporter.template_name = "reveal_offline"
    # Long code or output slides scroll instead of being cut off at the bottom of the screen.
    c.SlidesExporter.reveal_scroll = True
    # nbconvert's default theme ("simple") imports fonts from Google; "white" ships its own.
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.reveal_number = "c/t"
    return SlidesExporter(config=c)


def build_deck(notebook: Path, out: Path, slides: SlidesExporter, book: Book,
               timeout: int = 600) -> Path:
    """Execute ``notebook`` and write ``out/<stem>.slides.html``; an error in any cell raises.

    The chapters are MyST Markdown, which nbconvert would show as written: ``book`` rewrites
    citations, references and directives into Markdown and HTML a slide shows (see
    ``myst_for_slides.py``); a reference it cannot resolve raises.
    """
    nb = nbformat.read(notebook, as_version=4)
    missing = book.convert_notebook(nb, notebook)
    if missing:
        raise ValueError(f"{notebook.name}: unresolved citations or references {missing}")
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook.parent)}})
    client.execute()
    body, _ = slides.from_notebook_node(nb, resources={"metadata": {"name": notebook.stem}})
    deck = out / f"{notebook.stem}.slides.html"
    deck.write_text(body, encoding="utf-8")
    return deck


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "slides")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    vendor_slides(args.out)
    slides, book = exporter(), Book.load(ROOT)
    for notebook in args.notebooks:
        start = time.perf_counter()
        deck = build_deck(notebook.resolve(), args.out, slides, book)
        print(f"slides.py: {deck} ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
