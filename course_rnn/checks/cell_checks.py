"""One way to check the step functions of any gated cell, described by its gates and states.

A :class:`GatedCell` says what differs between the LSTM and the GRU: the names of its states
(h, or h and c), how many gate blocks its weights stack, the package's reference step, the
typical mistakes and their simulations, and what a function that is right only while one term
is zero gets wrong. Everything else is the same for both and lives here, built from the pieces
the RNN checks use:

- :func:`grade_step_forward` runs the student's step on every case of
  :func:`~course_rnn.checks.cell_cases.forward_cases`, says which state is off and by how
  much, which probes (ablations) come out right, and which typical mistake reproduces every
  output (:func:`~course_rnn.checks.diagnosis.report_outcomes`);
- :func:`grade_step_backward` runs the student's forward, hands its cache (of any type) to the
  student's backward and compares the gradients. A wrong forward is blamed, and the backward
  judged against numerical gradients of that forward
  (:func:`~course_rnn.checks.diagnosis.own_forward_agreement`); a wrong backward gets, for
  every wrong gradient, the mistake that reproduces it
  (:func:`~course_rnn.checks.diagnosis.mistakes_per_gradient`).

Neither raises, whatever the student's functions do (:mod:`~course_rnn.checks.report`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from course_rnn.checks.cell_cases import PARAM_NAMES, CellCase, backward_cases, forward_cases
from course_rnn.checks.diagnosis import (
    Outcome,
    ablation_finding,
    batch_of_one_rule,
    mistakes_per_gradient,
    own_forward_agreement,
    report_outcomes,
)
from course_rnn.checks.outputs import Problem, as_array, precision_note
from course_rnn.checks.report import (
    Report,
    call_and_unpack,
    report_forward_problem,
    report_problem,
)
from course_rnn.checks.results import Verdict
from course_rnn.checks.rnn_mistakes import Mistake


@dataclass(frozen=True)
class GatedCell:
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
    def outputs(self) -> tuple[str, ...]:
        """What the forward step returns before its cache: ("h_next", "c_next")."""
        return tuple(f"{s}_next" for s in self.states)

    @property
    def grad_names(self) -> tuple[str, ...]:
        """What the backward step returns: the gradient of every input of the forward."""
        return tuple(f"d{name}" for name in ("x", *(f"{s}_prev" for s in self.states),
                                              *PARAM_NAMES))

    def reference(self, case: CellCase) -> tuple[tuple, tuple]:
        """The package's outputs and gradients on ``case``."""
        *outputs, cache = self.step_forward(*(value for _, value in case.args))
        grads = self.step_backward(*(value for _, value in case.upstream), cache)
        return tuple(outputs), tuple(grads)


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


def _run_forward(report: Report, cell: GatedCell, fn, case: CellCase, time_limit: float):
    """The student's outputs as float64 arrays, as returned (their dtype), and the cache."""
    name = f"{cell.name}_step_forward"
    *values, cache = call_and_unpack(report, fn, list(case.args), name,
                                     (*cell.outputs, "cache"), time_limit)
    hints = _output_hints(cell, case)
    N, _, H = case.sizes
    got = tuple(as_array(value, output, (N, H), hints)
                for value, output in zip(values, cell.outputs))
    return got, values, cache


def grade_step_forward(cell: GatedCell, fn, time_limit: float) -> Verdict:
    """Check the student's ``<cell>_step_forward``; print a pass line or hints."""
    report = Report(f"{cell.name}_step_forward")
    outcomes, returned = [], []
    for case in forward_cases(cell.states, cell.gates):
        try:
            got, values, _ = _run_forward(report, cell, fn, case, time_limit)
        except Problem as problem:
            return report_problem(report, problem, case.title)
        outcomes.append(Outcome(case, cell.outputs, got, cell.reference(case)[0]))
        returned += values
    return report_outcomes(
        report, outcomes, f"correct on {len(outcomes)} tests (batches of 1 to 3, D ≠ H and "
        "D = H, each term switched off in turn).", cell.forward_mistakes,
        cell.simulate_forward, _forward_probes(cell, outcomes), returned)


def _forward_probes(cell: GatedCell, outcomes: Sequence[Outcome]) -> list[str | None]:
    """What the pattern of right and wrong probes says, for a failure no mistake explains."""
    ok = {outcome.case: outcome.ok for outcome in outcomes}
    if not any(ok.values()):
        return [f"It is wrong on every test, even with only the input term: check each "
                f"equation, {cell.equations}"]
    what = "Your outputs are" if len(cell.states) > 1 else "Your h_next is"
    rules = [batch_of_one_rule(what),
             *((lambda case, term=term: term in case.zero,
                f"{what} right whenever {term} = 0 and wrong otherwise: {hint}")
               for term, hint in cell.terms.items())]
    return [ablation_finding(ok, rules)]


def grade_step_backward(cell: GatedCell, forward_fn, backward_fn, time_limit: float) -> Verdict:
    """Check the student's ``<cell>_step_backward`` on the caches of the student's own
    ``<cell>_step_forward``; print a pass line or hints."""
    name, forward_name = f"{cell.name}_step_backward", f"{cell.name}_step_forward"
    report = Report(name)
    fix_forward = f"check_{forward_name}(...) says what is wrong with it."
    runs, returned = [], []
    for case in backward_cases(cell.states, cell.gates):
        want_outputs, want_grads = cell.reference(case)
        try:
            got, values, cache = _run_forward(report, cell, forward_fn, case, time_limit)
        except Problem as problem:
            return report_forward_problem(report, problem, forward_name, case.title)
        forward = Outcome(case, cell.outputs, got, want_outputs)
        wrong_forward = "; ".join(m.describe(n) for n, m in forward.wrong())
        try:
            grads = call_and_unpack(report, backward_fn, [*case.upstream, ("cache", cache)],
                                    name, cell.grad_names, time_limit)
            returned += grads
            grads = tuple(as_array(g, n, w.shape, _grad_hints(cell, n, case))
                          for g, n, w in zip(grads, cell.grad_names, want_grads))
        except Problem as problem:
            if forward.ok:
                return report_problem(report, problem, case.title)
            return report.failed(f"your {forward_name} is wrong, and the backward fails too.",
                                 f"On the test '{case.title}', {wrong_forward}. {fix_forward}",
                                 str(problem))
        if not forward.ok:
            precise = all(getattr(v, "dtype", np.float64) == np.float64 for v in values)
            agreement = own_forward_agreement(
                forward_fn, list(case.args), dict(zip((n for n, _ in case.args), grads)),
                tuple(value for _, value in case.upstream), time_limit,
                outputs=cell.outputs, precise=precise)
            return report.failed(f"your {forward_name} is wrong, so its gradients cannot be "
                                 "checked yet.",
                                 f"On the test '{case.title}', {wrong_forward}. {fix_forward}",
                                 agreement)
        runs.append(Outcome(case, cell.grad_names, grads, want_grads))
    return _report_backward(report, cell, runs, returned)


def _report_backward(report: Report, cell: GatedCell, runs: Sequence[Outcome],
                     returned: list) -> Verdict:
    failing = [run for run in runs if not run.ok]
    if not failing:
        return report.passed(f"all {len(cell.grad_names)} gradients correct on {len(runs)} "
                             f"tests ({', '.join(run.case.label for run in runs)})."
                             + precision_note(returned))
    run = failing[0]
    wrong = run.wrong()
    details = [f"On the test '{run.case.title}':", *(f"{m.describe(n)}." for n, m in wrong[:3])]
    if len(wrong) > 3:
        details.append(f"... and {', '.join(n for n, _ in wrong[3:])} too.")
    details += mistakes_per_gradient(run.case, run.got, run.want, cell.grad_names,
                                     cell.backward_mistakes, cell.simulate_backward,
                                     cell.backward_cause)
    finding = ablation_finding({r.case: r.ok for r in runs},
                               [batch_of_one_rule("Your gradients are"), *cell.backward_probes])
    details += [finding] if finding else []
    names = [n for n, _ in wrong]
    return report.failed(f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} wrong "
                         f"(your {cell.name}_step_forward is right).", *details)
