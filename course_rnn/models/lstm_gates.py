r"""What a trained LSTM's gates do: i, f, g, o, c and h at every step of a sequence.

:func:`gate_trace` takes the weights of a one-layer LSTM (torch.nn's, the torch backend's or the
NumPy backend's: they share their parameter names and layouts) and runs the NumPy
:func:`~course_rnn.numpy.lstm.lstm_forward` on the given inputs, whose cache keeps every gate
after its activation. Nothing is re-derived here: the trace is what the package's LSTM computes,

    i = sigmoid(a_i)   f = sigmoid(a_f)   g = tanh(a_g)   o = sigmoid(a_o)
    c_t = f * c_{t-1} + i * g              h_t = o * tanh(c_t)

from zero initial states, in float64.

Shapes: T steps, N sequences, D input features, H hidden units.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.numpy.lstm import lstm_forward
from course_rnn.shapes import expect_input

LSTM_WEIGHTS = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")


class GateTrace(NamedTuple):
    """Every gate and state of an LSTM layer at every step, each (T, N, H)."""

    i: np.ndarray   # input gate
    f: np.ndarray   # forget gate
    g: np.ndarray   # candidate
    o: np.ndarray   # output gate
    c: np.ndarray   # cell state
    h: np.ndarray   # hidden state


def _as_array(value) -> np.ndarray:
    """A float64 NumPy copy of an array or a (possibly CUDA, possibly trainable) tensor."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.array(value, dtype=np.float64)


def gate_trace(layer, inputs) -> GateTrace:
    """Run the LSTM ``layer`` over ``inputs`` and return every gate and state.

    Parameters
    ----------
    layer : a one-layer, one-direction LSTM without peepholes whose ``state_dict()`` has
        torch.nn's names (``weight_ih_l0`` (4H, D), ``weight_hh_l0`` (4H, H), ``bias_ih_l0``,
        ``bias_hh_l0``).
    inputs : (T, N, D) array or tensor, time-major.

    Returns
    -------
    GateTrace of (T, N, H) float64 arrays.
    """
    weights = {name: _as_array(value) for name, value in layer.state_dict().items()}
    if set(weights) != set(LSTM_WEIGHTS):
        raise ValueError(f"layer: expected a one-layer LSTM without peepholes, with the "
                         f"parameters {list(LSTM_WEIGHTS)}, got {sorted(weights)}")
    W_ih, W_hh, b_ih, b_hh = (weights[name] for name in LSTM_WEIGHTS)
    if W_hh.shape[0] != 4 * W_hh.shape[1]:
        raise ValueError(f"layer: expected an LSTM, whose weight_hh_l0 stacks 4 gate blocks "
                         f"(4H, H), got {W_hh.shape} (a GRU stacks 3, an RNN 1)")
    x = _as_array(inputs)
    expect_input("inputs", x, ("T", "N", "D"), (None, None, W_ih.shape[1]))
    H = W_hh.shape[1]
    zeros = np.zeros((x.shape[1], H))
    h, _, cache = lstm_forward(x, zeros, zeros, W_ih, W_hh, b_ih, b_hh)
    i, f, g, o = np.split(cache.gates, 4, axis=2)  # (T, N, H) each, after their activations
    return GateTrace(i, f, g, o, np.array(cache.c), np.array(h))
