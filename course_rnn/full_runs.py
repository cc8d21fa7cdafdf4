"""Whether the reader asked for the chapters' longer, opt-in experiments.

Every experiment of a chapter runs in a short default version; ``COURSE_RNN_FULL_RUNS=1`` in the
environment asks for the longer one the text describes. :func:`full_runs` reads the flag, so
that a chapter's cells need not.
"""

from __future__ import annotations

import os

FLAG = "COURSE_RNN_FULL_RUNS"
"""The environment variable that asks for the full runs when set to ``"1"``."""


def full_runs() -> bool:
    """True when ``COURSE_RNN_FULL_RUNS=1`` is set in the environment, False when it is 0 or unset.

    Any other value is an error, so that a mistyped flag does not silently run the short
    versions.
    """
    value = os.environ.get(FLAG, "0")
    if value not in ("0", "1", ""):
        raise ValueError(f"{FLAG}: expected 1 (full runs) or 0, got {value!r}")
    return value == "1"
