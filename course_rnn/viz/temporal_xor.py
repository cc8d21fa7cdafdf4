"""Elman's saw tooth: the next-bit error of the temporal XOR task, step by step.

:func:`plot_error_by_step` draws the error of each prediction step over a few consecutive
triples, as Elman (1990, Figure 3) did, averaged over streams and seeds: high where the next bit
is one of the two random bits of a triple, low where it is their XOR.
"""

from __future__ import annotations

import numpy as np

from course_rnn.viz.style import PALETTE, new_figure


def plot_error_by_step(errors, positions, *, guess: float = 0.5):
    """The error of every prediction step, mean over seeds with their range, XOR steps marked.

    Parameters
    ----------
    errors : (seeds, S) error of each of S consecutive prediction steps (e.g. the root mean
        squared error over many streams), one row per seed.
    positions : (S,) position in its triple (0, 1 or 2) of the bit each step predicts, as
        :func:`course_rnn.data.temporal_xor.target_positions` gives; 2 marks an XOR bit.
    guess : the error of always answering 1/2 (0.5 for the root mean squared error), drawn
        dashed.

    Returns
    -------
    (fig, ax): the matplotlib figure and its axes.
    """
    errors = np.atleast_2d(np.asarray(errors, dtype=float))
    positions = np.asarray(positions)
    if positions.shape != errors.shape[1:]:
        raise ValueError(f"positions: expected one per step, shape ({errors.shape[1]},), got "
                         f"{positions.shape}")
    steps = np.arange(errors.shape[1])
    fig, ax = new_figure(width=6.4, height=3.2)
    ax.fill_between(steps, errors.min(axis=0), errors.max(axis=0), color=PALETTE["hidden"],
                    alpha=0.25, linewidth=0)
    ax.plot(steps, errors.mean(axis=0), color=PALETTE["hidden"], marker="o",
            label=f"mean over {len(errors)} seeds")
    xor = positions == 2
    ax.plot(steps[xor], errors.mean(axis=0)[xor], linestyle="none", marker="o", markersize=9,
            markerfacecolor="none", color=PALETTE["output"], label="next bit is a XOR b")
    ax.axhline(guess, color=PALETTE["muted"], linestyle="--")
    ax.annotate("always guessing 1/2", (steps[-1], guess), xytext=(0, 4),
                textcoords="offset points", ha="right", va="bottom", color=PALETTE["weight"])
    ax.set_xticks(steps, [("a", "b", "xor")[p] for p in positions])
    ax.set(xlabel="the bit to predict, step by step", ylabel="RMS error",
           ylim=(0, 1.25 * max(guess, errors.max())))
    ax.legend(loc="lower left")
    return fig, ax
