r"""A target waveform with several time scales, for generating a sequence from no input.

Koutnik, Greff, Gomez and Schmidhuber (2014) test the clockwork RNN by asking a network with no
input to produce one fixed waveform (a short piece of audio) at its output, step by step. Any
signal whose parts change at different rates serves the same purpose; ours is a sum of sines,
one per period, with amplitudes and phases drawn from a seed:

    y_t = sum_j a_j sin(2 pi t / P_j + phi_j),        t = 0 .. T-1

then shifted and scaled to span [-1, 1]. A slow component (P_j comparable to T) is what a
network must carry across many steps; a fast one (P_j of a few steps) changes at every step.

Shapes: T time steps (``seq_len``), J components (one per period).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from course_rnn.shapes import expect_positive_ints

PERIODS = (6, 17, 45, 120)
"""The default components' periods, in steps: from a few steps to half the default length."""


def multiscale_waveform(seq_len: int = 240, periods: Sequence[float] = PERIODS,
                        seed: int = 0) -> np.ndarray:
    """A sum of sines with the given periods, scaled to span [-1, 1].

    Parameters
    ----------
    seq_len : T, the number of steps.
    periods : P_j, one component per entry, each longer than 2 steps (shorter would alias).
    seed : seeds the amplitudes a_j (uniform in [0.5, 1]) and phases phi_j (in [0, 2 pi)).

    Returns
    -------
    y : (T,) float64, min -1 and max 1.
    """
    expect_positive_ints(seq_len=seq_len)
    periods = np.asarray(periods, dtype=float)
    if periods.ndim != 1 or len(periods) == 0 or not np.all(periods > 2):
        raise ValueError(f"periods: expected a non-empty list of periods longer than 2 steps, "
                         f"got {periods.tolist()}")
    rng = np.random.default_rng(seed)
    amplitudes = rng.uniform(0.5, 1.0, len(periods))
    phases = rng.uniform(0.0, 2 * np.pi, len(periods))
    t = np.arange(seq_len)[:, None]                                     # (T, 1)
    y = (amplitudes * np.sin(2 * np.pi * t / periods + phases)).sum(axis=1)  # (T,)
    if np.ptp(y) == 0:
        raise ValueError(f"seq_len={seq_len} gives a constant waveform: use more steps")
    return 2 * (y - y.min()) / np.ptp(y) - 1


def normalised_mse(prediction, target) -> float:
    """NMSE: the mean squared error divided by the target's variance (0 perfect, 1 = its mean).

    Parameters
    ----------
    prediction, target : arrays of the same shape, e.g. (T,).
    """
    prediction, target = np.asarray(prediction, float), np.asarray(target, float)
    if prediction.shape != target.shape:
        raise ValueError(f"prediction: expected the target's shape {target.shape}, "
                         f"got {prediction.shape}")
    return float(np.mean((prediction - target) ** 2) / np.var(target))
