"""Each chapter's lecture plan (book/instructor/lecture_NN.md) agrees with its deck: the timeline
names every slide of the deck, in order, and gives each row the minutes its slides' notes give;
the slide count and the total the text states are the deck's.
So a plan cannot drift from the chapter's marks (book/_offline/lecture_marks.py). Kernel-free."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tests.offline_scripts import import_offline

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
lecture_marks = import_offline("lecture_marks")
myst = import_offline("myst_for_slides")
Book = import_offline("book_index").Book

ROW = re.compile(r"^\|\s*(\d+):(\d\d)\s*[–-]\s*(\d+):(\d\d)\s*\|([^|]*)\|", re.M)


def plain(title: str) -> str:
    """A heading as a reader sees it: no math delimiters, code ticks or emphasis."""
    return " ".join(re.sub(r"[$`*]", "", title).split())


def timeline(plan: Path) -> list[tuple[float, list[str]]]:
    """(minutes, slide headings) of each row of the plan's timeline table."""
    rows = []
    for m in ROW.finditer(plan.read_text(encoding="utf-8")):
        start, end = int(m[1]) + int(m[2]) / 60, int(m[3]) + int(m[4]) / 60
        rows.append((end - start, [plain(s) for s in m[5].split(";") if s.strip()]))
    return rows


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_plan_timeline_follows_the_deck(chapter):
    plan = ROOT / "book" / "instructor" / f"lecture_{chapter.stem[:2]}.md"
    assert plan.exists(), f"no lecture plan for {chapter.name}: write {plan.relative_to(ROOT)}"
    nb = nbformat.read(chapter, as_version=4)
    slides = lecture_marks.read_lecture(nb, myst.Context(Book.load(ROOT), chapter.resolve()))
    minutes = {plain(s.title): s.minutes for s in slides}
    rows = timeline(plan)
    named = [title for _, titles in rows for title in titles]
    assert named == [plain(s.title) for s in slides], "the timeline's slides are not the deck's"
    text = " ".join(plan.read_text(encoding="utf-8").split())
    for count in re.findall(r"(\d+) slides after its title slide", text):
        assert int(count) == len(slides), f"the plan says {count} slides, not {len(slides)}"
    for total in re.findall(r"add up to (?:the full )?(\d+)", text):
        assert int(total) == sum(minutes.values()), f"the plan says {total} minutes"
    for span, titles in (row for row in rows if row[1]):  # a row without slides is slack
        given = sum(minutes[t] for t in titles)
        assert abs(span - given) < 1e-6, f"{titles}: {span:g} min in the plan, {given:g} in " \
                                         "the notes"
