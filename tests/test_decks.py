"""Every lecture deck in a browser, slide by slide, as an instructor projects it (1280x720).

Opens the decks that ``make slides`` writes to ``_build/slides`` (``make test`` builds them
first) from disk, in Debian's Chromium with the network guard of ``tests/chromium.py``. For each
slide, all its steps revealed: a heading; nothing outside the slide and nothing cut off (text,
code wider than the slide, figures); no raw MyST or Markdown and no untypeset TeX; figure labels
large enough to read from the back of a room; code lines of about 70 characters at most; no
solution. For each content slide: speaker
notes with their minutes, the notes' math as MathML. Then the speaker view itself shows a
note's math once, and again after a slide change. Per deck: the slide count and the minutes
fit its time budget.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, Guard, guarded_chromium

ROOT = Path(__file__).resolve().parent.parent
DECKS = ROOT / "_build" / "slides"
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
SCREENSHOTS = ROOT / "_build" / "deck_screenshots"  # test_browser.py clears _build/screenshots

# (fewest, most) content slides and (fewest, most) minutes: a 45-minute half lecture per
# chapter; the preface is the first 20 minutes of the course.
BUDGETS = {"00_preface": ((10, 16), (15, 20))}
CHAPTER_BUDGET = ((20, 30), (40, 45))
# Figure text (matplotlib's smallest, 10 pt) must be this tall on the 720-pixel slide.
SMALLEST_LABEL_PX = 16
# Code (not its output) on a slide: lines of at most about 70 characters.
LONGEST_CODE_LINE = 72

if not CHROMIUM.exists():
    pytest.skip("deck test skipped: /usr/bin/chromium is missing (Debian: apt-get install "
                "chromium; .ci/run installs it)", allow_module_level=True)
pytest.importorskip(
    "playwright.sync_api", reason="deck test skipped: the playwright package is missing "
    "(pip install -e '.[test]')")
if not DECKS.is_dir():
    pytest.skip("deck test skipped: no decks in _build/slides (run `make slides`, or `make test`, "
                "which builds them first)", allow_module_level=True)

INSPECT_SLIDE = (Path(__file__).parent / "inspect_slide.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Chromium at the slides' size, 1280x720, with its network guard."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # only this run's pictures
    guard = Guard()
    with guarded_chromium(tmp_path_factory.mktemp("chromium-profile"), guard,
                          {"width": 1280, "height": 720}) as context:
        yield context, guard


def open_deck(context, chapter: Path):
    deck = DECKS / f"{chapter.stem}.slides.html"
    assert deck.exists(), f"no deck for {chapter.name}: run `make slides`"
    page = context.new_page()
    page.goto(deck.as_uri(), wait_until="load")
    page.wait_for_selector("html.math-typeset", timeout=30_000)
    # steps appear at once, so that a screenshot never catches one half faded in
    page.add_style_tag(content=".reveal .fragment { transition: none !important; }")
    return page


def inspect_slides(page, chapter: Path) -> list[dict]:
    """What ``inspect_slide.js`` finds on each slide, with every step revealed."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found = []
    for index in range(page.evaluate("Reveal.getTotalSlides()")):
        page.evaluate("i => Reveal.slide(i, 0, 999)", index)
        page.wait_for_function("i => Reveal.getIndices().h === i", arg=index)
        found.append(page.evaluate(INSPECT_SLIDE, [SMALLEST_LABEL_PX, LONGEST_CODE_LINE]))
        page.screenshot(path=str(SCREENSHOTS / f"{chapter.stem}__{index:02d}.png"))
    return found


def budget_problems(chapter: Path, slides: list[dict]) -> list[str]:
    (fewest, most), (least, longest) = BUDGETS.get(chapter.stem, CHAPTER_BUDGET)
    content = slides[1:]  # the first is the title slide
    minutes = sum(s["minutes"] for s in content)
    problems = []
    if not fewest <= len(content) <= most:
        problems.append(f"{len(content)} content slides, expected {fewest} to {most}")
    if not least <= minutes <= longest:
        problems.append(f"the notes' minutes add up to {minutes:g}, expected {least} to "
                        f"{longest}")
    return problems


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_deck(browser, chapter):
    """Every slide readable and complete; the deck fits its time budget."""
    context, guard = browser
    page = open_deck(context, chapter)
    slides = inspect_slides(page, chapter)
    problems = budget_problems(chapter, slides)
    for number, slide in enumerate(slides):
        problems += [f"slide {number} ({slide['heading'][:40]!r}): {p}" for p in slide["problems"]]
        if number and not slide["notes"]:
            problems.append(f"slide {number} ({slide['heading'][:40]!r}): no speaker notes")
        if number and not slide["minutes"] > 0:
            problems.append(f"slide {number} ({slide['heading'][:40]!r}): no minutes")
    page.close()
    problems += guard.take()
    assert not problems, f"{chapter.stem}:\n" + "\n".join(problems)


def notes_in_speaker_view(view) -> dict:
    notes = view.locator(".speaker-controls-notes .value")
    notes.locator("math").first.wait_for(timeout=15_000)
    return notes.evaluate("n => ({math: n.querySelectorAll('math').length, text: n.innerText, "
                          "mathjax: n.querySelectorAll('mjx-container').length})")


def slides_with_note_math() -> tuple[Path, list[tuple[int, int]]]:
    """The first deck with math in the notes of two slides: (chapter, [(slide, formulas)])."""
    for chapter in CHAPTERS:
        deck = DECKS / f"{chapter.stem}.slides.html"
        sections = deck.read_text(encoding="utf-8").split("<section")[1:] if deck.exists() else []
        counts = [(k, s.count("<math")) for k, s in enumerate(sections)]
        with_math = [(k, n) for k, n in counts if n]
        if len(with_math) >= 2:
            return chapter, with_math[:2]
    pytest.fail("no deck has math in the notes of two slides: nothing to check the speaker "
                "view with")


def test_speaker_view_draws_note_math_once(browser):
    """The speaker view shows a note's math once, and again after moving to the next slide."""
    context, guard = browser
    chapter, slides = slides_with_note_math()
    page = open_deck(context, chapter)
    page.evaluate("i => Reveal.slide(i)", slides[0][0])
    with page.expect_popup() as popup:
        page.keyboard.press("s")
    view = popup.value
    for index, count in slides:
        page.evaluate("i => Reveal.slide(i)", index)
        view.wait_for_function(
            "n => document.querySelectorAll('.speaker-controls-notes .value math').length === n",
            arg=count, timeout=15_000)
        shown = notes_in_speaker_view(view)
        assert shown["math"] == count and shown["mathjax"] == 0, (chapter.stem, index, shown)
        assert not re.search(r"\$|\\[a-z]+", shown["text"]), f"raw TeX in the notes: {shown}"
    view.close()
    page.close()
    assert not guard.take()


def test_every_chapter_has_a_deck():
    decks = {p.name.removesuffix(".slides.html") for p in DECKS.glob("*.slides.html")}
    missing = [c.stem for c in CHAPTERS if c.stem not in decks]
    assert not missing, f"no deck in _build/slides for {missing}: run `make slides`"
