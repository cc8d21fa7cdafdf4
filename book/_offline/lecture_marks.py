"""Which parts of a chapter its lecture deck shows: the chapter's marks, read into slides.

A chapter is also its lecture, from one source. Its markdown cells carry MyST comments (lines
that start with ``%``), which neither the book nor JupyterLab shows; these say what the deck
shows, slide by slide::

    % slide: Title      a new slide with this heading (roles and $math$ allowed)
    % minutes: 3        how long to spend on the current slide
    % show              the next block of this cell goes on the slide
    % step              the next block goes on the slide, revealed by the next click
                        (a block shown after a step is revealed with it)
    %> - a line         a line only the slide shows; consecutive %> lines make one block
    % say: text         speaker notes for the slide; the plain % lines after it continue them

A block is a paragraph, a list or a table (a run of non-blank lines), a ``$$`` display, or a
fenced directive (a figure, a definition box); ``% show`` and ``% step`` also apply to a ``%>``
block. A code cell goes on the current slide by its tags: ``slide`` (source and outputs) or
``slide-output`` (outputs only), with ``step`` to reveal it by a click. Solutions never go on a
slide. :func:`read_lecture` converts the MyST of every block in the order of the chapter (so
numbers agree with the book) and keeps the marked ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import nbformat
from myst_for_slides import FENCE, Context, _fence_end

MARK = re.compile(r"^%\s*(?P<name>slide|minutes|show|step|say)\b:?\s*(?P<rest>.*?)\s*$")
SLIDE_ONLY = re.compile(r"^%>\s?(?P<text>.*)$")
SOLUTION = re.compile(r"^\s*(`{3,}|:{3,})\s*\{solution")


class MarkError(ValueError):
    """A mark that cannot be followed (nothing after ``% show``, a step before any slide...)."""


@dataclass
class Part:
    """One thing on a slide: Markdown (MyST already converted) or a code cell."""

    markdown: str = ""
    cell: nbformat.NotebookNode | None = None
    source: bool = True  # a code cell: show its source, not only its outputs
    step: bool = False  # revealed by a click


@dataclass
class Slide:
    title: str
    minutes: float = 0.0
    parts: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # Markdown paragraphs, MyST converted


@dataclass
class _Reader:
    """The state of one pass over a chapter: the slides so far and a pending show/step."""

    ctx: Context
    where: str
    slides: list[Slide] = field(default_factory=list)
    pending: str | None = None

    @property
    def slide(self) -> Slide:
        if not self.slides:
            raise MarkError(f"{self.where}: a mark before the first '% slide:'")
        return self.slides[-1]

    def add(self, part: Part) -> None:
        part.step = part.step or self.pending == "step"
        self.pending = None
        self.slide.parts.append(part)

    def mark(self, name: str, rest: str, continuation: list[str]) -> None:
        if name == "slide":
            self.slides.append(Slide(self.ctx.inline(rest)))
        elif name == "minutes":
            self.slide.minutes = float(rest)
        elif name in ("show", "step"):
            if rest:
                raise MarkError(f"{self.where}: '% {name}' takes nothing after it, got {rest!r}")
            self.pending = name
        else:  # say
            self.slide.notes.append(self.ctx.inline(" ".join([rest, *continuation]).strip()))

    def markdown_cell(self, source: str) -> None:
        lines, i = source.splitlines(), 0
        while i < len(lines):
            line = lines[i]
            mark, only = MARK.match(line), SLIDE_ONLY.match(line)
            if mark:
                end = _comment_run(lines, i + 1) if mark["name"] == "say" else i + 1
                self.mark(mark["name"], mark["rest"], [s[1:].strip() for s in lines[i + 1:end]])
            elif only:
                end = _slide_only_end(lines, i)
                text = "\n".join(SLIDE_ONLY.match(s)["text"] for s in lines[i:end])
                self.add(Part(markdown=self.ctx.convert(text)))
            elif line.startswith("%") or not line.strip():
                end = i + 1
            else:
                end = _block_end(lines, i)
                self.block("\n".join(lines[i:end]))
            i = end
        if self.pending:
            raise MarkError(f"{self.where}: '% {self.pending}' at the end of a cell: "
                            "the block it marks must follow it in the same cell")

    def block(self, text: str) -> None:
        """Convert every block (numbering runs on); keep a marked one."""
        converted = self.ctx.convert(text)
        if not self.pending:
            return
        if SOLUTION.match(text):
            raise MarkError(f"{self.where}: a solution is marked for the slides; the student "
                            "deck shows no solutions")
        self.add(Part(markdown=converted))

    def code_cell(self, cell: nbformat.NotebookNode) -> None:
        tags = set(cell.metadata.get("tags", []))
        if tags & {"slide", "slide-output"}:
            self.add(Part(cell=cell, source="slide" in tags, step="step" in tags))


def _comment_run(lines: list[str], start: int) -> int:
    """End of the plain ``%`` lines from ``start`` (a mark or a ``%>`` line ends it)."""
    end = start
    while (end < len(lines) and lines[end].startswith("%") and not MARK.match(lines[end])
           and not SLIDE_ONLY.match(lines[end])):
        end += 1
    return end


def _slide_only_end(lines: list[str], start: int) -> int:
    end = start
    while end < len(lines) and SLIDE_ONLY.match(lines[end]):
        end += 1
    return end


def _block_end(lines: list[str], start: int) -> int:
    """End (exclusive) of the block that starts at ``start``: a fence, a $$ display or a run."""
    fence = FENCE.match(lines[start])
    if fence:
        return _fence_end(lines, start, fence["fence"]) + 1
    if lines[start].strip().startswith("$$") and lines[start].count("$$") == 1:
        for j in range(start + 1, len(lines)):
            if "$$" in lines[j]:
                return j + 1
        return len(lines)
    end = start + 1
    while (end < len(lines) and lines[end].strip() and not lines[end].startswith("%")
           and not FENCE.match(lines[end])):
        end += 1
    return end


def read_lecture(nb: nbformat.NotebookNode, ctx: Context) -> list[Slide]:
    """The slides the marks of ``nb`` make; ``ctx`` converts MyST as the chapter's page does."""
    reader = _Reader(ctx, ctx.path.name)
    for k, cell in enumerate(nb.cells):
        reader.where = f"{ctx.path.name}, cell {k}"
        if cell.cell_type == "markdown":
            reader.markdown_cell(cell.source)
        elif cell.cell_type == "code":
            reader.code_cell(cell)
    return reader.slides
