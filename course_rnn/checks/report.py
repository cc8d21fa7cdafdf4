"""How a check talks to the student: one line for a pass, a short explanation for a failure.

The student's function is called through :func:`call_and_unpack`, which turns every way it can
go wrong into a :class:`~course_rnn.checks.outputs.Problem`; the check prints the result and
records it for :func:`~course_rnn.checks.progress`.
"""

from __future__ import annotations

import functools
import inspect
import textwrap

from course_rnn.checks.outputs import Problem, unpack
from course_rnn.checks.progress import record
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
            record(name, False)
            return False
        not_functions = [arg for arg in args if not callable(arg)]
        if not_functions:
            print(f"✗ {name}: {usage} takes your functions themselves (their names, without "
                  f"parentheses), not the result of calling them (got a "
                  f"{type(not_functions[0]).__name__}).")
            record(name, False)
            return False
        try:
            return check(*args, **kwargs)
        except Exception as error:  # a bug in the check itself
            print(f"✗ {name}: the check itself failed "
                  f"({type(error).__name__}: {error}). This is a bug in course_rnn.checks, "
                  "not in your code; please report it.")
            record(name, False)
            return False
    return guarded


class NotImplementedYet(Problem):
    """The student's function still raises NotImplementedError."""


class Report:
    """Collects what a check found about one exercise and prints it once, at the end."""

    def __init__(self, name: str):
        self.name = name
        self.printed_lines = 0

    def passed(self, summary: str) -> bool:
        print(f"✓ {self.name}: {summary}")
        record(self.name, True)
        return True

    def failed(self, headline: str, *details: str) -> bool:
        lines = [f"✗ {self.name}: {headline}"]
        for detail in details:
            lines += textwrap.wrap(detail, 80, initial_indent="  ", subsequent_indent="    ")
        if self.printed_lines:
            lines.append(f"  (Your code printed {self.printed_lines} lines during the check; "
                         "they are hidden here.)")
        print("\n".join(lines))
        record(self.name, False)
        return False


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
        raise NotImplementedYet(call.problem)
    if call.problem:
        raise Problem(call.problem)
    if call.mutated:
        changed = ", ".join(call.mutated)
        raise Problem(f"{label} changed its argument {changed} in place (e.g. with `+=` or a "
                      "slice assignment). The caller's arrays must stay as they were: compute "
                      "into new arrays, or work on a copy (`.copy()`).")
    return call.value


def problem_details(problem: Problem, case_title: str) -> tuple[str, str]:
    """Headline and detail for a problem met on one test case."""
    if isinstance(problem, NotImplementedYet):
        return "not implemented yet.", f"{problem} Replace the `raise` with your code."
    return f"fails on the test '{case_title}'.", str(problem)
