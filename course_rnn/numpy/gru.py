r"""Gated recurrent unit (Cho et al. 2014) in NumPy, forward and backward, in torch's formulation.

Gate order r, z, n in the rows of the weights. The input and the recurrent projections are kept
apart because the reset gate multiplies only the recurrent part of the candidate:

    [gi_r, gi_z, gi_n] = x_t W_ih^T + b_ih      [gh_r, gh_z, gh_n] = h_{t-1} W_hh^T + b_hh
    r = sigmoid(gi_r + gh_r)                     reset gate
    z = sigmoid(gi_z + gh_z)                     update gate
    n = tanh(gi_n + r * gh_n)                    candidate state
    h_t = (1 - z) * n + z * h_{t-1}

(Cho et al. apply r before the matrix, W (r * h); torch, cuDNN and this module apply it after,
r * (W h + b), which lets all three recurrent blocks share one matrix product. Cho et al.'s form
is in ``gru_reset_before.py``, and ``GRU(..., reset_after=False)`` uses it.)

Shapes: N batch, T time, D input features, H hidden units. W_ih (3H, D), W_hh (3H, H),
b_ih and b_hh (3H,) or None.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.numpy.activations import sigmoid
from course_rnn.numpy.gru_reset_before import gru_reset_before_backward, gru_reset_before_forward
from course_rnn.numpy.recurrent import WEIGHT_NAMES, RecurrentLayer
from course_rnn.shapes import cell_arguments, expect_bools, gradients_like, validated


class GRUStepCache(NamedTuple):
    """What one step's backward needs from its forward."""

    x: np.ndarray        # (N, D)
    h_prev: np.ndarray   # (N, H)
    r: np.ndarray        # (N, H) reset gate
    z: np.ndarray        # (N, H) update gate
    n: np.ndarray        # (N, H) candidate state
    gh_n: np.ndarray     # (N, H) recurrent part of the candidate, before the reset gate
    W_ih: np.ndarray     # (3H, D)
    W_hh: np.ndarray     # (3H, H)


@validated(cell_arguments(gates=3))
def gru_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """One GRU step.

    Parameters
    ----------
    x : (N, D).   h_prev : (N, H).   W_ih : (3H, D).   W_hh : (3H, H).   b_ih, b_hh : (3H,) or None.

    Returns
    -------
    h_next (N, H) and cache (GRUStepCache).
    """
    gi_r, gi_z, gi_n = np.split(x @ W_ih.T + b_ih, 3, axis=1)        # (N, H) each
    gh_r, gh_z, gh_n = np.split(h_prev @ W_hh.T + b_hh, 3, axis=1)
    r = sigmoid(gi_r + gh_r)
    z = sigmoid(gi_z + gh_z)
    n = np.tanh(gi_n + r * gh_n)
    h_next = (1 - z) * n + z * h_prev
    return h_next, GRUStepCache(x, h_prev, r, z, n, gh_n, W_ih, W_hh)


@validated(gradients_like(dh_next="h_prev"))
def gru_step_backward(dh_next, cache: GRUStepCache):
    """Backward pass of :func:`gru_step_forward`.

    Parameters
    ----------
    dh_next : (N, H) total gradient at h_next.   cache : what the forward step returned.

    Returns
    -------
    dx (N, D), dh_prev (N, H), dW_ih (3H, D), dW_hh (3H, H), db_ih (3H,), db_hh (3H,).
    The bias gradients come back even for a forward without biases.
    """
    x, h_prev, r, z, n, gh_n, W_ih, W_hh = cache
    da_n = dh_next * (1 - z) * (1 - n**2)       # at gi_n + r * gh_n
    da_z = dh_next * (h_prev - n) * z * (1 - z)
    da_r = da_n * gh_n * r * (1 - r)
    dgi = np.concatenate([da_r, da_z, da_n], axis=1)          # (N, 3H) at x W_ih^T + b_ih
    dgh = np.concatenate([da_r, da_z, da_n * r], axis=1)      # (N, 3H) at h_prev W_hh^T + b_hh
    dx = dgi @ W_ih
    dh_prev = dh_next * z + dgh @ W_hh         # directly through z * h_prev, and through W_hh
    dW_ih = dgi.T @ x
    dW_hh = dgh.T @ h_prev
    db_ih = dgi.sum(axis=0)
    db_hh = dgh.sum(axis=0)                    # differs from db_ih: b_hn sits inside r * (...)
    return dx, dh_prev, dW_ih, dW_hh, db_ih, db_hh


class GRUCache(NamedTuple):
    """What :func:`gru_backward` needs from :func:`gru_forward`."""

    x: np.ndarray        # (T, N, D)
    h_init: np.ndarray   # (N, H) the state before the first step
    gates: np.ndarray    # (T, N, 3H) r, z, n of every step
    gh_n: np.ndarray     # (T, N, H) recurrent part of the candidate
    h: np.ndarray        # (T, N, H)
    W_ih: np.ndarray
    W_hh: np.ndarray


@validated(cell_arguments(gates=3, sequence=True))
def gru_forward(x, h_init, W_ih, W_hh, b_ih, b_hh):
    """Run a GRU over a time-major sequence: :func:`gru_step_forward` T times, faster.

    Parameters
    ----------
    x : (T, N, D).   h_init : (N, H) the state before the first step.
    W_ih, W_hh, b_ih, b_hh : as in :func:`gru_step_forward`.

    Returns
    -------
    h : (T, N, H) hidden state at every step, and cache (GRUCache) for :func:`gru_backward`.
    """
    T, N, D = x.shape
    H = h_init.shape[1]
    # Optimisation: x_t W_ih^T + b_ih of all T steps as one (T*N, D) @ (D, 3H) product; the
    # gates are then computed in place in that buffer.
    gates = (x.reshape(T * N, D) @ W_ih.T).reshape(T, N, 3 * H)
    gates += b_ih
    gh_n = np.empty((T, N, H), dtype=gates.dtype)
    h = np.empty_like(gh_n)
    h_prev = h_init
    for t in range(T):
        gh = h_prev @ W_hh.T                          # (N, 3H): h_{t-1} W_hh^T + b_hh
        gh += b_hh
        gh_r_z, gh_n[t] = gh[:, :2 * H], gh[:, 2 * H:]
        r_z, n = gates[t, :, :2 * H], gates[t, :, 2 * H:]   # views, holding gi for now
        r_z += gh_r_z
        sigmoid(r_z, out=r_z)                         # r, z = sigmoid(gi + gh), in one call
        r, z = r_z[:, :H], r_z[:, H:]
        n += r * gh_n[t]
        np.tanh(n, out=n)                             # n = tanh(gi_n + r * gh_n)
        h[t] = n + z * (h_prev - n)                   # = (1 - z) * n + z * h_prev
        h_prev = h[t]
    h.setflags(write=False)  # callers get h; backward needs it unchanged
    return h, GRUCache(x, h_init, gates, gh_n, h, W_ih, W_hh)


@validated(gradients_like(dh="h"))
def gru_backward(dh, cache: GRUCache):
    """Backpropagation through time for :func:`gru_forward`.

    Parameters
    ----------
    dh : (T, N, H) upstream gradient at every hidden state (that of the final state belongs
         in dh[-1]).
    cache : what :func:`gru_forward` returned.

    Returns
    -------
    dx (T, N, D), dh_init (N, H), dW_ih (3H, D), dW_hh (3H, H), db_ih (3H,), db_hh (3H,).
    """
    x, h_init, gates, gh_n, h, W_ih, W_hh = cache
    T, N, H = h.shape
    h_prev = np.concatenate([h_init[None], h[:-1]])     # (T, N, H): h_{t-1} of every step
    dgi = np.empty_like(gates)                           # (T, N, 3H)
    dgh = np.empty_like(gates)
    dh_prev = np.zeros_like(h_init)   # what step t+1 sent back to h_t; nothing after the end
    for t in reversed(range(T)):
        r, z, n = gates[t, :, :H], gates[t, :, H:2 * H], gates[t, :, 2 * H:]
        da_r, da_z, da_n = dgi[t, :, :H], dgi[t, :, H:2 * H], dgi[t, :, 2 * H:]  # views, in place
        dh_t = dh[t] + dh_prev
        np.multiply(dh_t * (1 - z), 1 - n * n, out=da_n)
        np.multiply(dh_t * (h_prev[t] - n), z * (1 - z), out=da_z)
        np.multiply(da_n * gh_n[t], r * (1 - r), out=da_r)
        dgh[t] = dgi[t]
        dgh[t, :, 2 * H:] *= r
        dh_prev = dh_t * z + dgh[t] @ W_hh
    # Optimisation: the weight gradients, sums over time, as one product each over T*N rows.
    dgi_rows, dgh_rows = dgi.reshape(T * N, 3 * H), dgh.reshape(T * N, 3 * H)
    dx = (dgi_rows @ W_ih).reshape(x.shape)
    dW_ih = dgi_rows.T @ x.reshape(T * N, x.shape[2])
    dW_hh = dgh_rows.T @ h_prev.reshape(T * N, H)
    return dx, dh_prev, dW_ih, dW_hh, dgi_rows.sum(axis=0), dgh_rows.sum(axis=0)


class GRU(RecurrentLayer):
    """Multi-layer GRU with torch.nn.GRU's arguments, shapes and parameter names.

    Parameters
    ----------
    input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, merge,
    dtype, rng :
        as for :class:`~course_rnn.numpy.rnn.RNN`.
    reset_after : True (the default, torch.nn.GRU's form) applies the reset gate after the
        product with W_hn, r * (h W_hn^T + b_hn); False applies it before, (r * h) W_hn^T + b_hn,
        as Cho et al. (2014) do (Keras's name for the same choice). The parameters are the same.

    ``forward(input, hx=None) -> (output, h_n)``, ``backward(doutput, dhx=None) -> (dx, dhx0)``.
    """

    gates = 3
    state_size = 1

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, *, merge="concat", reset_after=True,
                 dtype=np.float64, rng=None):
        expect_bools(reset_after=reset_after)
        self.reset_after = reset_after
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, merge=merge, dtype=dtype, rng=rng)

    def _sequence_forward(self, x, state0, params):
        forward = gru_forward if self.reset_after else gru_reset_before_forward
        h, cache = forward(x, state0[0], *(params[name] for name in WEIGHT_NAMES))
        return h, (h[-1],), cache

    def _sequence_backward(self, dh, d_final_rest, cache):
        backward = gru_backward if self.reset_after else gru_reset_before_backward
        dx, dh_init, *grads = backward(dh, cache)
        return dx, (dh_init,), dict(zip(WEIGHT_NAMES, grads))
