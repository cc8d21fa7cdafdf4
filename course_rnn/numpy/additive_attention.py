r"""Additive attention (Bahdanau, Cho and Bengio 2015) in NumPy, forward and backward.

A query q_n (for a decoder, its previous state) scores each key k_{s,n} (an encoder state) with
a one-hidden-layer network; the scores become weights by a softmax over the positions s, and
the context is the weighted mean of the keys:

    e_{s,n}     = v . tanh(W_q q_n + W_k k_{s,n})       score (no biases)
    alpha_{s,n} = softmax over the real s of e_{s,n}     weight, exactly 0 at padded positions
    c_n         = sum_s alpha_{s,n} k_{s,n}              context

Backward, with a_{s,n} = W_q q_n + W_k k_{s,n} and t_{s,n} = tanh(a_{s,n}):

    dalpha_{s,n} = dc_n . k_{s,n}
    de_{s,n}     = alpha_{s,n} (dalpha_{s,n} - sum_{s'} alpha_{s',n} dalpha_{s',n})   (softmax)
    da_{s,n}     = de_{s,n} v * (1 - t_{s,n}^2)
    dq_n = W_q^T sum_s da_{s,n}         dk_{s,n} = W_k^T da_{s,n} + alpha_{s,n} dc_n
    dW_q = sum_{s,n} da_{s,n} q_n^T     dW_k = sum_{s,n} da_{s,n} k_{s,n}^T
    dv   = sum_{s,n} de_{s,n} t_{s,n}

A key reaches the loss twice, through its score and through the weighted sum; at a padded
position alpha and de are both 0, so its gradient is exactly 0.

Shapes: N batch, S key positions (time-major), Q query features, K key features, A attention
units. query (N, Q), keys (S, N, K), W_q (A, Q), W_k (A, K), v (A,), mask (S, N) bool or None.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.numpy.masked_softmax import masked_softmax, masked_softmax_backward
from course_rnn.shapes import (
    attention_sizes,
    expect_input,
    expect_same_dtype,
    gradients_like,
    validated,
)


class AdditiveAttentionCache(NamedTuple):
    """What :func:`additive_attention_backward` needs from the forward pass."""

    query: np.ndarray     # (N, Q)
    keys: np.ndarray      # (S, N, K)
    t: np.ndarray         # (S, N, A) tanh(W_q q_n + W_k k_{s,n})
    alpha: np.ndarray     # (S, N) weights
    context: np.ndarray   # (N, K)
    W_q: np.ndarray       # (A, Q)
    W_k: np.ndarray       # (A, K)
    v: np.ndarray         # (A,)


def additive_arguments(query, keys, W_q, W_k, v, mask):
    """``prepare`` for :func:`validated`: check every argument; a mask of None becomes all True."""
    S, N, Q, K = attention_sizes(query, keys, mask)
    expect_input("v", v, ("A",), (None,))
    A = v.shape[0]
    expect_input("W_q", W_q, ("A", "Q"), (A, Q), "W_q maps the query to the A attention units")
    expect_input("W_k", W_k, ("A", "K"), (A, K), "W_k maps a key to the A attention units")
    expect_same_dtype(query=query, keys=keys, W_q=W_q, W_k=W_k, v=v)
    return dict(query=query, keys=keys, W_q=W_q, W_k=W_k, v=v,
                mask=np.ones((S, N), dtype=bool) if mask is None else mask)


@validated(additive_arguments)
def additive_attention_forward(query, keys, W_q, W_k, v, mask=None):
    """Additive attention of one query per sequence over its keys.

    Parameters
    ----------
    query : (N, Q).   keys : (S, N, K).   W_q : (A, Q).   W_k : (A, K).   v : (A,).
    mask : (S, N) bool, True at the real keys (at least one per sequence), or None (all real).

    Returns
    -------
    context (N, K), weights alpha (S, N) (0 at padded keys, summing to 1 over s) and cache.
    """
    t = np.tanh(query @ W_q.T + keys @ W_k.T)       # (S, N, A): tanh(W_q q_n + W_k k_{s,n})
    e = t @ v                                       # (S, N): e_{s,n} = v . t_{s,n}
    alpha = masked_softmax(e, mask)                 # (S, N)
    context = (alpha[:, :, None] * keys).sum(axis=0)   # (N, K): c_n = sum_s alpha_{s,n} k_{s,n}
    return context, alpha, AdditiveAttentionCache(query, keys, t, alpha, context, W_q, W_k, v)


@validated(gradients_like(dcontext="context"))
def additive_attention_backward(dcontext, cache: AdditiveAttentionCache):
    """Backward pass of :func:`additive_attention_forward` (derived in the module docstring).

    Parameters
    ----------
    dcontext : (N, K) gradient at the context.   cache : what the forward pass returned.

    Returns
    -------
    dquery (N, Q), dkeys (S, N, K) (0 at padded keys), dW_q (A, Q), dW_k (A, K), dv (A,).
    """
    query, keys, t, alpha, _, W_q, W_k, v = cache
    dalpha = (keys * dcontext).sum(axis=2)          # (S, N): dc_n . k_{s,n}
    de = masked_softmax_backward(dalpha, alpha)     # (S, N)
    da = de[:, :, None] * v * (1 - t**2)            # (S, N, A) at W_q q_n + W_k k_{s,n}
    dquery = da.sum(axis=0) @ W_q
    dkeys = da @ W_k + alpha[:, :, None] * dcontext  # through the score and through c_n
    dW_q = da.sum(axis=0).T @ query
    dW_k = np.einsum("sna,snk->ak", da, keys)
    dv = np.einsum("sn,sna->a", de, t)
    return dquery, dkeys, dW_q, dW_k, dv
