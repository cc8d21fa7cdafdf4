"""What passed in this kernel session: every check and every answered question records here.

A check or a question records its latest verdict under a unique name (a check's name such as
``"rnn_step_forward"``, a question's id such as ``"01-output-shape"``), and returns it as a
:class:`Verdict`: true or false like a bool, but shown as nothing when it is the last
expression of a cell, since the check has already printed what it found.
"""

from __future__ import annotations

_results: dict[str, tuple[str, bool]] = {}  # name -> (kind, passed), latest result wins


class Verdict:
    """The outcome of a check or an answer: ``bool(verdict)`` says whether it passed.

    Jupyter shows nothing for it (``_ipython_display_`` displays nothing), so a check cell
    shows the check's message and no ``True`` or ``False`` under it.
    """

    __slots__ = ("name", "passed")

    def __init__(self, name: str, passed: bool):
        self.name, self.passed = name, bool(passed)

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return f"Verdict({self.name!r}, passed={self.passed})"

    def _ipython_display_(self) -> None:
        """Display nothing: the message printed by the check is the whole answer."""


def record(name: str, passed: bool, kind: str = "check") -> Verdict:
    """Remember the latest result of a check (``kind="check"``) or question (``"question"``),
    and return it as a Verdict."""
    _results[name] = (kind, bool(passed))
    return Verdict(name, passed)


def result(name: str) -> bool | None:
    """The latest result recorded under ``name``; None when it has not run yet."""
    return _results[name][1] if name in _results else None


def recorded() -> dict[str, tuple[str, bool]]:
    """A copy of every result recorded so far, in the order first recorded."""
    return dict(_results)


def reset() -> None:
    """Forget every result (a fresh kernel)."""
    _results.clear()
