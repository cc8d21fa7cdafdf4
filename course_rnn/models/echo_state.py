r"""An echo state network: a fixed random reservoir, and only its linear read-out fitted.

Jaeger (2001) keeps the recurrent weights of an RNN fixed at a random draw (the *reservoir*)
and trains only the read-out, which is linear, so training is one least-squares solve. Here
the reservoir runs with no input from a random initial state, like the generators of
:mod:`course_rnn.models.waveform_generation`:

    h_t = tanh(W h_{t-1}),      h_{-1} ~ U(-1, 1)      W (H, H) random, spectral radius rho
    o_t = v . h_t + c           v, c by least squares on the target y_0 .. y_{T-1}

W is drawn N(0, 1) and scaled so that its largest absolute eigenvalue is rho. With rho near or
above 1 the free-running reservoir keeps moving instead of settling, so its H traces form a
basis in which the read-out can express the target; only the H + 1 read-out weights are fitted.

Shapes: T time steps, H reservoir units.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.data.waveform import normalised_mse
from course_rnn.shapes import expect_input, expect_non_negative, expect_positive_ints


class EchoStateFit(NamedTuple):
    """The read-out's output (T,), its NMSE and the number of fitted weights (H + 1)."""

    output: np.ndarray
    nmse: float
    fitted: int


def reservoir_states(reservoir_size: int, seq_len: int, spectral_radius: float = 1.2,
                     seed: int = 0) -> np.ndarray:
    """The free-running reservoir's states h_0 .. h_{T-1}, (T, H)."""
    expect_positive_ints(reservoir_size=reservoir_size, seq_len=seq_len)
    expect_non_negative(spectral_radius=spectral_radius)
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((reservoir_size, reservoir_size))
    W *= spectral_radius / np.abs(np.linalg.eigvals(W)).max()
    h = rng.uniform(-1, 1, reservoir_size)
    states = np.empty((seq_len, reservoir_size))
    for t in range(seq_len):
        h = np.tanh(W @ h)
        states[t] = h
    return states


def fit_echo_state(target, reservoir_size: int, spectral_radius: float = 1.2,
                   seed: int = 0) -> EchoStateFit:
    """Fit the read-out v, c of a seeded reservoir to ``target`` (T,) by least squares."""
    expect_input("target", target, ("T",), (None,))
    target = np.asarray(target, dtype=np.float64)
    states = reservoir_states(reservoir_size, len(target), spectral_radius, seed)
    features = np.column_stack([states, np.ones(len(target))])       # (T, H + 1): [h_t, 1]
    readout = np.linalg.lstsq(features, target, rcond=None)[0]         # (H + 1,): [v, c]
    output = features @ readout
    return EchoStateFit(output, normalised_mse(output, target), reservoir_size + 1)
