"""Checks for the backward-pass exercises: ``rnn_step_backward`` and ``rnn_backward``.

A backward pass is only as right as the forward it differentiates and the cache it reads, so
each check takes both of the student's functions. It runs the student's forward (whose cache
may hold anything) and then the backward, and compares with the package's reference. The
verdict names what is wrong, and only that:

- the forward: then :mod:`~course_rnn.checks.forward_blame` says whether the backward is right
  anyway (right formulas at the forward's states, or consistent with its numerical gradients);
- the cache: a right forward whose cache later steps overwrote
  (:mod:`~course_rnn.checks.stale_cache`);
- the backward: :mod:`~course_rnn.checks.backward_diagnosis` names the wrong gradients and the
  typical mistake, simulated in :mod:`~course_rnn.checks.rnn_mistakes`, that reproduces them.
"""

from __future__ import annotations

import numpy as np

from course_rnn.checks.backward_diagnosis import likely_mistakes, probe_findings
from course_rnn.checks.forward_blame import backward_of_wrong_forward
from course_rnn.checks.forward_checks import shape_hints
from course_rnn.checks.outputs import Problem, as_array, mismatch, precision_note
from course_rnn.checks.report import (
    Report,
    call_and_unpack,
    never_raises,
    report_forward_problem,
    report_problem,
)
from course_rnn.checks.results import Verdict
from course_rnn.checks.rnn_cases import sequence_cases, step_cases, step_grads
from course_rnn.checks.stale_cache import overwritten_first_entry, stale_cache_message


@never_raises
def check_rnn_step_backward(forward_fn, backward_fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``rnn_step_backward(dh_next, cache) -> (dx, dh_prev, dW_ih, dW_hh,
    db_ih, db_hh)`` together with the ``rnn_step_forward`` that made the cache. Never raises.
    """
    return _check_backward("rnn_step_backward", forward_fn, backward_fn, False, time_limit)


@never_raises
def check_rnn_backward(forward_fn, backward_fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``rnn_backward(dh, cache) -> (dx, dh_init, dW_ih, dW_hh, db_ih, db_hh)``
    (dh (T, N, H): the loss gradient at every state) with the ``rnn_forward`` that made the
    cache. Never raises.
    """
    return _check_backward("rnn_backward", forward_fn, backward_fn, True, time_limit)


def _names(sequence: bool):
    state = "h_init" if sequence else "h_prev"
    return ("x", state, "W_ih", "W_hh", "b_ih", "b_hh"), ("h" if sequence else "h_next")


def _grad_hints(name: str, case, sequence: bool) -> dict:
    T, N, D, H = case.sizes
    if name.startswith("db"):
        summed = "sum over time and the batch" if sequence else "sum over the batch"
        return {(N, H): f"{summed}: db = da.sum(axis=0)" + (" over all steps." if sequence
                                                            else "."),
                (T, N, H): f"{summed}.", (1, H): "it should be a vector of shape (H,).",
                (T, H): "sum over time as well: every step adds to the bias gradient."}
    if name == "dW_ih":
        return {(D, H): "it looks transposed: dW_ih = da.T @ x has W_ih's shape (H, D)."}
    if name == "dx":
        return {(N, H): "dx has the shape of x: dx = da @ W_ih."}
    return {}


class Run:
    """One case: the student's forward output, cache and gradients, and the reference."""

    def __init__(self, case, h, cache, grads, sequence, precise):
        self.case, self.h, self.cache, self.grads = case, h, cache, grads
        self.sequence, self.precise = sequence, precise
        self.want_h, self.want = self.reference(case, sequence)
        self.forward = mismatch(h, self.want_h)
        self.backward = [mismatch(g, w) for g, w in zip(grads, self.want)]

    @staticmethod
    def reference(case, sequence: bool):
        """The package's output and six gradients, shaped for a step or a sequence check."""
        h, grads = case.reference()
        return (h, grads) if sequence else (h[0], step_grads(grads))

    @property
    def ok(self) -> bool:
        return self.forward.ok and all(m.ok for m in self.backward)


def _check_backward(name, forward_fn, backward_fn, sequence, time_limit) -> Verdict:
    report = Report(name)
    inputs, out = _names(sequence)
    grad_names = tuple("d" + n for n in inputs)
    forward_name = name.replace("backward", "forward")
    cases = sequence_cases()[:4] if sequence else step_cases()[:3]
    runs, returned = [], []
    for case in cases:
        args = case.sequence_args() if sequence else case.step_args()
        T, N, D, H = case.sizes
        try:
            h, cache = call_and_unpack(report, forward_fn, args, forward_name,
                                       (out, "cache"), time_limit)
            precise = getattr(h, "dtype", np.float64) == np.float64  # else finite differences
            h = as_array(h, out, (T, N, H) if sequence else (N, H), shape_hints(case, sequence))
        except Problem as problem:
            return report_forward_problem(report, problem, forward_name, case.title)
        dh = case.dh if sequence else case.dh[0]
        shapes = [value.shape for _, value in args]
        try:
            grads = call_and_unpack(report, backward_fn, [("dh", dh), ("cache", cache)], name,
                                    grad_names, time_limit)
            returned += list(grads)
            grads = [as_array(g, n, s, _grad_hints(n, case, sequence))
                     for g, n, s in zip(grads, grad_names, shapes)]
        except Problem as problem:
            forward_error = mismatch(h, Run.reference(case, sequence)[0])
            if forward_error.ok:
                return report_problem(report, problem, case.title)
            return report.failed(
                f"your {forward_name} is wrong, and the backward fails too.",
                f"On the test '{case.title}', {forward_error.describe(out)}. "
                f"check_{forward_name}(...) says what is wrong with it.", str(problem))
        runs.append(Run(case, h, cache, grads, sequence, precise))
    failing = [run for run in runs if not run.ok]
    if not failing:
        return report.passed(f"all six gradients correct on {len(runs)} tests "
                             f"({'T = 1 to 4, ' if sequence else ''}batches of 1 to 3, "
                             "D ≠ H and D = H)." + precision_note(returned))
    run = failing[0]
    if not run.forward.ok:
        return report.failed(
            f"your {forward_name} is wrong, so its gradients cannot be checked yet.",
            f"On the test '{run.case.title}', {run.forward.describe(out)}. "
            f"check_{forward_name}(...) says what is wrong with it.",
            backward_of_wrong_forward(run, forward_fn, time_limit))
    if sequence and overwritten_first_entry(forward_fn, run.case, run.cache, time_limit):
        headline, detail = stale_cache_message(forward_name)
        return report.failed(headline, detail)
    wrong = [(n, m) for n, m in zip(grad_names, run.backward) if not m.ok]
    details = [f"On the test '{run.case.title}':"]
    details += [f"{m.describe(n)}." for n, m in wrong[:3]]
    if len(wrong) > 3:
        details.append(f"... and {', '.join(n for n, _ in wrong[3:])} too.")
    details += likely_mistakes(run, grad_names)
    details += probe_findings(runs, sequence)
    return report.failed(f"{', '.join(n for n, _ in wrong)} "
                         f"{'is' if len(wrong) == 1 else 'are'} wrong "
                         f"(your {forward_name} is right).", *details)
