r"""Check a student's measurement of how far back a gradient reaches in a tanh RNN.

``gradient_norms_by_distance(rnn, x, upstream) -> norms`` (T + 1,): the mean over the batch of
||dL/dh_{T-1-d}|| for d = 0..T, with the loss's gradient ``upstream`` (N, H) at the last state
alone. The check compares with chapter 4's
:func:`~course_rnn.models.gradient_flow.state_gradient_norms` on four small cases (the
layer's random weights, a recurrent matrix large enough for the norms to grow, a batch of one,
one step), and names the typical mistake that reproduces a wrong answer: the upstream gradient
at every step, a run from a zero state, the inputs' gradient, another norm over the batch,
the distances in the order of time. The cases and the simulated mistakes are in
:mod:`~course_rnn.checks.distance_mistakes`.
"""

from __future__ import annotations

from course_rnn.checks.diagnosis import Outcome, report_outcomes
from course_rnn.checks.distance_mistakes import DistanceCase, distance_cases, mistaken_norms
from course_rnn.checks.outputs import Problem, as_array
from course_rnn.checks.report import Report, call_checked, never_raises, report_problem
from course_rnn.checks.results import Verdict
from course_rnn.checks.rnn_mistakes import Mistake

_EVERY = ("the upstream gradient enters at every step; the loss here sits at the last step "
          "alone, so the gradient at the states is zero except at the last one: doutput[-1] = "
          "upstream, zeros elsewhere.")
_BATCH = ("it should be the mean over the N sequences of each one's norm, "
          "np.linalg.norm(dh, axis=1).mean()")

DISTANCE_MISTAKES = [
    Mistake(_EVERY, {"upstream_at": "every"}),
    Mistake(_EVERY, {"upstream_at": "every_total"}),
    Mistake("the norms are in the order of time, not of distance: norms[d] belongs to the "
            "state d steps before the last, so norms[0] is the norm of upstream itself and "
            "norms[T] that of the initial state. Reverse your list.", {"order": "time"}),
    Mistake("these are the norms of the gradient at the inputs x, not at the states: "
            "rnn.backward returns (dx, dhx0), and the gradient at the state a run started "
            "from is dhx0[0].", {"of": "inputs"}),
    Mistake("each run over the last d steps starts from a zero state: start it from the state "
            "the full run reached there, hx = output[T-1-d][None], or the Jacobians along the "
            "way belong to other states.", {"start": "zero"}),
    Mistake(f"norms[d] is the norm of the whole (N, H) gradient; {_BATCH}.", {"batch": "whole"}),
    Mistake(f"norms[d] is the sum of the N sequences' norms; {_BATCH}.", {"batch": "sum"}),
    Mistake(f"norms[d] is the norm of the gradient averaged over the batch, where sequences "
            f"cancel; {_BATCH}.", {"batch": "of_mean"}),
]


def _read_norms(report: Report, fn, case: DistanceCase, time_limit: float):
    value = call_checked(report, fn, case.args(), "gradient_norms_by_distance", time_limit)
    if value is None:
        raise Problem("gradient_norms_by_distance returned None: is the `return norms` "
                      "missing?")
    if isinstance(value, tuple):
        raise Problem(f"gradient_norms_by_distance returned a tuple of {len(value)} values; "
                      f"it returns the norms alone, one array of shape ({case.T + 1},).")
    T, N = case.T, case.N
    per_sequence = "those are norms per sequence; take their mean over the batch (axis 1)."
    return value, as_array(value, "norms", (T + 1,), {
        (T,): f"that is T = {T} entries; there are T + 1 distances, from 0 (the last state, "
              "where the upstream gradient enters) to T (the initial state h_{-1}).",
        (T + 2,): f"that is T + 2 = {T + 2} entries; the distances run from 0 (the last state) "
                  "to T (the initial state h_{-1}).",
        (T + 1, N): per_sequence,
        (N, T + 1): per_sequence})


@never_raises
def check_gradient_norms_by_distance(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``gradient_norms_by_distance(rnn, x, upstream) -> norms`` (T + 1,);
    print a pass line or hints. Never raises."""
    report = Report("gradient_norms_by_distance")
    outcomes, returned = [], []
    for case in distance_cases():
        try:
            value, norms = _read_norms(report, fn, case, time_limit)
        except Problem as problem:
            return report_problem(report, problem, case.title)
        returned.append(value)
        outcomes.append(Outcome(case, ("norms",), (norms,), (case.reference(),)))

    def simulate(case, **switches):
        return (mistaken_norms(case, **switches),)

    return report_outcomes(report, outcomes, "norms match chapter 4's state_gradient_norms on "
                           f"{len(outcomes)} tests (the layer's random weights, norms that "
                           "grow, a batch of one, one step).", DISTANCE_MISTAKES, simulate,
                           returned=returned)
