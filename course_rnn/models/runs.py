"""How a chapter runs its experiments: one torch thread, an opt-in flag for full runs, a clock.

A chapter's experiments train small models on small batches, where a second torch thread only
adds synchronisation, so :func:`experiment_settings` asks torch for one thread. Its default
runs are short enough to build the book; setting the environment variable
``COURSE_RNN_FULL_RUNS=1`` before starting Jupyter asks for the longer versions (more seeds, more
updates), which :func:`experiment_settings` reports. :class:`Stopwatch` times a block of code, so
that a chapter prints what a run took instead of stating it.
"""

from __future__ import annotations

import time

import torch

from course_rnn.full_runs import full_runs


def experiment_settings() -> bool:
    """Use one torch thread; return whether ``COURSE_RNN_FULL_RUNS=1`` asks for full runs."""
    torch.set_num_threads(1)
    return full_runs()


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
