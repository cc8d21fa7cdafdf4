r"""Diagrams of recurrent networks: the folded cell, its unrolled chain, and the five architectures.

Every diagram is built from one drawing routine, :func:`draw_chain`, that places T steps side by
side: an input box x_t under a hidden box h_t under an output box o_t, with the weights on the
arrows (U: input to hidden, W: hidden to next hidden, V: hidden to output). Whether step t has an
input and an output is a per-step flag, which is all that separates one-to-many from
many-to-one or from an encoder-decoder.

Colours follow the course's roles (``PALETTE``): inputs blue, hidden states orange, outputs green,
weights grey. Each drawn box carries its role as matplotlib ``gid`` (``"input"``, ``"hidden"``,
``"output"``), so tests and callers can find them with ``patch.get_gid()``.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from course_rnn.viz.style import PALETTE, new_figure

BOX_W, BOX_H = 0.7, 0.5        # size of a node, in data units
STEP_DX = 1.5                  # horizontal distance between steps
ROW_Y = {"input": 0.0, "hidden": 1.3, "output": 2.6}

ARCHITECTURES = {
    # name: (title, inputs per step, outputs per step, an example task)
    "one-to-one": ("one to one", [True], [True], "image classification"),
    "one-to-many": ("one to many", [True, False, False], [True, True, True],
                    "image captioning"),
    "many-to-one": ("many to one", [True, True, True], [False, False, True],
                    "sentiment of a sentence"),
    "many-to-many": ("many to many (aligned)", [True, True, True], [True, True, True],
                     "tagging every frame/word"),
    "encoder-decoder": ("many to many (T to T')", [True, True, True, False, False],
                        [False, False, False, True, True], "translation"),
}
"""The architectures :func:`architecture_diagram` draws, with their per-step input/output flags."""


def _box(ax, center, role, text, fontsize=11):
    """A rounded box in the colour of ``role`` with ``text`` inside."""
    x, y = center
    box = FancyBboxPatch((x - BOX_W / 2, y - BOX_H / 2), BOX_W, BOX_H,
                         boxstyle="round,pad=0.02,rounding_size=0.12",
                         facecolor=PALETTE[role], edgecolor="none", alpha=0.9, gid=role)
    ax.add_patch(box)
    ax.text(x, y, text, ha="center", va="center", color="white", fontsize=fontsize,
            fontweight="bold")
    return box


def _arrow(ax, start, end, label=None, label_offset=(0.0, 0.0), connectionstyle="arc3",
           fontsize=11):
    """A grey arrow from ``start`` to ``end``; ``label`` (a weight name) sits near its middle."""
    arrow = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, linewidth=1.4,
                            color=PALETTE["weight"], connectionstyle=connectionstyle,
                            shrinkA=0, shrinkB=0, gid="arrow")
    ax.add_patch(arrow)
    if label:
        mx = (start[0] + end[0]) / 2 + label_offset[0]
        my = (start[1] + end[1]) / 2 + label_offset[1]
        ax.text(mx, my, label, ha="center", va="center", color=PALETTE["weight"],
                fontsize=fontsize, fontstyle="italic")
    return arrow


def _flags(value, T, name):
    """Per-step booleans from a bool (every step) or a sequence of T bools."""
    if isinstance(value, bool):
        return [value] * T
    flags = [bool(v) for v in value]
    if len(flags) != T:
        raise ValueError(f"{name} must be a bool or {T} flags (one per step), got {len(flags)}")
    return flags


def draw_chain(ax, T: int, inputs=True, outputs=True, *, x0: float = 0.0,
               weight_labels: bool = True, initial_state: bool = True, fontsize: int = 11,
               recurrence: str = "hidden"):
    r"""Draw an unrolled RNN of T steps into ``ax``; step t sits at x = x0 + t * STEP_DX.

    Parameters
    ----------
    ax : matplotlib Axes (its limits are left to the caller).
    T : number of steps, >= 1.
    inputs, outputs : True/False for every step, or T flags (x_t or o_t drawn where True).
    weight_labels : write U, W, V on the arrows.
    initial_state : draw the incoming state h_{-1} = 0 left of the first step.
    recurrence : ``"hidden"`` (Elman: h_{t-1} -> h_t through W) or ``"output"`` (Jordan:
        o_{t-1} -> h_t through a matrix labelled R; needs an output at every step but the last).

    Returns
    -------
    The x coordinate of the last step's centre.
    """
    if T < 1:
        raise ValueError(f"T must be at least 1, got {T}")
    if recurrence not in ("hidden", "output"):
        raise ValueError(f"recurrence must be 'hidden' or 'output', got {recurrence!r}")
    has_x = _flags(inputs, T, "inputs")
    has_o = _flags(outputs, T, "outputs")
    if recurrence == "output" and not all(has_o[:-1]):
        raise ValueError("output-to-hidden recurrence needs an output at every step but the last")
    half_w, half_h = BOX_W / 2, BOX_H / 2
    yx, yh, yo = ROW_Y["input"], ROW_Y["hidden"], ROW_Y["output"]

    def weight(name):
        return f"${name}$" if weight_labels else None

    if initial_state and recurrence == "hidden":
        start = x0 - STEP_DX + half_w
        ax.text(start, yh, "$h_{-1}=0$", ha="right", va="center", fontsize=fontsize - 1,
                color=PALETTE["text"])
        _arrow(ax, (start + 0.05, yh), (x0 - half_w, yh), weight("W"), (0, 0.18),
               fontsize=fontsize)
    for t in range(T):
        x = x0 + t * STEP_DX
        _box(ax, (x, yh), "hidden", f"$h_{{{t}}}$", fontsize)
        if has_x[t]:
            _box(ax, (x, yx), "input", f"$x_{{{t}}}$", fontsize)
            _arrow(ax, (x, yx + half_h), (x, yh - half_h), weight("U"), (-0.17, 0),
                   fontsize=fontsize)
        if has_o[t]:
            _box(ax, (x, yo), "output", f"$o_{{{t}}}$", fontsize)
            _arrow(ax, (x, yh + half_h), (x, yo - half_h), weight("V"), (-0.17, 0),
                   fontsize=fontsize)
        if t + 1 < T and recurrence == "hidden":
            _arrow(ax, (x + half_w, yh), (x + STEP_DX - half_w, yh), weight("W"), (0, 0.18),
                   fontsize=fontsize)
        elif t + 1 < T:
            _arrow(ax, (x + half_w, yo - half_h), (x + STEP_DX - half_w, yh + half_h),
                   weight("R"), (0.12, 0.2), fontsize=fontsize)
    return x0 + (T - 1) * STEP_DX


def _draw_folded(ax, x):
    """The folded cell: x_t -> h_t -> o_t with a loop on h_t that stands for W h_{t-1}."""
    yx, yh, yo = ROW_Y["input"], ROW_Y["hidden"], ROW_Y["output"]
    _box(ax, (x, yx), "input", "$x_t$")
    _box(ax, (x, yh), "hidden", "$h_t$")
    _box(ax, (x, yo), "output", "$o_t$")
    _arrow(ax, (x, yx + BOX_H / 2), (x, yh - BOX_H / 2), "$U$", (-0.17, 0))
    _arrow(ax, (x, yh + BOX_H / 2), (x, yo - BOX_H / 2), "$V$", (-0.17, 0))
    # the loop leaves the right edge and comes back into it: the state feeds the next step
    edge = x + BOX_W / 2
    _arrow(ax, (edge, yh + 0.2), (edge, yh - 0.2), connectionstyle="arc3,rad=-2.4")
    ax.text(edge + 0.6, yh, "$W$", ha="left", va="center", color=PALETTE["weight"],
            fontsize=11, fontstyle="italic")
    ax.text(edge + 0.3, yh - 0.55, "delay 1 step", ha="center", va="top",
            color=PALETTE["weight"], fontsize=9)


def _finish(ax, x_min, x_max, y_min=-0.55, y_max=3.0):
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    ax.set_aspect("equal")
    ax.axis("off")


def unrolled_rnn(T: int = 4, inputs=True, outputs=True, *, folded: bool = True):
    r"""The folded RNN cell (with its loop) and the same network unrolled over T steps.

    Parameters
    ----------
    T : number of unrolled steps (1 to 8 read well).
    inputs, outputs : True/False for every step, or T flags: which steps have an x_t / an o_t.
    folded : draw the folded cell and an "unfold" arrow to the left of the chain.

    Returns
    -------
    matplotlib.figure.Figure
    """
    chain_x0 = 4.0 if folded else 1.6
    width_units = chain_x0 + (T - 1) * STEP_DX + BOX_W
    fig, ax = new_figure(width=0.75 * width_units + 0.4, height=2.7)
    if folded:
        _draw_folded(ax, 0.0)
        ax.annotate("", xy=(2.05, ROW_Y["hidden"]), xytext=(1.5, ROW_Y["hidden"]),
                    arrowprops={"arrowstyle": "simple", "color": PALETTE["muted"]})
        ax.text(1.78, ROW_Y["hidden"] + 0.35, "unfold", ha="center", fontsize=9,
                color=PALETTE["weight"])
    last = draw_chain(ax, T, inputs, outputs, x0=chain_x0)
    _finish(ax, -0.6 if folded else 0.0, last + BOX_W)
    return fig


def feedback_figure(T: int = 3):
    """Two unrolled chains side by side: hidden-to-hidden (Elman) and output-to-hidden (Jordan).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, (left, right) = new_figure(ncols=2, width=0.5 * 2 * (T + 0.6) * STEP_DX, height=2.5)
    for ax, recurrence, title in ((left, "hidden", "hidden to hidden (Elman)"),
                                  (right, "output", "output to hidden (Jordan)")):
        last = draw_chain(ax, T, recurrence=recurrence, initial_state=False, fontsize=10)
        ax.set_title(title, fontsize=10)
        _finish(ax, -BOX_W, last + BOX_W)
    return fig


def _panel_units(kind):
    """Horizontal extent of one architecture panel, in data units (at least two steps wide)."""
    return max(len(ARCHITECTURES[kind][1]), 2) * STEP_DX


def architecture_diagram(kind: str, ax=None):
    """Draw one input/output architecture (a key of :data:`ARCHITECTURES`) into ``ax``.

    Returns the Axes; a new figure is made when ``ax`` is None.
    """
    if kind not in ARCHITECTURES:
        raise ValueError(f"kind must be one of {sorted(ARCHITECTURES)}, got {kind!r}")
    title, has_x, has_o, example = ARCHITECTURES[kind]
    if ax is None:
        _, ax = new_figure(width=0.45 * _panel_units(kind) + 0.3, height=2.4)
    T = len(has_x)
    last = draw_chain(ax, T, has_x, has_o, weight_labels=False, initial_state=False,
                      fontsize=10)
    ax.set_title(title, fontsize=10)
    ax.text(last / 2, -0.95, example, ha="center", va="top", fontsize=10,
            color=PALETTE["weight"], fontstyle="italic")
    if kind == "encoder-decoder":
        # the state after reading all N inputs is the summary the decoder starts from
        n_in = sum(has_x)
        for name, first, stop, role in (("encoder", 0, n_in, "input"),
                                        ("decoder", n_in, T, "output")):
            ax.text((first + stop - 1) / 2 * STEP_DX, -0.45, name, ha="center", va="top",
                    fontsize=10, color=PALETTE[role])
    centre, half = last / 2, _panel_units(kind) / 2
    _finish(ax, centre - half, centre + half, y_min=-1.3, y_max=3.0)
    return ax


def architectures_figure(kinds: Sequence[str] | None = None, per_row: int = 3):
    """The chosen architectures (default: all five), ``per_row`` panels per row.

    Panels are as wide as their number of steps, so all boxes have the same size.

    Returns
    -------
    matplotlib.figure.Figure
    """
    kinds = list(ARCHITECTURES) if kinds is None else list(kinds)
    unknown = [k for k in kinds if k not in ARCHITECTURES]
    if unknown or not kinds:
        raise ValueError(f"choose one or more of {sorted(ARCHITECTURES)}, got {kinds}")
    rows = [kinds[i:i + per_row] for i in range(0, len(kinds), per_row)]
    widest = max(sum(_panel_units(k) for k in row) for row in rows)
    fig, _ = new_figure(width=0.5 * widest + 0.4, height=2.3 * len(rows))
    fig.delaxes(fig.axes[0])
    for subfig, row in zip(_as_list(fig.subfigures(len(rows), 1)), rows):
        units = [_panel_units(k) for k in row]
        # a row narrower than the widest one gets an empty panel that pads it on the right
        ratios = units + ([widest - sum(units)] if sum(units) < widest else [])
        axes = _as_list(subfig.subplots(1, len(ratios), width_ratios=ratios))
        for ax, kind in zip(axes, row):
            architecture_diagram(kind, ax)
        for ax in axes[len(row):]:
            ax.axis("off")
    return fig


def _as_list(items):
    """matplotlib returns one object or an array; always a list."""
    return list(items.flat) if hasattr(items, "flat") else [items]
