r"""Hidden-state explorer: step a small RNN through a sequence and watch x_t, h_t and o_t.

The network is an untrained Elman RNN over one-hot characters,

    h_t = tanh(U x_t + W h_{t-1}),   h_{-1} = 0,      o_t = softmax(V h_t),

with W = ``gain`` * (a random orthogonal matrix), so every eigenvalue of W has modulus ``gain``:
below 1 the state forgets its past quickly, near or above 1 it keeps (and saturates) it. Each
frame shows, at step t, the inputs (the current one outlined), the hidden states computed so far
as a heat strip, the output distribution o_t, and how far h_t is from the state of a second run
whose *first* input differs: the memory the state keeps of x_0.

Two front ends share the drawing: :func:`hidden_state_explorer` returns a
:class:`~course_rnn.viz.frames.FrameSlider` (works in the static book, no kernel) and
:func:`live_explorer` returns an ipywidgets ``interactive`` with sliders for t and the gain
(Jupyter only; ipywidgets is imported only there).

Shapes: T steps, D input size (alphabet), H hidden units, K outputs (= D here).
"""

from __future__ import annotations

from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from course_rnn.data.tokens import one_hot
from course_rnn.numpy import rnn_forward
from course_rnn.numpy.init import random_orthogonal
from course_rnn.numpy.losses import log_softmax
from course_rnn.viz.frames import FrameSlider, figure_to_png
from course_rnn.viz.style import PALETTE, new_figure

DEFAULT_TEXT = "recurrent"


class Trace(NamedTuple):
    """One run of the explorer's RNN over a sequence."""

    tokens: list[str]    # T characters
    alphabet: list[str]  # D symbols, the one-hot order
    x: np.ndarray        # (T, D) one-hot inputs
    h: np.ndarray        # (T, H) hidden states
    o: np.ndarray        # (T, K) output probabilities
    memory: np.ndarray   # (T,) ||h_t - h'_t||, h' the state when only x_0 differs


def explorer_weights(D: int, H: int = 8, gain: float = 0.9, seed: int = 0) -> dict:
    """Random weights for the explorer: U (H, D), W = gain * orthogonal (H, H), V (D, H).

    U's entries are N(0, 1), so one one-hot input moves the pre-activation by O(1); no biases,
    so h_{-1} = 0 stays 0 until the first input arrives.
    """
    if gain < 0:
        raise ValueError(f"gain must be >= 0, got {gain}")
    rng = np.random.default_rng(seed)
    return {"U": rng.standard_normal((H, D)),
            "W": gain * random_orthogonal(H, H, rng),
            "V": rng.standard_normal((D, H))}


def run_explorer_rnn(text: str = DEFAULT_TEXT, H: int = 8, gain: float = 0.9,
                     seed: int = 0) -> Trace:
    """Run the explorer's RNN over ``text`` (one character per step) and collect what it shows.

    The comparison run replaces the first character with the next symbol of the alphabet, so
    ``memory[t]`` measures how much h_t still depends on x_0.
    """
    if len(text) < 2:
        raise ValueError(f"text needs at least 2 characters, got {text!r}")
    alphabet = sorted(set(text))
    if len(alphabet) < 2:
        raise ValueError(f"text needs at least 2 different characters, got {text!r}")
    ids = np.array([alphabet.index(c) for c in text])
    alt = ids.copy()
    alt[0] = (ids[0] + 1) % len(alphabet)          # same sequence, other first symbol
    x = one_hot(np.stack([ids, alt]), len(alphabet))  # (T, 2, D): both runs as one batch
    weights = explorer_weights(len(alphabet), H, gain, seed)
    h, _ = rnn_forward(x, np.zeros((2, H)), weights["U"], weights["W"], None, None)  # (T, 2, H)
    memory = np.linalg.norm(h[:, 0] - h[:, 1], axis=1)
    o = np.exp(log_softmax(h[:, 0] @ weights["V"].T))  # (T, K)
    return Trace(list(text), alphabet, x[:, 0], h[:, 0], o, memory)


class StepFigure:
    """The explorer's figure, built once and redrawn for any step t by :meth:`show`.

    Rendering dominates the cost of a frame; one figure whose layout is computed once, with only
    data, outlines and titles changed per step, renders several times faster than a new figure
    per step.

    Attributes: ``fig`` and its axes ``ax_x`` (inputs), ``ax_h`` (hidden states), ``ax_o``
    (output) and ``ax_m`` (memory of x_0).
    """

    def __init__(self, trace: Trace):
        self.trace = trace
        T, H = trace.h.shape
        D = len(trace.alphabet)
        self.fig, (self.ax_x, self.ax_h, self.ax_o, self.ax_m) = new_figure(
            ncols=4, width=9.0, height=2.6)
        steps = np.arange(T)

        self.ax_x.imshow(trace.x.T, cmap="Blues", vmin=0, vmax=1.3, aspect="auto")
        self.ax_x.set_title("inputs $x_t$ (one-hot)")
        self.ax_x.set_yticks(range(D), trace.alphabet)
        self.hidden_image = self.ax_h.imshow(np.full((H, T), np.nan), cmap="PuOr_r",
                                             vmin=-1, vmax=1, aspect="auto")
        self.ax_h.set_ylabel("hidden unit")
        self.fig.colorbar(self.hidden_image, ax=self.ax_h, shrink=0.8, ticks=[-1, 0, 1])
        self.outlines = []
        for ax in (self.ax_x, self.ax_h):
            ax.set_xticks(steps, trace.tokens)
            ax.grid(False)
            low, high = sorted(ax.get_ylim())
            # imshow centres column t on the integer t
            self.outlines.append(ax.add_patch(Rectangle(
                (-0.5, low), 1, high - low, fill=False, linewidth=2,
                edgecolor=PALETTE["text"], gid="current-step")))

        self.bars = self.ax_o.bar(range(D), np.zeros(D), color=PALETTE["output"])
        self.ax_o.set_xticks(range(D), trace.alphabet)
        self.ax_o.set_ylim(0, 1)

        (self.memory_line,) = self.ax_m.plot([], [], "o-", color=PALETTE["hidden"])
        self.ax_m.set_xlim(-0.5, T - 0.5)
        self.ax_m.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.ax_m.set_ylim(0, 1.1 * max(trace.memory.max(), 1e-3))
        self.ax_m.set_xlabel("step $t$")
        self.ax_m.set_ylabel(r"$\|h_t - h'_t\|$")
        self.ax_m.set_title("memory of $x_0$")

    def show(self, t: int):
        """Redraw for step t: states up to t, o_t, memory up to t. Returns the figure."""
        T = len(self.trace.tokens)
        if not 0 <= t < T:
            raise ValueError(f"t must be in [0, {T - 1}], got {t}")
        # states not computed yet are blank (NaN): the strip fills in as t grows
        shown = np.full(self.trace.h.T.shape, np.nan)
        shown[:, : t + 1] = self.trace.h[: t + 1].T
        self.hidden_image.set_data(shown)
        self.ax_h.set_title(f"hidden states $h_0 \\ldots h_{{{t}}}$")
        for outline in self.outlines:
            outline.set_x(t - 0.5)
        for bar, p in zip(self.bars, self.trace.o[t]):
            bar.set_height(p)
        self.ax_o.set_title(f"output $o_{{{t}}}$ (untrained)")
        self.memory_line.set_data(np.arange(t + 1), self.trace.memory[: t + 1])
        return self.fig

    def freeze_layout(self):
        """Keep the axes where the layout engine put them, so redraws skip the layout pass."""
        self.fig.canvas.draw()
        self.fig.set_layout_engine("none")


def draw_step(trace: Trace, t: int):
    """One frame: inputs, hidden states up to step t, output o_t and the memory of x_0.

    Returns
    -------
    matplotlib.figure.Figure with the four axes of :class:`StepFigure` (plus a colorbar).
    """
    return StepFigure(trace).show(t)


def _caption(trace: Trace, t: int) -> str:
    return (f"t = {t}: input '{trace.tokens[t]}', |h_t| mean {np.abs(trace.h[t]).mean():.2f}, "
            f"memory of x_0 {trace.memory[t]:.3f}")


def hidden_state_explorer(text: str = DEFAULT_TEXT, H: int = 8, gain: float = 0.9,
                          seed: int = 0, dpi: float = 80) -> FrameSlider:
    """The static explorer: one precomputed frame per step, in a kernel-free slider.

    Parameters
    ----------
    text : the input sequence, one character per step (keep it short: a frame per character).
    H : hidden units.   gain : modulus of W's eigenvalues.   seed : weights' seed.
    dpi : frame resolution.
    """
    trace = run_explorer_rnn(text, H, gain, seed)
    steps = range(len(trace.tokens))
    figure = StepFigure(trace)
    figure.freeze_layout()
    frames = [figure_to_png(figure.show(t), dpi, close=False, tight=False) for t in steps]
    plt.close(figure.fig)
    return FrameSlider(frames, [_caption(trace, t) for t in steps], label="t")


def live_explorer(text: str = DEFAULT_TEXT, H: int = 8, seed: int = 0):
    """The live explorer for Jupyter: sliders for the step t and the gain of W.

    Returns an ``ipywidgets.interactive`` (display it as a cell's last expression). Needs a
    running kernel; in the static book use :func:`hidden_state_explorer`.
    """
    try:
        import ipywidgets as widgets
    except ImportError as error:
        raise ImportError("live_explorer needs ipywidgets (pip install ipywidgets); "
                          "hidden_state_explorer() gives the static slider") from error
    from IPython.display import display

    def show(t, gain):
        fig = draw_step(run_explorer_rnn(text, H, gain, seed), t)
        display(fig)
        plt.close(fig)  # displayed once above; do not let the inline backend show it again

    return widgets.interactive(
        show,
        t=widgets.IntSlider(value=0, min=0, max=len(text) - 1, description="t"),
        gain=widgets.FloatSlider(value=0.9, min=0.0, max=2.0, step=0.1, description="gain of W"),
    )
