"""MyST in the slide decks: book/_offline/myst_for_slides.py (with myst_directives.py, book_index.py
and bib_citations.py) turns roles and directives into what reveal.js shows. Each construct on a
small string in a small synthetic book, then every chapter. No notebook is executed here
(tests/test_decks.py opens the built decks)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from tests.offline_scripts import import_offline

ROOT = Path(__file__).resolve().parent.parent
myst_directives = import_offline("myst_directives")
myst = import_offline("myst_for_slides")
read_bib = import_offline("bib_citations").read_bib
Book = import_offline("book_index").Book

BIB = r"""
@article{elman1990finding,
  author  = {Elman, Jeffrey L.},
  title   = {Finding Structure in Time},
  year    = {1990}
}
@article{rumelhart1986learning,
  author = "Rumelhart, David E. and Hinton, Geoffrey E. and Williams, Ronald J.",
  title  = {Learning {Representations} by Back-Propagating Errors},
  year   = 1986,
}
@article{hochreiter1997long,
  author  = {Hochreiter, Sepp and Schmidhuber, J{\"u}rgen},
  year    = {1997}
}
@misc{boden2002guide,
  author = {Bod{\'e}n, Mikael},
  year   = {2002}
}
"""


def _notebook(path: Path, *sources: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(s) for s in sources])
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Book:
    """A two-chapter book: chapter 1 holds targets that chapter 2 refers to."""
    root = tmp_path_factory.mktemp("book")
    (root / "refs.bib").write_text(BIB)
    (root / "_config.yml").write_text("bibtex_bibfiles:\n  - refs.bib\n")
    (root / "_toc.yml").write_text(
        "root: ch/intro\nparts:\n  - numbered: true\n    chapters:\n"
        "      - file: ch/one\n      - file: ch/two\n")
    _notebook(root / "ch" / "intro.ipynb", "# Preface\n\nHello.")
    _notebook(root / "ch" / "one.ipynb", "# Why sequences\n\n## Not a title",
              "```{prf:theorem} Sharing\n:label: thm-share\n\nBody.\n```\n\n"
              "(sec-later)=\n### A later section")
    _notebook(root / "ch" / "two.ipynb", "# The structure")
    (root / "ch" / "img.png").write_bytes(b"\x89PNG fake")
    return Book.load(root)


def test_chapter_numbers_run_on_across_numbered_parts(tmp_path):
    """As Jupyter Book numbers them (use_multitoc_numbering): Part II opens with chapter 3."""
    (tmp_path / "_config.yml").write_text("{}\n")
    (tmp_path / "_toc.yml").write_text(
        "root: a\nparts:\n  - numbered: true\n    chapters:\n      - file: b\n      - file: c\n"
        "  - chapters:\n      - file: x\n"
        "  - numbered: true\n    chapters:\n      - file: d\n")
    for name in "abcdx":
        _notebook(tmp_path / f"{name}.ipynb", f"# {name}")
    numbers = Book.load(tmp_path).chapters
    assert {path.name: n for path, n in numbers.items()} == {"b": "1", "c": "2", "d": "3"}


def convert(book: Book, text: str, doc: str = "ch/two.ipynb") -> tuple[str, list[str]]:
    """``text`` as if it were a cell of ``doc``: the result and what did not resolve."""
    ctx = myst.Context(book, (book.root / doc).resolve())
    return ctx.convert(text), ctx.missing


def test_bib_names_years_and_accents(tmp_path):
    (tmp_path / "r.bib").write_text(BIB)
    assert read_bib(tmp_path / "r.bib") == {
        "elman1990finding": "Elman, 1990",
        "rumelhart1986learning": "Rumelhart et al., 1986",
        "hochreiter1997long": "Hochreiter and Schmidhuber, 1997",
        "boden2002guide": "Bodén, 2002",
    }


def test_citations(book):
    assert convert(book, "RNN {cite}`elman1990finding`.")[0] == "RNN (Elman, 1990)."
    both = convert(book, "{cite:p}`rumelhart1986learning, hochreiter1997long`")[0]
    assert both == "(Rumelhart et al., 1986; Hochreiter and Schmidhuber, 1997)"
    assert convert(book, "{cite:t}`elman1990finding` showed")[0] == "Elman (1990) showed"
    text, missing = convert(book, "{cite}`nobody2000`")
    assert missing == ["nobody2000"] and "{cite}" not in text


def test_doc_links_read_the_target_title(book):
    assert convert(book, "{doc}`one` first")[0] == "*Why sequences* first"
    assert convert(book, "{doc}`../ch/one`")[0] == "*Why sequences*"
    assert convert(book, "{doc}`/ch/intro`")[0] == "*Preface*"
    assert convert(book, "{doc}`the first chapter <one>`")[0] == "the first chapter"
    text, missing = convert(book, "{doc}`nowhere`")
    assert missing == ["nowhere"] and text == "nowhere"


def test_references_read_as_the_book_numbers_them(book):
    """Chapter 1's theorem is "Theorem 1.1" from chapter 2 too; headings are cited by title."""
    assert convert(book, "by {prf:ref}`thm-share`")[0] == "by Theorem 1.1"
    assert convert(book, "{numref}`Result %s <thm-share>`")[0] == "Result 1.1"
    assert convert(book, "{prf:ref}`this one <thm-share>`")[0] == "this one"
    assert convert(book, "see {ref}`sec-later`")[0] == "see A later section"
    assert convert(book, "{prf:ref}`no-such`") == ("no-such", ["no-such"])


def test_statements_are_numbered_boxes_per_kind(book):
    text, missing = convert(book, "```{prf:theorem} First\n:label: t1\n\n$a$\n```\n\n"
                                  "```{prf:definition}\n:label: d1\nA *word*.\n```\n\n"
                                  "```{prf:theorem}\n:nonumber:\nB\n```\n\n"
                                  "```{prf:lemma} Second\nC\n```\n\n"
                                  "{prf:ref}`t1`, {prf:ref}`d1`")
    assert not missing
    assert "**Theorem 2.1** (First)" in text and "**Definition 2.1**\n" in text
    assert "**Theorem**\n" in text and "**Lemma 2.1** (Second)" in text
    assert text.endswith("Theorem 2.1, Definition 2.1")
    assert text.count("<div") == text.count("</div>") == 4
    assert ":label:" not in text and ":nonumber:" not in text and "```" not in text


def test_proof_runs_into_its_text_and_ends_with_a_square(book):
    text = convert(book, "```{prf:proof}\nThe chain rule.\n\n$$ x $$\n```")[0]
    assert "*Proof.* The chain rule." in text and "$$ x $$\n\n<p style" in text
    assert text.count("∎") == 1
    prose = convert(book, "```{prf:proof}\nShort.\n```")[0]
    assert '*Proof.* Short. <span style="float: right">∎</span>' in prose
    listed = convert(book, "```{prf:proof}\n- one\n- two\n```")[0]
    assert "*Proof.*\n\n- one" in listed


def test_admonitions_take_their_title_and_colour(book):
    note = convert(book, "```{note} Remember the bias.\nIt matters.\n```")[0]
    assert "**Note**" in note and "Remember the bias.\nIt matters." in note
    warning = convert(book, "```{admonition} In practice\n:class: warning\n\n- a\n```")[0]
    assert "**In practice**" in warning and myst_directives.COLOURS["warning"] in warning
    assert ":class:" not in warning
    tip = convert(book, "```{tip}\nShort.\n```")[0]
    assert "**Tip**" in tip and myst_directives.COLOURS["tip"] in tip


def test_exercise_box_and_folded_solution(book):
    text = convert(book, "```{exercise} Count\n:label: ex-count\n\nHow many?\n```\n\n"
                         "```{solution} ex-count\n:class: dropdown\n\n$H^2$ of them.\n```")[0]
    assert "**Exercise 2.1** (Count)" in text
    solution = text[text.index("<details"):]
    assert solution.startswith("<details") and solution.endswith("</details>")
    assert "<summary><b>Solution to Exercise 2.1</b> (Count)</summary>" in solution
    assert "$H^2$ of them." in solution and "dropdown" not in text
    assert convert(book, "```{dropdown} More\nHidden.\n```")[0].startswith("<details")


def test_gated_solution_keeps_only_its_title(book):
    start = convert(book, "```{exercise} Gate\n:label: ex-gate\nDo.\n```\n\n"
                          "```{solution-start} ex-gate\n:class: dropdown\n```\n\nText.")[0]
    assert start.endswith("<b>Solution to Exercise 2.1</b> (Gate)\n\nText.")
    assert convert(book, "Done.\n\n```{solution-end}\n```") == ("Done.", [])


def test_math_role_directive_and_equation_numbers(book):
    assert convert(book, "so {math}`\\alpha_t` is")[0] == "so $\\alpha_t$ is"
    text = convert(book, "```{math}\n:label: eq-rec\nh_t = f(a_t)\n```\n\nBy {eq}`eq-rec`.")[0]
    assert text == "$$\nh_t = f(a_t) \\tag{2.1}\n$$\n\nBy (2.1)."
    assert convert(book, "```{math}\nx\n```")[0] == "$$\nx\n$$"


def test_nested_directives_with_longer_fences(book):
    """A four-backtick exercise holds a note and a code block; each closes only itself."""
    text, missing = convert(book, "````{exercise} Outer\n:label: ex-outer\n\nStart.\n\n"
                                  "```{note}\nInner {cite}`elman1990finding`.\n```\n\n"
                                  "```python\nd = {'a': 1}  # {cite}`x`\n```\n\n"
                                  "End.\n````\n\nAfter.")
    assert not missing
    assert "**Exercise 2.1** (Outer)" in text and "**Note**" in text
    assert "Inner (Elman, 1990)." in text
    assert "```python\nd = {'a': 1}  # {cite}`x`\n```" in text
    assert text.index("End.") < text.rindex("</div>") < text.index("After.")
    assert text.count("<div") == 2


def test_colon_fences(book):
    text = convert(book, "::::{prf:theorem} Colons\n:::{warning}\nCareful.\n:::\nTail.\n::::")[0]
    assert ":::" not in text and "**Theorem 2.1** (Colons)" in text and "**Warning**" in text
    assert text.index("Careful.") < text.index("Tail.")


def test_code_is_left_alone(book):
    source = ("```python\nshapes = {\"h\": (N, H)}\n```\n\n"
              "Write ``{cite}`key` `` to cite; `{doc}` is a role.\n\n"
              "~~~\n```{note}\n~~~")
    assert convert(book, source) == (source, [])


def test_labels_comments_and_options_are_dropped(book):
    text = convert(book, "(sec-x)=\n## Heading\n% a comment\nProse.")[0]
    assert text == "## Heading\nProse."
    text = convert(book, "```{prf:definition} D\n---\nlabel: d-yaml\n---\nBody.\n```\n"
                         "{prf:ref}`d-yaml`")[0]
    assert "label" not in text and text.endswith("Definition 2.1")


def test_figure_is_embedded_with_its_caption(book):
    text = convert(book, "```{figure} img.png\n:name: fig-a\n:width: 60%\n\n"
                         "The unrolled net.\n```\n{numref}`fig-a`")[0]
    assert '<img src="data:image/png;base64,' in text and 'width="60%"' in text
    assert "*Figure 2.1:* The unrolled net." in text and text.endswith("Figure 2.1")


def test_nbconvert_renders_the_markdown_inside_boxes(book):
    text = convert(book, "```{prf:theorem} T\n\nWith *x* and\n\n$$\na < b\n$$\n\n- item\n```\n\n"
                         "```{solution} ex-none\nOpen $y$.\n```")[0]
    rendered = markdown2html_mistune(text)
    box = rendered[rendered.index("<div"):rendered.index("</div>")]
    assert "<strong>Theorem 2.1</strong>" in box and "<em>x</em>" in box
    assert "$$\na &lt; b\n$$" in box and "<li>item</li>" in box
    folded = rendered[rendered.index("<details"):rendered.index("</details>")]
    assert "<p>Open $y$.</p>" in folded


@pytest.fixture(scope="module")
def real_book() -> Book:
    return Book.load(ROOT)


CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_converts_clean(real_book, chapter):
    """No raw MyST is left on any slide, and every citation and reference resolves."""
    nb = nbformat.read(chapter, as_version=4)
    ctx = myst.Context(real_book, chapter.resolve())
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = ctx.convert(cell.source)
    assert ctx.missing == [], f"{chapter.name}: unresolved {ctx.missing}"
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for raw in ("{cite", "{doc}", "{prf:", "{numref}", "{eq}", "{math}", "```{", ":::"):
            assert raw not in cell.source, f"{chapter.name} cell {k} still shows {raw!r}"
        assert not re.search(r"^\s*:(label|class|name|nonumber):|^\([\w-]+\)=", cell.source,
                             re.M), f"{chapter.name} cell {k} still shows a label or an option"
