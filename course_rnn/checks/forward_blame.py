"""When the forward is wrong, is the backward right anyway? Two honest tests.

A wrong forward makes every gradient differ from the reference, so comparing the backward with
the reference says nothing about the backward. Two comparisons do:

1. the right formulas applied to the states the student's forward produced (what a correct
   backward computes from the student's cache). A backward that matches them is right, whatever
   the forward does: e.g. a forward that forgets b_hh, with a backward that returns db_hh;
2. central differences of the student's own forward
   (:func:`~course_rnn.checks.diagnosis.own_forward_agreement`). A backward that matches them
   is consistent with the forward; it was written for the same (wrong) computation.
"""

from __future__ import annotations

from course_rnn.checks.diagnosis import own_forward_agreement
from course_rnn.checks.outputs import close
from course_rnn.checks.rnn_cases import step_grads
from course_rnn.checks.rnn_mistakes import mistaken_backward


def backward_of_wrong_forward(run, forward_fn, time_limit: float) -> str:
    """One sentence on the backward of ``run``, whose forward is wrong."""
    if _right_formulas_at_your_states(run):
        return ("Your backward is right: it computes the right gradients for the states your "
                "forward produced, so it will pass once the forward is fixed.")
    return _own_forward_consistency(run, forward_fn, time_limit)


def _right_formulas_at_your_states(run) -> bool:
    states = run.h if run.sequence else run.h[None]
    grads = mistaken_backward(run.case, states=states)
    if not run.sequence:
        grads = step_grads(grads)
    return all(close(got, want) for got, want in zip(run.grads, grads))


def _own_forward_consistency(run, forward_fn, time_limit: float) -> str:
    """Compare the backward with central differences of the student's own forward."""
    case = run.case
    args = case.sequence_args() if run.sequence else case.step_args()
    return own_forward_agreement(
        forward_fn, args, {name: grad for (name, _), grad in zip(args, run.grads)},
        case.dh if run.sequence else case.dh[0], time_limit, outputs=("h",), precise=run.precise,
        disagrees="Your backward matches neither the right formulas at your forward's states "
                  "nor numerical gradients of your own forward (it disagrees in {off}), so "
                  "the backward needs work too once the forward is fixed.")
