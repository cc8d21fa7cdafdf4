r"""Causal self-attention (one head, scaled dot-product scores) in NumPy, forward and backward.

Every position t of a sequence is a query, a key and a value at once, projected from its input
x_t; position t attends to the positions s <= t only, so its output never depends on a later
input (Vaswani et al. 2017's masked decoder self-attention, without the multiple heads):

    q_t = W_q x_t,   k_s = W_k x_s,   v_s = W_v x_s         projections (no biases)
    e_{t,s}     = q_t . k_s / sqrt(A)                       score, for s <= t only
    alpha_{t,s} = softmax over s <= t of e_{t,s}            weight, exactly 0 for s > t
    y_t         = sum_s alpha_{t,s} v_s                     output

The excluded scores are left out of the softmax (the padding rule of ``masked_softmax``, with
the mask s <= t), not set to 0: a score of 0 would still get the weight exp(0) / Z.

Backward, given dy_t:

    dalpha_{t,s} = dy_t . v_s
    de_{t,s}     = alpha_{t,s} (dalpha_{t,s} - sum_{s'} alpha_{t,s'} dalpha_{t,s'})   (softmax)
    dq_t = sum_s de_{t,s} k_s / sqrt(A)      dk_s = sum_t de_{t,s} q_t / sqrt(A)
    dv_s = sum_t alpha_{t,s} dy_t
    dx_t = W_q^T dq_t + W_k^T dk_t + W_v^T dv_t
    dW_q = sum_{t,n} dq_t x_t^T   (likewise dW_k with dk, dW_v with dv)

An input reaches the loss three ways, as a query, a key and a value.

Shapes: T positions (time-major), N batch, D input features, A query/key features, M value
features. x (T, N, D), W_q and W_k (A, D), W_v (M, D); y (T, N, M); the returned weights are
(T, T, N), indexed [t, s, n] (query t, key s, sequence n), the layout of chapter 10's (S, N)
weights with one row per query: ``weights[:, :, n]`` is lower triangular. Inside, the scores
are kept as [s, t, n], the softmax's axis first as ``masked_softmax`` takes it.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from course_rnn.numpy.masked_softmax import masked_softmax, masked_softmax_backward
from course_rnn.shapes import expect_input, expect_same_dtype, gradients_like, validated


def causal_mask(T: int) -> np.ndarray:
    """(T, T, 1) bool indexed [s, t]: True where key s may be read by query t, i.e. s <= t."""
    positions = np.arange(T)
    return (positions[:, None] <= positions[None, :])[:, :, None]


class CausalSelfAttentionCache(NamedTuple):
    """What :func:`causal_self_attention_backward` needs from the forward pass."""

    x: np.ndarray        # (T, N, D)
    q: np.ndarray        # (T, N, A)
    k: np.ndarray        # (T, N, A)
    v: np.ndarray        # (T, N, M)
    alpha: np.ndarray    # (T, T, N) indexed [s, t, n]
    y: np.ndarray        # (T, N, M)
    W_q: np.ndarray      # (A, D)
    W_k: np.ndarray      # (A, D)
    W_v: np.ndarray      # (M, D)


def self_attention_arguments(x, W_q, W_k, W_v):
    """``prepare`` for :func:`validated`: check x and the three projections."""
    expect_input("W_q", W_q, ("A", "D"), (None, None), "W_q maps an input to its query")
    A, D = W_q.shape
    expect_input("x", x, ("T", "N", "D"), (None, None, D),
                 "Self-attention is time-major, like the recurrent layers")
    if x.shape[0] == 0:
        raise ValueError("x: expected at least one position, got T=0")
    expect_input("W_k", W_k, ("A", "D"), (A, D),
                 "W_k maps an input to its key, of the queries' size A")
    expect_input("W_v", W_v, ("M", "D"), (None, D), "W_v maps an input to its value")
    expect_same_dtype(x=x, W_q=W_q, W_k=W_k, W_v=W_v)
    return dict(x=x, W_q=W_q, W_k=W_k, W_v=W_v)


@validated(self_attention_arguments)
def causal_self_attention_forward(x, W_q, W_k, W_v):
    """Causal self-attention of a time-major batch of sequences.

    Parameters
    ----------
    x : (T, N, D).   W_q : (A, D).   W_k : (A, D).   W_v : (M, D).

    Returns
    -------
    y : (T, N, M) outputs.
    weights : (T, T, N) indexed [t, s, n]; 0 for s > t, summing to 1 over s.
    cache : CausalSelfAttentionCache for :func:`causal_self_attention_backward`.
    """
    q = x @ W_q.T                                          # (T, N, A)
    k = x @ W_k.T                                          # (T, N, A)
    v = x @ W_v.T                                          # (T, N, M)
    e = np.einsum("sna,tna->stn", k, q) / math.sqrt(q.shape[2])   # [s, t, n]: q_t . k_s / sqrt(A)
    alpha = masked_softmax(e, causal_mask(x.shape[0]))     # (S, T, N), over s <= t
    y = np.einsum("stn,snm->tnm", alpha, v)                # y_t = sum_s alpha_{t,s} v_s
    weights = alpha.transpose(1, 0, 2)                     # [t, s, n]
    return y, weights, CausalSelfAttentionCache(x, q, k, v, alpha, y, W_q, W_k, W_v)


@validated(gradients_like(dy="y"))
def causal_self_attention_backward(dy, cache: CausalSelfAttentionCache):
    """Backward pass of :func:`causal_self_attention_forward` (derived in the module docstring).

    Parameters
    ----------
    dy : (T, N, M) gradient at the outputs.   cache : what the forward pass returned.

    Returns
    -------
    dx (T, N, D), dW_q (A, D), dW_k (A, D), dW_v (M, D).
    """
    x, q, k, v, alpha, _, W_q, W_k, W_v = cache
    scale = 1 / math.sqrt(q.shape[2])
    dalpha = np.einsum("tnm,snm->stn", dy, v)              # dy_t . v_s
    de = masked_softmax_backward(dalpha, alpha)            # (S, T, N), 0 for s > t
    dq = np.einsum("stn,sna->tna", de, k) * scale
    dk = np.einsum("stn,tna->sna", de, q) * scale
    dv = np.einsum("stn,tnm->snm", alpha, dy)
    dx = dq @ W_q + dk @ W_k + dv @ W_v
    dW_q = np.einsum("tna,tnd->ad", dq, x)
    dW_k = np.einsum("tna,tnd->ad", dk, x)
    dW_v = np.einsum("tnm,tnd->md", dv, x)
    return dx, dW_q, dW_k, dW_v
