"""The adding problem's test error against training, one panel per sequence length.

:func:`plot_adding_curves` draws, for every length T and every model, the test mean squared
error over the updates (the mean over seeds as a line, the lowest to highest seed as a band) on
a log scale, with the error of always answering 1 (1/6) dashed: a curve that stays on that line
has learned nothing about the marked numbers.
"""

from __future__ import annotations

import numpy as np

from course_rnn.data.adding import ADDING_BASELINE_MSE
from course_rnn.viz.style import PALETTE, SERIES, new_figure


def _draw_panel(ax, updates, curves, colors) -> None:
    for name, values in curves.items():
        values = np.atleast_2d(np.asarray(values, dtype=float))
        if values.shape[1] != len(updates):
            raise ValueError(f"curves[{name!r}]: expected (seeds, {len(updates)}) values, one "
                             f"per update count, got shape {values.shape}")
        ax.fill_between(updates, values.min(axis=0), values.max(axis=0), color=colors[name],
                        alpha=0.2, linewidth=0)
        ax.plot(updates, values.mean(axis=0), color=colors[name],
                label=f"{name} ({len(values)} seed{'s' if len(values) > 1 else ''})")
    ax.axhline(ADDING_BASELINE_MSE, color=PALETTE["baseline"], linestyle="--")
    ax.set_yscale("log")


def plot_adding_curves(updates, curves_by_length):
    """Test MSE against updates: one panel per length, one curve per model.

    Parameters
    ----------
    updates : (E,) the update counts at which the errors were measured.
    curves_by_length : ``{T: {model name: (seeds, E) errors}}``; every panel names its models
        alike, so a model keeps its colour across panels.

    Returns
    -------
    (fig, axes): the figure and its array of panels.
    """
    updates = np.asarray(updates)
    if not curves_by_length:
        raise ValueError("curves_by_length: expected at least one length, got none")
    names = list(dict.fromkeys(n for curves in curves_by_length.values() for n in curves))
    colors = {name: SERIES[k % len(SERIES)] for k, name in enumerate(names)}
    fig, axes = new_figure(ncols=len(curves_by_length), width=3.2 * len(curves_by_length) + 0.6,
                           height=3.4)
    axes = np.atleast_1d(axes)
    for ax, (length, curves) in zip(axes, curves_by_length.items()):
        _draw_panel(ax, updates, curves, colors)
        ax.set(title=f"T = {length}", xlabel="updates")
    axes[0].set_ylabel("test MSE (log scale)")
    axes[0].annotate("always 1: 1/6", (updates[-1], ADDING_BASELINE_MSE), xytext=(0, 4),
                     textcoords="offset points", ha="right", va="bottom",
                     color=PALETTE["baseline"])
    axes[-1].legend(loc="lower left")
    return fig, axes
