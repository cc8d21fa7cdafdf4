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
    """True when ``COURSE_RNN_FULL_RUNS=1`` is set in the environment."""
    return os.environ.get(FLAG) == "1"
