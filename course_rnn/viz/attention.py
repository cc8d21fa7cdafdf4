"""Attention weights as alignment heatmaps: which source token each output token read.

:func:`plot_alignment` draws the weights alpha_{t,s} of one decoded sequence as a grid, output
tokens down the rows and source tokens along the columns, darker where the weight is larger,
as Bahdanau, Cho and Bengio (2015) show their alignments. :func:`plot_alignments` puts several
sequences side by side.

Shapes: T output tokens, S source tokens.
"""

from __future__ import annotations

import numpy as np

from course_rnn.shapes import expect_shape
from course_rnn.viz.style import new_figure

CELL = 0.25
"""Inches per token: small enough that a slide shows two panels with legible 10 pt labels."""


def plot_alignment(weights, source_tokens, output_tokens, *, ax=None, colorbar: bool = True):
    """A heatmap of attention weights (T, S), labelled with the tokens.

    Parameters
    ----------
    weights : (T, S) one row of weights over the source per output token, each in [0, 1].
    source_tokens : S labels for the columns.   output_tokens : T labels for the rows.
    ax : the Axes to draw into; a new figure is made when None.
    colorbar : whether to add a colour bar for the weight.

    Returns
    -------
    (fig, ax)
    """
    weights = np.asarray(weights, dtype=float)
    expect_shape("weights", weights, ("T", "S"), (len(output_tokens), len(source_tokens)),
                 hint="one row per output token, one column per source token")
    if ax is None:
        fig, ax = new_figure(width=CELL * len(source_tokens) + 2.4,
                             height=CELL * len(output_tokens) + 1.2)
    fig = ax.figure
    image = ax.imshow(weights, cmap="Greys", vmin=0, vmax=1, aspect="equal")
    ax.set_xticks(range(len(source_tokens)), labels=list(source_tokens))
    ax.set_yticks(range(len(output_tokens)), labels=list(output_tokens))
    ax.tick_params(length=0, labelsize=10)
    ax.grid(False)
    ax.set(xlabel="source token", ylabel="output token")
    if colorbar:
        fig.colorbar(image, ax=ax, shrink=0.8, label="weight")
    return fig, ax


def plot_alignments(examples, *, titles=None):
    """Several alignments side by side, one panel each, one shared colour bar.

    Parameters
    ----------
    examples : a list of ``(weights (T, S), source_tokens, output_tokens)``.
    titles : a title per panel, or None.

    Returns
    -------
    (fig, axes)
    """
    if not examples:
        raise ValueError("examples: expected at least one (weights, source, output) triple")
    widest = max(len(source) for _, source, _ in examples)
    tallest = max(len(output) for _, _, output in examples)
    fig, axes = new_figure(ncols=len(examples), width=len(examples) * (CELL * widest + 1.2) + 1,
                           height=CELL * tallest + 1.2)
    axes = np.atleast_1d(axes)
    for k, (ax, example) in enumerate(zip(axes, examples)):
        plot_alignment(*example, ax=ax, colorbar=k == len(examples) - 1)
        if titles is not None:
            ax.set_title(titles[k])
    return fig, axes
