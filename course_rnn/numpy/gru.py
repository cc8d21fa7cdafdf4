r"""Gated recurrent unit (Cho et al. 2014) in NumPy, forward and backward, in torch's formulation.

Gate order r, z, n in the rows of the weights. The input and the recurrent projections are kept
apart because the reset gate multiplies only the recurrent part of the candidate:

    [gi_r, gi_z, gi_n] = x_t W_ih^T + b_ih      [gh_r, gh_z, gh_n] = h_{t-1} W_hh^T + b_hh
    r = sigmoid(gi_r + gh_r)                     reset gate
    z = sigmoid(gi_z + gh_z)                     update gate
    n = tanh(gi_n + r * gh_n)                    candidate state
    h_t = (1 - z) * n + z * h_{t-1}

(Cho et al. apply r before the matrix, W (r * h); torch, cuDNN and this package apply it after,
r * (W h + b), which lets all three recurrent blocks share one matrix product.)

Shapes: N batch, T time, D input features, H hidden units. W_ih (3H, D), W_hh (3H, H),
b_ih and b_hh (3H,) or None.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.numpy.activations import sigmoid, sigmoid_grad, tanh_grad
from course_rnn.numpy.bias import add_biases, has_biases
from course_rnn.numpy.recurrent import RecurrentLayer
from course_rnn.numpy.validate import check_sequence_args, check_step_args, check_upstream


class GRUStepCache(NamedTuple):
    """What one step's backward needs from its forward."""

    x: np.ndarray        # (N, D)
    h_prev: np.ndarray   # (N, H)
    gates: np.ndarray    # (N, 3H) activated r, z, n
    gh_n: np.ndarray     # (N, H) recurrent part of the candidate, before the reset gate
    W_ih: np.ndarray     # (3H, D)
    W_hh: np.ndarray     # (3H, H)
    has_bias: tuple[bool, bool]


def gru_cell_update(gi, gh, h_prev):
    """The nonlinear part of a step, shared by the step and the sequence functions.

    Parameters
    ----------
    gi : (N, 3H) input projections; overwritten with the activated gates r, z, n.
    gh : (N, 3H) recurrent projections.   h_prev : (N, H).

    Returns
    -------
    gates (N, 3H) activated r, z, n (the buffer ``gi``) and h_next (N, H).
    """
    H = h_prev.shape[1]
    gi[:, :2 * H] += gh[:, :2 * H]
    sigmoid(gi[:, :2 * H], out=gi[:, :2 * H])  # r, z
    r, z, n = gi[:, :H], gi[:, H:2 * H], gi[:, 2 * H:]
    n += r * gh[:, 2 * H:]
    np.tanh(n, out=n)
    h_next = n + z * (h_prev - n)  # = (1 - z) * n + z * h_prev
    return gi, h_next


def gru_gate_grads(dh, gates, gh_n, h_prev):
    """Backward through :func:`gru_cell_update`.

    Parameters
    ----------
    dh : (N, H) total gradient at h_t.   gates, gh_n, h_prev : as saved by the forward step.

    Returns
    -------
    dgi : (N, 3H) gradient at the input projections (r, z, n).
    dgh : (N, 3H) gradient at the recurrent projections (r, z, n).
    dh_direct : (N, H) the part of dh_{t-1} that flows through z * h_{t-1}, not through W_hh.
    """
    H = h_prev.shape[1]
    r, z, n = gates[:, :H], gates[:, H:2 * H], gates[:, 2 * H:]
    dgi = np.empty_like(gates)
    da_n = dgi[:, 2 * H:]
    np.multiply(dh * (1.0 - z), tanh_grad(n), out=da_n)
    np.multiply(dh * (h_prev - n), sigmoid_grad(z), out=dgi[:, H:2 * H])
    np.multiply(da_n * gh_n, sigmoid_grad(r), out=dgi[:, :H])
    dgh = dgi.copy()
    dgh[:, 2 * H:] *= r
    return dgi, dgh, dh * z


def gru_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """One GRU step.

    Parameters
    ----------
    x : (N, D).   h_prev : (N, H).   W_ih : (3H, D).   W_hh : (3H, H).   b_ih, b_hh : (3H,) or None.

    Returns
    -------
    h_next (N, H) and cache (GRUStepCache).
    """
    check_step_args(x, h_prev, W_ih, W_hh, b_ih, b_hh, gates=3)
    H = h_prev.shape[1]
    gh = add_biases(h_prev @ W_hh.T, b_hh)  # (N, 3H)
    gates, h_next = gru_cell_update(add_biases(x @ W_ih.T, b_ih), gh, h_prev)
    cache = GRUStepCache(x, h_prev, gates, gh[:, 2 * H:], W_ih, W_hh, has_biases(b_ih, b_hh))
    return h_next, cache


def _bias_grads(dgi_rows, dgh_rows, has_bias):
    """Unlike the RNN and LSTM, b_ih and b_hh get different gradients: b_hn sits inside r *."""
    return tuple(d.sum(0) if present else None
                 for d, present in zip((dgi_rows, dgh_rows), has_bias))


def gru_step_backward(dh_next, cache: GRUStepCache):
    """Backward pass of :func:`gru_step_forward`.

    Parameters
    ----------
    dh_next : (N, H) total gradient at h_next.   cache : what the forward step returned.

    Returns
    -------
    dx (N, D), dh_prev (N, H), dW_ih (3H, D), dW_hh (3H, H), db_ih (3H,), db_hh (3H,);
    a bias gradient is None where the forward had no such bias.
    """
    check_upstream("dh_next", dh_next, cache.h_prev)
    dgi, dgh, dh_direct = gru_gate_grads(dh_next, cache.gates, cache.gh_n, cache.h_prev)
    return (dgi @ cache.W_ih, dh_direct + dgh @ cache.W_hh, dgi.T @ cache.x,
            dgh.T @ cache.h_prev, *_bias_grads(dgi, dgh, cache.has_bias))


class GRUCache(NamedTuple):
    """What :func:`gru_backward` needs from :func:`gru_forward`."""

    x: np.ndarray        # (T, N, D)
    h0: np.ndarray       # (N, H)
    gates: np.ndarray    # (T, N, 3H) activated r, z, n
    gh_n: np.ndarray     # (T, N, H) recurrent part of the candidate
    h: np.ndarray        # (T, N, H)
    W_ih: np.ndarray
    W_hh: np.ndarray
    has_bias: tuple[bool, bool]


def gru_forward(x, h0, W_ih, W_hh, b_ih, b_hh):
    """Run a GRU over a time-major sequence; input projections of all steps in one product.

    Parameters
    ----------
    x : (T, N, D).   h0 : (N, H).   Weights as in :func:`gru_step_forward`.

    Returns
    -------
    h : (T, N, H) hidden state at every step, and cache (GRUCache) for :func:`gru_backward`.
    """
    check_sequence_args(x, h0, W_ih, W_hh, b_ih, b_hh, gates=3)
    T, N, D = x.shape
    H = h0.shape[1]
    gates = add_biases((x.reshape(T * N, D) @ W_ih.T).reshape(T, N, 3 * H), b_ih)
    gh_n = np.empty((T, N, H), dtype=gates.dtype)
    h = np.empty_like(gh_n)
    h_prev = h0
    for t in range(T):
        gh = add_biases(h_prev @ W_hh.T, b_hh)  # (N, 3H)
        _, h[t] = gru_cell_update(gates[t], gh, h_prev)
        gh_n[t] = gh[:, 2 * H:]
        h_prev = h[t]
    h.setflags(write=False)  # callers get h; backward needs it unchanged
    return h, GRUCache(x, h0, gates, gh_n, h, W_ih, W_hh, has_biases(b_ih, b_hh))


def gru_backward(dh, cache: GRUCache):
    """Backpropagation through time for :func:`gru_forward`.

    Parameters
    ----------
    dh : (T, N, H) upstream gradient at every hidden state (that of the final state belongs
         in dh[-1]).
    cache : what :func:`gru_forward` returned.

    Returns
    -------
    dx (T, N, D), dh0 (N, H), dW_ih (3H, D), dW_hh (3H, H), db_ih (3H,), db_hh (3H,).
    """
    check_upstream("dh", dh, cache.h)
    T, N, H = cache.h.shape
    h_prev = np.concatenate([cache.h0[None], cache.h[:-1]])  # (T, N, H)
    dgi = np.empty_like(cache.gates)  # (T, N, 3H)
    dgh = np.empty_like(cache.gates)
    dh_next = np.zeros_like(cache.h0)
    for t in reversed(range(T)):
        dgi[t], dgh[t], dh_direct = gru_gate_grads(dh[t] + dh_next, cache.gates[t],
                                                   cache.gh_n[t], h_prev[t])
        dh_next = dh_direct + dgh[t] @ cache.W_hh
    dgi_rows, dgh_rows = dgi.reshape(T * N, 3 * H), dgh.reshape(T * N, 3 * H)
    dx = (dgi_rows @ cache.W_ih).reshape(cache.x.shape)
    return (dx, dh_next, dgi_rows.T @ cache.x.reshape(T * N, cache.x.shape[2]),
            dgh_rows.T @ h_prev.reshape(T * N, H), *_bias_grads(dgi_rows, dgh_rows, cache.has_bias))


class GRU(RecurrentLayer):
    """Multi-layer GRU with torch.nn.GRU's arguments, shapes and parameter names.

    Parameters as for :class:`~course_rnn.numpy.rnn.RNN` (without ``nonlinearity``).
    ``forward(input, hx=None) -> (output, h_n)``, ``backward(doutput, dhx=None) -> (dx, dhx0)``.
    """

    gates = 3
    state_size = 1

    def _sequence_forward(self, x, state0, params):
        h, cache = gru_forward(x, state0[0], params["weight_ih"], params["weight_hh"],
                               params["bias_ih"], params["bias_hh"])
        return h, (h[-1],), cache

    def _sequence_backward(self, dh, d_final_rest, cache):
        dx, dh0, *grads = gru_backward(dh, cache)
        return dx, (dh0,), dict(zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"), grads))
