r"""The LSTM with peephole connections (Gers & Schmidhuber 2000), forward and backward.

Peepholes let the gates look at the cell state: the input and forget gates at c_{t-1}, the
output gate at c_t, which exists by the time o is computed:

    [a_i, a_f, a_g, a_o] = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
    i = sigmoid(a_i + p_i * c_{t-1})
    f = sigmoid(a_f + p_f * c_{t-1})
    g = tanh(a_g)
    c_t = f * c_{t-1} + i * g
    o = sigmoid(a_o + p_o * c_t)
    h_t = o * tanh(c_t)

The peephole weights p_i, p_f, p_o are vectors (diagonal matrices), the rows of ``peephole``
(3, H); torch.nn.LSTM has none. The backward differs from ``lstm.py``'s in three places: dc
also receives da_o * p_o (o reads c_t), dc_{t-1} also receives da_i * p_i + da_f * p_f, and
the peepholes get dp_i = sum da_i c_{t-1}, dp_f = sum da_f c_{t-1}, dp_o = sum da_o c_t.

Shapes: N batch, T time, D input features, H hidden units. W_ih (4H, D), W_hh (4H, H),
b_ih and b_hh (4H,) or None, peephole (3, H).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.numpy.activations import sigmoid
from course_rnn.numpy.step_loop import backward_steps, forward_steps
from course_rnn.shapes import cell_arguments, gradients_like, validated


class LSTMPeepholeStepCache(NamedTuple):
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
    peephole: np.ndarray  # (3, H)


@validated(cell_arguments(gates=4))
def lstm_peephole_step_forward(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh, peephole):
    """One step of the peephole LSTM.

    Parameters
    ----------
    x : (N, D).   h_prev, c_prev : (N, H).
    W_ih : (4H, D).   W_hh : (4H, H).   b_ih, b_hh : (4H,) or None.
    peephole : (3, H) rows p_i, p_f, p_o.

    Returns
    -------
    h_next (N, H), c_next (N, H), cache (LSTMPeepholeStepCache).
    """
    p_i, p_f, p_o = peephole
    a = x @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh      # (N, 4H)
    a_i, a_f, a_g, a_o = np.split(a, 4, axis=1)         # (N, H) each
    i = sigmoid(a_i + p_i * c_prev)
    f = sigmoid(a_f + p_f * c_prev)
    g = np.tanh(a_g)
    c_next = f * c_prev + i * g
    o = sigmoid(a_o + p_o * c_next)
    h_next = o * np.tanh(c_next)
    cache = LSTMPeepholeStepCache(x, h_prev, c_prev, i, f, g, o, c_next, W_ih, W_hh, peephole)
    return h_next, c_next, cache


@validated(gradients_like(dh_next="c_next", dc_next="c_next"))
def lstm_peephole_step_backward(dh_next, dc_next, cache: LSTMPeepholeStepCache):
    """Backward pass of :func:`lstm_peephole_step_forward`.

    Parameters
    ----------
    dh_next : (N, H) total gradient at h_next.
    dc_next : (N, H) gradient at c_next from what follows (step t+1), zeros at the end.
    cache : what the forward step returned.

    Returns
    -------
    dx (N, D), dh_prev (N, H), dc_prev (N, H), dW_ih (4H, D), dW_hh (4H, H), db_ih (4H,),
    db_hh (4H,), dpeephole (3, H).
    """
    x, h_prev, c_prev, i, f, g, o, c_next, W_ih, W_hh, (p_i, p_f, p_o) = cache
    tanh_c = np.tanh(c_next)
    da_o = dh_next * tanh_c * o * (1 - o)
    dc = dc_next + dh_next * o * (1 - tanh_c**2) + da_o * p_o     # o reads c_next too
    da_i = dc * g * i * (1 - i)
    da_f = dc * c_prev * f * (1 - f)
    da_g = dc * i * (1 - g**2)
    dc_prev = dc * f + da_i * p_i + da_f * p_f                    # i and f read c_prev
    da = np.concatenate([da_i, da_f, da_g, da_o], axis=1)         # (N, 4H)
    dx = da @ W_ih
    dh_prev = da @ W_hh
    dW_ih = da.T @ x
    dW_hh = da.T @ h_prev
    db_ih = da.sum(axis=0)
    db_hh = db_ih.copy()
    dpeephole = np.stack([(da_i * c_prev).sum(axis=0), (da_f * c_prev).sum(axis=0),
                          (da_o * c_next).sum(axis=0)])
    return dx, dh_prev, dc_prev, dW_ih, dW_hh, db_ih, db_hh, dpeephole


class LSTMPeepholeCache(NamedTuple):
    """What :func:`lstm_peephole_backward` needs: every step's cache."""

    steps: list          # T LSTMPeepholeStepCache
    h: np.ndarray        # (T, N, H)
    c_init: np.ndarray   # (N, H)


@validated(cell_arguments(gates=4, sequence=True))
def lstm_peephole_forward(x, h_init, c_init, W_ih, W_hh, b_ih, b_hh, peephole):
    """Run the peephole LSTM over a time-major sequence: a plain loop of steps.

    Parameters
    ----------
    x : (T, N, D).   h_init, c_init : (N, H) the states before the first step.
    W_ih, W_hh, b_ih, b_hh, peephole : as in :func:`lstm_peephole_step_forward`.

    Returns
    -------
    h (T, N, H), c_n (N, H) and cache (LSTMPeepholeCache).
    """
    h, (_, c_n), steps = forward_steps(lstm_peephole_step_forward, x, (h_init, c_init),
                                       W_ih, W_hh, b_ih, b_hh, peephole)
    return h, c_n, LSTMPeepholeCache(steps, h, c_init)


@validated(gradients_like(dh="h", dc_n="c_init"))
def lstm_peephole_backward(dh, cache: LSTMPeepholeCache, dc_n=None):
    """Backpropagation through time for :func:`lstm_peephole_forward`: the steps in reverse.

    Parameters
    ----------
    dh : (T, N, H) upstream gradient at every hidden state (that of h_n belongs in dh[-1]).
    cache : what :func:`lstm_peephole_forward` returned.
    dc_n : (N, H) gradient at the final cell state, or None for zero.

    Returns
    -------
    dx (T, N, D), dh_init (N, H), dc_init (N, H), dW_ih (4H, D), dW_hh (4H, H), db_ih (4H,),
    db_hh (4H,), dpeephole (3, H).
    """
    dc_n = np.zeros_like(cache.c_init) if dc_n is None else dc_n
    dx, (dh_init, dc_init), weight_grads = backward_steps(lstm_peephole_step_backward, dh,
                                                          cache.steps, (dc_n,))
    return dx, dh_init, dc_init, *weight_grads
