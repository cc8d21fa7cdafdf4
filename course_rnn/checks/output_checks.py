"""Checks for the output layer and the loss of the character model.

``check_output_forward`` and ``check_output_backward`` grade ``z = h @ V.T + c`` and its
gradients against the package's ``Linear`` layer; ``check_softmax_cross_entropy`` grades the mean
cross-entropy and its gradient against the package's ``softmax_cross_entropy``. The cases and the
typical mistakes are in :mod:`~course_rnn.checks.output_mistakes`. As for the RNN, a backward is
checked together with the forward that made its cache, and when that forward is wrong the
backward is compared with numerical gradients of the student's own forward instead.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from course_rnn.checks.diagnosis import (
    Outcome,
    own_forward_agreement,
    report_outcomes,
    scale_hint,
)
from course_rnn.checks.output_mistakes import (
    LARGE,
    LOSS_MISTAKES,
    OUTPUT_BACKWARD_MISTAKES,
    OUTPUT_FORWARD_MISTAKES,
    loss_cases,
    mistaken_loss,
    mistaken_output_backward,
    mistaken_output_forward,
    output_backward_hints,
    output_cases,
    output_forward_hints,
)
from course_rnn.checks.outputs import Problem, as_array, mismatch
from course_rnn.checks.report import (
    Report,
    call_and_unpack,
    never_raises,
    report_forward_problem,
    report_problem,
)
from course_rnn.checks.results import Verdict

GRAD_NAMES = ("dh", "dV", "dc")


@never_raises
def check_output_forward(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``output_forward(h, V, c) -> (z, cache)``: scores z (T, N, K) of every
    state h (T, N, H) under V (K, H) and c (K,); print a pass line or hints. Never raises."""
    report = Report("output_forward")
    outcomes, returned = [], []
    for case in output_cases():
        try:
            z, _, raw = _scores(report, fn, case, time_limit)
        except Problem as problem:
            return report_problem(report, problem, case.title)
        outcomes.append(Outcome(case, ("z",), (z,), (case.reference()[0],)))
        returned.append(raw)
    return report_outcomes(report, outcomes, f"correct on {len(outcomes)} tests (K ≠ H and "
                           "K = H, batches of 1 to 3, one step and four, c = 0).",
                           OUTPUT_FORWARD_MISTAKES, mistaken_output_forward, returned=returned)


def _scores(report, fn, case, time_limit) -> tuple[np.ndarray, object, object]:
    """The student's scores z (T, N, K), validated, the cache that came with them, and z as
    returned (its dtype)."""
    T, N, _, K = case.sizes
    z, cache = call_and_unpack(report, fn, case.args(), "output_forward", ("z", "cache"),
                               time_limit)
    return as_array(z, "z", (T, N, K), output_forward_hints(case)), cache, z


@never_raises
def check_output_backward(forward_fn, backward_fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``output_backward(dz, cache) -> (dh, dV, dc)`` together with the
    ``output_forward`` that made the cache; print a pass line or hints. Never raises."""
    report = Report("output_backward")
    outcomes, returned = [], []
    for case in output_cases()[:4]:
        try:
            z, cache, raw_z = _scores(report, forward_fn, case, time_limit)
        except Problem as problem:
            return report_forward_problem(report, problem, "output_forward", case.title)
        want_z, want = case.reference()
        forward_error = mismatch(z, want_z)
        try:
            grads = call_and_unpack(report, backward_fn, [("dz", case.dz), ("cache", cache)],
                                    "output_backward", GRAD_NAMES, time_limit)
            returned += list(grads)
            hints = output_backward_hints(case)
            grads = tuple(as_array(g, n, w.shape, hints.get(n))
                          for g, n, w in zip(grads, GRAD_NAMES, want))
        except Problem as problem:
            if forward_error.ok:
                return report_problem(report, problem, case.title)
            return report.failed(
                "your output_forward is wrong, and the backward fails too.",
                f"On the test '{case.title}', {forward_error.describe('z')}. "
                "check_output_forward(...) says what is wrong with it.", str(problem))
        if not forward_error.ok:
            precise = getattr(raw_z, "dtype", np.float64) == np.float64  # else wider steps
            agreement = own_forward_agreement(forward_fn, case.args(), dict(zip("hVc", grads)),
                                              case.dz, time_limit, precise=precise)
            return report.failed(
                "your output_forward is wrong, so its gradients cannot be right either.",
                f"On the test '{case.title}', {forward_error.describe('z')}. "
                "check_output_forward(...) says what is wrong with it.", agreement)
        outcomes.append(Outcome(case, GRAD_NAMES, grads, want))
    failing = next((outcome for outcome in outcomes if not outcome.ok), None)
    scale_hints = [] if failing is None else [
        scale_hint(name, failing.got[i], failing.want[i])
        for i, name in enumerate(GRAD_NAMES) if not failing.mismatches[i].ok]
    return report_outcomes(report, outcomes, f"dh, dV and dc correct on {len(outcomes)} tests "
                           "(K ≠ H and K = H, batches of 1 to 3, one step and four).",
                           OUTPUT_BACKWARD_MISTAKES, mistaken_output_backward, scale_hints,
                           returned)


@never_raises
def check_softmax_cross_entropy(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``softmax_cross_entropy(logits, targets) -> (loss, dlogits)``: the mean
    cross-entropy over the N*T positions of logits (N, T, K) with integer targets (N, T), and its
    gradient (N, T, K); print a pass line or hints. Never raises."""
    report = Report("softmax_cross_entropy")
    outcomes, returned = [], []
    for case in loss_cases():
        try:
            loss, dlogits = call_and_unpack(report, fn, case.args(), "softmax_cross_entropy",
                                            ("loss", "dlogits"), time_limit)
            returned += [loss, dlogits]
            got = (as_array(loss, "loss", ()), as_array(dlogits, "dlogits", case.logits.shape))
        except Problem as problem:
            if case.label == LARGE and "NaN/inf" in str(problem):
                return report.failed(f"fails on the test '{case.title}': {problem}",
                                     _large_scores_hint(report, fn, case, time_limit))
            return report_problem(report, problem, case.title)
        outcomes.append(Outcome(case, ("loss", "dlogits"), got, case.reference()))
    return report_outcomes(report, outcomes, f"loss and dlogits correct on {len(outcomes)} tests "
                           "(batches of 1 and 3, one step and four, scores near 1000).",
                           LOSS_MISTAKES, mistaken_loss, returned=returned)


def _large_scores_hint(report: Report, fn, case, time_limit: float) -> str:
    """Why scores near 1000 gave NaN or inf: exp overflowed, or a probability underflowed.

    Scores near 1000 that lie close together tell the two apart: exp(1000) overflows without
    the shift, but no probability is near 0 to underflow.
    """
    close_together = replace(case, logits=1000.0 + case.logits / 1000.0)
    try:
        loss, dlogits = call_and_unpack(report, fn, close_together.args(),
                                        "softmax_cross_entropy", ("loss", "dlogits"), time_limit)
        as_array(loss, "loss", ())
        as_array(dlogits, "dlogits", case.logits.shape)
    except Problem:
        return ("Scores near 1000 overflow exp (exp(710) is already inf in float64). Subtract "
                "each position's largest score before exponentiating: softmax and log-softmax "
                "do not change when every score moves by the same amount, "
                "z - z.max(axis=-1, keepdims=True).")
    return ("Your function copes with large scores close together, but not with scores far "
            "apart: a probability underflowed to 0 (e**-1000 is 0 in float64) before its log "
            "was taken. Compute log o directly, as the shifted scores minus the log of the sum "
            "of their exponentials (log-softmax), instead of the log of the softmax.")
