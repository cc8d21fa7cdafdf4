"""A trained LSTM's gates over one sequence: when does the input gate open, the forget gate close?

:func:`plot_gate_trace` draws one sequence of a :class:`~course_rnn.models.lstm_gates.GateTrace`:
the input on top (feature 0 as a line, the steps where feature 1 is set marked), then the input,
forget and output gates as images, one row per hidden unit and one column per step, from 0
(white) to 1 (dark), with the marked steps drawn as dashed lines through every panel.
"""

from __future__ import annotations

import numpy as np

from course_rnn.viz.style import PALETTE, new_figure

GATES = (("i", "input gate i"), ("f", "forget gate f"), ("o", "output gate o"))


def plot_gate_trace(trace, inputs, n: int = 0):
    """The gates of sequence ``n`` against time, beside its input.

    Parameters
    ----------
    trace : a GateTrace, fields (T, N, H).
    inputs : (T, N, 2) the sequences the trace was recorded on: feature 0 the values, feature 1
        the markers (as in the adding problem).
    n : which sequence to draw.

    Returns
    -------
    (fig, axes): the figure and its four panels (input, i, f, o).
    """
    inputs = np.asarray(inputs)
    T, N, H = trace.i.shape
    if inputs.shape != (T, N, 2):
        raise ValueError(f"inputs: expected shape (T={T}, N={N}, 2) like the trace, "
                         f"got {inputs.shape}")
    if not 0 <= n < N:
        raise ValueError(f"n: expected a sequence index in 0 .. {N - 1}, got {n}")
    marked = np.flatnonzero(inputs[:, n, 1])
    fig, axes = new_figure(nrows=4, width=7.0, height=6.4)
    steps = np.arange(T)
    axes[0].plot(steps, inputs[:, n, 0], color=PALETTE["input"], linewidth=1)
    axes[0].scatter(marked, inputs[marked, n, 0], color=PALETTE["gradient"], zorder=3,
                    label="marked values")
    axes[0].set(ylabel="value", xlim=(-0.5, T - 0.5), title="input sequence")
    axes[0].legend(loc="upper right")
    for ax, (field, title) in zip(axes[1:], GATES):
        image = ax.imshow(getattr(trace, field)[:, n].T, cmap="Greys", vmin=0, vmax=1,
                          aspect="auto", interpolation="nearest")
        ax.set(ylabel="unit", title=title)
        ax.grid(False)
    for ax in axes:
        for t in marked:
            ax.axvline(t, color=PALETTE["gradient"], linestyle="--", linewidth=1)
    axes[-1].set_xlabel("step t")
    fig.colorbar(image, ax=axes[1:], label="gate value", shrink=0.8)
    return fig, axes
