"""Checks for the forward-pass exercises: ``rnn_step_forward`` and ``rnn_forward``.

A check runs the student's function on every case of :mod:`~course_rnn.checks.rnn_cases` and
compares with the package's reference. When something is wrong it explains in three steps:
which output is off and by how much; which probes (ablations) it gets right, and what that
pattern points to; and which typical mistake, simulated in
:mod:`~course_rnn.checks.rnn_mistakes`, reproduces the student's numbers exactly.
"""

from __future__ import annotations

from course_rnn.checks.diagnosis import ablation_finding, batch_of_one_rule
from course_rnn.checks.diagnosis import matching_mistake as first_matching_mistake
from course_rnn.checks.outputs import Problem, as_array, mismatch, precision_note
from course_rnn.checks.report import Report, call_and_unpack, never_raises, report_problem
from course_rnn.checks.results import Verdict
from course_rnn.checks.rnn_cases import sequence_cases, step_cases
from course_rnn.checks.rnn_mistakes import FORWARD_MISTAKES, mistaken_forward, mistakes_for
from course_rnn.checks.stale_cache import overwritten_first_entry, stale_cache_message


@never_raises
def check_rnn_step_forward(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``rnn_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh) -> (h_next,
    cache)`` (tanh RNN, x (N, D), h_prev (N, H)); print a pass line or hints. Never raises.

    Returns a Verdict, true when ``h_next`` is right on every test case.
    """
    return _check_forward("rnn_step_forward", fn, sequence=False, time_limit=time_limit)


@never_raises
def check_rnn_forward(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``rnn_forward(x, h_init, W_ih, W_hh, b_ih, b_hh) -> (h, cache)`` with
    x (T, N, D) and h (T, N, H), every hidden state; print a pass line or hints. Never raises.

    Also fails a per-step cache whose entries later steps overwrote (see
    :mod:`~course_rnn.checks.stale_cache`): the backward pass of exercise 03 reads it.
    """
    return _check_forward("rnn_forward", fn, sequence=True, time_limit=time_limit)


def shape_hints(case, sequence: bool) -> dict:
    """Wrong shapes of the hidden state that betray a specific mistake."""
    T, N, _, H = case.sizes
    if sequence:
        return {(N, H): "that is one state; rnn_forward returns every state, h[t] for "
                        "t = 0, ..., T-1, stacked along the first axis.",
                (N, T, H): "batch and time are swapped; the data is time-major (T, N, ...)."}
    return {(H,): "the batch axis is missing; keep it even for a batch of one.",
            (H, N): "this is the column-vector layout; the code is row-major, one row per "
                    "example: h_next = tanh(x @ W_ih.T + h_prev @ W_hh.T + b_ih + b_hh)."}


def _check_forward(name: str, fn, sequence: bool, time_limit: float) -> Verdict:
    report = Report(name)
    out = "h" if sequence else "h_next"
    results = []  # (case, the student's output as float64, Mismatch)
    returned, caches = [], []  # the output as returned (its dtype), the cache
    for case in sequence_cases() if sequence else step_cases():
        args = case.sequence_args() if sequence else case.step_args()
        T, N, _, H = case.sizes
        try:
            h, cache = call_and_unpack(report, fn, args, name, (out, "cache"), time_limit)
            got = as_array(h, out, (T, N, H) if sequence else (N, H),
                           shape_hints(case, sequence))
        except Problem as problem:
            return report_problem(report, problem, case.title)
        want = case.reference()[0]
        results.append((case, got, mismatch(got, want if sequence else want[0])))
        returned.append(h)
        caches.append(cache)
    wrong = [(case, m) for case, _, m in results if not m.ok]
    if not wrong:
        stale = next((case for (case, _, _), cache in zip(results, caches)
                      if sequence and overwritten_first_entry(fn, case, cache, time_limit)),
                     None)
        if stale:
            headline, detail = stale_cache_message(name)
            return report.failed(headline, f"On the test '{stale.title}': {detail}")
        return report.passed(f"correct on {len(results)} tests ({_coverage(sequence)})."
                             + precision_note(returned))
    case, first = wrong[0]
    mistake = matching_mistake(results, sequence)
    details = [f"On the test '{case.title}', {first.describe(out)}.",
               *probe_findings(results, out, sequence, explained=mistake is not None)]
    if mistake:
        details.append(f"Most likely {mistake}")
    return report.failed(f"{out} is wrong on {len(wrong)} of {len(results)} tests.", *details)


def _coverage(sequence: bool) -> str:
    if sequence:
        return "T = 1 to 4, batches of 1 to 3, D ≠ H and D = H, h_init, W_hh or biases zero"
    return "batches of 1 to 3, D ≠ H and D = H, each term alone and all together"


def probe_findings(results, out: str, sequence: bool, explained: bool = False) -> list[str]:
    """What the pattern of right and wrong probes says (ablation analysis).

    ``explained``: a typical mistake reproduces the output, so a failure on every test needs
    no guess at its cause.
    """
    right = [case.label for case, _, m in results if m.ok]
    wrong = [case.label for case, _, m in results if not m.ok]
    h = "h_init" if sequence else "h_prev"
    if right:
        lines = [f"Right on: {', '.join(right)}; wrong on: {', '.join(wrong)}."]
    elif explained:
        lines = ["It is wrong on every test."]
    else:
        lines = [f"It is wrong on every test, {_everything_wrong(sequence)}"]
    rules = [
        batch_of_one_rule(f"Your {out} is"),
        (lambda c: c.sizes[0] == 1,
         f"Your {out} is right for a single time step but not for longer sequences: the state "
         "is not passed on correctly (step t starts from h[t - 1], and step 0 from h_init)."),
        (lambda c: "h_init" in c.zero,
         f"Your {out} matches when {h} = 0 but not otherwise: " +
         ("the initial state h_init is probably not used, or the recurrent term is wrong."
          if sequence else
          "the recurrent term h_prev @ W_hh.T is probably missing or transposed.")),
        (lambda c: "W_hh" in c.zero,
         f"Your {out} matches when W_hh = 0, which makes the steps independent, but not "
         "otherwise: the recurrent term h_prev @ W_hh.T, or the state passed between steps, "
         "is wrong."),
        (lambda c: "b_ih" in c.zero, f"Your {out} matches whenever b_ih = 0: b_ih is probably "
                                     "missing or added in the wrong place."),
        (lambda c: "b_hh" in c.zero, f"Your {out} matches whenever b_hh = 0: b_hh is probably "
                                     "missing or added in the wrong place."),
        (lambda c: "x" in c.zero, f"Your {out} matches when x = 0 but not otherwise: the input "
                                  "term x @ W_ih.T is probably wrong."),
    ]
    finding = ablation_finding({case: m.ok for case, _, m in results}, rules)
    if finding:
        lines.append(finding)
    return lines


def _everything_wrong(sequence: bool) -> str:
    if sequence:
        return ("even a single time step: make sure the step itself is right "
                "(check_rnn_step_forward), then look at what the loop stores: h[t] is the "
                "state after reading x[t].")
    return ("even with only one term nonzero: check the nonlinearity (tanh) and how the terms "
            "are combined: h_next = tanh(x @ W_ih.T + h_prev @ W_hh.T + b_ih + b_hh).")


def matching_mistake(results, sequence: bool) -> str | None:
    """The message of the first typical mistake that reproduces every output of the student."""
    def simulate(case, **switches):
        h = mistaken_forward(case, **switches)
        return (h if sequence else h[0],)

    return first_matching_mistake([(case, (got,)) for case, got, _ in results],
                                  mistakes_for(FORWARD_MISTAKES, sequence), simulate)
