"""Interleaved timing: ratios between contestants measured in the same run, medians of repeats.

On a shared, noisy machine absolute times drift by tens of percent between runs. Timing the
contestants in turn within every repeat exposes them to the same drift, and the median of
the repeats discards the occasional stall, so their ratios are what can be compared.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping


def interleaved_medians(contestants: Mapping[str, Callable[[], object]], repeats: int,
                        warmup: int = 1, sync: Callable[[], None] = lambda: None
                        ) -> dict[str, float]:
    """Median wall-clock seconds of each no-argument callable, timed in turn each repeat.

    ``sync`` runs before each clock read (e.g. ``torch.cuda.synchronize`` for GPU work,
    which is otherwise asynchronous).
    """
    for fn in contestants.values():
        for _ in range(warmup):
            fn()
    samples: dict[str, list[float]] = {name: [] for name in contestants}
    for _ in range(repeats):
        for name, fn in contestants.items():
            sync()
            start = time.perf_counter()
            fn()
            sync()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(times) for name, times in samples.items()}


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with right-aligned columns."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    lines = [" ".join(str(c).rjust(w) for c, w in zip(line, widths)) for line in [header, *rows]]
    lines.insert(1, " ".join("-" * w for w in widths))
    return "\n".join(lines)
