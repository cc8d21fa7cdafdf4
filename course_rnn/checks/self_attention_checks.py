"""The check of the self-attention exercise: causal self-attention, forward.

``check_causal_self_attention`` grades a student's ``causal_self_attention_forward(x, W_q, W_k,
W_v)``, which returns (y, weights), or (y, weights, cache) as the package's function of that
name does (:mod:`course_rnn.numpy.causal_self_attention`): the check reads y and the weights
and ignores a cache. How it grades is :func:`~course_rnn.checks.paired_checks.grade_forward`;
the cases are in :mod:`~course_rnn.checks.self_attention_cases`, the typical mistakes in
:mod:`~course_rnn.checks.self_attention_mistakes`; here is what is particular to
self-attention: the shapes that betray a mistake, the overflow of an exp taken without
subtracting the largest score, a first position left with nothing to read, and what the cases
that come out right say.

Shapes: T positions, N batch, D input features, A query/key features, M value features.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from course_rnn.checks import self_attention_mistakes
from course_rnn.checks.diagnosis import Outcome, ablation_finding
from course_rnn.checks.outputs import Problem
from course_rnn.checks.paired_checks import PairedExercise, grade_forward
from course_rnn.checks.report import never_raises
from course_rnn.checks.results import Verdict
from course_rnn.checks.self_attention_cases import (
    LARGE_SCORES,
    SelfAttentionCase,
    forward_cases,
)
from course_rnn.numpy import causal_self_attention_forward

EQUATIONS = ("q = x @ W_q.T, k = x @ W_k.T, v = x @ W_v.T; e[t, s, n] = q[t, n] . k[s, n] / "
             "sqrt(A); weights[t, :, n] = softmax over s <= t of e[t, :, n] (0 for s > t); "
             "y[t, n] = sum over s of weights[t, s, n] * v[s, n].")


def _weights_sum_to_one(outcomes: Sequence[Outcome]) -> str | None:
    """A sentence when some query's weights do not sum to 1."""
    for outcome in outcomes:
        sums = outcome.got[1].sum(axis=1)              # (T, N)
        off = np.argwhere(np.abs(sums - 1) > 1e-5)
        if len(off):
            t, n = (int(i) for i in off[0])
            return (f"On the test '{outcome.case.title}', your weights of query t = {t} in "
                    f"sequence n = {n} sum to {sums[t, n]:.4g}; weights[t, :, n] is a "
                    "distribution over the keys s <= t and sums to 1.")
    return None


def _future_weight(outcomes: Sequence[Outcome]) -> str | None:
    """A sentence when some weight of a later key (s > t) is not 0."""
    for outcome in outcomes:
        T = outcome.case.sizes[0]
        future = np.triu(np.ones((T, T), dtype=bool), 1)
        leak = np.abs(outcome.got[1][future]).max(initial=0.0)
        if leak > 1e-12:
            return (f"On the test '{outcome.case.title}', a later key gets weight up to "
                    f"{leak:.3g}: weights[t, s, n] is exactly 0 for every s > t.")
    return None


@dataclass(frozen=True)
class CausalSelfAttention(PairedExercise):
    """Causal self-attention as the check sees it."""

    forward_name: str = "causal_self_attention_forward"
    outputs: tuple[str, ...] = ("y", "weights")
    forward_mistakes: Sequence = tuple(self_attention_mistakes.FORWARD_MISTAKES)
    simulate_forward: Callable = self_attention_mistakes.mistaken_self_attention
    cache_optional: bool = True
    check_name: str = "causal_self_attention"

    def forward_cases(self) -> list[SelfAttentionCase]:
        return forward_cases()

    def reference(self, case: SelfAttentionCase) -> tuple[tuple, tuple]:
        """The package's y and weights on ``case`` (and no gradients)."""
        y, weights, _ = causal_self_attention_forward(*(value for _, value in case.args))
        return (y, weights), ()

    def output_shape(self, name: str, case: SelfAttentionCase) -> tuple[int, int, int]:
        T, N, _, _, M = case.sizes
        return {"y": (T, N, M), "weights": (T, T, N)}[name]

    def output_hints(self, name: str, case: SelfAttentionCase) -> dict:
        T, N, D, A, M = case.sizes
        if name == "weights":
            return {(N, T, T): "these are laid out [n, t, s]; the exercise keeps the batch "
                               "last, [t, s, n] (weights.transpose(1, 2, 0)).",
                    (T, T): "the batch axis is missing: one (T, T) matrix per sequence, "
                            "stacked on the last axis, (T, T, N)."}
        return {(T, N, D): "that is a weighted sum of the inputs; the outputs mix the values "
                           "v = x @ W_v.T.",
                (T, N, A): "that is the size of the queries and keys; the outputs mix the "
                           "values v = x @ W_v.T, of size M.",
                (N, T, M): "this is batch-first; the exercise is time-major, (T, N, M)."}

    def forward_summary(self, count: int) -> str:
        return (f"correct on {count} tests (several sizes, one position, a batch of one, "
                "large scores).")

    def forward_findings(self, outcomes: Sequence[Outcome]) -> list[str | None]:
        """What the wrong numbers and the cases that come out right say."""
        ok = {outcome.case: outcome.ok for outcome in outcomes}
        rules = [(lambda case: case.sizes[0] == 1,
                  "Your outputs are right with one position (T = 1) only, where the weight is "
                  f"1 whatever the scores: look at the scores, the mask and the softmax. "
                  f"{EQUATIONS}"),
                 (lambda case: case.sizes[1] == 1,
                  "Your outputs are right for a batch of one but not for larger batches: each "
                  "sequence n attends within itself, never across the batch.")]
        return [_future_weight(outcomes), _weights_sum_to_one(outcomes),
                ablation_finding(ok, rules)]

    def explain(self, problem: Problem, case: SelfAttentionCase) -> Problem:
        """``problem`` with what it probably means on ``case``: an exp that overflows, a
        first position with nothing to read, products whose sizes do not fit."""
        text = str(problem)
        if "NaN/inf" in text and case.label == LARGE_SCORES:
            largest = self_attention_mistakes.largest_visible_score(case)
            return Problem(f"{text} On this test the largest score is {largest:.0f}, and "
                           f"np.exp({largest:.0f}) overflows to inf (inf / inf is NaN): the "
                           "softmax is computed without subtracting the largest score first. "
                           "Subtract each query's largest visible score before exp; the "
                           "weights do not change, since the factor cancels.")
        if "NaN/inf" in text:
            return Problem(f"{text} A query with no key to read gives 0 / 0: is the diagonal "
                           "excluded (s < t)? The first position reads itself, so every "
                           "query has at least one key, s = t.")
        if any(word in text for word in ("matmul", "not aligned", "broadcast", "einsum")):
            T, N, D, A, M = case.sizes
            return Problem(f"{text} Here x is (T, N, D) = ({T}, {N}, {D}), W_q and W_k (A, D) "
                           f"= ({A}, {D}) and W_v (M, D) = ({M}, {D}): x @ W_q.T is (T, N, A), "
                           f"x @ W_v.T is (T, N, M).")
        return problem


SELF_ATTENTION = CausalSelfAttention()


@never_raises
def check_causal_self_attention(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``causal_self_attention_forward(x, W_q, W_k, W_v)``, returning
    (y, weights) or (y, weights, cache); print a pass line or hints. Never raises."""
    return grade_forward(SELF_ATTENTION, fn, time_limit)
