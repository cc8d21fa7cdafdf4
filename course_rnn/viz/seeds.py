"""Curves measured over several seeds: the mean as a line, the range of the seeds as a band.

:func:`plot_over_seeds` draws, for each model, a curve measured once per seed (accuracy per
epoch, accuracy per input length, ...), so a reader sees at a glance whether the gap between two
models is larger than the spread between seeds.
"""

from __future__ import annotations

import numpy as np

from course_rnn.viz.style import PALETTE, SERIES, figure_for


def plot_over_seeds(x, curves, *, xlabel: str, ylabel: str, chance: float | None = None,
                    ax=None):
    """Mean over seeds (line) and the lowest to highest seed (band) of each model's curve.

    Parameters
    ----------
    x : (P,) the points every curve is measured at (epochs, lengths, ...).
    curves : ``{model name: values}`` with values (seeds, P), one row per seed.
    xlabel, ylabel : axis labels.
    chance : a level to mark with a dashed line (e.g. the accuracy of guessing), or None.
    ax : the Axes to draw into; a new figure is made when None.

    Returns
    -------
    (fig, ax): the matplotlib figure and its axes.
    """
    x = np.asarray(x)
    fig, ax = figure_for(ax, width=6.4, height=3.4)
    for k, (name, values) in enumerate(curves.items()):
        values = np.atleast_2d(np.asarray(values, dtype=float))
        if values.shape[1] != len(x):
            raise ValueError(f"curves[{name!r}]: expected (seeds, {len(x)}) values, one per "
                             f"point of x, got shape {values.shape}")
        color = SERIES[k % len(SERIES)]
        ax.fill_between(x, values.min(axis=0), values.max(axis=0), color=color, alpha=0.2,
                        linewidth=0)
        ax.plot(x, values.mean(axis=0), color=color, marker="o", markersize=3,
                label=f"{name} ({len(values)} seed{'s' if len(values) != 1 else ''})")
    if chance is not None:
        ax.axhline(chance, color=PALETTE["muted"], linestyle="--")
        ax.annotate("chance", (x[-1], chance), xytext=(0, 4), textcoords="offset points",
                    ha="right", va="bottom", color=PALETTE["weight"])
    ax.set(xlabel=xlabel, ylabel=ylabel)
    ax.legend(loc="best")
    return fig, ax
