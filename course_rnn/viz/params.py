r"""Figures for parameter sharing: how many parameters, and does a rule transfer across positions.

:func:`plot_parameter_counts` draws the parameter counts of
:mod:`course_rnn.models.parameter_counts` against T; :func:`plot_margins_by_start` draws, for
taggers trained on some pattern positions, the margin with which each tags the pattern at every
position (see :mod:`course_rnn.data.positions`).

Sizes: D input features (vocabulary for one-hot inputs), H hidden units, K outputs, T steps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from course_rnn.models.parameter_counts import (
    positionwise_parameter_count,
    rnn_parameter_count,
    unshared_parameter_count,
)
from course_rnn.shapes import expect_positive_ints
from course_rnn.viz.style import PALETTE, SERIES, new_figure


def plot_parameter_counts(D: int = 50, H: int = 100, K: int = 50, T_max: int = 100):
    """Parameter count against sequence length T for the three models of
    :mod:`course_rnn.models.parameter_counts` (log scale).

    Returns
    -------
    matplotlib.figure.Figure with one axes.
    """
    expect_positive_ints(T_max=T_max)
    T = np.arange(1, T_max + 1)
    fig, ax = new_figure(width=6.4, height=3.4)
    ax.plot(T, [rnn_parameter_count(D, H, K)] * len(T), color=PALETTE["hidden"], lw=2,
            label="RNN (shared): $H(D+H+1)+K(H+1)$")
    ax.plot(T, [unshared_parameter_count(D, H, K, t) for t in T], color=PALETTE["weight"],
            lw=2, label="unrolled, unshared: $T\\,[H(D+H+1)+K(H+1)]-H^2$")
    ax.plot(T, [positionwise_parameter_count(D, K, t) for t in T], color=PALETTE["baseline"],
            lw=2, label="position-wise classifiers: $TK(TD+1)$")
    ax.set_yscale("log")
    ax.set_xlabel("sequence length $T$")
    ax.set_ylabel("parameters")
    ax.set_title(f"$D={D}$, $H={H}$, $K={K}$")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def plot_margins_by_start(margins: Mapping[str, Sequence[float]], starts: Sequence[int],
                          trained: Sequence[int], colors: Mapping[str, str] | None = None):
    """Each tagger's margin (logit of tag 1 minus tag 0) at the pattern, by start position.

    Parameters
    ----------
    margins : model name -> one margin per entry of ``starts`` (e.g. from
        :func:`course_rnn.data.positions.margins_by_start`).
    starts : the pattern start positions on the x axis.
    trained : the start positions used in training (shaded).
    colors : model name -> colour (e.g. ``PALETTE["hidden"]`` for the RNN); default: the
        course's colour cycle.

    Returns
    -------
    matplotlib.figure.Figure with one axes; above 0 means "tagged".
    """
    starts = np.asarray(starts)
    fig, ax = new_figure(width=6.4, height=3.2)
    for s in trained:
        ax.axvspan(s - 0.5, s + 0.5, color=PALETTE["muted"], alpha=0.35, lw=0)
    ax.axhline(0, color=PALETTE["text"], lw=0.8)
    colors = dict(colors or {})
    for (name, values), default in zip(margins.items(), SERIES * len(margins)):
        color = colors.get(name, default)
        values = np.asarray(values, dtype=float)
        if values.shape != starts.shape:
            raise ValueError(f"margins[{name!r}]: expected {starts.size} values (one per start), "
                             f"got {values.size}")
        ax.plot(starts, values, "o-", color=color, label=name)
    ax.set_xticks(starts)
    ax.set_xlabel("position where the pattern starts (grey: seen in training)")
    ax.set_ylabel("margin for tag 1")
    ax.legend(fontsize=8, loc="lower left")
    return fig
