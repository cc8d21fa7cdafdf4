"""Figures for training with BPTT: the loss curve and how the gradient fades with distance.

:func:`plot_loss_curve` draws the loss of every training step (faint) with its moving average
(bold) and horizontal lines for baselines such as the uniform guess log K, so the reader sees at
once whether the model has beaten them. :func:`plot_gradient_norms` draws ||dL_t/dh_k||
against the distance t - k on a logarithmic axis, where a geometric decay is a straight line,
optionally with the bound s^(t-k) that a recurrent matrix of spectral norm s guarantees.
:func:`plot_training_snapshot` draws one frame of a run (the loss so far and a text sample),
for a slider that steps through training.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from course_rnn.viz.style import PALETTE, SERIES, course_style, figure_for


def moving_average(values, window: int) -> np.ndarray:
    """The mean of each run of ``window`` consecutive values: (len - window + 1,)."""
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or len(values) == 0:
        raise ValueError(f"values: expected a non-empty 1-D sequence, got shape {values.shape}")
    if not (isinstance(window, int) and window >= 1):
        raise ValueError(f"window: expected a positive integer, got {window!r}")
    window = min(window, len(values))
    cumulative = np.concatenate([[0.0], np.cumsum(values)])
    return (cumulative[window:] - cumulative[:-window]) / window


def plot_loss_curve(losses, *, baselines: Mapping[str, float] | None = None, window: int = 25,
                    ylabel: str = "cross-entropy (nats per character)", ax=None):
    """Training loss per step, its moving average and reference levels.

    Parameters
    ----------
    losses : one loss per training step.
    baselines : ``{label: level}`` drawn as dashed horizontal lines (e.g. the uniform guess).
    window : steps in the moving average.
    ylabel : label of the loss axis.
    ax : draw into these axes, or None for a new figure.

    Returns
    -------
    (fig, ax)
    """
    smooth = moving_average(losses, window)
    fig, ax = figure_for(ax, width=6.4, height=3.4)
    steps = np.arange(len(losses))
    ax.plot(steps, losses, color=PALETTE["muted"], linewidth=0.8, label="loss of each step")
    ax.plot(steps[len(steps) - len(smooth):], smooth, color=PALETTE["output"], linewidth=2,
            label=f"mean of the last {min(window, len(losses))} steps")
    for (label, level), color in zip((baselines or {}).items(), SERIES[3:] + SERIES[:3]):
        ax.axhline(level, color=color, linestyle="--", linewidth=1.2)
        ax.annotate(f"{label} = {level:.2f}", (len(losses) - 1, level), xytext=(0, 3),
                    textcoords="offset points", ha="right", va="bottom", color=color,
                    fontsize=9)
    ax.set_xlabel("training step (one chunk, one update)")
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.9))
    return fig, ax


def plot_gradient_norms(norms: Mapping[str, np.ndarray], *, bounds: Mapping[str, float] | None
                        = None, ylabel: str = r"$\|\partial L_t / \partial h_k\|$", ax=None):
    """||dL_t/dh_k|| (or another norm by distance) against t - k on a log scale, one curve per
    label.

    Parameters
    ----------
    norms : ``{label: array (d_max + 1,)}``, entry d being the norm at distance d = t - k
        (as returned by :func:`course_rnn.models.gradient_flow.state_gradient_norms`).
    bounds : ``{label: s}``: draw the bound s^d as a dotted line in that label's colour.
    ylabel : what the curves measure, e.g. ||dy/dx_k|| for
        :func:`course_rnn.models.input_reach.input_gradient_norms`.
    ax : draw into these axes, or None for a new figure.

    Returns
    -------
    (fig, ax)
    """
    if not norms:
        raise ValueError("norms: expected at least one curve")
    bounds = dict(bounds or {})
    unknown = set(bounds) - set(norms)
    if unknown:
        raise KeyError(f"bounds: labels {sorted(unknown)} have no curve in norms")
    fig, ax = figure_for(ax, width=6.4, height=3.8)
    for (label, curve), color in zip(norms.items(), SERIES * 2):
        curve = np.asarray(curve, dtype=float)
        if curve.ndim != 1 or (curve <= 0).any():
            raise ValueError(f"norms[{label!r}]: expected a 1-D array of positive norms")
        distance = np.arange(len(curve))
        ax.plot(distance, curve, color=color, linewidth=2, marker="o", markersize=3,
                label=label)
        if label in bounds:
            ax.plot(distance, float(bounds[label]) ** distance, color=color, linestyle=":",
                    linewidth=1.2)
    ax.set_yscale("log")
    ax.set_xlabel("distance t - k (steps back in time)")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize=9)
    return fig, ax


def plot_training_snapshot(losses, step: int, text: str, *, baselines: Mapping[str, float]
                           | None = None, width: int = 72):
    """One frame of "the model as it trains": the loss so far (top) and what it writes (bottom).

    Every frame of a sequence shares the axes limits of the full run, so stepping through the
    frames (e.g. with :class:`course_rnn.viz.frames.FrameSlider`) moves only the data.

    Parameters
    ----------
    losses : the loss of every step of the whole run.
    step : how many steps the frame shows (1 <= step <= len(losses)).
    text : a sample of the model after ``step`` steps; its lines are cut to ``width``
        characters and at most 6 lines are shown.
    baselines : ``{label: level}`` drawn as dashed lines, as in :func:`plot_loss_curve`.

    Returns
    -------
    (fig, (ax_loss, ax_text))
    """
    losses = np.asarray(losses, dtype=float)
    if losses.ndim != 1 or len(losses) == 0:
        raise ValueError(f"losses: expected a non-empty 1-D sequence, got shape {losses.shape}")
    if not 1 <= step <= len(losses):
        raise ValueError(f"step: expected a value in [1, {len(losses)}], got {step}")
    with course_style():  # new_figure has no height ratios: the text needs less room
        fig, (ax_loss, ax_text) = plt.subplots(2, 1, figsize=(6.4, 3.9), layout="constrained",
                                               height_ratios=[2.2, 1.0])
    levels = list((baselines or {}).values())
    ax_loss.plot(np.arange(step), losses[:step], color=PALETTE["output"], linewidth=1)
    for (label, level), color in zip((baselines or {}).items(), SERIES[3:] + SERIES[:3]):
        ax_loss.axhline(level, color=color, linestyle="--", linewidth=1.2, label=label)
    ax_loss.set_xlim(0, len(losses))
    ax_loss.set_ylim(min(losses.min(), *levels) - 0.1, max(losses.max(), *levels) + 0.1)
    ax_loss.set_xlabel("training step")
    ax_loss.set_ylabel("loss (nats/char)")
    noun = "step" if step == 1 else "steps"
    ax_loss.set_title(f"after {step} {noun}: loss {losses[step - 1]:.2f}")
    if baselines:
        ax_loss.legend(loc="upper right", fontsize=8)
    lines = [line[:width] for line in text.splitlines()[:6]]
    ax_text.text(0.0, 1.0, "\n".join(lines), family="monospace", fontsize=8.5, va="top",
                 ha="left", transform=ax_text.transAxes)
    ax_text.axis("off")
    return fig, (ax_loss, ax_text)
