"""A trained LSTM's gates over one sequence: when does the input gate open, the forget gate close?

:func:`plot_gate_trace` draws one sequence of a :class:`~course_rnn.models.lstm_gates.GateTrace`:
the input on top (feature 0 as a line, the steps where feature 1 is set marked), then the input,
forget and output gates as images, one row per hidden unit and one column per step, from 0
(white) to 1 (dark), with the marked steps drawn as dashed lines through every panel. The
units can be chosen and ordered, e.g. to put those whose input gate opens at the markers first.
"""

from __future__ import annotations

import numpy as np

from course_rnn.viz.style import PALETTE, new_figure

GATES = (("i", "input gate i"), ("f", "forget gate f"), ("o", "output gate o"))


def plot_gate_trace(trace, inputs, n: int = 0, units=None):
    """The gates of sequence ``n`` against time, beside its input.

    Parameters
    ----------
    trace : a GateTrace, fields (T, N, H).
    inputs : (T, N, 2) the sequences the trace was recorded on: feature 0 the values, feature 1
        the markers (as in the adding problem).
    n : which sequence to draw.
    units : the hidden units to draw, top to bottom (all, in order, when None).

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
    units = np.arange(H) if units is None else np.asarray(units)
    if units.ndim != 1 or not ((0 <= units) & (units < H)).all():
        raise ValueError(f"units: expected indices of hidden units in 0 .. {H - 1}, got {units}")
    marked = np.flatnonzero(inputs[:, n, 1])
    fig, axes = new_figure(nrows=4, width=8.0, height=4.8)
    steps = np.arange(T)
    axes[0].plot(steps, inputs[:, n, 0], color=PALETTE["input"], linewidth=1)
    axes[0].scatter(marked, inputs[marked, n, 0], color=PALETTE["gradient"], zorder=3,
                    label="marked values")
    axes[0].set(ylabel="value", xlim=(-0.5, T - 0.5), title="input sequence")
    axes[0].legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.1)
    for ax, (field, title) in zip(axes[1:], GATES):
        image = ax.imshow(getattr(trace, field)[:, n, units].T, cmap="Greys", vmin=0, vmax=1,
                          aspect="auto", interpolation="nearest")
        ax.set(ylabel="unit", title=title)
        ax.set_yticks(range(len(units)), [str(u) for u in units])
        ax.grid(False)
    for ax in axes:
        for t in marked:  # thin and light, so the gate values at the marked steps stay visible
            ax.axvline(t, color=PALETTE["gradient"], linestyle="--", linewidth=0.8, alpha=0.6)
    axes[-1].set_xlabel("step t")
    fig.colorbar(image, ax=axes[1:], label="gate value", shrink=0.8)
    return fig, axes
