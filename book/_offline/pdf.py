"""Print the lecture decks and the book to PDF with Chromium, offline (`make pdf`).

A deck prints through reveal.js's print view (``?print-pdf``): one page a slide, every step
shown. The book prints page by page in the order of ``_toc.yml``, with the theme's print style
(no sidebars), and the pages are joined into one file. Writes ``_build/pdf/<deck>.pdf`` for every
deck in ``_build/slides`` and ``_build/pdf/book.pdf`` from ``_build/html``; needs Debian's
``/usr/bin/chromium`` (driven by Playwright, which never downloads a browser here).

Usage: ``python book/_offline/pdf.py``
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright
from pypdf import PdfWriter
from vendor import ROOT

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update"]
SLIDES, HTML, OUT = ROOT / "_build" / "slides", ROOT / "_build" / "html", ROOT / "_build" / "pdf"
# MathJax 3's promise settles once every formula of the page is typeset.
TYPESET = "() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null"


def offline(route) -> None:
    """Let the page load its own files; refuse anything from the network."""
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort()


def print_deck(page, deck: Path) -> Path:
    page.goto(deck.as_uri() + "?print-pdf", wait_until="load")
    page.wait_for_selector("html.math-typeset", timeout=60_000)
    page.wait_for_selector(".reveal .pdf-page", state="attached", timeout=30_000)
    target = OUT / deck.name.replace(".slides.html", ".pdf")
    page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
    return target


def book_pages() -> list[Path]:
    """The built pages in the order of the table of contents."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]] + [c["file"] for part in toc.get("parts", [])
                            for c in part.get("chapters", []) if "file" in c]
    return [HTML / f"{doc}.html" for doc in docs]


def print_book(page) -> Path:
    book = PdfWriter()
    for html in book_pages():
        page.goto(html.as_uri(), wait_until="load")
        page.evaluate(TYPESET)
        book.append(io.BytesIO(page.pdf(format="A4", print_background=True)))
    target = OUT / "book.pdf"
    with target.open("wb") as f:
        book.write(f)
    return target


def timed(job, *args) -> None:
    start = time.perf_counter()
    target = job(*args)
    print(f"pdf.py: {target} ({time.perf_counter() - start:.1f} s)")


def main() -> None:
    if not Path(CHROMIUM).exists():
        sys.exit(f"pdf.py: Chromium prints the PDFs and {CHROMIUM} is missing "
                 "(Debian: apt-get install chromium)")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.route("**/*", offline)
        for deck in sorted(SLIDES.glob("*.slides.html")):
            timed(print_deck, page, deck)
        timed(print_book, page)
        browser.close()


if __name__ == "__main__":
    main()
