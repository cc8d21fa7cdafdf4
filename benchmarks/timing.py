"""Interleaved timing: ratios between contestants measured in the same run, medians of repeats.

On a shared, noisy machine absolute times drift by tens of percent between runs. Timing the
contestants in turn within every repeat exposes them to the same drift, and the median of
the repeats discards the occasional stall, so their ratios are what can be compared.

Each timed call is preceded by an untimed one of the same contestant. Math libraries keep
their worker threads spinning for a while after a parallel region (OpenBLAS for about 0.1 s);
timed straight after NumPy, torch.nn's LSTM measured up to twice as slow on a 2-core machine,
as NumPy's idle threads competed with torch's. The settling call absorbs that, and a pause
instead did not help: after idling, the first call ran slow for other reasons.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping


def interleaved_samples(contestants: Mapping[str, Callable[[], object]], repeats: int,
                        settle: int = 1, sync: Callable[[], None] = lambda: None
                        ) -> dict[str, list[float]]:
    """Wall-clock seconds of each no-argument callable, timed in turn in every repeat.

    Every timed call follows ``settle`` untimed calls of the same callable. ``sync`` runs
    before each clock read (e.g. ``torch.cuda.synchronize`` for GPU work, which is otherwise
    asynchronous).
    """
    samples: dict[str, list[float]] = {name: [] for name in contestants}
    for _ in range(repeats):
        for name, fn in contestants.items():
            for _ in range(settle):
                fn()
            sync()
            start = time.perf_counter()
            fn()
            sync()
            samples[name].append(time.perf_counter() - start)
    return samples


def median_ratio(samples: list[float], reference: list[float]) -> float:
    """Median over repeats of the ratio within each repeat, which cancels slow drifts."""
    return statistics.median(s / r for s, r in zip(samples, reference, strict=True))


def spread(samples: list[float]) -> float:
    """Interquartile range over the median: how noisy the run was (0 for one sample)."""
    if len(samples) < 2:
        return 0.0
    low, _, high = statistics.quantiles(samples, n=4)
    return (high - low) / statistics.median(samples)


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with right-aligned columns."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    lines = [" ".join(str(c).rjust(w) for c, w in zip(line, widths)) for line in [header, *rows]]
    lines.insert(1, " ".join("-" * w for w in widths))
    return "\n".join(lines)
