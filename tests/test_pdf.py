"""The PDFs of ``make pdf`` (book/_offline/pdf.py): every deck one page per slide (a slide too
tall for its page would spill onto another), in the slide's 16:9 shape; the book every page of
the table of contents, in its order."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT / "_build" / "pdf"
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
STRAIGHT = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")

pypdf = pytest.importorskip("pypdf", reason="pdf test skipped: pypdf is missing "
                            "(pip install -e '.[book]')")
if not (PDF / "book.pdf").exists():
    pytest.skip("pdf test skipped: no _build/pdf (run `make pdf`, or `make test`, which builds "
                "the PDFs first)", allow_module_level=True)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_deck_pdf_has_one_page_per_slide(chapter):
    deck = (ROOT / "_build" / "slides" / f"{chapter.stem}.slides.html").read_text(encoding="utf-8")
    pages = pypdf.PdfReader(PDF / f"{chapter.stem}.pdf").pages
    assert len(pages) == deck.count("<section"), "a slide spilled over its page, or is missing"
    widths = {round(float(p.mediabox.width) / float(p.mediabox.height), 2) for p in pages}
    assert widths == {round(16 / 9, 2)}, f"pages are not 16:9: {widths}"


def test_book_pdf_has_every_page_in_order():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    # one space for any run of whitespace (a long heading wraps onto two lines), none after a
    # hyphen (a heading may wrap at "self-attention"), and straight quotes for Sphinx's curly ones
    text = " ".join(" ".join(page.extract_text().split())
                    for page in pypdf.PdfReader(PDF / "book.pdf").pages).translate(STRAIGHT)
    text = text.replace("- ", "-")
    position = 0
    for doc in docs:
        title = _title(doc).replace("- ", "-")
        found = text.find(title, position)
        assert found >= 0, f"{doc} ({title!r}) is missing, or out of order"
        position = found + len(title)


def _title(doc: str) -> str:
    """The first # heading of a page of the book (a notebook or a MyST file)."""
    path = next(ROOT.glob(f"{doc}.*"))
    if path.suffix == ".ipynb":
        sources = [c.source for c in nbformat.read(path, as_version=4).cells]
    else:
        sources = [path.read_text(encoding="utf-8")]
    heading = re.compile(r"^# (.+)$", re.M)
    title = next(m[1] for m in map(heading.search, sources) if m)
    return re.sub(r"[`*]", "", title).strip()
