"""A check's cost counted in calls of the student's functions, not in seconds.

These machines are noisy, so no test times a check. What makes a check slow is how often it
calls the functions it grades (its cases, its probes for a diagnosis, its numerical
gradients); a test bounds that number instead, which is the same on every machine.
"""

from __future__ import annotations

import functools


class CallCounter:
    """Wraps functions so that every call of any of them adds one to ``calls``."""

    def __init__(self):
        self.calls = 0

    def wrap(self, fn):
        @functools.wraps(fn)
        def counted(*args, **kwargs):
            self.calls += 1
            return fn(*args, **kwargs)
        return counted


def calls_of_check(check, *functions) -> int:
    """Run ``check`` on ``functions`` and return how many times it called them, all together."""
    counter = CallCounter()
    check(*(counter.wrap(fn) for fn in functions))
    return counter.calls


CALL_BUDGET = 500
"""The most calls a check may make. A numerical gradient of a few dozen numbers needs a few
hundred; a check that loops over cases or probes without end goes far beyond."""
