"""Answers to the causal self-attention exercise as students write them: right ones written in
different ways (einsum and -inf, loops over sequences and positions, float32 with a large
negative number, batch-first inside), and wrong ones, each with words its check's feedback must
contain. Used by tests/test_checks_beyond_lstm.py.
"""

from __future__ import annotations

import numpy as np


def stable_softmax(e, visible, axis=1):
    """The solution's softmax over ``axis``, the invisible scores at -inf."""
    e = np.where(visible, e, -np.inf)
    z = np.exp(e - e.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)


def causal_self_attention_forward(x, W_q, W_k, W_v, *, visible=None, scale=None,
                                  softmax=stable_softmax, swap=False, mix=None):
    """The solution, with hooks where students go wrong; returns (y, weights)."""
    T = x.shape[0]
    q, k = (x @ W_k.T, x @ W_q.T) if swap else (x @ W_q.T, x @ W_k.T)
    v = x @ W_v.T
    e = np.einsum("tna,sna->tsn", q, k) / (np.sqrt(q.shape[2]) if scale is None else scale(q, x))
    mask = np.tril(np.ones((T, T), dtype=bool)) if visible is None else visible(T)
    weights = softmax(e, mask[:, :, None])
    y = np.einsum("tsn,snm->tnm", weights if mix is None else mix(weights), v)
    return y, weights


def forward_loops(x, W_q, W_k, W_v):
    """One sequence and one query at a time over the keys s <= t; a dict cache."""
    T, N, _ = x.shape
    A = W_q.shape[0]
    y, weights = np.zeros((T, N, W_v.shape[0])), np.zeros((T, T, N))
    for n in range(N):
        for t in range(T):
            e = np.array([(W_q @ x[t, n]) @ (W_k @ x[s, n]) / np.sqrt(A) for s in range(t + 1)])
            z = np.exp(e - e.max())
            weights[t, :t + 1, n] = z / z.sum()
            y[t, n] = sum(w * (W_v @ x[s, n]) for s, w in enumerate(z / z.sum()))
    return y, weights, {"x": x}


def forward_batch_first_float32(x, W_q, W_k, W_v):
    """Batch-first inside, (N, T, T) scores, a large negative number for the future; float32."""
    x, W_q, W_k, W_v = (a.astype(np.float32) for a in (x, W_q, W_k, W_v))
    xb = x.transpose(1, 0, 2)                                   # (N, T, D)
    q, k, v = xb @ W_q.T, xb @ W_k.T, xb @ W_v.T
    e = q @ k.transpose(0, 2, 1) / np.float32(np.sqrt(W_q.shape[0]))
    T = x.shape[0]
    e = np.where(np.tri(T, dtype=bool), e, np.float32(-1e9))
    e = e - e.max(axis=2, keepdims=True)
    w = np.exp(e) / np.exp(e).sum(axis=2, keepdims=True)        # (N, T, S)
    return (w @ v).transpose(1, 0, 2), w.transpose(1, 2, 0), (q, k, v, w)


def _with(**hooks):
    def wrong(*args):
        return causal_self_attention_forward(*args, **hooks)
    return wrong


def _unstable(e, visible):
    z = np.where(visible, np.exp(e), 0.0)
    return z / z.sum(axis=1, keepdims=True)


def _zero_after(e, visible):
    return stable_softmax(e, np.ones_like(visible)) * visible


def _scores_times_mask(e, visible):
    return stable_softmax(e * visible, np.ones_like(visible))


def _in_place(x, W_q, W_k, W_v):
    result = causal_self_attention_forward(x, W_q, W_k, W_v)
    x *= 2.0   # "scratch space" reused after the computation
    return result


WRONG = {
    "no mask": (_with(visible=lambda T: np.ones((T, T), dtype=bool)), "the causal mask is missing"),
    "mask inverted": (_with(visible=lambda T: np.triu(np.ones((T, T), dtype=bool))),
                      "the causal mask is inverted"),
    "diagonal excluded": (_with(visible=lambda T: np.tril(np.ones((T, T), dtype=bool), -1)),
                          "is the diagonal excluded (s < t)?"),
    "reads the next position": (_with(visible=lambda T: np.tril(np.ones((T, T), dtype=bool), 1)),
                                "read the next one (s <= t + 1)"),
    "no scaling": (_with(scale=lambda q, x: 1.0), "the scores are not scaled"),
    "divided by A": (_with(scale=lambda q, x: q.shape[2]), "the scores are divided by A"),
    "divided by sqrt(D)": (_with(scale=lambda q, x: np.sqrt(x.shape[2])),
                           "divided by sqrt(D), the size of the inputs"),
    "softmax over the queries": (_with(softmax=lambda e, m: stable_softmax(e, m, axis=0)),
                                 "the softmax runs over the queries t"),
    "masked scores set to 0": (_with(softmax=_scores_times_mask),
                               "the masked scores are set to 0, not excluded"),
    "zeroed after the softmax": (_with(softmax=_zero_after), "are not renormalised"),
    "W_q and W_k swapped": (_with(swap=True), "W_q and W_k are swapped"),
    "weights transposed on the values": (_with(mix=lambda w: w.transpose(1, 0, 2)),
                                         "the weights are applied transposed to the values"),
    "unstable softmax": (_with(softmax=_unstable), "without subtracting the largest score first"),
    "weights (N, T, T)": (lambda *a: (lambda y, w: (y, w.transpose(2, 0, 1)))(
        *causal_self_attention_forward(*a)), "these are laid out [n, t, s]"),
    "x changed in place": (_in_place, "changed its argument x in place"),
}
