"""The stored notebooks follow the rules the book and the slides rely on (no execution).

- Stored without outputs (the book's build executes them; stored outputs would go stale and
  bloat the history), nbformat 4.5 (cell ids), kernel ``python3``.
- Every chapter marks its lecture (``book/_offline/lecture_marks.py``): the marks read into
  slides without error, each slide with speaker notes and minutes; no cell keeps the
  ``slideshow`` metadata that decks were once cut by.
- A numbered chapter opens with its title and learning objectives and closes with a summary
  and discussion questions, so it also serves as lecture notes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from tests.offline_scripts import import_offline

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for folder in ("book", "solutions", "exercises")
                   for p in (ROOT / folder).glob("*.ipynb"))
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
lecture_marks = import_offline("lecture_marks")
myst = import_offline("myst_for_slides")
Book = import_offline("book_index").Book
NUMBERED = [p for p in CHAPTERS if re.match(r"\d\d_", p.name) and not p.name.startswith("00_")]


def ids(paths):
    return [p.relative_to(ROOT).as_posix() for p in paths]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# A heading (## Summary) or a bold lead-in at the start of a line (**Learning objectives.**).
LABEL = re.compile(r"^(?:#+\s+(.*?)|\*\*(.*?)\.?\*\*.*?)\s*$", re.M)


def labels(nb: dict) -> list[str]:
    """Headings and bold lead-ins of the notebook's markdown, in order, lower case."""
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            found += [(m.group(1) or m.group(2)).strip().lower() for m in LABEL.finditer(text)]
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_stored_clean(path):
    nb = load(path)
    assert (nb["nbformat"], nb["nbformat_minor"]) == (4, 5), "expected nbformat 4.5"
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3"
    dirty = [k for k, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, f"cells {dirty} carry outputs: clear them before committing"


@pytest.mark.parametrize("path", CHAPTERS, ids=ids(CHAPTERS))
def test_every_chapter_marks_a_lecture(path):
    """Quick and kernel-free; tests/test_decks.py checks the built decks in a browser."""
    nb = nbformat.read(path, as_version=4)
    stale = [k for k, cell in enumerate(nb.cells) if "slideshow" in cell.metadata]
    assert not stale, f"cells {stale} keep slideshow metadata, which no tool reads any more"
    slides = lecture_marks.read_lecture(nb, myst.Context(Book.load(ROOT), path.resolve()))
    assert slides, "no '% slide:' mark: the chapter has no lecture deck"
    bare = [s.title for s in slides if not (s.notes and s.minutes > 0)]
    assert not bare, f"slides without speaker notes or minutes: {bare}"


@pytest.mark.parametrize("path", NUMBERED, ids=ids(NUMBERED))
def test_chapter_frame(path):
    nb = load(path)
    first = "".join(nb["cells"][0]["source"]).lstrip()
    assert nb["cells"][0]["cell_type"] == "markdown" and re.match(r"# \S", first), \
        "a chapter opens with its title (# Title, no number: the table of contents numbers it)"
    assert not re.match(r"# \d", first), "the title carries no number"
    titles = labels(nb)
    for needed in ("learning objectives", "summary", "discussion questions"):
        assert needed in titles, f"no '{needed}' heading or bold lead-in (found: {titles})"
    assert titles.index("learning objectives") < titles.index("summary") < \
        titles.index("discussion questions"), "order: objectives ... summary, discussion"
