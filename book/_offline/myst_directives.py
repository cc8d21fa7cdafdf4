"""MyST directives as the Markdown and HTML a reveal.js slide shows.

A statement ({prf:theorem} ...), an exercise or an admonition becomes a ``<div>`` box with a
coloured left border and a bold title; a solution or a dropdown a folded ``<details>`` block;
a figure an embedded image over its numbered caption; {math} display math with its equation
number as a ``\\tag``. Numbers come from the document's :class:`myst_for_slides.Context`, so
"Theorem 4.1" on a slide is "Theorem 4.1" in the book.

Bodies stay Markdown: an HTML block ends at a blank line, so every tag sits on its own line
between blank lines and nbconvert renders what lies between.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from myst_for_slides import Context, Target

OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
# A line that starts a list, quote, table, heading, HTML, math or code rather than prose.
BLOCK_START = re.compile(r"\s*([-*+>|#<$`]|\d+[.)])")

# Box colours by kind; admonitions pick theirs by name or by a word of :class:.
COLOURS = {
    "statement": "#3b75af", "proof": "#6b6b6b", "exercise": "#519e3e", "solution": "#519e3e",
    "note": "#3b75af", "seealso": "#3b75af", "tip": "#519e3e", "hint": "#519e3e",
    "important": "#ef8636", "attention": "#ef8636", "caution": "#ef8636", "warning": "#ef8636",
    "danger": "#c53a32", "error": "#c53a32", "admonition": "#6b6b6b", "dropdown": "#6b6b6b",
}
BOX = ("text-align: left; margin: 0.5em 0; padding: 0.2em 0.8em; "
       "border-left: 0.3em solid {colour}; background: {colour}14;")


@dataclass
class Directive:
    name: str
    arg: str
    options: dict[str, str]
    body: str


def rewrite_directive(ctx: Context, name: str, arg: str, body: str) -> str:
    """The directive ``name`` (its fence already removed) as a slide shows it."""
    options, body = _split_options(body)
    handler = DIRECTIVES.get(name) or (_statement if name.startswith("prf:") else _unknown)
    return handler(ctx, Directive(name, ctx.inline(arg), options, body))


def _split_options(body: str) -> tuple[dict[str, str], str]:
    """Leading ``:key: value`` lines (or a ``---`` YAML block) of a directive body, and the rest."""
    lines = body.splitlines()
    if lines and lines[0].strip() == "---" and "---" in (s.strip() for s in lines[1:]):
        end = 1 + [s.strip() for s in lines[1:]].index("---")
        options = yaml.safe_load("\n".join(lines[1:end])) or {}
        return {k: str(v) for k, v in options.items()}, "\n".join(lines[end + 1:])
    options = {}
    while lines and (m := OPTION.match(lines[0].strip())):
        options[m["key"]] = m["value"]
        lines.pop(0)
    return options, "\n".join(lines)


def _box(colour: str, title: str, body: str, tag: str = "div") -> str:
    """A titled block whose title and body nbconvert still renders as Markdown."""
    style = BOX.format(colour=colour)
    if tag == "details":
        return f'<details style="{style}">\n<summary>{title}</summary>\n\n{body}\n\n</details>'
    return f'<div style="{style}">\n\n{title}\n\n{body}\n\n</div>'


def _titled(target: Target, title: str) -> str:
    return f"**{target.name}**" + (f" ({title})" if title else "")


def _statement(ctx: Context, d: Directive) -> str:
    """prf:theorem, prf:definition, ... as "**Theorem 4.1** (Title)"; prf:proof ends with ∎."""
    kind = d.name.split(":", 1)[1]
    body = ctx.convert(d.body)  # first, so what it numbers inside counts before the statement
    if kind == "proof":
        return _proof(d.arg, body)
    target = ctx.number(kind.capitalize(), d.options, d.arg)
    return _box(COLOURS["statement"], _titled(target, d.arg), body)


def _proof(arg: str, body: str) -> str:
    """"Proof." runs into a first paragraph of prose, as in the book; the square closes the
    last line of prose, or stands on its own after math, a list or a table."""
    title, square = f"*Proof.* {arg}".strip(), "∎"
    last = body.rstrip().rsplit("\n", 1)[-1]
    if last and not BLOCK_START.match(last) and not last.endswith("$$"):
        body, end = f'{body.rstrip()} <span style="float: right">{square}</span>', ""
    else:
        end = f'<p style="text-align: right; margin: 0">{square}</p>'
    if body and not BLOCK_START.match(body):
        return _box(COLOURS["proof"], "", f"{title} {body}\n\n{end}")
    return _box(COLOURS["proof"], title, f"{body}\n\n{end}")


def _exercise(ctx: Context, d: Directive) -> str:
    target = ctx.number("Exercise", d.options, d.arg)
    return _box(COLOURS["exercise"], _titled(target, d.arg), ctx.convert(d.body))


def _solution_title(ctx: Context, label: str) -> str:
    exercise = ctx.target(label.strip())
    if exercise is None:
        return "<b>Solution</b>"
    title = f" ({html.escape(exercise.title, quote=False)})" if exercise.title else ""
    return f"<b>Solution to {exercise.name}</b>{title}"


def _solution(ctx: Context, d: Directive) -> str:
    """Folded: the instructor opens it on the slide when the class is ready."""
    return _box(COLOURS["solution"], _solution_title(ctx, d.arg), ctx.convert(d.body), "details")


def _solution_start(ctx: Context, d: Directive) -> str:
    """A solution spread over cells: the cells follow, so only its title can be shown here."""
    return _solution_title(ctx, d.arg)


def _admonition(ctx: Context, d: Directive) -> str:
    """{note} etc. are titled by their name (the argument is body text), {admonition} by its own."""
    if d.name == "admonition":
        title, body = d.arg, d.body
        kind = next((c for c in d.options.get("class", "").split() if c in COLOURS), "admonition")
    else:
        title, body, kind = d.name.capitalize(), f"{d.arg}\n{d.body}".strip("\n"), d.name
    if "dropdown" in d.options.get("class", "").split() or d.name == "dropdown":
        return _box(COLOURS[kind], f'<b>{html.escape(title or "Details", quote=False)}</b>',
                    ctx.convert(body), "details")
    return _box(COLOURS[kind], f"**{title}**", ctx.convert(body))


def _figure(ctx: Context, d: Directive) -> str:
    """The image, embedded so the deck needs no copy of it, over its numbered caption."""
    path = (ctx.path.parent / d.arg.strip()).resolve()
    src = d.arg.strip()
    if path.is_file():
        kind = mimetypes.guess_type(path.name)[0] or "image/png"
        src = f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"
    width = f' width="{d.options["width"]}"' if "width" in d.options else ""
    alt = html.escape(d.options.get("alt", ""))
    image = f'<img src="{src}" alt="{alt}"{width}>'
    if d.name == "image":
        return image
    caption = ctx.convert(d.body)
    target = ctx.number("Figure", d.options, caption)
    return f"{image}\n\n*{target.name}:* {caption}" if caption else image


def _math(ctx: Context, d: Directive) -> str:
    """Display math; a labelled equation carries its number as MathJax's \\tag."""
    tag = ""
    if "label" in d.options:
        tag = f" \\tag{{{ctx.number('Equation', d.options).number}}}"
    return f"$$\n{d.body.strip()}{tag}\n$$"


def _code(ctx: Context, d: Directive) -> str:
    return f"```{d.arg}\n{d.body}\n```"


def _unknown(ctx: Context, d: Directive) -> str:
    """A directive slides have no use for: its content, if any, as plain Markdown."""
    return ctx.convert(f"{d.arg}\n\n{d.body}".strip("\n"))


def _nothing(ctx: Context, d: Directive) -> str:
    return ""


DIRECTIVES: dict[str, Callable[[Context, Directive], str]] = {
    **{name: _admonition for name in ("admonition", "dropdown", "note", "tip", "hint", "seealso",
                                     "important", "attention", "caution", "warning", "danger",
                                     "error")},
    "exercise": _exercise, "solution": _solution,
    "solution-start": _solution_start, "solution-end": _nothing,
    "figure": _figure, "image": _figure, "math": _math,
    "code-block": _code, "code": _code, "code-cell": _code, "bibliography": _nothing,
}
"""Directive name -> handler; any ``prf:`` name not here is a numbered statement."""
