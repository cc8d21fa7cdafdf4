"""The cliff of Pascanu et al. (2013, Figure 6): a loss surface with a wall, and two descents.

:func:`plot_cliff` draws the loss of the one-unit network of :mod:`course_rnn.models.cliff`
over (w, b) as filled contours of log10 L, and on top of it the paths of gradient descent,
each a polyline with its start marked, so a reader sees where a path meets the wall and where it
lands.
"""

from __future__ import annotations

import numpy as np

from course_rnn.viz.style import PALETTE, SERIES, figure_for


def plot_cliff(w_grid, b_grid, losses, paths, *, ax=None):
    """Contours of log10 L over the grid, and each path of ``paths`` ``{label: (K, 2)}``.

    Parameters
    ----------
    w_grid : (P,) values of w.   b_grid : (Q,) values of b.
    losses : (Q, P) the loss at every (b, w) of the grid (rows follow b).
    paths : ``{label: (K, 2) array of (w, b)}``; parts outside the grid are cut off by the axes.

    Returns
    -------
    (fig, ax)
    """
    losses = np.asarray(losses, dtype=float)
    if losses.shape != (len(b_grid), len(w_grid)):
        raise ValueError(f"losses: expected shape (len(b_grid), len(w_grid)) = "
                         f"({len(b_grid)}, {len(w_grid)}), got {losses.shape}")
    fig, ax = figure_for(ax, width=6.4, height=4.4)
    filled = ax.contourf(w_grid, b_grid, np.log10(losses + 1e-6), levels=30, cmap="Greys_r")
    fig.colorbar(filled, ax=ax, label=r"$\log_{10} L$")
    for (label, path), color in zip(paths.items(), [PALETTE["gradient"], *SERIES]):
        path = np.asarray(path, dtype=float)
        if path.ndim != 2 or path.shape[1] != 2:
            raise ValueError(f"paths[{label!r}]: expected shape (K, 2), got {path.shape}")
        ax.plot(path[:, 0], path[:, 1], color=color, marker="o", markersize=2.5,
                linewidth=1.5, label=label)
        ax.plot(*path[0], color=color, marker="s", markersize=6)
    ax.set(xlim=(w_grid[0], w_grid[-1]), ylim=(b_grid[0], b_grid[-1]), xlabel="w",
           ylabel="b")
    ax.grid(False)
    ax.legend(loc="upper right")
    return fig, ax
