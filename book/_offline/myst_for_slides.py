"""Rewrite the chapters' MyST Markdown into the plain Markdown and HTML that a reveal.js deck shows.

nbconvert renders CommonMark, so a deck made straight from a chapter would show ``{cite}`...```,
directive fences and ``:label:`` lines. A :class:`Context` converts one document: it finds the
fenced blocks, hands directives to :func:`myst_directives.rewrite_directive`, turns roles into
text (:data:`ROLES`) and numbers theorems, exercises, figures and labelled equations per chapter
as the book does ("Theorem 4.1"), so a slide and the page it came from agree. Code fences and
code spans are left alone. What the whole book holds (citations, chapter numbers, titles, the
labels of other chapters) comes from :class:`book_index.Book`, the entry point.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from myst_directives import rewrite_directive

if TYPE_CHECKING:
    from book_index import Book

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>.*?)\s*$")
DIRECTIVE_INFO = re.compile(r"^\{(?P<name>[\w:.+-]+)\}\s*(?P<arg>.*)$")
LABEL_LINE = re.compile(r"^\s*\((?P<label>[^()\s]+)\)=\s*$")
HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
# A role, or a code span (left as it is; a code span that starts first hides a role inside it).
INLINE = re.compile(
    r"\{(?P<role>[\w:.+-]+)\}`(?P<content>[^`]*)`|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)",
    re.S)
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


@dataclass
class Target:
    """What a label names: ``name`` is how a reference reads ("Theorem 4.1")."""

    name: str
    number: str = ""
    title: str = ""


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
                out.append(self._fenced(fence, lines[i:end + 1]))
                i = end + 1
                continue
            label = LABEL_LINE.match(line)
            if label:
                self.pending_label = label["label"]
            elif not line.startswith("%"):
                self._name_labelled_heading(line)
                prose.append(line)
            i += 1
        out.append(self.inline("\n".join(prose)))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")

    def _fenced(self, fence: re.Match, lines: list[str]) -> str:
        """A fenced block (opening line first): a directive rewritten at its indent, code as is."""
        directive = DIRECTIVE_INFO.match(fence["info"])
        if not directive:
            return "\n".join(lines)
        indent = fence["indent"]
        body = "\n".join(s[len(indent):] if s.startswith(indent) else s.lstrip()
                         for s in lines[1:-1])
        block = rewrite_directive(self, directive["name"], directive["arg"], body)
        return "\n".join(indent + s if s else s for s in ("\n" + block + "\n").splitlines())

    def _name_labelled_heading(self, line: str) -> None:
        """A heading right after ``(label)=`` is the target of that label, named by its text."""
        heading = HEADING.match(line)
        if heading and self.pending_label:
            text = heading["text"]
            self.book.targets[self.pending_label] = Target(text, "", text)
        if line.strip():
            self.pending_label = None

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
