"""Memory against sequence length, on log-log axes, with a line of slope 2 for reference.

:func:`plot_memory_by_length` draws one line per contestant (peak bytes measured at each
length T) and a dashed T^2 reference through the last point of the steepest contestant, so a
reader sees which grows with the square of the length and which stays flat.
"""

from __future__ import annotations

import numpy as np

from course_rnn.viz.style import PALETTE, SERIES, figure_for


def plot_memory_by_length(lengths, peaks: dict, ax=None):
    """Peak bytes against T for each contestant, log-log, with a T^2 reference.

    Parameters
    ----------
    lengths : (P,) sequence lengths T.
    peaks : ``{name: (P,) peak bytes}``.
    ax : Axes to draw into, or None for a new figure.

    Returns
    -------
    (fig, ax)
    """
    lengths = np.asarray(lengths, dtype=float)
    fig, ax = figure_for(ax, width=6.4, height=3.4)
    for k, (name, values) in enumerate(peaks.items()):
        values = np.asarray(values, dtype=float)
        if values.shape != lengths.shape:
            raise ValueError(f"peaks[{name!r}]: expected {lengths.shape} values, one per "
                             f"length, got shape {values.shape}")
        ax.loglog(lengths, values, marker="o", color=SERIES[k % len(SERIES)], label=name)
    top = max(np.asarray(v, dtype=float)[-1] for v in peaks.values())
    ax.loglog(lengths, top * (lengths / lengths[-1]) ** 2, linestyle="--",
              color=PALETTE["muted"], label="$\\propto T^2$")
    ax.set(xlabel="sequence length T", ylabel="peak memory (bytes)")
    ax.legend(loc="best")
    return fig, ax
