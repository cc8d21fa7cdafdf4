"""Rewrite the chapters' MyST Markdown into the plain Markdown and HTML that a reveal.js deck shows.

nbconvert renders CommonMark, so a deck made straight from a chapter would show ``{cite}`...```,
directive fences and ``:label:`` lines. :class:`Book` reads what the rewriting needs from the
repository (citations from the ``.bib`` files of ``_config.yml``, chapter numbers and titles from
``_toc.yml`` and the documents) and numbers theorems, exercises, figures and labelled equations
per chapter as the book does ("Theorem 4.1"), so a slide and the page it came from agree.

Roles become text (:data:`ROLES`); directives become a titled ``<div>`` box, a ``<details>``
block for solutions and dropdowns, an image or display math (:data:`DIRECTIVES`). Bodies stay
Markdown: an HTML block ends at a blank line, so every tag sits on its own line between blank
lines and nbconvert renders what lies between. Code fences and code spans are left alone.

Usage: ``book = Book.load(ROOT)``, then ``book.convert_notebook(nb, path)`` before export.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>.*?)\s*$")
DIRECTIVE_INFO = re.compile(r"^\{(?P<name>[\w:.+-]+)\}\s*(?P<arg>.*)$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
LABEL_LINE = re.compile(r"^\s*\((?P<label>[^()\s]+)\)=\s*$")
HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
# A role, or a code span (left as it is; a code span that starts first hides a role inside it).
INLINE = re.compile(
    r"\{(?P<role>[\w:.+-]+)\}`(?P<content>[^`]*)`|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)",
    re.S)
# A line that starts a list, quote, table, heading, HTML, math or code rather than prose.
BLOCK_START = re.compile(r"\s*([-*+>|#<$`]|\d+[.)])")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)

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
class Target:
    """What a label names: ``name`` is how a reference reads ("Theorem 4.1")."""

    name: str
    number: str = ""
    title: str = ""


@dataclass
class Directive:
    name: str
    arg: str
    options: dict[str, str]
    body: str


# ---------------------------------------------------------------- citations

ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "c": "\u0327"}


def _latex_text(value: str) -> str:
    """``Schmidhuber, J{\\"u}rgen`` -> ``Schmidhuber, Jürgen``: accents, then braces go."""
    value = re.sub(r"\{?\\([\"'`^~c])\s*\{?(\w)\}?\}?",
                   lambda m: unicodedata.normalize("NFC", m[2] + ACCENTS[m[1]]), value)
    return re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()


def _bib_value(text: str, start: int) -> tuple[str, int]:
    """The field value at ``text[start]`` ({braced}, "quoted" or bare) and where it ends."""
    if text[start] in "{\"":
        close, depth, i = "}" if text[start] == "{" else '"', 0, start
        while True:
            i += 1
            if text[i] == close and depth == 0:
                return text[start + 1:i], i + 1
            depth += {"{": 1, "}": -1}.get(text[i], 0)
    end = re.compile(r"[,}\s]").search(text, start).start()
    return text[start:end], end


def read_bib(path: Path) -> dict[str, str]:
    """Citation key -> "Elman, 1990", "Williams and Peng, 1990", "Rumelhart et al., 1986"."""
    text, cites = path.read_text(encoding="utf-8"), {}
    for entry in re.finditer(r"@\w+\s*\{\s*([^,\s]+)\s*,", text):
        fields, pos = {}, entry.end()
        while (m := re.compile(r"\s*(\w+)\s*=\s*").match(text, pos)):
            value, pos = _bib_value(text, m.end())
            fields[m[1].lower()] = _latex_text(value)
            pos = re.compile(r"\s*,?").match(text, pos).end()
        people = fields.get("author") or fields.get("editor") or entry[1]
        names = [p.split(",")[0].strip() if "," in p else p.split()[-1]
                 for p in people.split(" and ")]
        who = names[0] if len(names) == 1 else (
            " and ".join(names) if len(names) == 2 else f"{names[0]} et al.")
        cites[entry[1]] = f"{who}, {fields.get('year', 'n.d.')}"
    return cites


# ---------------------------------------------------------------- the book


def _doc_text(path: Path) -> list[str]:
    """The Markdown of a document: its markdown cells, or a MyST file without front matter."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return [c.source for c in nb.cells if c.cell_type == "markdown"]
    text = path.read_text(encoding="utf-8")
    return [re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)]


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
        config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
        book = cls(root)
        for bib in config.get("bibtex_bibfiles", []):
            book.citations.update(read_bib(root / bib))
        toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
        docs = [toc["root"]]
        for part in toc.get("parts", []):
            chapters = [c["file"] for c in part.get("chapters", []) if "file" in c]
            docs += chapters
            if part.get("numbered"):
                book.chapters.update({(root / f).resolve(): str(k)
                                      for k, f in enumerate(chapters, 1)})
        # A dry run over every document registers its labels, so references across chapters
        # read as the book prints them.
        for doc in filter(None, map(book.find, docs)):
            ctx = Context(book, doc)
            for source in _doc_text(doc):
                ctx.convert(source)
        return book

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

    def convert_notebook(self, nb: nbformat.NotebookNode, path: Path) -> list[str]:
        """Rewrite the markdown cells of ``nb`` (read from ``path``) in place.

        Returns the citation keys, labels and documents that did not resolve.
        """
        ctx = Context(self, Path(path).resolve())
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = ctx.convert(cell.source)
        return ctx.missing


class Context:
    """One document being converted: its per-kind counters and the references it cannot resolve."""

    def __init__(self, book: Book, path: Path):
        self.book, self.path = book, path
        self.chapter = book.chapters.get(path.with_suffix(""), "")
        self.counters: Counter[str] = Counter()
        self.missing: list[str] = []
        self.pending_label: str | None = None

    def number(self, kind: str, options: dict[str, str], title: str = "") -> Target:
        """The next ``kind`` of this chapter ("Theorem 4.2"), registered under its label."""
        number = ""
        if "nonumber" not in options:
            self.counters[kind] += 1
            number = f"{self.chapter}.{self.counters[kind]}" if self.chapter else \
                str(self.counters[kind])
        target = Target(f"{kind} {number}".strip(), number, title)
        label = options.get("label") or options.get("name")
        if label:
            self.book.targets[label] = target
        return target

    def target(self, label: str) -> Target | None:
        if label not in self.book.targets:
            self.missing.append(label)
        return self.book.targets.get(label)

    # ------------------------------------------------------------ blocks

    def convert(self, text: str) -> str:
        """MyST Markdown -> Markdown with HTML blocks, math and code left as written."""
        lines, out, prose = text.splitlines(), [], []
        i = 0
        while i < len(lines):
            line = lines[i]
            fence = FENCE.match(line)
            if fence or LABEL_LINE.match(line) or line.startswith("%"):
                out.append(self.inline("\n".join(prose)))
                prose = []
            if fence:
                end = _fence_end(lines, i, fence["fence"])
                directive = DIRECTIVE_INFO.match(fence["info"])
                if directive:
                    indent = fence["indent"]
                    body = "\n".join(s[len(indent):] if s.startswith(indent) else s.lstrip()
                                     for s in lines[i + 1:end])
                    block = self.directive(directive["name"], directive["arg"], body)
                    out.append("\n".join(indent + s if s else s
                                         for s in ("\n" + block + "\n").splitlines()))
                else:
                    out.append("\n".join(lines[i:end + 1]))
                i = end + 1
                continue
            label = LABEL_LINE.match(line)
            if label:
                self.pending_label = label["label"]
            elif not line.startswith("%"):
                heading = HEADING.match(line)
                if heading and self.pending_label:
                    text = heading["text"]
                    self.book.targets[self.pending_label] = Target(text, "", text)
                if line.strip():
                    self.pending_label = None
                prose.append(line)
            i += 1
        out.append(self.inline("\n".join(prose)))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")

    def directive(self, name: str, arg: str, body: str) -> str:
        options, body = _split_options(body)
        handler = DIRECTIVES.get(name) or (_statement if name.startswith("prf:") else _unknown)
        return handler(self, Directive(name, self.inline(arg), options, body))

    # ------------------------------------------------------------ roles

    def inline(self, text: str) -> str:
        def replace(m: re.Match) -> str:
            if m["role"] is None:
                return m[0]
            return ROLES.get(m["role"], _code_role)(self, m["role"], m["content"])
        return INLINE.sub(replace, text)


def _fence_end(lines: list[str], start: int, fence: str) -> int:
    """Index of the line closing the fence opened at ``start`` (the last line if none does)."""
    close = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    for j in range(start + 1, len(lines)):
        if close.match(lines[j]):
            return j
    return len(lines) - 1


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


# ---------------------------------------------------------------- directive handlers


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
    body = ctx.convert(d.body)
    if kind == "proof":
        # "Proof." runs into a first paragraph of prose, as in the book; the square closes the
        # last line of prose, or stands on its own after math, a list or a table.
        title, square = f"*Proof.* {d.arg}".strip(), "∎"
        last = body.rstrip().rsplit("\n", 1)[-1]
        if last and not BLOCK_START.match(last) and not last.endswith("$$"):
            body, end = f'{body.rstrip()} <span style="float: right">{square}</span>', ""
        else:
            end = f'<p style="text-align: right; margin: 0">{square}</p>'
        if body and not BLOCK_START.match(body):
            return _box(COLOURS["proof"], "", f"{title} {body}\n\n{end}")
        return _box(COLOURS["proof"], title, f"{body}\n\n{end}")
    target = ctx.number(kind.capitalize(), d.options, d.arg)
    return _box(COLOURS["statement"], _titled(target, d.arg), body)


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


# ---------------------------------------------------------------- role handlers


def _cite(ctx: Context, role: str, keys: str) -> str:
    found = []
    for key in (k.strip() for k in keys.split(",") if k.strip()):
        if key not in ctx.book.citations:
            ctx.missing.append(key)
        found.append(ctx.book.citations.get(key, key))
    if role in ("cite:t", "cite:ts"):  # textual: Elman (1990)
        return "; ".join(re.sub(r"^(.*), (\S+)$", r"\1 (\2)", c) for c in found)
    return f"({'; '.join(found)})"


def _split_explicit(content: str) -> tuple[str, str]:
    """``text <target>`` -> (text, target); ``target`` -> ("", target)."""
    m = EXPLICIT.match(content.strip())
    return (m["text"], m["target"]) if m else ("", content.strip())


def _doc(ctx: Context, role: str, content: str) -> str:
    text, name = _split_explicit(content)
    if text:
        return text
    path = ctx.book.find(name, ctx.path.parent)
    if path is None:
        ctx.missing.append(name)
        return name
    return f"*{ctx.book.title(path)}*"  # a title in a sentence, as the book's link sets it apart


def _ref(ctx: Context, role: str, content: str) -> str:
    """{ref}: the title (a heading's text); {prf:ref}, {numref}: "Theorem 4.1"; {eq}: "(4.1)"."""
    text, label = _split_explicit(content)
    target = ctx.target(label)
    if target is None:
        return text or label
    if role == "eq":
        return f"({target.number})"
    if text:
        return text.replace("%s", target.number).replace("{number}", target.number)
    return target.title if role == "ref" and target.title else target.name


def _code_role(ctx: Context, role: str, content: str) -> str:
    """Roles that name code ({py:func} ...) or that slides do not know: the content as code."""
    return f"`{content}`"


ROLES: dict[str, Callable[[Context, str, str], str]] = {
    **{name: _cite for name in ("cite", "cite:p", "cite:ps", "cite:t", "cite:ts")},
    "doc": _doc, "ref": _ref, "prf:ref": _ref, "numref": _ref, "eq": _ref,
    "math": lambda ctx, role, tex: f"${tex}$",
    "sub": lambda ctx, role, text: f"<sub>{text}</sub>",
    "sup": lambda ctx, role, text: f"<sup>{text}</sup>",
    "kbd": lambda ctx, role, text: f"<kbd>{text}</kbd>",
    "term": lambda ctx, role, text: _split_explicit(text)[0] or _split_explicit(text)[1],
    "abbr": lambda ctx, role, text: re.sub(r"\s*\(.*\)$", "", text),
}
"""Role name -> handler(context, role, content) giving the text a slide shows."""
