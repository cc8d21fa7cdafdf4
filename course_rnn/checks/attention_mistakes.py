r"""Typical wrong additive attention, simulated, so that the attention checks can name it.

:func:`mistaken_attention_forward` and :func:`mistaken_attention_backward` compute additive
attention (Bahdanau, Cho and Bengio 2015) with switches that reproduce one common mistake each:
the softmax over the wrong axis, padding that keeps weight, a weight swapped or transposed, a
missing tanh or its derivative, a softmax Jacobian reduced to its diagonal, a path of the
gradient to the keys left out. A switch names what the mistaken code computes; with every
switch at its default they compute the right answer:

    pre[s, n] = W_q q_n + W_k k[s, n]          (S, N, A)
    e[s, n] = v . tanh(pre[s, n])              (S, N)
    weights[:, n] = softmax of e[:, n] over the real positions s (0 at padding)
    context[n] = sum_s weights[s, n] k[s, n]   (N, K)

Shapes: S positions, N batch, Q query features, K key features, A attention units. Each
:class:`~course_rnn.checks.rnn_mistakes.Mistake` below pairs switches with what to tell the
student. A simulation raises ValueError where the mistaken code would not run on a case's
shapes (W_q and W_k swapped when Q != K).
"""

from __future__ import annotations

import numpy as np

from course_rnn.checks.attention_cases import ARG_NAMES, AttentionCase
from course_rnn.checks.rnn_mistakes import Mistake


def _mask(case: AttentionCase) -> np.ndarray:
    S, N = case["keys"].shape[:2]
    mask = case["mask"]
    return np.ones((S, N), dtype=bool) if mask is None else mask


def _projections(case: AttentionCase, query_weight: str, key_weight: str) -> np.ndarray:
    """W_q q_n + W_k k[s, n] (S, N, A), with the weights the mistaken code uses."""
    weights = {"W_q": case["W_q"].T, "W_k": case["W_k"].T,
               "W_q untransposed": case["W_q"], "W_k untransposed": case["W_k"]}
    return case["query"] @ weights[query_weight] + case["keys"] @ weights[key_weight]


def scores(case: AttentionCase) -> np.ndarray:
    """The right scores e (S, N), padding included."""
    return np.tanh(_projections(case, "W_q", "W_k")) @ case["v"]


def _softmax(e: np.ndarray, keep: np.ndarray, axis: int) -> np.ndarray:
    """Softmax of e along ``axis`` over the entries where ``keep`` is True (0 elsewhere).

    Left-out scores become -1e300, not -inf, so that a slice of padding only gives equal
    weights, not NaN, as code that masks with a large negative number does.
    """
    shifted = np.where(keep, e, -1e300)
    exp = np.exp(shifted - shifted.max(axis=axis, keepdims=True))
    return exp / exp.sum(axis=axis, keepdims=True)


@np.errstate(all="ignore")  # a mistake may overflow or divide by 0; its NaN matches nothing
def mistaken_attention_forward(case: AttentionCase, *, axis=0, mask="exclude",
                               query_weight="W_q", key_weight="W_k", tanh="tanh(pre)", v=True,
                               normalise=True, context_weights="weights"):
    """(context (N, K), weights (S, N)) computed with the given mistakes.

    ``axis`` is the axis of the softmax (1: the batch); ``mask`` is how padding is treated:
    "exclude" (right), "ignore", "zero after" (weights zeroed after the softmax, not
    renormalised) or "multiply scores" (e * mask before the softmax); ``tanh`` is
    "tanh(pre)", "none" or "each term" (tanh of the two products separately).
    """
    keys, keep = case["keys"], _mask(case)
    pre = _projections(case, query_weight, key_weight)                 # (S, N, A)
    hidden = {"tanh(pre)": lambda: np.tanh(pre), "none": lambda: pre,
              "each term": lambda: (np.tanh(case["query"] @ case["W_q"].T)
                                    + np.tanh(keys @ case["W_k"].T))}[tanh]()
    e = hidden @ (case["v"] if v else np.ones(len(case["v"])))          # (S, N)
    everywhere = np.ones_like(keep)
    if mask == "multiply scores":
        e, keep = e * keep, everywhere
    elif mask in ("ignore", "zero after"):
        keep = everywhere
    if normalise:
        weights = _softmax(e, keep, axis)
    else:
        weights = np.where(keep, np.exp(e), 0.0)
    if mask == "zero after":
        weights = weights * _mask(case)
    used = {"weights": weights, "scores": e}[context_weights]
    context = np.einsum("sn,snk->nk", used, keys)
    return context, weights


@np.errstate(all="ignore")
def mistaken_attention_backward(case: AttentionCase, *, tanh_derivative="1 - t**2",
                                softmax="alpha * (dalpha - sum)", direct="alpha * dcontext",
                                score_path=True, backward_mask=True, dquery_weight="W_q",
                                dv_by="t", accumulate="all positions"):
    """(dquery, dkeys, dW_q, dW_k, dv) with the given mistakes, from the right forward.

    ``softmax`` is the formula of de from dalpha; ``direct`` the direct path of dkeys, through
    the context ("none" leaves it out); ``backward_mask=False`` recomputes the weights without
    the mask; ``accumulate="last position"`` keeps only s = S-1's share of the sums over s of
    dquery and of the parameter gradients (``=`` where ``+=`` belongs in a loop over s).
    """
    query, keys, W_q, W_k, v = (case[name] for name in ARG_NAMES[:5])
    dcontext = case["dcontext"]
    pre = _projections(case, "W_q", "W_k")                             # (S, N, A)
    t = np.tanh(pre)
    keep = _mask(case) if backward_mask else np.ones_like(_mask(case))
    alpha = _softmax(scores(case), keep, 0)                            # (S, N)
    dalpha = np.einsum("snk,nk->sn", keys, dcontext)
    weighted = (alpha * dalpha).sum(axis=0, keepdims=True)
    de = {"alpha * (dalpha - sum)": alpha * (dalpha - weighted),
          "alpha * (1 - alpha) * dalpha": alpha * (1 - alpha) * dalpha,
          "alpha * dalpha": alpha * dalpha,
          "dalpha - sum": dalpha - weighted}[softmax]
    dt = de[..., None] * v                                             # (S, N, A)
    dpre = dt * {"1 - t**2": 1 - t ** 2, "none": 1.0, "1 - pre**2": 1 - pre ** 2}[tanh_derivative]
    if accumulate == "last position":
        dpre = np.where(np.arange(len(keys))[:, None, None] == len(keys) - 1, dpre, 0.0)
        de = np.where(np.arange(len(keys))[:, None] == len(keys) - 1, de, 0.0)
    dkeys_direct = {"alpha * dcontext": alpha[..., None] * dcontext,
                    "dcontext": np.broadcast_to(dcontext, keys.shape),
                    "none": 0.0}[direct]
    dkeys = dkeys_direct + score_path * (dpre @ W_k)
    dquery = (dpre @ {"W_q": W_q, "W_k": W_k}[dquery_weight]).sum(axis=0)
    dW_q = np.einsum("sna,nq->aq", dpre, query)
    dW_k = np.einsum("sna,snk->ak", dpre, keys)
    dv = np.einsum("sn,sna->a", de, {"t": t, "pre": pre}[dv_by])
    return dquery, dkeys, dW_q, dW_k, dv


_SCORES = "e[s, n] = v . tanh(W_q q_n + W_k k[s, n])"
_SOFTMAX = "weights[:, n] = softmax over s of e[:, n]"
_MASKING = ("set the scores of padded positions to -inf (np.where(mask, e, -np.inf)) before "
            "the softmax, so that exp gives them exactly 0 and the real positions share the "
            "whole weight")
_DE = "de = alpha * (dalpha - (alpha * dalpha).sum(axis=0))"

FORWARD_MISTAKES = [
    Mistake(f"the softmax runs over the batch axis (axis=1); each example has its own "
            f"distribution over its S positions: {_SOFTMAX}, axis=0 of (S, N).", {"axis": 1}),
    Mistake(f"the padded positions get weight: the mask is not used. {_MASKING[0].upper()}"
            f"{_MASKING[1:]}.", {"mask": "ignore"}),
    Mistake("the padded positions' weights are set to 0 after the softmax, but the rest are "
            "not renormalised, so they no longer sum to 1: either divide by their new sum or "
            f"{_MASKING}.", {"mask": "zero after"}),
    Mistake("the mask multiplies the scores (e * mask), which makes a padded score 0, not "
            f"-inf: exp(0) = 1 still gives the padding weight. {_MASKING[0].upper()}"
            f"{_MASKING[1:]}.", {"mask": "multiply scores"}),
    Mistake(f"W_q and W_k are swapped: W_q (A, Q) multiplies the query and W_k (A, K) the "
            f"keys: {_SCORES}.", {"query_weight": "W_k", "key_weight": "W_q"}),
    Mistake("W_q is used untransposed: with the query as rows, q_n W_q^T is query @ W_q.T.",
            {"query_weight": "W_q untransposed"}),
    Mistake("W_k is used untransposed: with the keys as rows, keys @ W_k.T gives (S, N, A).",
            {"key_weight": "W_k untransposed"}),
    Mistake("both weights are used untransposed: query @ W_q.T and keys @ W_k.T.",
            {"query_weight": "W_q untransposed", "key_weight": "W_k untransposed"}),
    Mistake(f"tanh is missing: {_SCORES}. Without it the scores are linear in the query, and "
            "the query's part is the same for every position, so the softmax cancels it.",
            {"tanh": "none"}),
    Mistake(f"tanh is taken of each product separately; it wraps their sum: {_SCORES}. With "
            "tanh(W_q q_n) added on its own, the query's part is the same for every position "
            "and the softmax cancels it: the weights would not depend on the query at all.",
            {"tanh": "each term"}),
    Mistake(f"v is missing: the score is the dot product of v with the tanh: {_SCORES}, not "
            "the sum of the tanh's entries.", {"v": False}),
    Mistake(f"the weights are not normalised: the softmax divides exp(e) by its sum over the "
            f"positions, {_SOFTMAX}.", {"normalise": False}),
    Mistake("the context is weighted by the scores e; it uses the softmax weights: context[n] "
            "= sum over s of weights[s, n] * keys[s, n].", {"context_weights": "scores"}),
]

_D_PRE = "dpre = (de[..., None] * v) * (1 - t**2) with t = tanh(pre)"

BACKWARD_MISTAKES = [
    Mistake(f"the tanh derivative is missing: e = v . tanh(pre), so {_D_PRE}.",
            {"tanh_derivative": "none"}),
    Mistake(f"the tanh derivative is taken of the pre-activation, 1 - pre**2; it is 1 - "
            f"tanh(pre)**2: {_D_PRE}.", {"tanh_derivative": "1 - pre**2"}),
    Mistake(f"the softmax Jacobian is reduced to its diagonal, alpha * (1 - alpha): each "
            f"weight depends on every score of its column, so {_DE}.",
            {"softmax": "alpha * (1 - alpha) * dalpha"}),
    Mistake(f"the softmax backward misses the term that every score shares: {_DE}.",
            {"softmax": "alpha * dalpha"}),
    Mistake(f"the softmax backward misses the factor alpha: {_DE}. (Without it, padded "
            "positions get gradient too.)", {"softmax": "dalpha - sum"}),
    Mistake("dkeys misses the direct path through the context: context = sum over s of "
            "alpha * keys, so dkeys gets alpha[..., None] * dcontext besides the path through "
            "the scores.", {"direct": "none"}),
    Mistake("dkeys's direct path is dcontext itself; each key enters the context multiplied "
            "by its weight, so that path is alpha[..., None] * dcontext.",
            {"direct": "dcontext"}),
    Mistake("dkeys misses the path through the scores: each key also moves its own score, "
            "so dkeys gets dpre @ W_k besides alpha[..., None] * dcontext.",
            {"score_path": False}),
    Mistake("the backward recomputes the weights without the mask, so the padded positions "
            "get gradient: use the forward's weights (0 at padding), and dkeys is 0 there.",
            {"backward_mask": False}),
    Mistake("dquery goes through W_k; the query enters through W_q: dquery = sum over s of "
            "dpre @ W_q.", {"dquery_weight": "W_k"}),
    Mistake("dv multiplies de by the pre-activation; e = v . tanh(pre), so dv = sum over s "
            "and n of de * tanh(pre).", {"dv_by": "pre"}),
    Mistake("the sums over the positions keep only the last one (`=` where `+=` belongs in a "
            "loop over s?): dquery and every parameter gradient sum over all S positions "
            "(and the N examples).", {"accumulate": "last position"}),
]
