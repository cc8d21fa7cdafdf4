"""Render a chapter's slides (``lecture_marks.Slide``) as one reveal.js page that opens from disk.

Markdown becomes HTML with its math left for MathJax 3 (nbconvert's Markdown renderer keeps
``$...$`` intact); code is highlighted by Pygments; outputs show as a notebook shows them, SVG
before PNG before HTML before text. Speaker notes carry their math as MathML (latex2mathml),
which the browser draws itself: the speaker view receives the notes' HTML and runs no MathJax,
so TeX left there would show raw, and typeset TeX would arrive half-drawn.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import jinja2
from latex2mathml.converter import convert as tex_to_mathml
from lecture_marks import Part, Slide
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMATTER = HtmlFormatter(cssclass="highlight")
NOTE_MATH = re.compile(r"\$(?P<tex>[^$]+)\$")


def markdown(text: str) -> str:
    return markdown2html_mistune(text)


def notes_html(paragraphs: list[str]) -> str:
    """Speaker notes: Markdown paragraphs with their ``$...$`` drawn as MathML."""
    def mathml(m: re.Match) -> str:
        return tex_to_mathml(m["tex"])
    return "".join(markdown(NOTE_MATH.sub(mathml, p)) for p in paragraphs)


def output_html(output: dict) -> str:
    """One output of a code cell, as Jupyter would show it."""
    if output["output_type"] == "stream":
        return f'<pre class="output">{html.escape(output["text"])}</pre>'
    data = output.get("data", {})
    if "image/svg+xml" in data:
        return f'<div class="figure">{data["image/svg+xml"]}</div>'
    if "image/png" in data:
        png = data["image/png"].replace("\n", "")
        return f'<div class="figure"><img src="data:image/png;base64,{png}" alt="figure"></div>'
    if "text/html" in data:
        return f'<div class="html-output">{data["text/html"]}</div>'
    if "text/markdown" in data:
        return markdown(data["text/markdown"])
    if "text/plain" in data:
        return f'<pre class="output">{html.escape(data["text/plain"])}</pre>'
    return ""


def part_html(part: Part) -> str:
    """A part of a slide: Markdown, or a code cell's source and outputs."""
    if part.cell is None:
        return markdown(part.markdown)
    source = highlight(part.cell.source, PythonLexer(), FORMATTER) if part.source else ""
    return source + "".join(output_html(o) for o in part.cell.outputs)


def slide_body(parts: list[Part]) -> list[str]:
    """The parts' HTML in order: those before the first step stand alone; a step opens a fragment
    (revealed by a click), and a part shown after it joins that fragment."""
    body: list[str | list[str]] = []
    fragment: list[str] | None = None
    for part in parts:
        if part.step:
            fragment = []
            body.append(fragment)
        (body if fragment is None else fragment).append(part_html(part))
    return [item if isinstance(item, str) else f'<div class="fragment">{"".join(item)}</div>'
            for item in body]


def render_deck(title: str, subtitle: str, slides: list[Slide], vendor: str) -> str:
    """The deck's HTML; ``vendor`` is the relative URL of the folder with reveal.js and MathJax."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False)
    return env.get_template("deck.html.j2").render(
        title=title, subtitle=subtitle, vendor=vendor,
        css=(TEMPLATES / "deck.css").read_text(encoding="utf-8"),
        code_css=FORMATTER.get_style_defs(".highlight"),
        slides=[{"title": markdown(s.title).strip().removeprefix("<p>").removesuffix("</p>"),
                 "minutes": s.minutes, "parts": slide_body(s.parts),
                 "notes": notes_html(s.notes)} for s in slides])
