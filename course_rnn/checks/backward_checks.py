"""Checks for the backward-pass exercises: ``rnn_step_backward`` and ``rnn_backward``.

A backward pass is only as right as the forward it differentiates, so each check takes both of
the student's functions. It runs the student's forward (whose cache may hold anything) and then
the backward, and compares with the package's reference. When the forward itself is wrong, the
check says so, and tells whether the backward at least matches numerical gradients (central
differences) of the student's *own* forward, so that a forward bug is never reported as a
backward one. When only the backward is wrong, it names the wrong gradients and the typical
mistake, simulated in :mod:`~course_rnn.checks.rnn_mistakes`, that reproduces them.
"""

from __future__ import annotations

import numpy as np

from course_rnn.checks.diagnosis import NUMERICAL_BUDGET_S, own_forward_agreement, scale_hint
from course_rnn.checks.forward_checks import shape_hints
from course_rnn.checks.outputs import Problem, as_array, close, mismatch
from course_rnn.checks.report import (
    NotImplementedYet,
    Report,
    call_and_unpack,
    never_raises,
    problem_details,
)
from course_rnn.checks.rnn_cases import sequence_cases, step_cases
from course_rnn.checks.rnn_mistakes import BACKWARD_MISTAKES, mistaken_backward, mistakes_for


@never_raises
def check_rnn_step_backward(forward_fn, backward_fn, *, time_limit: float = 5.0) -> bool:
    """Check a student's ``rnn_step_backward(dh_next, cache) -> (dx, dh_prev, dW_ih, dW_hh,
    db_ih, db_hh)`` together with the ``rnn_step_forward`` that made the cache. Never raises.
    """
    return _check_backward("rnn_step_backward", forward_fn, backward_fn, False, time_limit)


@never_raises
def check_rnn_backward(forward_fn, backward_fn, *, time_limit: float = 5.0) -> bool:
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


class _Run:
    """One case: the student's forward output and gradients, and the reference."""

    def __init__(self, case, h, grads, sequence, precise):
        self.case, self.h, self.grads, self.precise = case, h, grads, precise
        self.want_h, self.want = self.reference(case, sequence)
        self.forward = mismatch(h, self.want_h)
        self.backward = [mismatch(g, w) for g, w in zip(grads, self.want)]

    @staticmethod
    def reference(case, sequence: bool):
        """The package's output and six gradients, shaped for a step or a sequence check."""
        h, grads = case.reference()
        return (h, grads) if sequence else (h[0], (grads[0][0], *grads[1:]))

    @property
    def ok(self) -> bool:
        return self.forward.ok and all(m.ok for m in self.backward)


def _check_backward(name, forward_fn, backward_fn, sequence, time_limit) -> bool:
    report = Report(name)
    inputs, out = _names(sequence)
    grad_names = tuple("d" + n for n in inputs)
    forward_name = name.replace("backward", "forward")
    cases = sequence_cases()[:4] if sequence else step_cases()[:3]
    runs = []
    for case in cases:
        args = case.sequence_args() if sequence else case.step_args()
        T, N, D, H = case.sizes
        try:
            h, cache = call_and_unpack(report, forward_fn, args, f"your {forward_name}",
                                       (out, "cache"), time_limit)
            precise = getattr(h, "dtype", np.float64) == np.float64  # else finite differences
            h = as_array(h, out, (T, N, H) if sequence else (N, H), shape_hints(case, sequence))
        except Problem as problem:
            _, detail = problem_details(problem, case.title)
            status = ("is not implemented yet." if isinstance(problem, NotImplementedYet)
                      else f"fails on the test '{case.title}'.")
            return report.failed(f"your {forward_name} {status}", detail,
                                 f"Fix it first: check_{forward_name}(...) gives hints.")
        dh = case.dh if sequence else case.dh[0]
        shapes = [value.shape for _, value in args]
        try:
            grads = call_and_unpack(report, backward_fn, [("dh", dh), ("cache", cache)], name,
                                    grad_names, time_limit)
            grads = [as_array(g, n, s, _grad_hints(n, case, sequence))
                     for g, n, s in zip(grads, grad_names, shapes)]
        except Problem as problem:
            forward_error = mismatch(h, _Run.reference(case, sequence)[0])
            if forward_error.ok:
                return report.failed(*problem_details(problem, case.title))
            return report.failed(
                f"your {forward_name} is wrong, and the backward fails too.",
                f"On the test '{case.title}', {forward_error.describe(out)}. "
                f"check_{forward_name}(...) says what is wrong with it.", str(problem))
        runs.append(_Run(case, h, grads, sequence, precise))
    failing = [run for run in runs if not run.ok]
    if not failing:
        return report.passed(f"all six gradients correct on {len(runs)} tests "
                             f"({'T = 1 to 4, ' if sequence else ''}batches of 1 to 3, "
                             "D ≠ H and D = H).")
    run = failing[0]
    if not run.forward.ok:
        return report.failed(
            f"your {forward_name} is wrong, so its gradients cannot be right either.",
            f"On the test '{run.case.title}', {run.forward.describe(out)}. "
            f"check_{forward_name}(...) says what is wrong with it.",
            _own_forward_consistency(run, forward_fn, sequence, time_limit))
    wrong = [(n, m) for n, m in zip(grad_names, run.backward) if not m.ok]
    details = [f"On the test '{run.case.title}':"]
    details += [f"{m.describe(n)}." for n, m in wrong[:3]]
    if len(wrong) > 3:
        details.append(f"... and {', '.join(n for n, _ in wrong[3:])} too.")
    details += _likely_mistakes(run, grad_names, sequence)
    details += _probe_findings(runs, sequence)
    return report.failed(f"{', '.join(n for n, _ in wrong)} "
                         f"{'is' if len(wrong) == 1 else 'are'} wrong "
                         f"(your {forward_name} is right).", *details)


def _likely_mistakes(run: _Run, grad_names, sequence: bool) -> list[str]:
    """For every wrong gradient, the typical mistake that reproduces it (or its scale)."""
    simulated = {}
    found = []
    for i, name in enumerate(grad_names):
        if run.backward[i].ok:
            continue
        message = None
        for mistake in mistakes_for(BACKWARD_MISTAKES, sequence):
            if mistake.message not in simulated:
                simulated[mistake.message] = _simulate(run.case, mistake, sequence)
            grads = simulated[mistake.message]
            guess = None if grads is None else grads[i]
            if guess is not None and close(run.grads[i], guess) \
                    and not close(guess, run.want[i]):
                message = f"Most likely {mistake.message}"
                break
        message = message or scale_hint(name, run.grads[i], run.want[i])
        if message and message not in found:
            found.append(message)
    return found


def _simulate(case, mistake, sequence: bool):
    try:
        grads = mistaken_backward(case, **mistake.switches)
    except ValueError:  # shapes that do not fit: the student would have seen an error
        return None
    return grads if sequence else (grads[0][0], *grads[1:])


def _probe_findings(runs, sequence: bool) -> list[str]:
    def all_right(pick):
        chosen = [run for run in runs if pick(run.case)]
        others = [run for run in runs if not pick(run.case)]
        return chosen and all(r.ok for r in chosen) and not all(r.ok for r in others)

    if all_right(lambda c: c.sizes[1] == 1):
        return ["Your gradients are right for a batch of one but not for larger batches: the "
                "weight and bias gradients sum over the batch, and every other gradient is "
                "computed row by row."]
    if sequence and all_right(lambda c: c.sizes[0] == 1):
        return ["Your gradients are right for one time step but not for longer sequences: "
                "look at what flows between steps (dh_next into step t - 1, added to dh[t - 1]) "
                "and at the sums over time of the weight gradients."]
    return []


def _own_forward_consistency(run: _Run, forward_fn, sequence, time_limit) -> str:
    """Compare the backward with central differences of the student's own forward."""
    case = run.case
    args = case.sequence_args() if sequence else case.step_args()
    return own_forward_agreement(forward_fn, args, dict(zip((n for n, _ in args), run.grads)),
                                 case.dh if sequence else case.dh[0], time_limit, output="h",
                                 precise=run.precise,
                                 budget_s=NUMERICAL_BUDGET_S)  # read here: tests patch it
