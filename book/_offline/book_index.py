"""What a slide needs to know about the whole book: citations, chapter numbers, titles and labels.

A slide may cite a paper, link another chapter or refer to a theorem of another chapter, and it
should read as the book's page does ("Theorem 4.1", *Why sequences*, "Elman, 1990").
:meth:`Book.load` reads the citations of the ``.bib`` files named in ``_config.yml`` and the chapter
numbers of the numbered parts of ``_toc.yml``, then converts every document once so that each
label is registered before any slide refers to it.

Usage: ``book = Book.load(ROOT)``, then ``Context(book, path)`` converts a document of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml
from bib_citations import read_bib
from myst_for_slides import HEADING, Context, Target


def _doc_text(path: Path) -> list[str]:
    """The Markdown of a document: its markdown cells, or a MyST file without front matter."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return [c.source for c in nb.cells if c.cell_type == "markdown"]
    text = path.read_text(encoding="utf-8")
    return [re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)]


def _read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass
class Book:
    """Citations, chapter numbers, titles and labels of the book in ``root``."""

    root: Path
    citations: dict[str, str] = field(default_factory=dict)
    chapters: dict[Path, str] = field(default_factory=dict)  # document (no suffix) -> "4"
    targets: dict[str, Target] = field(default_factory=dict)
    titles: dict[Path, str] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> Book:
        root = Path(root).resolve()
        book = cls(root)
        for bib in _read_yaml(root / "_config.yml").get("bibtex_bibfiles", []):
            book.citations.update(read_bib(root / bib))
        docs = book._read_toc()
        # A dry run over every document registers its labels, so references across chapters
        # read as the book prints them.
        for doc in filter(None, map(book.find, docs)):
            ctx = Context(book, doc)
            for source in _doc_text(doc):
                ctx.convert(source)
        return book

    def _read_toc(self) -> list[str]:
        """Number the chapters of the numbered parts (on from one part to the next, Jupyter Book's
        ``use_multitoc_numbering``); return every document of ``_toc.yml``."""
        toc = _read_yaml(self.root / "_toc.yml")
        docs = [toc["root"]]
        for part in toc.get("parts", []):
            chapters = [c["file"] for c in part.get("chapters", []) if "file" in c]
            docs += chapters
            if part.get("numbered"):  # numbering runs on across parts, as Jupyter Book's does
                first = len(self.chapters) + 1
                self.chapters.update({(self.root / f).resolve(): str(k)
                                      for k, f in enumerate(chapters, first)})
        return docs

    def find(self, name: str | Path, base: Path | None = None) -> Path | None:
        """The file of document ``name`` (no suffix), relative to ``base``; "/..." from the root."""
        name = str(name)
        stem = self.root / name.lstrip("/") if name.startswith("/") or base is None else base / name
        for suffix in ("", ".ipynb", ".md"):
            candidate = stem.with_name(stem.name + suffix)
            if candidate.is_file():
                return candidate.resolve()
        return None

    def title(self, path: Path) -> str:
        """The first ``#`` heading of a document (as the book's {doc} links show it)."""
        if path not in self.titles:
            headings = (HEADING.match(line) for src in _doc_text(path) for line in src.splitlines())
            self.titles[path] = next((m["text"] for m in headings if m and not
                                      m[0].startswith("##")), path.stem)
        return self.titles[path]
