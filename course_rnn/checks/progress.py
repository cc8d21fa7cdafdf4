"""What passed in this kernel session, as a table: ``progress("01_rnn_structure")``.

``progress()`` prints nothing itself; it returns a ``ProgressTable``, a list of rows that shows
as a small table when it is the last expression of a cell (text in a terminal, HTML in Jupyter).
Every row is keyed by a unique name: a check's name, or a question's id.
"""

from __future__ import annotations

import html
from typing import NamedTuple

from course_rnn.checks.questions import notebook_questions
from course_rnn.checks.results import recorded, result

# The checks each exercise notebook runs, by notebook name, in the order it runs them.
NOTEBOOK_CHECKS = {
    "01_rnn_structure": ("rnn_step_forward", "rnn_forward", "rnn_param_count"),
    "02_parameter_sharing": ("shared_param_count", "unshared_param_count"),
    "03_bptt": ("rnn_step_forward", "rnn_forward", "rnn_step_backward", "rnn_backward"),
    "04_bptt_by_hand": ("three_step_gradients",),
    "05_char_model": ("output_forward", "output_backward", "softmax_cross_entropy",
                      "gradient_check", "clip_gradients", "loss_and_gradients", "train_one_pass"),
    "06_architectures": ("classifier_forward", "classifier_loss", "generator_forward",
                         "generator_loss"),
    "07_long_term_dependencies": ("clip_grad_norm", "gradient_norms_by_distance"),
    "08_lstm": ("lstm_step_forward", "lstm_step_backward"),
    "09_gru": ("gru_step_forward", "gru_step_backward"),
    "10_deep_bidirectional": ("bidirectional", "deep_rnn_param_count"),
    "11_attention": ("additive_attention_forward", "additive_attention_backward"),
    "12_decoding": ("greedy_decode", "beam_search"),
    "13_beyond_lstm": ("clockwork_step", "causal_self_attention"),
}

STATUS = {True: "✓ passed", False: "✗ not yet right", None: "not yet run"}


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
    notebook : an exercise notebook's name, e.g. ``"01_rnn_structure"``: list its checks and
        its questions, those not run or answered yet too. Without it: every check and
        question run in this session.

    Returns
    -------
    ProgressTable : a list of ``Row(name, kind, passed)`` with ``passed`` True, False or None
        (not run yet); it shows as a table.
    """
    if notebook is None:
        rows = [Row(name, kind, passed) for name, (kind, passed) in recorded().items()]
        return ProgressTable(rows, "Progress in this session")
    if notebook not in NOTEBOOK_CHECKS:
        raise ValueError(f"progress: unknown notebook {notebook!r}; known: "
                         f"{', '.join(NOTEBOOK_CHECKS)}")
    rows = [Row(name, "check", result(name)) for name in NOTEBOOK_CHECKS[notebook]]
    rows += [Row(q.id, "question", result(q.id)) for q in notebook_questions(notebook)]
    return ProgressTable(rows, f"Progress in {notebook}")


__all__ = ["NOTEBOOK_CHECKS", "ProgressTable", "Row", "progress"]
