"""Answers to the attention exercise as students write them: right ones written in different
ways (einsum, loops over n and s, float32, -inf or a large negative number for the padding,
caches of other types), and wrong ones, each with words its check's feedback must contain.
Used by tests/test_checks_attention.py.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

# ---------------------------------------------------------------- forward


def softmax_over_s(e, mask, axis=0):
    """The stable masked softmax of the solution, over ``axis``."""
    e = np.where(mask, e, -np.inf)
    z = np.exp(e - e.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)


def additive_attention_forward(query, keys, W_q, W_k, v, mask=None, *, softmax=softmax_over_s,
                               scores=None, weigh=None):
    """The solution's forward, with hooks where students go wrong; a tuple cache."""
    if mask is None:
        mask = np.ones(keys.shape[:2], dtype=bool)
    t = np.tanh(query @ W_q.T + keys @ W_k.T)
    e = t @ v if scores is None else scores(query, keys, W_q, W_k, v)
    alpha = softmax(e, mask)
    context = (alpha[:, :, None] * keys).sum(axis=0) if weigh is None else weigh(alpha, e, keys)
    return context, alpha, (query, keys, W_q, W_k, v, t, alpha)


Saved = namedtuple("Saved", "query keys W_q W_k v t alpha")


def forward_einsum_float32(query, keys, W_q, W_k, v, mask=None):
    query, keys, W_q, W_k, v = (a.astype(np.float32) for a in (query, keys, W_q, W_k, v))
    t = np.tanh(np.einsum("nq,aq->na", query, W_q)[None] + np.einsum("snk,ak->sna", keys, W_k))
    e = np.einsum("sna,a->sn", t, v)
    if mask is not None:
        e = np.where(mask, e, -1e9)   # a large negative number instead of -inf
    z = np.exp(e - e.max(axis=0))
    alpha = z / z.sum(axis=0)
    return np.einsum("sn,snk->nk", alpha, keys), alpha, Saved(query, keys, W_q, W_k, v, t, alpha)


def forward_loops(query, keys, W_q, W_k, v, mask=None):
    """One example and one position at a time; the padding skipped; a dict cache holding only
    the inputs."""
    S, N, K = keys.shape
    context, alpha = np.zeros((N, K)), np.zeros((S, N))
    for n in range(N):
        real = [s for s in range(S) if mask is None or mask[s, n]]
        e = np.array([v @ np.tanh(W_q @ query[n] + W_k @ keys[s, n]) for s in real])
        z = np.exp(e - e.max())
        for s, w in zip(real, z / z.sum()):
            alpha[s, n] = w
            context[n] += w * keys[s, n]
    return context, alpha, {"query": query, "keys": keys, "W_q": W_q, "W_k": W_k, "v": v,
                            "mask": mask}


def forward_exp_times_mask(query, keys, W_q, W_k, v, mask=None):
    """The padding removed by multiplying the exponentials by the mask, then renormalising."""
    mask = np.ones(keys.shape[:2]) if mask is None else mask.astype(float)
    e = np.tanh(query @ W_q.T + keys @ W_k.T) @ v
    largest = np.max(e * mask - 1e12 * (1 - mask), axis=0)
    z = np.exp(np.minimum(e - largest, 0.0)) * mask
    alpha = z / z.sum(axis=0)
    return (alpha[..., None] * keys).sum(axis=0), alpha, [query, keys, W_q, W_k, v, alpha]


def _unstable(e, mask):
    z = np.exp(np.where(mask, e, -np.inf))
    return z / z.sum(axis=0)


def _zero_after(e, mask):
    return softmax_over_s(e, np.ones_like(mask)) * mask


def _multiply_scores(e, mask):
    return softmax_over_s(e * mask, np.ones_like(mask))


def _forward_in_place(query, keys, W_q, W_k, v, mask=None):
    if mask is not None:
        keys *= mask[:, :, None]       # the padding zeroed in the caller's keys
    return additive_attention_forward(query, keys, W_q, W_k, v, mask)


def _swapped(query, keys, W_q, W_k, v, mask=None):
    return additive_attention_forward(query, keys, W_k, W_q, v, mask)


def _with(**hook):
    return lambda *args: additive_attention_forward(*args, **hook)


WRONG_FORWARD = {
    "softmax over the batch": (_with(softmax=lambda e, m: softmax_over_s(e, m, axis=1)),
                               "runs over the batch axis (axis=1)"),
    "mask ignored": (_with(softmax=lambda e, m: softmax_over_s(e, np.ones_like(m))),
                     "padded positions get weight: the mask is not used"),
    "zeroed after the softmax": (_with(softmax=_zero_after), "not renormalised"),
    "scores multiplied by the mask": (_with(softmax=_multiply_scores),
                                      "exp(0) = 1 still gives the padding weight"),
    "W_q and W_k swapped": (_swapped, "W_q multiplies the query and W_k the keys"),
    "W_k untransposed": (_with(scores=lambda q, k, Wq, Wk, v: np.tanh(q @ Wq.T + k @ Wk) @ v),
                         "keys @ W_k.T is (S, N, A)"),
    "no tanh": (_with(scores=lambda q, k, Wq, Wk, v: (q @ Wq.T + k @ Wk.T) @ v),
                "tanh is missing"),
    "tanh of each term": (_with(scores=lambda q, k, Wq, Wk, v: (np.tanh(q @ Wq.T)
                                                                 + np.tanh(k @ Wk.T)) @ v),
                          "tanh is taken of each product separately"),
    "no v": (_with(scores=lambda q, k, Wq, Wk, v: np.tanh(q @ Wq.T + k @ Wk.T).sum(axis=2)),
             "v is missing"),
    "not normalised": (_with(softmax=lambda e, m: np.where(m, np.exp(e), 0.0)),
                       "the weights are not normalised"),
    "context weighted by the scores": (_with(weigh=lambda a, e, k: (e[..., None] * k).sum(0)),
                                       "the context is weighted by the scores"),
    "unstable softmax": (_with(softmax=_unstable),
                         "without subtracting the largest score first"),
    "keys changed in place": (_forward_in_place, "changed its argument keys in place"),
    "weights (N, S)": (lambda *args: (lambda c, a, cache: (c, a.T, cache))(
        *additive_attention_forward(*args)), "one column per example"),
    "context not summed": (_with(weigh=lambda a, e, k: a[..., None] * k),
                           "the context is their sum over the positions s"),
}

# ---------------------------------------------------------------- backward


def additive_attention_backward(dcontext, cache, *, softmax_back=None, tanh_prime=None,
                                direct=lambda alpha, dc: alpha[..., None] * dc,
                                score_path=True, alpha_of=None, dquery_by="W_q", dv_by="t",
                                dW_q=lambda da, query: np.einsum("sna,nq->aq", da, query),
                                dquery_sum=lambda d: d.sum(axis=0)):
    """The solution's backward over a tuple cache, with hooks where students go wrong."""
    query, keys, W_q, W_k, v, t, alpha = cache
    if alpha_of is not None:
        alpha = alpha_of(t @ v)
    dalpha = (keys * dcontext).sum(axis=2)
    if softmax_back is None:
        de = alpha * (dalpha - (alpha * dalpha).sum(axis=0))
    else:
        de = softmax_back(alpha, dalpha)
    pre = np.arctanh(t)
    da = de[..., None] * v * ((1 - t ** 2) if tanh_prime is None else tanh_prime(t, pre))
    dquery = dquery_sum(da @ (W_q if dquery_by == "W_q" else W_k))
    dkeys = direct(alpha, dcontext) + (da @ W_k if score_path else 0.0)
    dv = np.einsum("sn,sna->a", de, t if dv_by == "t" else pre)
    return dquery, dkeys, dW_q(da, query), np.einsum("sna,snk->ak", da, keys), dv


def backward_namedtuple(dcontext, cache):
    """Over the einsum forward's float32 namedtuple, in float64."""
    alpha, t = cache.alpha.astype(np.float64), cache.t.astype(np.float64)
    keys, query = cache.keys.astype(np.float64), cache.query.astype(np.float64)
    dalpha = np.einsum("snk,nk->sn", keys, dcontext)
    de = alpha * dalpha - alpha * np.einsum("sn,sn->n", alpha, dalpha)
    da = np.einsum("sn,a,sna->sna", de, cache.v, 1 - t * t)
    return (np.einsum("sna,aq->nq", da, cache.W_q),
            np.einsum("sna,ak->snk", da, cache.W_k) + np.einsum("sn,nk->snk", alpha, dcontext),
            np.einsum("sna,nq->aq", da, query), np.einsum("sna,snk->ak", da, keys),
            np.einsum("sn,sna->a", de, t))


def backward_loops(dcontext, cache):
    """Over the dict cache of the loop forward: everything recomputed, one example and one
    position at a time."""
    query, keys, W_q, W_k, v, mask = (cache[k] for k in ("query", "keys", "W_q", "W_k", "v",
                                                        "mask"))
    _, alpha, _ = forward_loops(query, keys, W_q, W_k, v, mask)
    S, N, _ = keys.shape
    grads = [np.zeros_like(a) for a in (query, keys, W_q, W_k, v)]
    for n in range(N):
        dalpha = keys[:, n] @ dcontext[n]
        weighted = alpha[:, n] @ dalpha
        for s in range(S):
            if alpha[s, n] == 0:
                continue
            t = np.tanh(W_q @ query[n] + W_k @ keys[s, n])
            de = alpha[s, n] * (dalpha[s] - weighted)
            da = de * v * (1 - t ** 2)
            grads[0][n] += W_q.T @ da
            grads[1][s, n] = W_k.T @ da + alpha[s, n] * dcontext[n]
            grads[2] += np.outer(da, query[n])
            grads[3] += np.outer(da, keys[s, n])
            grads[4] += de * t
    return tuple(grads)


def backward_recomputed(dcontext, cache):
    """Over the list cache of the forward that multiplies the exponentials by the mask."""
    query, keys, W_q, W_k, v, alpha = cache
    t = np.tanh(query @ W_q.T + keys @ W_k.T)
    return additive_attention_backward(dcontext, (query, keys, W_q, W_k, v, t, alpha))


def _back(**hook):
    return lambda dcontext, cache: additive_attention_backward(dcontext, cache, **hook)


def _backward_in_place(dcontext, cache):
    alpha = cache[-1]
    dkeys_direct = alpha[..., None] * dcontext
    dcontext *= 1.0                     # harmless, but a write into the caller's array
    dcontext[0, 0] += 1.0
    return additive_attention_backward(dcontext, cache, direct=lambda a, dc: dkeys_direct)


def _unmasked(e):
    z = np.exp(e - e.max(axis=0))
    return z / z.sum(axis=0)


WRONG_BACKWARD = {
    "no tanh derivative": (_back(tanh_prime=lambda t, pre: 1.0), "the tanh derivative is "
                                                                 "missing"),
    "1 - pre**2": (_back(tanh_prime=lambda t, pre: 1 - pre ** 2),
                   "taken of the pre-activation"),
    "diagonal softmax Jacobian": (_back(softmax_back=lambda a, d: a * (1 - a) * d),
                                  "reduced to its diagonal"),
    "no shared term": (_back(softmax_back=lambda a, d: a * d),
                       "misses the term that every score shares"),
    "no factor alpha": (_back(softmax_back=lambda a, d: d - (a * d).sum(axis=0)),
                        "dkeys is not 0 at the padded positions"),
    "no direct path": (_back(direct=lambda a, dc: 0.0), "misses the direct path"),
    "direct path without alpha": (_back(direct=lambda a, dc: np.broadcast_to(dc, a.shape
                                                                             + dc.shape[1:])),
                                  "direct path is dcontext itself"),
    "no score path": (_back(score_path=False), "misses the path through the scores"),
    "weights recomputed without the mask": (_back(alpha_of=_unmasked),
                                            "recomputes the weights without the mask"),
    "dquery through W_k": (_back(dquery_by="W_k"), "the query enters through W_q"),
    "dv with the pre-activation": (_back(dv_by="pre"), "dv multiplies de by the "
                                                       "pre-activation"),
    "last position only": (_back(dquery_sum=lambda d: d[-1],
                                 dW_q=lambda da, q: da[-1].T @ q),
                           "keep only the last one"),
    "dW_q per example": (_back(dW_q=lambda da, q: np.einsum("sna,nq->naq", da, q)),
                         "the weight W_q is shared by every example and position"),
    "dquery not summed over s": (_back(dquery_sum=lambda d: d),
                                 "the query is used at every position s"),
    "dcontext changed in place": (_backward_in_place, "changed its argument dcontext in place"),
}
