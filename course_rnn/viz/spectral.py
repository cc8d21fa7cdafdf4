"""The spectral-radius explorer: gradient norm against distance for tanh and sigmoid, per scale.

:func:`spectral_frame` draws one scale s of the recurrent matrix: for each nonlinearity the
measured ||dL_t/dh_k|| against t - k on a log axis, with the bound (s * gamma)^(t-k) of Pascanu
et al. (2013) dotted. :func:`spectral_explorer` makes one frame per scale and wraps them in a
kernel-free :class:`~course_rnn.viz.frames.FrameSlider`, so the slider moves in the static book.
"""

from __future__ import annotations

import numpy as np

from course_rnn.models.spectral_sweep import GAMMA
from course_rnn.viz.frames import FrameSlider
from course_rnn.viz.style import PALETTE, SERIES, new_figure


def spectral_frame(scale: float, norms, *, ylim=(1e-20, 1e12)):
    """One frame: ``norms`` is ``{nonlinearity: (d_max + 1,) measured norms}`` at this scale.

    Returns
    -------
    (fig, axes), one panel per nonlinearity.
    """
    if not norms:
        raise ValueError("norms: expected at least one nonlinearity")
    unknown = set(norms) - set(GAMMA)
    if unknown:
        raise KeyError(f"norms: no gamma known for {sorted(unknown)}; expected {list(GAMMA)}")
    fig, axes = new_figure(ncols=len(norms), width=4.2 * len(norms), height=2.6)
    axes = np.atleast_1d(axes)
    for ax, (name, curve), color in zip(axes, norms.items(), SERIES):
        curve = np.asarray(curve, dtype=float)
        distance = np.arange(len(curve))
        bound = (scale * GAMMA[name]) ** distance
        ax.plot(distance, np.clip(curve, *ylim), color=color, linewidth=2, label="measured")
        ax.plot(distance, np.clip(bound, *ylim), color=PALETTE["weight"], linestyle=":",
                linewidth=1.5, label=r"bound $(s\gamma)^{t-k}$")
        ax.axhline(1.0, color=PALETTE["muted"], linewidth=0.8)
        regime = "must vanish" if scale * GAMMA[name] < 1 else "may explode"
        ax.set_title(f"{name}: 1/γ = {1 / GAMMA[name]:g}, s = {scale:g} ({regime})")
        ax.set(yscale="log", ylim=ylim, xlabel="distance t - k")
        ax.legend(loc="lower left")
    axes[0].set_ylabel(r"$\|\partial L_t / \partial h_k\|$")
    return fig, axes


def spectral_explorer(scales, norms_by_scale, *, dpi: float = 80) -> FrameSlider:
    """A slider over ``scales``; ``norms_by_scale[s]`` is a ``norms`` of :func:`spectral_frame`."""
    scales = list(scales)
    missing = [s for s in scales if s not in norms_by_scale]
    if missing:
        raise KeyError(f"norms_by_scale: no curves for the scales {missing}")
    frames = [spectral_frame(s, norms_by_scale[s])[0] for s in scales]
    captions = [f"largest singular value of W_hh: s = {s:g}" for s in scales]
    return FrameSlider(frames, captions, label="s", dpi=dpi)
