"""Accuracy against the shift k of the target y_t = x_{t+k}: past on the left, future right.

:func:`plot_accuracy_by_shift` draws each model's test accuracy over seeds (mean line, band
from the lowest to the highest seed, via :func:`course_rnn.viz.seeds.plot_over_seeds`), the
chance level 1/K, and a line at k = 0 that splits targets in the past from targets in the
future.
"""

from __future__ import annotations

from course_rnn.viz.seeds import plot_over_seeds
from course_rnn.viz.style import PALETTE


def plot_accuracy_by_shift(shifts, curves, *, vocab_size: int, ax=None):
    """Test accuracy against k, one curve per model, with chance 1/K dashed.

    Parameters
    ----------
    shifts : (P,) the shifts k.
    curves : ``{model name: (seeds, P) accuracies}``.
    vocab_size : K, so chance is 1/K.
    ax : Axes to draw into, or None for a new figure.

    Returns
    -------
    (fig, ax)
    """
    fig, ax = plot_over_seeds(shifts, curves, xlabel="shift k of the target $y_t = x_{t+k}$",
                              ylabel="test accuracy", chance=1 / vocab_size, ax=ax)
    ax.axvline(0, color=PALETTE["muted"], linewidth=1)
    for side, text, ha in ((-1, "target in the past", "right"),
                           (1, "target in the future", "left")):
        ax.annotate(text, (0, 0.55), xytext=(6 * side, 0), textcoords="offset points",
                    ha=ha, color=PALETTE["weight"])
    ax.set_ylim(0, 1.05)
    return fig, ax
