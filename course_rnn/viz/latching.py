"""Success rate against the span of the dependency: the curve of the latching experiment.

:func:`plot_success_by_span` draws, for each model, the fraction of seeds that solved the
latching task at every span T, with a band of one binomial standard error, so a reader can
judge how much of a dip is the luck of ten seeds.
"""

from __future__ import annotations

import numpy as np

from course_rnn.viz.style import SERIES, figure_for


def plot_success_by_span(spans, successes, *, ax=None):
    """Success rate (mean over seeds) against span, one curve per model.

    Parameters
    ----------
    spans : (S,) the spans T.
    successes : ``{model name: (S, seeds) booleans}``, one row per span.

    Returns
    -------
    (fig, ax)
    """
    spans = np.asarray(spans)
    fig, ax = figure_for(ax, width=6.4, height=3.4)
    for (name, solved), color in zip(successes.items(), SERIES * 2):
        solved = np.asarray(solved, dtype=float)
        if solved.ndim != 2 or solved.shape[0] != len(spans):
            raise ValueError(f"successes[{name!r}]: expected shape ({len(spans)}, seeds), "
                             f"one row per span, got {solved.shape}")
        rate = solved.mean(axis=1)
        error = np.sqrt(rate * (1 - rate) / solved.shape[1])
        ax.fill_between(spans, rate - error, rate + error, color=color, alpha=0.2, linewidth=0)
        ax.plot(spans, rate, color=color, marker="o", label=f"{name} ({solved.shape[1]} seeds)")
    ax.set(xlabel="span T (the bit is kept T - 1 steps)", ylabel="fraction of seeds solved",
           ylim=(-0.05, 1.05))
    ax.legend(loc="upper right")
    return fig, ax
