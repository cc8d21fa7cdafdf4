r"""Long short-term memory (Hochreiter & Schmidhuber 1997) in NumPy, forward and backward.

One step, with torch's gate order i, f, g, o stacked in the rows of the weights:

    [a_i, a_f, a_g, a_o] = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
    i = sigmoid(a_i)                        input gate
    f = sigmoid(a_f)                        forget gate
    g = tanh(a_g)                           candidate
    o = sigmoid(a_o)                        output gate
    c_t = f * c_{t-1} + i * g               cell state: the constant error carousel
    h_t = o * tanh(c_t)

Backward, given dh_t (all that reaches h_t) and dc_t (what step t+1 sends back to c_t):

    do = dh_t * tanh(c_t)                   dc = dc_t + dh_t * o * (1 - tanh(c_t)^2)
    di = dc * g      df = dc * c_{t-1}      dg = dc * i      dc_{t-1} = dc * f
    da_i = di * i(1 - i)   da_f = df * f(1 - f)   da_g = dg * (1 - g^2)   da_o = do * o(1 - o)

then, with da = [da_i, da_f, da_g, da_o], the same products as the plain RNN's. Along the cell
path dc_{t-1} = dc_t * f: a product of gates the network can hold near one, not of repeated
weight matrices and squashing derivatives. That is why gradients survive long spans.

The variant with peepholes is in ``lstm_peephole.py``.

Shapes: N batch, T time, D input features, H hidden units. W_ih (4H, D), W_hh (4H, H),
b_ih and b_hh (4H,) or None.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.numpy.activations import sigmoid
from course_rnn.numpy.init import forget_gate_bias_
from course_rnn.numpy.lstm_peephole import lstm_peephole_backward, lstm_peephole_forward
from course_rnn.numpy.recurrent import WEIGHT_NAMES, RecurrentLayer, recurrent_uniform
from course_rnn.shapes import (
    cell_arguments,
    expect_bias_for_forget_bias,
    gradients_like,
    validated,
)


class LSTMStepCache(NamedTuple):
    """What one step's backward needs from its forward."""

    x: np.ndarray        # (N, D)
    h_prev: np.ndarray   # (N, H)
    c_prev: np.ndarray   # (N, H)
    i: np.ndarray        # (N, H) input gate
    f: np.ndarray        # (N, H) forget gate
    g: np.ndarray        # (N, H) candidate
    o: np.ndarray        # (N, H) output gate
    c_next: np.ndarray   # (N, H)
    W_ih: np.ndarray     # (4H, D)
    W_hh: np.ndarray     # (4H, H)


@validated(cell_arguments(gates=4))
def lstm_step_forward(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
    """One LSTM step.

    Parameters
    ----------
    x : (N, D).   h_prev, c_prev : (N, H).
    W_ih : (4H, D).   W_hh : (4H, H).   b_ih, b_hh : (4H,) or None.

    Returns
    -------
    h_next (N, H), c_next (N, H), cache (LSTMStepCache).
    """
    a = x @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh      # (N, 4H)
    a_i, a_f, a_g, a_o = np.split(a, 4, axis=1)         # (N, H) each
    i = sigmoid(a_i)
    f = sigmoid(a_f)
    g = np.tanh(a_g)
    o = sigmoid(a_o)
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next, LSTMStepCache(x, h_prev, c_prev, i, f, g, o, c_next, W_ih, W_hh)


@validated(gradients_like(dh_next="c_next", dc_next="c_next"))
def lstm_step_backward(dh_next, dc_next, cache: LSTMStepCache):
    """Backward pass of :func:`lstm_step_forward`.

    Parameters
    ----------
    dh_next : (N, H) total gradient at h_next.
    dc_next : (N, H) gradient at c_next from what follows (step t+1), zeros at the end.
    cache : what the forward step returned.

    Returns
    -------
    dx (N, D), dh_prev (N, H), dc_prev (N, H), dW_ih (4H, D), dW_hh (4H, H), db_ih (4H,),
    db_hh (4H,). The bias gradients come back even for a forward without biases.
    """
    x, h_prev, c_prev, i, f, g, o, c_next, W_ih, W_hh = cache
    tanh_c = np.tanh(c_next)
    do = dh_next * tanh_c
    dc = dc_next + dh_next * o * (1 - tanh_c**2)        # c_next feeds h_next and step t+1
    di = dc * g
    df = dc * c_prev
    dg = dc * i
    dc_prev = dc * f
    da = np.concatenate([di * i * (1 - i), df * f * (1 - f), dg * (1 - g**2),
                         do * o * (1 - o)], axis=1)      # (N, 4H): da_i, da_f, da_g, da_o
    dx = da @ W_ih
    dh_prev = da @ W_hh
    dW_ih = da.T @ x
    dW_hh = da.T @ h_prev
    db_ih = da.sum(axis=0)
    db_hh = db_ih.copy()               # both biases add to a, so they share its gradient
    return dx, dh_prev, dc_prev, dW_ih, dW_hh, db_ih, db_hh


class LSTMCache(NamedTuple):
    """What :func:`lstm_backward` needs from :func:`lstm_forward`."""

    x: np.ndarray        # (T, N, D)
    h_init: np.ndarray   # (N, H) the states before the first step
    c_init: np.ndarray   # (N, H)
    gates: np.ndarray    # (T, N, 4H) i, f, g, o of every step
    c: np.ndarray        # (T, N, H)
    tanh_c: np.ndarray   # (T, N, H)
    h: np.ndarray        # (T, N, H)
    W_ih: np.ndarray
    W_hh: np.ndarray


@validated(cell_arguments(gates=4, sequence=True))
def lstm_forward(x, h_init, c_init, W_ih, W_hh, b_ih, b_hh):
    """Run an LSTM over a time-major sequence: :func:`lstm_step_forward` T times, faster.

    Parameters
    ----------
    x : (T, N, D).   h_init, c_init : (N, H) the states before the first step.
    W_ih, W_hh, b_ih, b_hh : as in :func:`lstm_step_forward`.

    Returns
    -------
    h : (T, N, H) hidden state at every step.   c_n : (N, H) final cell state.
    cache : LSTMCache for :func:`lstm_backward`.
    """
    T, N, D = x.shape
    H = h_init.shape[1]
    # Optimisation: x_t W_ih^T + b_ih + b_hh for all T steps as one (T*N, D) @ (D, 4H)
    # product; the loop adds only h_{t-1} W_hh^T. The gates are then computed in place.
    gates = (x.reshape(T * N, D) @ W_ih.T).reshape(T, N, 4 * H)
    gates += b_ih + b_hh
    c = np.empty((T, N, H), dtype=gates.dtype)
    tanh_c = np.empty_like(c)
    h = np.empty_like(c)
    h_prev, c_prev = h_init, c_init
    for t in range(T):
        a = gates[t]
        a += h_prev @ W_hh.T
        i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]  # views of gates[t]
        sigmoid(a[:, :2 * H], out=a[:, :2 * H])        # i and f in one call
        np.tanh(g, out=g)
        sigmoid(o, out=o)
        c[t] = f * c_prev + i * g
        np.tanh(c[t], out=tanh_c[t])
        np.multiply(o, tanh_c[t], out=h[t])     # h_t = o * tanh(c_t)
        h_prev, c_prev = h[t], c[t]
    for saved in (h, c):
        saved.setflags(write=False)  # callers get them; backward needs them unchanged
    return h, c[-1].copy(), LSTMCache(x, h_init, c_init, gates, c, tanh_c, h, W_ih, W_hh)


@validated(gradients_like(dh="h", dc_n="c_init"))
def lstm_backward(dh, cache: LSTMCache, dc_n=None):
    """Backpropagation through time for :func:`lstm_forward`.

    Parameters
    ----------
    dh : (T, N, H) upstream gradient at every hidden state (that of h_n belongs in dh[-1]).
    cache : what :func:`lstm_forward` returned.
    dc_n : (N, H) gradient at the final cell state, or None for zero.

    Returns
    -------
    dx (T, N, D), dh_init (N, H), dc_init (N, H), dW_ih (4H, D), dW_hh (4H, H), db_ih (4H,),
    db_hh (4H,).
    """
    x, h_init, c_init, gates, c, tanh_c, h, W_ih, W_hh = cache
    T, N, H = h.shape
    c_prev = np.concatenate([c_init[None], c[:-1]])     # (T, N, H): c_{t-1} of every step
    da = np.empty_like(gates)                            # (T, N, 4H)
    dh_prev = np.zeros_like(h_init)   # what step t+1 sent back to h_t; nothing after the end
    dc_prev = np.zeros_like(c_init) if dc_n is None else dc_n
    for t in reversed(range(T)):
        a = gates[t]
        i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        dh_t = dh[t] + dh_prev
        dc = dc_prev + dh_t * o * (1 - tanh_c[t] ** 2)
        da_t = da[t]                                                # written in place, by gate
        da_i, da_f, da_g, da_o = (da_t[:, :H], da_t[:, H:2 * H], da_t[:, 2 * H:3 * H],
                                  da_t[:, 3 * H:])
        np.multiply(dc * g, i * (1 - i), out=da_i)
        np.multiply(dc * c_prev[t], f * (1 - f), out=da_f)
        np.multiply(dc * i, 1 - g * g, out=da_g)
        np.multiply(dh_t * tanh_c[t], o * (1 - o), out=da_o)
        dc_prev = dc * f
        dh_prev = da[t] @ W_hh
    # Optimisation: the weight gradients, sums over time, as one product each over T*N rows.
    h_prev = np.concatenate([h_init[None], h[:-1]])     # (T, N, H)
    da_rows = da.reshape(T * N, 4 * H)
    dx = (da_rows @ W_ih).reshape(x.shape)
    dW_ih = da_rows.T @ x.reshape(T * N, x.shape[2])
    dW_hh = da_rows.T @ h_prev.reshape(T * N, H)
    db_ih = da_rows.sum(axis=0)
    return dx, dh_prev, dc_prev, dW_ih, dW_hh, db_ih, db_ih.copy()


def peephole_weights(hidden_size: int, rng: np.random.Generator, dtype) -> np.ndarray:
    """(3, H) peephole weights p_i, p_f, p_o, drawn like every other weight: U(-1/√H, 1/√H)."""
    return recurrent_uniform((3, hidden_size), hidden_size, rng, dtype)


def set_forget_bias(module, forget_bias) -> None:
    """The ``forget_bias`` option of LSTM and LSTMCell: None leaves torch.nn's initialisation."""
    expect_bias_for_forget_bias(forget_bias, module.bias)
    if forget_bias is not None:
        forget_gate_bias_(module, forget_bias)


class LSTM(RecurrentLayer):
    """Multi-layer LSTM with torch.nn.LSTM's arguments, shapes and parameter names.

    Parameters
    ----------
    input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, merge,
    dtype, rng :
        as for :class:`~course_rnn.numpy.rnn.RNN`.
    peephole : add peephole weights ``weight_peephole_l{k}`` (3, H), rows p_i, p_f, p_o
        (Gers & Schmidhuber 2000). torch.nn has no such option; the default keeps its LSTM.
    forget_bias : if given, start with a forget-gate bias of this value (the f slice of
        ``bias_ih`` set to it, of ``bias_hh`` to 0) so that the cell remembers by default
        (Gers et al. 2000; Jozefowicz et al. 2015 recommend 1).

    ``forward(input, (h_0, c_0)=None) -> (output, (h_n, c_n))`` and
    ``backward(doutput, (dh_n, dc_n)=None) -> (dx, (dh_0, dc_0))``.
    """

    gates = 4
    state_size = 2

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, *, merge="concat", peephole=False,
                 forget_bias=None, dtype=np.float64, rng=None):
        self.peephole, self.forget_bias = peephole, forget_bias
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, merge=merge, dtype=dtype, rng=rng)
        set_forget_bias(self, forget_bias)

    def _add_extra_params(self, suffix, rng):
        if self.peephole:
            self.params["weight_peephole" + suffix] = peephole_weights(self.hidden_size, rng,
                                                                       self.dtype)

    def _extra_names(self):
        return ("weight_peephole",) if self.peephole else ()

    def _sequence_forward(self, x, state0, params):
        weights = [params[n] for n in WEIGHT_NAMES]
        if self.peephole:
            h, c_n, cache = lstm_peephole_forward(x, *state0, *weights,
                                                  params["weight_peephole"])
        else:
            h, c_n, cache = lstm_forward(x, *state0, *weights)
        return h, (h[-1], c_n), cache

    def _sequence_backward(self, dh, d_final_rest, cache):
        backward = lstm_peephole_backward if self.peephole else lstm_backward
        dx, dh_init, dc_init, *grads = backward(dh, cache, dc_n=d_final_rest[0])
        names = (*WEIGHT_NAMES, "weight_peephole")
        return dx, (dh_init, dc_init), dict(zip(names, grads))
