"""How a chapter runs its experiments: one torch thread, an opt-in flag for full runs, a clock.

A chapter's experiments train small models on small batches, where a second torch thread only
adds synchronisation, so :func:`experiment_settings` asks torch for one thread. Its default
runs are short enough to build the book; setting the environment variable
``COURSE_RNN_FULL_RUNS=1`` before starting Jupyter asks for the longer versions (more seeds, more
updates), which :func:`experiment_settings` reports. :class:`Stopwatch` times a block of code, so
that a chapter prints what a run took instead of stating it.
"""

from __future__ import annotations

import os
import time

import torch

FULL_RUNS_VARIABLE = "COURSE_RNN_FULL_RUNS"
"""The environment variable that, set to 1, turns the longer experiments on."""


def experiment_settings() -> bool:
    """Use one torch thread; return whether ``COURSE_RNN_FULL_RUNS=1`` asks for full runs."""
    torch.set_num_threads(1)
    value = os.environ.get(FULL_RUNS_VARIABLE, "0")
    if value not in ("0", "1", ""):
        raise ValueError(f"{FULL_RUNS_VARIABLE}: expected 1 (full runs) or 0, got {value!r}")
    return value == "1"


class Stopwatch:
    """The wall-clock seconds a ``with`` block took: ``with Stopwatch() as clock: ...``.

    ``clock.seconds`` holds the time once the block has ended (None before).
    """

    def __init__(self):
        self.seconds: float | None = None
        self._start = 0.0

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc_info) -> None:
        self.seconds = time.perf_counter() - self._start
