r"""Check a student's greedy decoding and beam search against the package's, on small random
models.

``greedy_decode(step, state, bos, eos, max_len) -> (tokens, log_prob)`` is checked on the same
cases with a beam of width 1, by the same findings, against the package's greedy decoding.

``beam_search(step, state, bos, eos, beam_width, max_len) -> [(tokens, log_prob), ...]`` as in
:mod:`course_rnn.models.decoding`. On each case of
:func:`~course_rnn.checks.decoding_cases.decoding_cases` the check requires as many hypotheses
as the package's beam search returns, each a possible output (eos last if at all, at most
max_len tokens, bos excluded) scored by the sum of its tokens' log-probabilities, sorted best
first, with the same scores as the package's. Hypotheses of equal score may come in any order,
and where scores tie at the beam's edge any of them may be kept.

A failure is explained by what is visibly wrong with the hypotheses, then by the formula the
scores follow, then by a simulated search mistake that reproduces every case, then by their order
(:mod:`~course_rnn.checks.decoding_mistakes`).
"""

from __future__ import annotations

import dataclasses

from course_rnn.checks.decoding_cases import decoding_cases
from course_rnn.checks.decoding_mistakes import (
    SEARCH_MISTAKES,
    mistaken_beam_search,
    order_finding,
    read_hypotheses,
    read_pair,
    reference,
    same_hypotheses,
    score_finding,
    shape_finding,
)
from course_rnn.checks.outputs import Problem
from course_rnn.checks.report import Report, call_checked, never_raises, report_problem
from course_rnn.checks.results import Verdict
from course_rnn.models.decoding import greedy_decode

_TIES = ("The hypotheses of this test tie in score. Sorting tuples such as (score, state, "
         "tokens) compares the next entries when scores are equal, and arrays cannot be "
         "compared so: sort with a key, key=lambda h: h[1], or put a counter after the score.")


def _run(report, fn, case, time_limit):
    try:
        value = call_checked(report, fn, case.args(), "beam_search", time_limit)
        return read_hypotheses(value)
    except Problem as problem:
        if case.model.tied and "raised" in str(problem):
            raise Problem(f"{problem} {_TIES}") from None
        raise


@never_raises
def check_beam_search(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``beam_search(step, state, bos, eos, beam_width, max_len)``; print a
    pass line or hints. Never raises."""
    report = Report("beam_search")
    cases, observed = decoding_cases(), []
    for case in cases:
        try:
            found = _run(report, fn, case, time_limit)
        except Problem as problem:
            return report_problem(report, problem, case.title)
        want = reference(case)
        finding = shape_finding(found, case, want) or score_finding(found, case)
        if finding:
            return report.failed(f"fails on the test '{case.title}'.", finding)
        observed.append((case, found, want))
    wrong = [(case, found, want) for case, found, want in observed
             if not same_hypotheses(found, want)]
    if not wrong:
        return report.passed(f"the same best hypotheses as the package's beam_search on "
                             f"{len(cases)} small random models (an end token that is likely, "
                             "a beam wider than all outputs, width 1, scores that tie).")
    return report.failed(*_explain(observed, wrong))


def _explain(observed, wrong) -> tuple[str, ...]:
    case, found, want = wrong[0]
    headline = f"other hypotheses than the best ones on the test '{case.title}'."
    detail = (f"Your scores {[round(s, 4) for _, s in found]}, expected "
              f"{[round(s, 4) for _, s in want]} (the best: {want[0][0]}).")
    for mistake in SEARCH_MISTAKES:
        if all(same_hypotheses(found, mistaken_beam_search(case, **mistake.switches))
               for case, found, _ in observed):
            return headline, detail, f"It looks as if {mistake.message}"
    unsorted = order_finding(found)
    if unsorted:
        return f"fails on the test '{case.title}'.", unsorted
    right = [case.label for case, found, want in observed if same_hypotheses(found, want)]
    return headline, detail, (f"Right on: {', '.join(right) or 'none of the tests'}. At every "
                              "step expand each unfinished hypothesis by every token, carry "
                              "the finished ones, and keep the beam_width best by score.")


@never_raises
def check_greedy_decode(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``greedy_decode(step, state, bos, eos, max_len)``; print a pass line
    or hints. Never raises."""
    report = Report("greedy_decode")
    cases = [dataclasses.replace(case, beam_width=1) for case in decoding_cases()]
    for case in cases:
        args = [arg for arg in case.args() if arg[0] != "beam_width"]
        try:
            value = call_checked(report, fn, args, "greedy_decode", time_limit)
            if not isinstance(value, tuple | list) or len(value) != 2:
                raise Problem(f"greedy_decode returned {value!r:.60}; it returns one pair "
                              "(tokens, log_prob).")
            found = [read_pair(value, "greedy_decode")]
        except Problem as problem:
            return report_problem(report, problem, case.title)
        want = [greedy_decode(*(value for _, value in args))]
        finding = shape_finding(found, case, want) or score_finding(found, case)
        if not finding and found[0][0] != want[0][0]:
            finding = (f"it emitted {found[0][0]}, but the most likely token at each step gives "
                       f"{want[0][0]}: feed back np.argmax(log_probs) and step again from the "
                       "new state.")
        if finding:
            return report.failed(f"fails on the test '{case.title}'.", finding)
    return report.passed(f"the same tokens and log-probability as the package's greedy_decode "
                         f"on {len(cases)} small random models.")
