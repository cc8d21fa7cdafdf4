r"""Long short-term memory (Hochreiter & Schmidhuber 1997) in NumPy, forward and backward.

One step, with torch's gate order i, f, g, o stacked in the rows of the weights:

    [a_i, a_f, a_g, a_o] = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
    i = sigmoid(a_i + p_i * c_{t-1})        input gate
    f = sigmoid(a_f + p_f * c_{t-1})        forget gate
    g = tanh(a_g)                           candidate
    c_t = f * c_{t-1} + i * g               cell state: the constant error carousel
    o = sigmoid(a_o + p_o * c_t)            output gate
    h_t = o * tanh(c_t)

The peephole terms p (Gers & Schmidhuber 2000) are optional; ``peephole=None`` gives torch.nn's
LSTM. The cell update c_t = f * c_{t-1} + i * g is why gradients survive long spans: along the
cell path dc_{t-1} = dc_t * f, a product of gates the network can hold near one, not of
repeated weight matrices and squashing derivatives.

Shapes: N batch, T time, D input features, H hidden units. W_ih (4H, D), W_hh (4H, H),
b_ih and b_hh (4H,) or None, peephole (3, H) with rows p_i, p_f, p_o, or None.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.numpy.activations import sigmoid, sigmoid_grad, tanh_grad
from course_rnn.numpy.bias import add_biases, bias_grads, has_biases
from course_rnn.numpy.init import forget_gate_bias_
from course_rnn.numpy.recurrent import RecurrentLayer, recurrent_uniform
from course_rnn.numpy.validate import check_sequence_args, check_step_args, check_upstream
from course_rnn.shapes import expect_input


class LSTMStepCache(NamedTuple):
    """What one step's backward needs from its forward."""

    x: np.ndarray        # (N, D)
    h_prev: np.ndarray   # (N, H)
    c_prev: np.ndarray   # (N, H)
    gates: np.ndarray    # (N, 4H) activated i, f, g, o
    c_next: np.ndarray   # (N, H)
    tanh_c: np.ndarray   # (N, H)
    W_ih: np.ndarray     # (4H, D)
    W_hh: np.ndarray     # (4H, H)
    peephole: np.ndarray | None  # (3, H)
    has_bias: tuple[bool, bool]


def _check_peephole(peephole, H):
    if peephole is not None:
        expect_input("peephole", peephole, ("3", "H"), (3, H),
                     "Rows are the peephole weights of the i, f and o gates")


def lstm_cell_update(a, c_prev, peephole=None):
    """The nonlinear part of a step, shared by the step and the sequence functions.

    Parameters
    ----------
    a : (N, 4H) gate pre-activations without peepholes; overwritten with the activated gates.
    c_prev : (N, H) previous cell state.   peephole : (3, H) or None.

    Returns
    -------
    gates (N, 4H) activated i, f, g, o (the buffer ``a``), c_next (N, H), tanh_c (N, H).
    """
    H = c_prev.shape[1]
    if peephole is not None:
        a[:, :2 * H] += np.concatenate([peephole[0] * c_prev, peephole[1] * c_prev], axis=1)
    sigmoid(a[:, :2 * H], out=a[:, :2 * H])  # i, f
    np.tanh(a[:, 2 * H:3 * H], out=a[:, 2 * H:3 * H])  # g
    i, f, g = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H]
    c_next = f * c_prev + i * g
    if peephole is not None:
        a[:, 3 * H:] += peephole[2] * c_next
    sigmoid(a[:, 3 * H:], out=a[:, 3 * H:])  # o
    return a, c_next, np.tanh(c_next)


def lstm_gate_grads(dh, dc, gates, c_prev, c_next, tanh_c, peephole=None):
    """Backward through :func:`lstm_cell_update`.

    Parameters
    ----------
    dh : (N, H) total gradient at h_t.   dc : (N, H) gradient at c_t from step t+1.
    gates, c_prev, c_next, tanh_c : as saved by the forward step.   peephole : (3, H) or None.

    Returns
    -------
    da : (N, 4H) gradient at the gate pre-activations (i, f, g, o).
    dc_prev : (N, H) gradient at c_{t-1}.
    dpeephole : (3, H) this step's peephole gradient, or None.
    """
    H = c_prev.shape[1]
    i, f, g, o = (gates[:, k * H:(k + 1) * H] for k in range(4))
    da = np.empty_like(gates)
    da_o = da[:, 3 * H:]
    np.multiply(dh * tanh_c, sigmoid_grad(o), out=da_o)
    dc = dc + dh * o * tanh_grad(tanh_c)
    if peephole is not None:
        dc += da_o * peephole[2]
    np.multiply(dc * g, sigmoid_grad(i), out=da[:, :H])
    np.multiply(dc * c_prev, sigmoid_grad(f), out=da[:, H:2 * H])
    np.multiply(dc * i, tanh_grad(g), out=da[:, 2 * H:3 * H])
    dc_prev = dc * f
    if peephole is None:
        return da, dc_prev, None
    dc_prev += da[:, :H] * peephole[0] + da[:, H:2 * H] * peephole[1]
    dpeephole = np.stack([(da[:, :H] * c_prev).sum(0), (da[:, H:2 * H] * c_prev).sum(0),
                          (da_o * c_next).sum(0)])
    return da, dc_prev, dpeephole


def lstm_step_forward(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh, *, peephole=None):
    """One LSTM step.

    Parameters
    ----------
    x : (N, D).   h_prev, c_prev : (N, H).
    W_ih : (4H, D).   W_hh : (4H, H).   b_ih, b_hh : (4H,) or None.
    peephole : (3, H) peephole weights of the i, f, o gates, or None (torch.nn's LSTM).

    Returns
    -------
    h_next (N, H), c_next (N, H), cache (LSTMStepCache).
    """
    check_step_args(x, h_prev, W_ih, W_hh, b_ih, b_hh, gates=4, c_prev=c_prev)
    _check_peephole(peephole, h_prev.shape[1])
    a = add_biases(x @ W_ih.T + h_prev @ W_hh.T, b_ih, b_hh)  # (N, 4H)
    gates, c_next, tanh_c = lstm_cell_update(a, c_prev, peephole)
    h_next = gates[:, 3 * h_prev.shape[1]:] * tanh_c
    cache = LSTMStepCache(x, h_prev, c_prev, gates, c_next, tanh_c, W_ih, W_hh, peephole,
                          has_biases(b_ih, b_hh))
    return h_next, c_next, cache


def lstm_step_backward(dh_next, dc_next, cache: LSTMStepCache):
    """Backward pass of :func:`lstm_step_forward`.

    Parameters
    ----------
    dh_next : (N, H) gradient at h_next.   dc_next : (N, H) gradient at c_next (from step t+1).
    cache : what the forward step returned.

    Returns
    -------
    dx (N, D), dh_prev (N, H), dc_prev (N, H), dW_ih (4H, D), dW_hh (4H, H), db_ih (4H,),
    db_hh (4H,), and, only if the forward had peephole weights, dpeephole (3, H).
    A bias gradient is None where the forward had no such bias.
    """
    check_upstream("dh_next", dh_next, cache.c_next)
    check_upstream("dc_next", dc_next, cache.c_next)
    da, dc_prev, dpeephole = lstm_gate_grads(dh_next, dc_next, cache.gates, cache.c_prev,
                                             cache.c_next, cache.tanh_c, cache.peephole)
    grads = (da @ cache.W_ih, da @ cache.W_hh, dc_prev, da.T @ cache.x, da.T @ cache.h_prev,
             *bias_grads(da.sum(0), cache.has_bias))
    return grads + ((dpeephole,) if cache.peephole is not None else ())


class LSTMCache(NamedTuple):
    """What :func:`lstm_backward` needs from :func:`lstm_forward`."""

    x: np.ndarray        # (T, N, D)
    h0: np.ndarray       # (N, H)
    c0: np.ndarray       # (N, H)
    gates: np.ndarray    # (T, N, 4H) activated i, f, g, o
    c: np.ndarray        # (T, N, H)
    tanh_c: np.ndarray   # (T, N, H)
    h: np.ndarray        # (T, N, H)
    W_ih: np.ndarray
    W_hh: np.ndarray
    peephole: np.ndarray | None
    has_bias: tuple[bool, bool]


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh, *, peephole=None):
    """Run an LSTM over a time-major sequence.

    The input projections of all T steps are one matrix product before the loop; the loop does
    only what must wait for h_{t-1}.

    Parameters
    ----------
    x : (T, N, D).   h0, c0 : (N, H).   Weights as in :func:`lstm_step_forward`.

    Returns
    -------
    h : (T, N, H) hidden state at every step.   c_n : (N, H) final cell state.
    cache : LSTMCache for :func:`lstm_backward`.
    """
    check_sequence_args(x, h0, W_ih, W_hh, b_ih, b_hh, gates=4, c0=c0)
    T, N, D = x.shape
    H = h0.shape[1]
    _check_peephole(peephole, H)
    gates = add_biases((x.reshape(T * N, D) @ W_ih.T).reshape(T, N, 4 * H), b_ih, b_hh)
    c = np.empty((T, N, H), dtype=gates.dtype)
    tanh_c = np.empty_like(c)
    h = np.empty_like(c)
    h_prev, c_prev = h0, c0
    for t in range(T):
        gates[t] += h_prev @ W_hh.T
        _, c[t], tanh_c[t] = lstm_cell_update(gates[t], c_prev, peephole)
        np.multiply(gates[t, :, 3 * H:], tanh_c[t], out=h[t])
        h_prev, c_prev = h[t], c[t]
    for saved in (h, c):
        saved.setflags(write=False)  # callers get them; backward needs them unchanged
    cache = LSTMCache(x, h0, c0, gates, c, tanh_c, h, W_ih, W_hh, peephole,
                      has_biases(b_ih, b_hh))
    return h, c[-1].copy(), cache


def lstm_backward(dh, cache: LSTMCache, dc_n=None):
    """Backpropagation through time for :func:`lstm_forward`.

    Parameters
    ----------
    dh : (T, N, H) upstream gradient at every hidden state (that of h_n belongs in dh[-1]).
    cache : what :func:`lstm_forward` returned.
    dc_n : (N, H) gradient at the final cell state, or None for zero.

    Returns
    -------
    dx (T, N, D), dh0 (N, H), dc0 (N, H), dW_ih (4H, D), dW_hh (4H, H), db_ih (4H,),
    db_hh (4H,), and, only if the forward had peephole weights, dpeephole (3, H).
    """
    check_upstream("dh", dh, cache.h)
    T, N, H = cache.h.shape
    dh_next = np.zeros_like(cache.h0)
    if dc_n is None:
        dc_n = np.zeros_like(cache.c0)
    check_upstream("dc_n", dc_n, cache.c0)
    dc_next = dc_n
    c_prev = np.concatenate([cache.c0[None], cache.c[:-1]])  # (T, N, H)
    da = np.empty_like(cache.gates)  # (T, N, 4H)
    dpeephole = None if cache.peephole is None else np.zeros_like(cache.peephole)
    for t in reversed(range(T)):
        da[t], dc_next, dp = lstm_gate_grads(dh[t] + dh_next, dc_next, cache.gates[t],
                                             c_prev[t], cache.c[t], cache.tanh_c[t],
                                             cache.peephole)
        dh_next = da[t] @ cache.W_hh
        if dp is not None:
            dpeephole += dp
    h_prev = np.concatenate([cache.h0[None], cache.h[:-1]])  # (T, N, H)
    da_rows = da.reshape(T * N, 4 * H)
    dx = (da_rows @ cache.W_ih).reshape(cache.x.shape)
    dW_ih = da_rows.T @ cache.x.reshape(T * N, cache.x.shape[2])
    dW_hh = da_rows.T @ h_prev.reshape(T * N, H)
    grads = (dx, dh_next, dc_next, dW_ih, dW_hh, *bias_grads(da_rows.sum(0), cache.has_bias))
    return grads + ((dpeephole,) if cache.peephole is not None else ())


def peephole_weights(hidden_size: int, rng: np.random.Generator, dtype) -> np.ndarray:
    """(3, H) peephole weights p_i, p_f, p_o, drawn like every other weight: U(-1/√H, 1/√H)."""
    return recurrent_uniform((3, hidden_size), hidden_size, rng, dtype)


def set_forget_bias(module, forget_bias) -> None:
    """The ``forget_bias`` option of LSTM and LSTMCell: None leaves torch.nn's initialisation."""
    if forget_bias is None:
        return
    if not module.bias:
        raise ValueError("forget_bias: needs bias=True (it sets the forget-gate bias)")
    forget_gate_bias_(module, forget_bias)


class LSTM(RecurrentLayer):
    """Multi-layer LSTM with torch.nn.LSTM's arguments, shapes and parameter names.

    Parameters
    ----------
    input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, dtype, rng :
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
                 dropout=0.0, bidirectional=False, *, peephole=False, forget_bias=None,
                 dtype=np.float64, rng=None):
        self.peephole, self.forget_bias = peephole, forget_bias
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, dtype=dtype, rng=rng)
        set_forget_bias(self, forget_bias)

    def _add_extra_params(self, suffix, rng):
        if self.peephole:
            self.params["weight_peephole" + suffix] = peephole_weights(self.hidden_size, rng,
                                                                       self.dtype)

    def _extra_names(self):
        return ("weight_peephole",) if self.peephole else ()

    def _sequence_forward(self, x, state0, params):
        h0, c0 = state0
        weights = [params[n] for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
        h, c_n, cache = lstm_forward(x, h0, c0, *weights, peephole=params.get("weight_peephole"))
        return h, (h[-1], c_n), cache

    def _sequence_backward(self, dh, d_final_rest, cache):
        dx, dh0, dc0, *grads = lstm_backward(dh, cache, dc_n=d_final_rest[0])
        names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_peephole")
        return dx, (dh0, dc0), dict(zip(names, grads))
