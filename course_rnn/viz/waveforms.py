"""Generated waveforms beside their target, and a clockwork RNN's units grouped by module.

:func:`plot_generated` draws the target sequence and each model's output, one panel per model,
with the model's NMSE in the panel's title. :func:`plot_module_traces` draws the hidden
units of a clockwork RNN, one panel per module, so the modules' time scales can be compared:
a module of period T_i changes its state only every T_i steps, so its traces are staircases
whose steps are T_i long.
"""

from __future__ import annotations

import numpy as np

from course_rnn.viz.style import PALETTE, SERIES, new_figure


def plot_generated(target, outputs: dict, nmse: dict | None = None):
    """The target (T,) and every model's output, one row of axes per model.

    Parameters
    ----------
    target : (T,) the waveform to generate.
    outputs : ``{model name: (T,) output}``.
    nmse : ``{model name: NMSE}`` shown in the panels' titles, or None.

    Returns
    -------
    (fig, axes): axes has one entry per model.
    """
    target = np.asarray(target, dtype=float)
    for name, output in outputs.items():
        if np.shape(output) != target.shape:
            raise ValueError(f"outputs[{name!r}]: expected the target's shape {target.shape}, "
                             f"got {np.shape(output)}")
    fig, axes = new_figure(nrows=len(outputs), width=6.4, height=1.4 + 1.2 * len(outputs))
    axes = np.atleast_1d(axes)
    for k, (ax, (name, output)) in enumerate(zip(axes, outputs.items())):
        ax.plot(target, color=PALETTE["muted"], linewidth=2.5, label="target")
        ax.plot(output, color=SERIES[k % len(SERIES)], linewidth=1.2, label=name)
        title = name if nmse is None else f"{name}: NMSE {nmse[name]:.3f}"
        ax.set_title(title, loc="left")
        ax.set_ylabel("output")
    axes[-1].set_xlabel("step t")
    axes[0].legend(loc="upper right", ncols=2)
    return fig, axes


def plot_module_traces(states, periods):
    """A clockwork RNN's hidden states (T, H), one panel per module, slowest at the bottom.

    Parameters
    ----------
    states : (T, H) the hidden states h_0 .. h_{T-1} of one sequence.
    periods : the g module periods, in the layer's order (module i holds units
        i H/g .. (i + 1) H/g - 1); g must divide H.

    Returns
    -------
    (fig, axes): one axes per module.
    """
    states = np.asarray(states, dtype=float)
    periods = tuple(periods)
    if states.ndim != 2 or not periods or states.shape[1] % len(periods):
        raise ValueError(f"states: expected (T, H) with H divisible by the {len(periods)} "
                         f"periods, got shape {states.shape}")
    size = states.shape[1] // len(periods)
    fig, axes = new_figure(nrows=len(periods), width=6.4, height=0.9 + 0.6 * len(periods))
    axes = np.atleast_1d(axes)
    for i, (ax, period) in enumerate(zip(axes, periods)):
        ax.step(np.arange(len(states)), states[:, i * size:(i + 1) * size], where="post",
                color=SERIES[i % len(SERIES)], linewidth=1)
        ax.set_ylabel(f"$T_{i + 1} = {period}$", rotation=0, ha="right", va="center")
        ax.set_yticks([])
    axes[-1].set_xlabel("step t")
    axes[0].set_title("hidden units, one panel per module", loc="left")
    return fig, axes
