"""How a check talks to the student: one line for a pass, a short explanation for a failure,
and one line naming the function it waits for while that function is still a stub.

The student's function is called through :func:`call_and_unpack`, which turns every way it can
go wrong into a :class:`~course_rnn.checks.outputs.Problem`; the check prints the result,
records it for :func:`~course_rnn.checks.progress` and returns it as a
:class:`~course_rnn.checks.results.Verdict`.
"""

from __future__ import annotations

import functools
import inspect
import textwrap

from course_rnn.checks.outputs import Problem, unpack
from course_rnn.checks.results import Verdict, record
from course_rnn.checks.safe_call import call_student


def never_raises(check):
    """Make a check return False, with an apology, instead of raising on a bug of its own.

    The student's code cannot make a check raise (call_student catches everything it does);
    this guards the check's own code, so that a notebook never stops at a check.
    """
    name = check.__name__.removeprefix("check_")

    signature = inspect.signature(check)
    usage = f"{check.__name__}(" + ", ".join(
        p.name for p in signature.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD) + ")"

    @functools.wraps(check)
    def guarded(*args, **kwargs):
        try:
            signature.bind(*args, **kwargs)
        except TypeError as error:
            print(f"✗ {name}: {error}; call it as {usage}.")
            return record(name, False)
        not_functions = [arg for arg in args if not callable(arg)]
        if not_functions:
            print(f"✗ {name}: {usage} takes your functions themselves (their names, without "
                  f"parentheses), not the result of calling them (got a "
                  f"{type(not_functions[0]).__name__}).")
            return record(name, False)
        try:
            return check(*args, **kwargs)
        except Exception as error:  # a bug in the check itself
            print(f"✗ {name}: the check itself failed "
                  f"({type(error).__name__}: {error}). This is a bug in course_rnn.checks, "
                  "not in your code; please report it.")
            return record(name, False)
    return guarded


class NotImplementedYet(Problem):
    """The student's function still raises NotImplementedError: it is a stub.

    ``function`` is the stub's name as the check calls it, e.g. ``"rnn_step_forward"``.
    """

    def __init__(self, function: str):
        super().__init__(f"{function} is not written yet.")
        self.function = function


class Report:
    """Collects what a check found about one exercise and prints it once, at the end."""

    def __init__(self, name: str):
        self.name = name
        self.printed_lines = 0

    def passed(self, summary: str) -> Verdict:
        print(f"✓ {self.name}: {summary}")
        return record(self.name, True)

    def waiting(self, function: str) -> Verdict:
        """One short line for a stub (it fits a book page): nothing to grade yet, no error."""
        print(f"○ {self.name}: waiting for {function}, not written yet.")
        return record(self.name, False)

    def failed(self, headline: str, *details: str) -> Verdict:
        lines = [f"✗ {self.name}: {headline}"]
        for detail in details:
            lines += textwrap.wrap(detail, 80, initial_indent="  ", subsequent_indent="    ")
        if self.printed_lines:
            lines.append(f"  (Your code printed {self.printed_lines} lines during the check; "
                         "they are hidden here.)")
        print("\n".join(lines))
        return record(self.name, False)


def call_and_unpack(report: Report, fn, args, label: str, names: tuple[str, ...],
                    time_limit: float) -> tuple:
    """Call the student's ``fn`` on ``args`` and split its tuple result into ``names``.

    Raises Problem (NotImplementedYet for a stub) with a sentence for the student when the call
    raises, overruns, changes its inputs or returns something of the wrong form.
    """
    return unpack(call_checked(report, fn, args, label, time_limit), names, label)


def call_checked(report: Report, fn, args, label: str, time_limit: float):
    """Call the student's ``fn`` on ``args`` and return what it returned, as it is.

    Raises Problem (NotImplementedYet for a stub) when the call raises, overruns or changes its
    inputs.
    """
    call = call_student(fn, args, label, time_limit)
    report.printed_lines += call.printed_lines
    if call.not_implemented:
        raise NotImplementedYet(label)
    if call.problem:
        raise Problem(call.problem)
    if call.mutated:
        changed = ", ".join(call.mutated)
        raise Problem(f"{label} changed its argument {changed} in place (e.g. with `+=` or a "
                      "slice assignment). The caller's arrays must stay as they were: compute "
                      "into new arrays, or work on a copy (`.copy()`).")
    return call.value


def report_problem(report: Report, problem: Problem, case_title: str) -> Verdict:
    """Report a problem met on one test case: a stub waits, anything else fails the check."""
    if isinstance(problem, NotImplementedYet):
        return report.waiting(problem.function)
    return report.failed(f"fails on the test '{case_title}'.", str(problem))


def report_forward_problem(report: Report, problem: Problem, forward_name: str,
                           case_title: str) -> Verdict:
    """Report a problem met in the student's forward by the check of the backward that reads
    its cache: a stub waits, anything else fails the check and points to the forward's check."""
    if isinstance(problem, NotImplementedYet):
        return report.waiting(problem.function)
    return report.failed(f"your {forward_name} fails on the test '{case_title}'.", str(problem),
                         f"Fix it first: check_{forward_name}(...) gives hints.")
