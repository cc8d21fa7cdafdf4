"""An ablation at a glance: one row per variant, one dot per seed, the median marked.

:func:`plot_ablation` draws the final error of every variant of a model, every seed as a dot
and the median as a vertical tick, on a log scale, so that a variant that hurts stands out from
the seed-to-seed spread of the full model. A dashed line can mark a reference level, such as
the error of a model that ignores its input.
"""

from __future__ import annotations

import numpy as np

from course_rnn.viz.style import PALETTE, figure_for


def plot_ablation(results, *, xlabel: str, reference: float | None = None,
                  reference_label: str = "", ax=None):
    """Final error per variant and seed.

    Parameters
    ----------
    results : ``{variant name: (seeds,) errors}``, drawn top to bottom in this order.
    xlabel : the error's name.
    reference : a level to draw dashed (e.g. the error of always answering the mean), or None.
    reference_label : the text beside that line.
    ax : the Axes to draw into; a new figure is made when None.

    Returns
    -------
    (fig, ax)
    """
    if not results:
        raise ValueError("results: expected at least one variant, got none")
    fig, ax = figure_for(ax, width=6.4, height=0.45 * len(results) + 1.2)
    for row, (name, errors) in enumerate(results.items()):
        errors = np.asarray(errors, dtype=float)
        if errors.ndim != 1 or errors.size == 0 or not (errors > 0).all():
            raise ValueError(f"results[{name!r}]: expected a non-empty row of positive errors "
                             f"(log scale), got {errors!r}")
        ax.scatter(errors, np.full(errors.shape, row), color=PALETTE["input"], alpha=0.7,
                   zorder=3)
        ax.plot([np.median(errors)] * 2, [row - 0.3, row + 0.3], color=PALETTE["text"],
                linewidth=2)
    if reference is not None:
        ax.axvline(reference, color=PALETTE["baseline"], linestyle="--")
        ax.annotate(reference_label, (reference, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                    color=PALETTE["baseline"])
    ax.set_yticks(range(len(results)), list(results))
    ax.set(xscale="log", xlabel=xlabel, ylim=(len(results) - 0.5, -0.5))
    ax.grid(axis="y", visible=False)
    return fig, ax
