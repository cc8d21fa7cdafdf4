"""What passed in this kernel session: every check and every answered question records here.

``progress()`` prints nothing itself; it returns a ``ProgressTable``, a list of rows that shows
as a small table when it is the last expression of a cell (text in a terminal, HTML in Jupyter).
"""

from __future__ import annotations

import html
from typing import NamedTuple

# The checks each exercise notebook is expected to run, by notebook name (one line each;
# notebooks with questions only have none).
NOTEBOOK_CHECKS = {
    "01_rnn_structure": ("rnn_step_forward", "rnn_forward"),
    "02_parameter_sharing": (),
    "03_bptt": ("rnn_step_backward", "rnn_backward"),
    "04_bptt_by_hand": (),
    "05_char_model": ("output_forward", "output_backward", "softmax_cross_entropy",
                      "gradient_check", "clip_gradients", "loss_and_gradients", "train_one_pass"),
}

_results: dict[str, tuple[str, bool]] = {}  # name -> (kind, passed), latest result wins
STATUS = {True: "✓ passed", False: "✗ not yet right", None: "not yet run"}


def record(name: str, passed: bool, kind: str = "check") -> None:
    """Remember the latest result of a check (``kind="check"``) or question (``"question"``)."""
    _results[name] = (kind, bool(passed))


def reset() -> None:
    """Forget every result (a fresh kernel)."""
    _results.clear()


class Row(NamedTuple):
    name: str
    kind: str
    passed: bool | None  # None: not run in this kernel yet

    @property
    def status(self) -> str:
        return STATUS[self.passed]


class ProgressTable(list):
    """Rows of :func:`progress`; displays as a table."""

    def __init__(self, rows, title: str):
        super().__init__(rows)
        self.title = title

    def __repr__(self) -> str:
        if not self:
            return f"{self.title}: nothing run yet."
        width = max(len(row.name) for row in self)
        lines = [f"{self.title}:"]
        lines += [f"  {row.name:<{width}}  {row.kind:<8}  {row.status}" for row in self]
        done = sum(row.passed is True for row in self)
        lines.append(f"  {done} of {len(self)} passed.")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><td><code>{html.escape(row.name)}</code></td><td>{row.kind}</td>"
                       f"<td>{row.status}</td></tr>" for row in self)
        done = sum(row.passed is True for row in self)
        return (f"<div class='course-rnn-progress'><strong>{html.escape(self.title)}</strong>"
                f"<table><tr><th>item</th><th>kind</th><th>status</th></tr>{body}</table>"
                f"<p>{done} of {len(self)} passed.</p></div>")


def progress(notebook: str | None = None) -> ProgressTable:
    """Which checks and questions passed in this kernel session.

    Parameters
    ----------
    notebook : an exercise notebook's name, e.g. ``"01_rnn_structure"``: list its expected
        checks (those not run yet too) and the questions answered so far. Without it: every
        check and question run in this session.

    Returns
    -------
    ProgressTable : a list of ``Row(name, kind, passed)`` with ``passed`` True, False or None
        (not run yet); it shows as a table.
    """
    if notebook is None:
        rows = [Row(name, kind, passed) for name, (kind, passed) in _results.items()]
        return ProgressTable(rows, "Progress in this session")
    if notebook not in NOTEBOOK_CHECKS:
        raise ValueError(f"progress: unknown notebook {notebook!r}; known: "
                         f"{', '.join(NOTEBOOK_CHECKS)}")
    rows = [Row(name, "check", _results.get(name, ("check", None))[1])
            for name in NOTEBOOK_CHECKS[notebook]]
    rows += [Row(name, kind, passed) for name, (kind, passed) in _results.items()
             if kind == "question"]
    return ProgressTable(rows, f"Progress in {notebook}")
