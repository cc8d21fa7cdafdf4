"""One way to check a forward function and the backward that reads its cache, for any exercise
described by a :class:`PairedExercise`: an LSTM or GRU step, additive attention.

- :func:`grade_forward` runs the student's forward on every forward case, says which output is
  off and by how much, which cases come out right, and which typical mistake reproduces every
  output (:func:`~course_rnn.checks.diagnosis.report_outcomes`);
- :func:`grade_backward` runs the student's forward, hands its cache (of any type) to the
  student's backward and compares the gradients. A wrong forward is blamed, and the backward
  judged against numerical gradients of that forward
  (:func:`~course_rnn.checks.diagnosis.own_forward_agreement`); a wrong backward gets, for
  every wrong gradient, the mistake that reproduces it
  (:func:`~course_rnn.checks.diagnosis.mistakes_per_gradient`).

Neither raises, whatever the student's functions do (:mod:`~course_rnn.checks.report`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from course_rnn.checks.diagnosis import (
    Outcome,
    ablation_finding,
    mistakes_per_gradient,
    own_forward_agreement,
    report_outcomes,
)
from course_rnn.checks.outputs import Problem, as_array, precision_note, unpack
from course_rnn.checks.report import (
    Report,
    call_and_unpack,
    call_checked,
    report_forward_problem,
    report_problem,
)
from course_rnn.checks.results import Verdict
from course_rnn.checks.rnn_mistakes import Mistake


class PairedExercise:
    """What the checks of a forward and its backward need to know about the exercise.

    A case has ``args`` (the forward's (name, value) arguments, in order), ``upstream`` (the
    backward's (name, value) upstream gradients, in order), a ``label`` and a ``title``. The
    backward returns the gradient ``d<name>`` of the forward's argument ``<name>`` for every
    name in ``grad_names``. Subclasses (dataclasses) set the attributes and write the methods
    that raise NotImplementedError here.
    """

    forward_name: str
    backward_name: str
    outputs: tuple[str, ...]      # what the forward returns before its cache
    grad_names: tuple[str, ...]   # what the backward returns
    forward_mistakes: Sequence[Mistake]
    backward_mistakes: Sequence[Mistake]
    simulate_forward: Callable    # (case, **switches) -> outputs
    simulate_backward: Callable   # (case, **switches) -> gradients
    backward_cause: str           # when every gradient is wrong and no mistake explains any
    cache_optional: bool = False  # a forward-only exercise: the cache may be left out
    check_name: str = ""          # the check's name less check_, where not the forward's name

    def forward_cases(self) -> list:
        raise NotImplementedError

    def backward_cases(self) -> list:
        raise NotImplementedError

    def reference(self, case) -> tuple[tuple, tuple]:
        """The package's outputs and gradients on ``case``."""
        raise NotImplementedError

    def output_shape(self, name: str, case) -> tuple[int, ...]:
        raise NotImplementedError

    def output_hints(self, name: str, case) -> dict:
        """Wrong shapes of an output that betray a specific mistake, with a sentence each."""
        return {}

    def grad_hints(self, name: str, case) -> dict:
        """Wrong shapes of a gradient that betray a specific mistake, with a sentence each."""
        return {}

    def forward_summary(self, count: int) -> str:
        """The pass line of the forward check, after ``count`` tests."""
        raise NotImplementedError

    def forward_findings(self, outcomes: Sequence[Outcome]) -> list[str | None]:
        """Sentences for a forward failure that no typical mistake explains."""
        return []

    def backward_rules(self) -> list[tuple[Callable, str]]:
        """Rules (case -> bool, message) for :func:`~course_rnn.checks.diagnosis.ablation_finding`
        on the backward cases."""
        return []

    def backward_findings(self, failing: Sequence[Outcome]) -> list[str]:
        """Sentences on the failing backward runs beyond the mistakes that reproduce them."""
        return []

    def upstream(self, case):
        """The upstream gradient of each output of the forward, for numerical gradients."""
        return tuple(value for _, value in case.upstream)

    def explain(self, problem: Problem, case) -> Problem:
        """``problem`` with a sentence on what it means on ``case``, where one helps."""
        return problem


def run_forward(report: Report, spec: PairedExercise, fn, case, time_limit: float):
    """The student's outputs as float64 arrays, as returned (their dtype), and the cache (None
    where ``spec.cache_optional`` and the forward returned its outputs alone); raises Problem."""
    value = call_checked(report, fn, list(case.args), spec.forward_name, time_limit)
    if spec.cache_optional:
        value = with_cache(value, len(spec.outputs))
    *values, cache = unpack(value, (*spec.outputs, "cache"), spec.forward_name)
    got = tuple(as_array(value, name, spec.output_shape(name, case), spec.output_hints(name, case))
                for value, name in zip(values, spec.outputs))
    return got, values, cache


def with_cache(value, outputs: int):
    """A forward's result as (*outputs, cache), adding cache=None where it was left out: a
    single array (or tensor) for one output, or a tuple of the outputs alone."""
    if outputs == 1 and hasattr(value, "shape"):
        return value, None
    if isinstance(value, tuple | list) and len(value) == outputs:
        return (*value, None)
    return value


def grade_forward(spec: PairedExercise, fn, time_limit: float) -> Verdict:
    """Check the student's forward; print a pass line or hints."""
    report = Report(spec.check_name or spec.forward_name)
    outcomes, returned = [], []
    for case in spec.forward_cases():
        try:
            got, values, _ = run_forward(report, spec, fn, case, time_limit)
        except Problem as problem:
            if all(outcome.ok for outcome in outcomes):
                return report_problem(report, spec.explain(problem, case), case.title)
            # the earlier cases' wrong numbers say more than this case's failure
            return report_outcomes(report, outcomes, "", spec.forward_mistakes,
                                   spec.simulate_forward, spec.forward_findings(outcomes),
                                   extra=[f"On the test '{case.title}': "
                                          f"{spec.explain(problem, case)}"])
        outcomes.append(Outcome(case, spec.outputs, got, spec.reference(case)[0]))
        returned += values
    return report_outcomes(report, outcomes, spec.forward_summary(len(outcomes)),
                           spec.forward_mistakes, spec.simulate_forward,
                           spec.forward_findings(outcomes), returned)


def grade_backward(spec: PairedExercise, forward_fn, backward_fn, time_limit: float) -> Verdict:
    """Check the student's backward on the caches of the student's own forward; print a pass
    line or hints."""
    name, forward_name = spec.backward_name, spec.forward_name
    report = Report(name)
    fix_forward = f"check_{forward_name}(...) says what is wrong with it."
    runs, returned = [], []
    for case in spec.backward_cases():
        want_outputs, want_grads = spec.reference(case)
        try:
            got, values, cache = run_forward(report, spec, forward_fn, case, time_limit)
        except Problem as problem:
            return report_forward_problem(report, spec.explain(problem, case), forward_name,
                                          case.title)
        forward = Outcome(case, spec.outputs, got, want_outputs)
        wrong_forward = "; ".join(m.describe(n) for n, m in forward.wrong())
        try:
            grads = call_and_unpack(report, backward_fn, [*case.upstream, ("cache", cache)],
                                    name, spec.grad_names, time_limit)
            returned += grads
            grads = tuple(as_array(g, n, w.shape, spec.grad_hints(n, case))
                          for g, n, w in zip(grads, spec.grad_names, want_grads))
        except Problem as problem:
            if forward.ok and not all(run.ok for run in runs):
                return _report_backward(report, spec, runs, returned,
                                        [f"On the test '{case.title}': {problem}"])
            if forward.ok:
                return report_problem(report, problem, case.title)
            return report.failed(f"your {forward_name} is wrong, and the backward fails too.",
                                 f"On the test '{case.title}', {wrong_forward}. {fix_forward}",
                                 str(problem))
        if not forward.ok:
            precise = all(getattr(v, "dtype", np.float64) == np.float64 for v in values)
            agreement = own_forward_agreement(
                forward_fn, list(case.args),
                dict(zip((n.removeprefix("d") for n in spec.grad_names), grads)),
                spec.upstream(case), time_limit, outputs=spec.outputs, precise=precise)
            return report.failed(f"your {forward_name} is wrong, so its gradients cannot be "
                                 "checked yet.",
                                 f"On the test '{case.title}', {wrong_forward}. {fix_forward}",
                                 agreement)
        runs.append(Outcome(case, spec.grad_names, grads, want_grads))
    return _report_backward(report, spec, runs, returned)


def _report_backward(report: Report, spec: PairedExercise, runs: Sequence[Outcome],
                     returned: list, extra: Sequence[str] = ()) -> Verdict:
    """The pass line, or what is wrong on the first failing run and why; ``extra`` sentences
    close a failure."""
    failing = [run for run in runs if not run.ok]
    if not failing:
        return report.passed(f"all {len(spec.grad_names)} gradients correct on {len(runs)} "
                             f"tests ({', '.join(run.case.label for run in runs)})."
                             + precision_note(returned))
    run = failing[0]
    wrong = run.wrong()
    details = [f"On the test '{run.case.title}':", *(f"{m.describe(n)}." for n, m in wrong[:3])]
    if len(wrong) > 3:
        details.append(f"... and {', '.join(n for n, _ in wrong[3:])} too.")
    details += mistakes_per_gradient(run.case, run.got, run.want, spec.grad_names,
                                     spec.backward_mistakes, spec.simulate_backward,
                                     spec.backward_cause)
    details += spec.backward_findings(failing)
    finding = ablation_finding({r.case: r.ok for r in runs}, spec.backward_rules())
    details += [finding] if finding else []
    details += extra
    names = [n for n, _ in wrong]
    return report.failed(f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} wrong "
                         f"(your {spec.forward_name} is right).", *details)
