r"""Typical wrong causal self-attention, simulated, so that its check can name the mistake.

:func:`mistaken_self_attention` computes causal self-attention with switches that reproduce
one common mistake each: the causal mask left out, inverted, or off by one; the scale left out
or taken of the wrong size; the softmax over the queries' axis; masked scores set to 0 or
weights zeroed after the softmax; W_q and W_k swapped; the weights applied transposed to the
values. With every switch at its default it computes the right answer:

    q = x W_q^T, k = x W_k^T, v = x W_v^T                   (T, N, A), (T, N, A), (T, N, M)
    e[t, s, n] = q[t, n] . k[s, n] / sqrt(A)
    weights[t, :, n] = softmax over s <= t of e[t, :, n]    (0 for s > t)
    y[t, n] = sum_s weights[t, s, n] v[s, n]

Shapes: T positions, N batch, D input features, A query/key features, M value features.
"""

from __future__ import annotations

import numpy as np

from course_rnn.checks.rnn_mistakes import Mistake
from course_rnn.checks.self_attention_cases import SelfAttentionCase

VISIBLE = {  # which key s query t may read
    "s <= t": lambda s, t: s <= t,
    "all": lambda s, t: np.ones_like(s <= t),
    "s >= t": lambda s, t: s >= t,
    "s < t": lambda s, t: s < t,
    "s <= t + 1": lambda s, t: s <= t + 1,
}


def _softmax(e: np.ndarray, keep: np.ndarray, axis: int) -> np.ndarray:
    """Softmax along ``axis`` over the entries where ``keep`` is True (0 elsewhere).

    Left-out scores become -1e300, not -inf, as code that masks with a large negative number
    does: a row with nothing to read gets equal weights, not NaN.
    """
    shifted = np.where(keep, e, -1e300)
    exp = np.exp(shifted - shifted.max(axis=axis, keepdims=True))
    return exp / exp.sum(axis=axis, keepdims=True)


def largest_visible_score(case: SelfAttentionCase) -> float:
    """The largest right score e[t, s, n] = q_t . k_s / sqrt(A) over s <= t."""
    q, k = case["x"] @ case["W_q"].T, case["x"] @ case["W_k"].T
    e = np.einsum("tna,sna->tsn", q, k) / np.sqrt(q.shape[2])
    return float(np.max(np.where(np.tri(len(e), dtype=bool)[:, :, None], e, -np.inf)))


@np.errstate(all="ignore")  # a mistake may overflow; its NaN matches nothing
def mistaken_self_attention(case: SelfAttentionCase, *, visible="s <= t", scale="sqrt(A)",
                            axis=1, masking="exclude", swap_qk=False, transpose_weights=False):
    """(y (T, N, M), weights (T, T, N)) computed with the given mistakes.

    ``scale`` divides the scores: "sqrt(A)", "1", "A" or "sqrt(D)"; ``axis`` is the axis of
    the softmax in [t, s, n] (0: over the queries); ``masking`` is "exclude" (right), "zero
    scores" (e * mask before the softmax) or "zero after" (weights zeroed after a softmax over
    every s, not renormalised).
    """
    x, W_q, W_k, W_v = (case[name] for name in ("x", "W_q", "W_k", "W_v"))
    T, _, D, A, _ = case.sizes
    q, k = (x @ W_k.T, x @ W_q.T) if swap_qk else (x @ W_q.T, x @ W_k.T)
    v = x @ W_v.T
    divisor = {"sqrt(A)": np.sqrt(A), "1": 1.0, "A": A, "sqrt(D)": np.sqrt(D)}[scale]
    e = np.einsum("tna,sna->tsn", q, k) / divisor
    positions = np.arange(T)
    keep = VISIBLE[visible](positions[None, :], positions[:, None])[:, :, None]   # [t, s]
    if masking == "zero scores":
        e, keep = e * keep, np.ones_like(keep)
    if masking == "zero after":
        weights = _softmax(e, np.ones_like(keep), axis) * keep
    else:
        weights = _softmax(e, np.broadcast_to(keep, e.shape), axis)
    used = weights.transpose(1, 0, 2) if transpose_weights else weights
    y = np.einsum("tsn,snm->tnm", used, v)
    return y, weights


_RULE = "query t reads the keys s <= t, itself included, and never a later one"
_EXCLUDE = ("set the scores of the positions s > t to -inf (np.where(mask, e, -np.inf)) before "
            "the softmax, so that exp gives them exactly 0 and the others share the whole weight")

FORWARD_MISTAKES = [
    Mistake(f"the causal mask is missing: every position reads the future too; {_RULE}: "
            f"{_EXCLUDE}.", {"visible": "all"}),
    Mistake(f"the causal mask is inverted (s >= t): each position reads the future and not "
            f"its past; {_RULE}.", {"visible": "s >= t"}),
    Mistake(f"the mask is off by one and excludes the diagonal (s < t); {_RULE}: the mask is "
            "s <= t (np.tril(np.ones((T, T))), diagonal included).", {"visible": "s < t"}),
    Mistake(f"the mask is off by one and lets each position read the next one (s <= t + 1); "
            f"{_RULE}.", {"visible": "s <= t + 1"}),
    Mistake("the scores are not scaled: e[t, s, n] = q_t . k_s / sqrt(A), with A the size of "
            "the queries and keys.", {"scale": "1"}),
    Mistake("the scores are divided by A; the scale is 1 / sqrt(A), which keeps the scores' "
            "spread near 1 whatever A.", {"scale": "A"}),
    Mistake("the scores are divided by sqrt(D), the size of the inputs; the scale is "
            "1 / sqrt(A), with A the size of the queries and keys (W_q is (A, D)).",
            {"scale": "sqrt(D)"}),
    Mistake("the softmax runs over the queries t (axis 0 of [t, s, n]); each query has its own "
            "distribution over the keys s: softmax over axis 1, so weights[t, :, n] sums to 1.",
            {"axis": 0}),
    Mistake(f"the masked scores are set to 0, not excluded: exp(0) = 1 still gives the future "
            f"weight. {_EXCLUDE[0].upper()}{_EXCLUDE[1:]}.", {"masking": "zero scores"}),
    Mistake("the future's weights are set to 0 after the softmax, but the rest are not "
            f"renormalised, so they no longer sum to 1: {_EXCLUDE}.", {"masking": "zero after"}),
    Mistake("W_q and W_k are swapped: the query of position t is W_q x_t and its key W_k x_t; "
            "the scores come out transposed.", {"swap_qk": True}),
    Mistake("the weights are applied transposed to the values: y[t] = sum over s of "
            "weights[t, s] v[s] (np.einsum('tsn,snm->tnm', weights, v)), so position t mixes "
            "the values of the keys it reads.", {"transpose_weights": True}),
]
