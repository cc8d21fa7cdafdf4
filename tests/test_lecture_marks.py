"""A chapter's marks, read into slides (book/_offline/lecture_marks.py) and rendered as a deck
(deck_html.py): what goes on a slide, in which order, revealed how, with which notes; what the
book keeps to itself; and the marks that cannot be followed. Synthetic chapters, no kernel."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tests.offline_scripts import import_offline

marks = import_offline("lecture_marks")
deck_html = import_offline("deck_html")
myst = import_offline("myst_for_slides")
Book = import_offline("book_index").Book

CHAPTER = """# Structure

% slide: The recurrence
% minutes: 2
% say: Start from the MLP.
%   Ask what $W^\\top$ does.

Prose that only the book shows.

% show
$$
h_t = \\tanh(a_t)
$$

```{prf:theorem} Unmarked
Counted, not shown.
```

% step
```{prf:theorem} Marked
Shown.
```

% step
%> - one $W$ for every step
"""


def chapter(tmp_path: Path, *cells) -> tuple[list, object]:
    (tmp_path / "_config.yml").write_text("{}\n")
    (tmp_path / "_toc.yml").write_text("root: ch\n")
    path = tmp_path / "ch.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=list(cells)), path)
    ctx = myst.Context(Book.load(tmp_path), path.resolve())
    return marks.read_lecture(nbformat.read(path, as_version=4), ctx), ctx


def md(source: str):
    return nbformat.v4.new_markdown_cell(source)


def code(source: str, *tags: str):
    return nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)})


def test_marked_blocks_in_order_with_steps_and_notes(tmp_path):
    (slide,), _ = chapter(tmp_path, md(CHAPTER))
    assert slide.title == "The recurrence" and slide.minutes == 2
    assert slide.notes == ["Start from the MLP. Ask what $W^\\top$ does."]
    shown = [(p.markdown.split("\n")[0][:4], p.step) for p in slide.parts]
    assert shown == [("$$", False), ("<div", True), ("- on", True)]
    assert "**Theorem 2** (Marked)" in slide.parts[1].markdown  # the unmarked one is Theorem 1
    assert all("Prose" not in p.markdown for p in slide.parts)


def test_code_cells_by_tag(tmp_path):
    (slide,), _ = chapter(tmp_path, md("% slide: Code"), code("a = 1"), code("b = 2", "slide"),
                          code("c = 3", "slide-output", "step"))
    assert [(p.cell.source, p.source, p.step) for p in slide.parts] == [
        ("b = 2", True, False), ("c = 3", False, True)]


def test_slide_titles_and_notes_convert_myst(tmp_path):
    source = "# Structure\n% slide: Why {cite}`nobody2000`\n% say: See {doc}`ch`."
    (slide,), ctx = chapter(tmp_path, md(source))
    assert slide.title == "Why (nobody2000)" and ctx.missing == ["nobody2000"]
    assert slide.notes == ["See *Structure*."]


@pytest.mark.parametrize("source, message", [
    ("% show\nText.", "before the first '% slide:'"),
    ("% slide: A\nText.\n% step", "at the end of a cell"),
    ("% slide: A\n% show the figure\nText.", "takes nothing after it"),
    ("% slide: A\n% show\n```{solution} ex-1\nNo.\n```", "shows no solutions"),
])
def test_marks_that_cannot_be_followed(tmp_path, source, message):
    with pytest.raises(marks.MarkError, match=message):
        chapter(tmp_path, md(source))


def test_deck_html_steps_notes_and_outputs(tmp_path):
    (slide,), _ = chapter(tmp_path, md(CHAPTER))
    cell = code("print(1)", "slide")
    cell.outputs = [nbformat.v4.new_output("stream", text="1\n")]
    slide.parts.append(marks.Part(cell=cell))
    html = deck_html.render_deck("Structure", "Chapter 2", [slide], vendor="_vendor")
    assert html.count("<section") == 2 and html.count('class="fragment"') == 2
    notes = html[html.index('<aside class="notes">'):html.index("</aside>")]
    assert "2.0 min" in notes and "<math" in notes and "$" not in notes
    assert '<pre class="output">1\n</pre>' in html and 'class="highlight"' in html
    assert 'src="_vendor/mathjax/tex-chtml.js"' in html and "https://" not in html


def test_a_block_shown_after_a_step_is_revealed_with_it(tmp_path):
    source = "% slide: S\n% show\nFirst.\n\n% step\nThen:\n\n% show\n$$ x $$\n\n% step\nLast."
    (slide,), _ = chapter(tmp_path, md(source))
    body = deck_html.slide_body(slide.parts)
    assert [b.startswith('<div class="fragment">') for b in body] == [False, True, True]
    assert "Then:" in body[1] and "$$ x $$" in body[1] and "Last." in body[2]
