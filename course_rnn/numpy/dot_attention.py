r"""Multiplicative attention (Luong, Pham and Manning 2015) in NumPy, forward and backward.

Luong et al. score a key k_{s,n} against the query q_n by a product instead of a network:

    e_{s,n} = q_n . k_{s,n}              "dot" (W is None; the query and the keys have one size)
    e_{s,n} = q_n^T W k_{s,n}            "general" (W (Q, K) learned)

Both are a dot product of the key with the query carried into key space, u_n = W^T q_n (u_n = q_n
for "dot"). The weights and the context are those of additive attention:

    alpha_{s,n} = softmax over the real s of e_{s,n}     exactly 0 at padded positions
    c_n         = sum_s alpha_{s,n} k_{s,n}

Backward:

    dalpha_{s,n} = dc_n . k_{s,n}
    de_{s,n}     = alpha_{s,n} (dalpha_{s,n} - sum_{s'} alpha_{s',n} dalpha_{s',n})   (softmax)
    du_n = sum_s de_{s,n} k_{s,n}        dk_{s,n} = de_{s,n} u_n + alpha_{s,n} dc_n
    dq_n = W du_n  (du_n for "dot")      dW = sum_n q_n du_n^T

Shapes: N batch, S key positions (time-major), Q query features, K key features.
query (N, Q), keys (S, N, K), W (Q, K) or None (then Q = K), mask (S, N) bool or None.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.numpy.masked_softmax import masked_softmax, masked_softmax_backward
from course_rnn.shapes import (
    attention_sizes,
    expect_dot_sizes,
    expect_input,
    expect_same_dtype,
    gradients_like,
    validated,
)


class DotAttentionCache(NamedTuple):
    """What :func:`dot_attention_backward` needs from the forward pass."""

    query: np.ndarray     # (N, Q)
    keys: np.ndarray      # (S, N, K)
    u: np.ndarray         # (N, K) the query in key space, W^T q_n (q_n itself for "dot")
    alpha: np.ndarray     # (S, N) weights
    context: np.ndarray   # (N, K)
    W: np.ndarray | None  # (Q, K), or None for the "dot" score


def dot_arguments(query, keys, W, mask):
    """``prepare`` for :func:`validated`: check every argument; a mask of None becomes all True."""
    S, N, Q, K = attention_sizes(query, keys, mask)
    if W is None:
        expect_dot_sizes(Q, K)
    else:
        expect_input("W", W, ("Q", "K"), (Q, K), "The general score is q^T W k")
    expect_same_dtype(query=query, keys=keys, W=W)
    return dict(query=query, keys=keys, W=W,
                mask=np.ones((S, N), dtype=bool) if mask is None else mask)


@validated(dot_arguments)
def dot_attention_forward(query, keys, W=None, mask=None):
    """Dot-product ("dot", W None) or bilinear ("general", W given) attention.

    Parameters
    ----------
    query : (N, Q).   keys : (S, N, K).   W : (Q, K), or None for the dot score (Q = K).
    mask : (S, N) bool, True at the real keys (at least one per sequence), or None (all real).

    Returns
    -------
    context (N, K), weights alpha (S, N) (0 at padded keys, summing to 1 over s) and cache.
    """
    u = query if W is None else query @ W           # (N, K): u_n = W^T q_n
    e = (keys * u).sum(axis=2)                      # (S, N): e_{s,n} = u_n . k_{s,n}
    alpha = masked_softmax(e, mask)                 # (S, N)
    context = (alpha[:, :, None] * keys).sum(axis=0)   # (N, K): c_n = sum_s alpha_{s,n} k_{s,n}
    return context, alpha, DotAttentionCache(query, keys, u, alpha, context, W)


@validated(gradients_like(dcontext="context"))
def dot_attention_backward(dcontext, cache: DotAttentionCache):
    """Backward pass of :func:`dot_attention_forward` (derived in the module docstring).

    Parameters
    ----------
    dcontext : (N, K) gradient at the context.   cache : what the forward pass returned.

    Returns
    -------
    dquery (N, Q), dkeys (S, N, K) (0 at padded keys), and dW (Q, K), or None when the
    forward pass had no W.
    """
    query, keys, u, alpha, _, W = cache
    dalpha = (keys * dcontext).sum(axis=2)          # (S, N): dc_n . k_{s,n}
    de = masked_softmax_backward(dalpha, alpha)     # (S, N)
    du = (de[:, :, None] * keys).sum(axis=0)        # (N, K)
    dkeys = de[:, :, None] * u + alpha[:, :, None] * dcontext   # through e and through c_n
    dquery = du if W is None else du @ W.T
    dW = None if W is None else query.T @ du
    return dquery, dkeys, dW
