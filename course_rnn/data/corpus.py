r"""An offline character corpus: source files of the Python standard library.

A character-level language model needs a few hundred kilobytes of text with some structure.
Every Python installation ships its standard library as ``.py`` files, so the course reads
those instead of downloading a corpus: indented blocks, keywords, docstrings and comments give
the model patterns at several time scales (a closing bracket that matches one opened thirty
characters earlier, a ``def`` that follows a blank line).

The modules are chosen by name, so a given Python version always yields the same text; the
files differ a little between Python versions, which is why the notebooks compare losses with
thresholds measured with a margin rather than with exact numbers.

:class:`CharVocab` maps the characters of a text to integer ids and back. Ids are ``np.int64``,
the dtype the NumPy layers' index checks and ``softmax_cross_entropy`` expect.

Shapes: ``...`` any index shape, e.g. (T,) for one text or (T, N) for a batch of streams;
V the vocabulary size (the book writes K for the number of output classes).
"""

from __future__ import annotations

import sysconfig
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from course_rnn.shapes import check_indices

DEFAULT_MODULES = (
    "textwrap", "string", "glob", "fnmatch", "bisect", "colorsys", "copy", "copyreg",
    "queue", "sched", "graphlib", "reprlib", "numbers", "keyword", "abc", "operator",
    "contextlib", "calendar",
)
"""Small, pure-Python, ASCII-only modules (about 200 KB together), present since Python 3.9.

ASCII keeps the vocabulary near 100 characters: a module whose comments quote a few accented
names would add characters seen once or twice, which the model cannot learn anyway.
"""


def stdlib_dir() -> Path:
    """The folder of this interpreter's pure-Python standard library."""
    return Path(sysconfig.get_paths()["stdlib"])


def stdlib_text(modules: Sequence[str] = DEFAULT_MODULES, max_chars: int | None = None) -> str:
    """The source of standard-library modules, joined in the given order.

    Parameters
    ----------
    modules : top-level module names, each a single ``<name>.py`` file in the standard library
        (packages such as ``json`` are folders and are not accepted).
    max_chars : keep only the first ``max_chars`` characters, or None for everything.

    Returns
    -------
    text : the files' contents, each followed by one blank line, cut to ``max_chars``.

    Raises
    ------
    FileNotFoundError : a module has no single source file here (named, with the folder).
    ValueError : no modules, or ``max_chars`` not a positive integer.
    """
    if isinstance(modules, str):  # "textwrap" would otherwise be read letter by letter
        modules = (modules,)
    if not modules:
        raise ValueError("modules: expected at least one module name, got none")
    if max_chars is not None and (not isinstance(max_chars, int | np.integer) or max_chars < 1):
        raise ValueError(f"max_chars: expected a positive integer or None, got {max_chars!r}")
    folder = stdlib_dir()
    parts = []
    for name in modules:
        path = folder / f"{name}.py"
        if not path.is_file():
            raise FileNotFoundError(f"modules: no file {name}.py in the standard library folder "
                                    f"{folder} (only single-file modules can be used)")
        # text mode turns any "\r\n" into "\n", so the text is the same on every platform
        parts.append(path.read_text(encoding="utf-8") + "\n\n")
    text = "".join(parts)
    return text if max_chars is None else text[:max_chars]


class CharVocab:
    """A bijection between the characters of a text and the ids 0 .. V-1.

    Parameters
    ----------
    chars : the vocabulary, one character per id, in id order (no repeats).

    Attributes
    ----------
    chars : tuple of the V characters; ``chars[i]`` is the character with id i.
    """

    def __init__(self, chars: Iterable[str]):
        chars = tuple(chars)
        if not chars:
            raise ValueError("chars: expected at least one character, got none")
        for c in chars:
            if not isinstance(c, str) or len(c) != 1:
                raise ValueError(f"chars: expected single characters, got {c!r}")
        if len(set(chars)) != len(chars):
            raise ValueError("chars: expected distinct characters, found a repeat")
        self.chars = chars
        self._ids = {c: i for i, c in enumerate(chars)}

    @classmethod
    def from_text(cls, text: str) -> CharVocab:
        """The vocabulary of every character in ``text``, sorted by code point (reproducible)."""
        if not isinstance(text, str) or not text:
            raise ValueError("text: expected a non-empty string")
        return cls(sorted(set(text)))

    def __len__(self) -> int:
        return len(self.chars)

    def __contains__(self, char) -> bool:
        return char in self._ids

    def __repr__(self):
        return f"CharVocab({len(self)} characters)"

    def encode(self, text: str) -> np.ndarray:
        """Ids of the characters of ``text``: an int64 array of shape (len(text),).

        Raises ``KeyError`` naming the first unknown character and its position: a model can
        only read characters it has a row of weights for.
        """
        if not isinstance(text, str):
            raise TypeError(f"text: expected a str, got {type(text).__name__}")
        try:
            return np.fromiter((self._ids[c] for c in text), dtype=np.int64, count=len(text))
        except KeyError:
            position = next(i for i, c in enumerate(text) if c not in self._ids)
            raise KeyError(f"encode: character {text[position]!r} at position {position} is "
                           f"not in the vocabulary of {len(self)} characters") from None

    def decode(self, ids) -> str:
        """The text of integer ids of any shape (read in C order), e.g. (T,)."""
        ids = np.asarray(ids)
        if ids.size:  # an empty list reads as float64 and decodes to ""
            check_indices("ids", ids, len(self))
        return "".join(self.chars[i] for i in ids.reshape(-1).tolist())
