"""Read a BibTeX file into the short author-year text a slide shows for a citation.

The book's citations are rendered by sphinxcontrib-bibtex; a slide only needs "Elman, 1990" per
key, so a small reader of entries and their ``author``/``editor`` and ``year`` fields is enough.
LaTeX accents become Unicode and braces go, so ``J{\\"u}rgen`` reads as "Jürgen".
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

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


def _fields(text: str, pos: int) -> dict[str, str]:
    """The ``name = value`` fields of the entry whose first field starts at ``text[pos]``."""
    fields = {}
    while (m := re.compile(r"\s*(\w+)\s*=\s*").match(text, pos)):
        value, pos = _bib_value(text, m.end())
        fields[m[1].lower()] = _latex_text(value)
        pos = re.compile(r"\s*,?").match(text, pos).end()
    return fields


def _who(people: str) -> str:
    """``A, X and B, Y`` -> "A and B"; one surname alone; three or more as "A et al."."""
    names = [p.split(",")[0].strip() if "," in p else p.split()[-1]
             for p in people.split(" and ")]
    if len(names) == 1:
        return names[0]
    return " and ".join(names) if len(names) == 2 else f"{names[0]} et al."


def read_bib(path: Path) -> dict[str, str]:
    """Citation key -> "Elman, 1990", "Williams and Peng, 1990", "Rumelhart et al., 1986"."""
    text, cites = path.read_text(encoding="utf-8"), {}
    for entry in re.finditer(r"@\w+\s*\{\s*([^,\s]+)\s*,", text):
        fields = _fields(text, entry.end())
        who = _who(fields.get("author") or fields.get("editor") or entry[1])
        cites[entry[1]] = f"{who}, {fields.get('year', 'n.d.')}"
    return cites
