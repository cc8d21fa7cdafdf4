"""One visual style for every figure in the course.

Colours name roles, not hues, so a diagram and a plot agree on what "input" or "hidden state"
looks like: inputs are blue, hidden states orange, outputs green, weights grey, gradients red.
"""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib
import matplotlib.pyplot as plt

PALETTE = {
    "input": "#3b75af",
    "hidden": "#ef8636",
    "output": "#519e3e",
    "weight": "#6b6b6b",
    "gradient": "#c53a32",
    "baseline": "#8d69b8",
    "text": "#222222",
    "muted": "#b0b0b0",
}
"""Role -> colour, shared by diagrams and plots."""

SERIES = [PALETTE[role] for role in ("input", "hidden", "output", "gradient", "baseline")]
"""Colour cycle for plots with several lines."""

RC = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=SERIES),
    "legend.frameon": False,
}
"""matplotlib settings applied by :func:`course_style`."""


@contextmanager
def course_style():
    """Context manager that draws with the course's matplotlib settings."""
    # The first figure of a notebook may switch interactive mode on (the inline backend does);
    # rc_context would switch it off again on exit, and later figures would silently not show.
    interactive = matplotlib.is_interactive()
    try:
        with plt.rc_context(RC):
            yield
            interactive = matplotlib.is_interactive()
    finally:
        matplotlib.interactive(interactive)


def new_figure(ncols: int = 1, nrows: int = 1, width: float = 6.4, height: float = 3.6):
    """A figure and its axes in the course style (the axes array is squeezed like plt.subplots)."""
    with course_style():
        return plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained")


def figure_for(ax, width: float = 6.4, height: float = 3.4):
    """``(fig, ax)``: the figure of the given axes, or a new figure of this size when ``ax`` is
    None (every plotting function takes ``ax=None`` to draw into a figure of its own)."""
    if ax is None:
        return new_figure(width=width, height=height)
    return ax.figure, ax
