r"""The GRU as Cho et al. (2014) wrote it: the reset gate acts before the product with W_hn.

Same weights, same gate order r, z, n and same update as ``gru.py``; only the candidate differs.
Here the reset gate scales the previous state, and the product with W_hn follows:

    [gi_r, gi_z, gi_n] = x_t W_ih^T + b_ih
    W_hr, W_hz, W_hn = the three (H, H) blocks of W_hh;   b_hr, b_hz, b_hn those of b_hh
    r = sigmoid(gi_r + h_{t-1} W_hr^T + b_hr)        reset gate
    z = sigmoid(gi_z + h_{t-1} W_hz^T + b_hz)        update gate
    n = tanh(gi_n + (r * h_{t-1}) W_hn^T + b_hn)     candidate, from the reset state
    h_t = (1 - z) * n + z * h_{t-1}

whereas torch.nn.GRU (and cuDNN) compute n = tanh(gi_n + r * (h_{t-1} W_hn^T + b_hn)). Keras
calls the choice ``reset_after``: True for torch's form, False for this one.

Backward, given dh_t (all that reaches h_t):

    da_n = dh_t * (1 - z) * (1 - n^2)          da_z = dh_t * (h_{t-1} - n) * z (1 - z)
    d(r h) = da_n W_hn                         the gradient at the reset state r * h_{t-1}
    da_r = d(r h) * h_{t-1} * r (1 - r)
    dh_{t-1} = dh_t * z + d(r h) * r + da_r W_hr + da_z W_hz
    dW_hh = [da_r^T h_{t-1}; da_z^T h_{t-1}; da_n^T (r * h_{t-1})]

Every bias adds straight to a pre-activation here, so b_ih and b_hh get the same gradient (in
torch's form b_hn sits inside the reset gate's product, and its gradient differs).

Shapes: N batch, T time, D input features, H hidden units. W_ih (3H, D), W_hh (3H, H),
b_ih and b_hh (3H,) or None.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.numpy.activations import sigmoid
from course_rnn.numpy.step_loop import backward_steps, forward_steps
from course_rnn.shapes import cell_arguments, gradients_like, validated


class GRUResetBeforeStepCache(NamedTuple):
    """What one step's backward needs from its forward."""

    x: np.ndarray        # (N, D)
    h_prev: np.ndarray   # (N, H)
    r: np.ndarray        # (N, H) reset gate
    z: np.ndarray        # (N, H) update gate
    n: np.ndarray        # (N, H) candidate state
    W_ih: np.ndarray     # (3H, D)
    W_hh: np.ndarray     # (3H, H)


@validated(cell_arguments(gates=3))
def gru_reset_before_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """One GRU step with the reset gate before W_hn (Cho et al. 2014).

    Parameters
    ----------
    x : (N, D).   h_prev : (N, H).   W_ih : (3H, D).   W_hh : (3H, H).   b_ih, b_hh : (3H,) or None.

    Returns
    -------
    h_next (N, H) and cache (GRUResetBeforeStepCache).
    """
    gi_r, gi_z, gi_n = np.split(x @ W_ih.T + b_ih, 3, axis=1)        # (N, H) each
    W_hr, W_hz, W_hn = np.split(W_hh, 3)                              # (H, H) each
    b_hr, b_hz, b_hn = np.split(b_hh, 3)
    r = sigmoid(gi_r + h_prev @ W_hr.T + b_hr)
    z = sigmoid(gi_z + h_prev @ W_hz.T + b_hz)
    n = np.tanh(gi_n + (r * h_prev) @ W_hn.T + b_hn)
    h_next = (1 - z) * n + z * h_prev
    return h_next, GRUResetBeforeStepCache(x, h_prev, r, z, n, W_ih, W_hh)


@validated(gradients_like(dh_next="h_prev"))
def gru_reset_before_step_backward(dh_next, cache: GRUResetBeforeStepCache):
    """Backward pass of :func:`gru_reset_before_step_forward`.

    Parameters
    ----------
    dh_next : (N, H) total gradient at h_next.   cache : what the forward step returned.

    Returns
    -------
    dx (N, D), dh_prev (N, H), dW_ih (3H, D), dW_hh (3H, H), db_ih (3H,), db_hh (3H,).
    The bias gradients come back even for a forward without biases.
    """
    x, h_prev, r, z, n, W_ih, W_hh = cache
    W_hr, W_hz, W_hn = np.split(W_hh, 3)
    da_n = dh_next * (1 - z) * (1 - n**2)
    da_z = dh_next * (h_prev - n) * z * (1 - z)
    d_reset_state = da_n @ W_hn                 # at r * h_prev
    da_r = d_reset_state * h_prev * r * (1 - r)
    da = np.concatenate([da_r, da_z, da_n], axis=1)       # (N, 3H)
    dx = da @ W_ih
    dh_prev = dh_next * z + d_reset_state * r + da_r @ W_hr + da_z @ W_hz
    dW_ih = da.T @ x
    dW_hh = np.concatenate([da_r.T @ h_prev, da_z.T @ h_prev, da_n.T @ (r * h_prev)])
    db_ih = da.sum(axis=0)
    db_hh = db_ih.copy()                        # both biases add to the same pre-activations
    return dx, dh_prev, dW_ih, dW_hh, db_ih, db_hh


class GRUResetBeforeCache(NamedTuple):
    """What :func:`gru_reset_before_backward` needs: every step's cache."""

    steps: list          # T GRUResetBeforeStepCache
    h: np.ndarray        # (T, N, H)


@validated(cell_arguments(gates=3, sequence=True))
def gru_reset_before_forward(x, h_init, W_ih, W_hh, b_ih, b_hh):
    """Run the reset-before GRU over a time-major sequence: a plain loop of steps.

    Parameters
    ----------
    x : (T, N, D).   h_init : (N, H) the state before the first step.
    W_ih, W_hh, b_ih, b_hh : as in :func:`gru_reset_before_step_forward`.

    Returns
    -------
    h (T, N, H) and cache (GRUResetBeforeCache).
    """
    h, _, steps = forward_steps(gru_reset_before_step_forward, x, (h_init,),
                                W_ih, W_hh, b_ih, b_hh)
    return h, GRUResetBeforeCache(steps, h)


@validated(gradients_like(dh="h"))
def gru_reset_before_backward(dh, cache: GRUResetBeforeCache):
    """Backpropagation through time for :func:`gru_reset_before_forward`: the steps in reverse.

    Parameters
    ----------
    dh : (T, N, H) upstream gradient at every hidden state (that of h_n belongs in dh[-1]).
    cache : what :func:`gru_reset_before_forward` returned.

    Returns
    -------
    dx (T, N, D), dh_init (N, H), dW_ih (3H, D), dW_hh (3H, H), db_ih (3H,), db_hh (3H,).
    """
    dx, (dh_init,), weight_grads = backward_steps(gru_reset_before_step_backward, dh,
                                                  cache.steps)
    return dx, dh_init, *weight_grads
