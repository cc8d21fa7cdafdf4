"""When the forward is wrong, is the backward right anyway? Two honest tests.

A wrong forward makes every gradient differ from the reference, so comparing the backward with
the reference says nothing about the backward. Two comparisons do:

1. the right formulas applied to the states the student's forward produced (what a correct
   backward computes from the student's cache). A backward that matches them is right, whatever
   the forward does: e.g. a forward that forgets b_hh, with a backward that returns db_hh;
2. central differences of the student's own forward. A backward that matches them is
   consistent with the forward; it was written for the same (wrong) computation.
"""

from __future__ import annotations

import time

import numpy as np

from course_rnn.checks.outputs import Problem, close
from course_rnn.checks.report import Report, call_and_unpack
from course_rnn.checks.rnn_mistakes import mistaken_backward
from course_rnn.gradcheck import numerical_gradient, relative_error

NUMERICAL_BUDGET_S = 20.0  # central differences call the forward twice per input entry


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
        grads = (grads[0][0], *grads[1:])
    return all(close(got, want) for got, want in zip(run.grads, grads))


def _own_forward_consistency(run, forward_fn, time_limit: float) -> str:
    """Compare the backward with central differences of the student's own forward."""
    case = run.case
    args = [(n, np.array(v, dtype=np.float64))
            for n, v in (case.sequence_args() if run.sequence else case.step_args())]
    probe = Report("numerical gradient")  # collects printed lines; never shown
    upstream = case.dh if run.sequence else case.dh[0]

    def forward():
        return np.asarray(call_and_unpack(probe, forward_fn, args, "your forward",
                                          ("h", "cache"), time_limit)[0], dtype=np.float64)

    calls = 2 * sum(array.size for _, array in args)
    try:
        started = time.perf_counter()
        forward()
        seconds = calls * (time.perf_counter() - started)
        if seconds > NUMERICAL_BUDGET_S:
            return (f"(Numerical gradients of your forward were skipped: {calls} calls would "
                    f"take about {seconds:.0f} s.)")
        errors = {}
        for (name, array), grad in zip(args, run.grads):
            numerical = numerical_gradient(forward, array, upstream,
                                           eps=1e-6 if run.precise else 1e-3)
            errors["d" + name] = relative_error(grad, numerical)
    except Problem as problem:
        return f"(Numerical gradients of your forward could not be computed: {problem})"
    limit = 1e-5 if run.precise else 1e-2
    off = [name for name, error in errors.items() if error > limit]
    if not off:
        return ("Your backward does match numerical gradients of your own forward, so it is "
                "consistent with it: fix the forward, then check again.")
    return ("Your backward matches neither the right formulas at your forward's states nor "
            f"numerical gradients of your own forward (it disagrees in {', '.join(off)}), so "
            "the backward needs work too once the forward is fixed.")
