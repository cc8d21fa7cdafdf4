"""The step checks of any gated cell, described by its gates and states: the LSTM and the GRU.

A :class:`GatedCell` says what differs between the LSTM and the GRU: the names of its states
(h, or h and c), how many gate blocks its weights stack, the package's reference step, the
typical mistakes and their simulations, and what a function that is right only while one term
is zero gets wrong. How a forward and its backward are graded is the same for every exercise of
this kind and lives in :mod:`~course_rnn.checks.paired_checks`; the cases are those of
:mod:`~course_rnn.checks.cell_cases`, whose ablations (a term set to zero, a batch of one) say
which terms a function gets right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from course_rnn.checks.cell_cases import PARAM_NAMES, CellCase, backward_cases, forward_cases
from course_rnn.checks.diagnosis import Outcome, ablation_finding, batch_of_one_rule
from course_rnn.checks.paired_checks import PairedExercise
from course_rnn.checks.rnn_mistakes import Mistake


@dataclass(frozen=True)
class GatedCell(PairedExercise):
    """What the step checks of one cell need.

    ``terms`` maps an input that a case can set to zero ("h_prev", "c_prev", "b_ih", "b_hh",
    "x") to what a function that is right exactly when it is zero probably gets wrong;
    ``equations`` is shown when no probe and no mistake explains a failure, ``backward_cause``
    when every gradient is wrong and no mistake explains any; ``backward_probes`` are rules
    (case -> bool, message) about the backward cases, beyond the batch of one.
    """

    name: str
    states: tuple[str, ...]
    gates: int
    step_forward: Callable
    step_backward: Callable
    forward_mistakes: Sequence[Mistake]
    backward_mistakes: Sequence[Mistake]
    simulate_forward: Callable
    simulate_backward: Callable
    terms: dict[str, str]
    equations: str
    backward_cause: str
    backward_probes: Sequence[tuple[Callable, str]] = ()

    @property
    def forward_name(self) -> str:
        return f"{self.name}_step_forward"

    @property
    def backward_name(self) -> str:
        return f"{self.name}_step_backward"

    @property
    def outputs(self) -> tuple[str, ...]:
        """What the forward step returns before its cache: ("h_next", "c_next")."""
        return tuple(f"{s}_next" for s in self.states)

    @property
    def grad_names(self) -> tuple[str, ...]:
        """What the backward step returns: the gradient of every input of the forward."""
        return tuple(f"d{name}" for name in ("x", *(f"{s}_prev" for s in self.states),
                                              *PARAM_NAMES))

    def forward_cases(self) -> list[CellCase]:
        return forward_cases(self.states, self.gates)

    def backward_cases(self) -> list[CellCase]:
        return backward_cases(self.states, self.gates)

    def reference(self, case: CellCase) -> tuple[tuple, tuple]:
        """The package's outputs and gradients on ``case``."""
        *outputs, cache = self.step_forward(*(value for _, value in case.args))
        grads = self.step_backward(*(value for _, value in case.upstream), cache)
        return tuple(outputs), tuple(grads)

    def output_shape(self, name: str, case: CellCase) -> tuple[int, int]:
        N, _, H = case.sizes
        return N, H

    def output_hints(self, name: str, case: CellCase) -> dict:
        return _output_hints(self, case)

    def grad_hints(self, name: str, case: CellCase) -> dict:
        return _grad_hints(self, name, case)

    def forward_summary(self, count: int) -> str:
        return (f"correct on {count} tests (batches of 1 to 3, D ≠ H and D = H, each term "
                "switched off in turn).")

    def forward_findings(self, outcomes: Sequence[Outcome]) -> list[str | None]:
        """What the pattern of right and wrong probes says, for a failure no mistake
        explains."""
        ok = {outcome.case: outcome.ok for outcome in outcomes}
        if not any(ok.values()):
            return [f"It is wrong on every test, even with only the input term: check each "
                    f"equation, {self.equations}"]
        what = "Your outputs are" if len(self.states) > 1 else "Your h_next is"
        rules = [batch_of_one_rule(what),
                 *((lambda case, term=term: term in case.zero,
                    f"{what} right whenever {term} = 0 and wrong otherwise: {hint}")
                   for term, hint in self.terms.items())]
        return [ablation_finding(ok, rules)]

    def backward_rules(self) -> list[tuple[Callable, str]]:
        return [batch_of_one_rule("Your gradients are"), *self.backward_probes]


def _output_hints(cell: GatedCell, case: CellCase) -> dict:
    """Wrong shapes of a state that betray a specific mistake."""
    N, _, H = case.sizes
    return {(H,): "the batch axis is missing; keep it even for a batch of one.",
            (H, N): "this is the column-vector layout; the code is row-major, one row per "
                    "example (x @ W_ih.T).",
            (N, cell.gates * H): f"that is the width of all {cell.gates} gate blocks "
                                 "together: split them apart (np.split(a, "
                                 f"{cell.gates}, axis=1)) and combine them into (N, H)."}


def _grad_hints(cell: GatedCell, name: str, case: CellCase) -> dict:
    """Wrong shapes of a gradient that betray a specific mistake."""
    N, D, H = case.sizes
    GH = cell.gates * H
    if name.startswith("db"):
        return {(N, GH): "sum over the batch (axis 0): every example adds to the bias gradient.",
                (1, GH): f"it should be a vector of shape ({GH},)."}
    if name in ("dW_ih", "dW_hh"):
        columns = D if name == "dW_ih" else H
        return {(columns, GH): f"it looks transposed: the gradient has {name[1:]}'s shape "
                               f"({GH}, {columns}), rows by gate blocks.",
                (N, GH, columns): "that is one gradient per example: the batch shares the "
                                  "weights, so their gradient is the sum over it (a product "
                                  "such as da.T @ x sums as it multiplies)."}
    if name == "dx":
        return {(N, GH): "dx has the shape of x: multiply the gradient at the gates by W_ih."}
    if name == "dh_prev":
        return {(N, GH): "dh_prev has the shape of h_prev: multiply the gradient at the gates "
                         "by W_hh."}
    return {}


