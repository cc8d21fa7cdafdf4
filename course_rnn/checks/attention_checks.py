"""Checks for the attention exercise: additive attention with masking, forward and backward.

``check_additive_attention_forward`` and ``check_additive_attention_backward`` grade a
student's ``additive_attention_forward(query, keys, W_q, W_k, v, mask=None) -> (context,
weights, cache)`` and ``additive_attention_backward(dcontext, cache) -> (dquery, dkeys, dW_q,
dW_k, dv)`` against the package's functions of the same names (:mod:`course_rnn.numpy`). How
they grade is :mod:`~course_rnn.checks.paired_checks`; the cases are in
:mod:`~course_rnn.checks.attention_cases`, the typical mistakes in
:mod:`~course_rnn.checks.attention_mistakes`; what is particular to attention is here: the
shapes that betray a mistake, the overflow of an exp taken without subtracting the largest
score, and what the cases that come out right say (no padding, one position, a batch of one).

Shapes: S positions, N batch, Q query features, K key features, A attention units.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from course_rnn.checks import attention_mistakes
from course_rnn.checks.attention_cases import (
    LARGE_SCORES,
    AttentionCase,
    backward_cases,
    forward_cases,
)
from course_rnn.checks.diagnosis import Outcome, ablation_finding
from course_rnn.checks.outputs import Problem
from course_rnn.checks.paired_checks import PairedExercise, grade_backward, grade_forward
from course_rnn.checks.report import never_raises
from course_rnn.checks.results import Verdict
from course_rnn.numpy import additive_attention_backward, additive_attention_forward

EQUATIONS = ("e[s, n] = v . tanh(W_q q_n + W_k k[s, n]); weights[:, n] = softmax over the real "
             "positions s of e[:, n] (0 at padding); context[n] = sum over s of weights[s, n] "
             "* keys[s, n].")

_BATCH = ("{} right for a batch of one but not for larger batches: each column of the (S, N) "
          "arrays is a separate example; sums and the softmax run over s (axis 0), never over "
          "n.")


def _padding_rule(what: str, why: str) -> tuple[Callable, str]:
    return (lambda case: not case.masked,
            f"{what} right whenever no position is padding and wrong with padding: {why}")


def _sums_of_weights(outcomes: Sequence[Outcome]) -> str | None:
    """A sentence when the student's weights of some example do not sum to 1."""
    for outcome in outcomes:
        sums = outcome.got[1].sum(axis=0)
        off = np.flatnonzero(np.abs(sums - 1) > 1e-5)
        if len(off):
            n = int(off[0])
            return (f"On the test '{outcome.case.title}', your weights for example n = {n} sum "
                    f"to {sums[n]:.4g}; each column of weights is a distribution over its real "
                    "positions and sums to 1.")
    return None


@dataclass(frozen=True)
class AdditiveAttention(PairedExercise):
    """Additive attention as the checks see it."""

    forward_name: str = "additive_attention_forward"
    backward_name: str = "additive_attention_backward"
    outputs: tuple[str, ...] = ("context", "weights")
    grad_names: tuple[str, ...] = ("dquery", "dkeys", "dW_q", "dW_k", "dv")
    forward_mistakes: Sequence = tuple(attention_mistakes.FORWARD_MISTAKES)
    backward_mistakes: Sequence = tuple(attention_mistakes.BACKWARD_MISTAKES)
    simulate_forward: Callable = attention_mistakes.mistaken_attention_forward
    simulate_backward: Callable = attention_mistakes.mistaken_attention_backward
    backward_cause: str = (
        "All five gradients are wrong and no typical mistake explains them. All come from "
        "dalpha[s, n] = keys[s, n] . dcontext[n] and de = alpha * (dalpha - (alpha * "
        "dalpha).sum(axis=0)): print them for a batch of one and compare, factor by factor.")

    def forward_cases(self) -> list[AttentionCase]:
        return forward_cases()

    def backward_cases(self) -> list[AttentionCase]:
        return backward_cases()

    def reference(self, case: AttentionCase) -> tuple[tuple, tuple]:
        """The package's outputs and gradients on ``case``."""
        context, weights, cache = additive_attention_forward(*(v for _, v in case.args))
        return (context, weights), tuple(additive_attention_backward(case["dcontext"], cache))

    def output_shape(self, name: str, case: AttentionCase) -> tuple[int, int]:
        S, N, _, K, _ = case.sizes
        return {"context": (N, K), "weights": (S, N)}[name]

    def output_hints(self, name: str, case: AttentionCase) -> dict:
        S, N, _, K, A = case.sizes
        if name == "context":
            return {(S, N, K): "these are the weighted keys; the context is their sum over "
                               "the positions s (axis 0).",
                    (K,): "the batch axis is missing; keep it even for a batch of one."}
        return {(N, S): "the weights are time-major like the keys, (S, N): one column per "
                        "example.",
                (S, N, A): "the score is the dot product of v with the tanh, (S, N, A) @ v, "
                           "one number per position and example.",
                (S, N, 1): "drop the last axis: the weights are (S, N)."}

    def grad_hints(self, name: str, case: AttentionCase) -> dict:
        S, N, Q, K, A = case.sizes
        summed = ("the {} is shared by every example and position, so its gradient is the "
                  "sum over them (over axes s and n).")
        return {
            "dquery": {(S, N, Q): "the query is used at every position s: dquery is the sum "
                                  "over s of what each position sends back.",
                       (N, K): "dquery has the query's shape (N, Q): the query enters "
                               "through W_q, so dquery = sum over s of dpre @ W_q."},
            "dkeys": {(N, K): "dkeys has the shape of keys, (S, N, K): every key gets its "
                              "own gradient."},
            "dW_q": {(N, A, Q): summed.format("weight W_q"),
                     (S, N, A, Q): summed.format("weight W_q")},
            "dW_k": {(N, A, K): summed.format("weight W_k"),
                     (S, N, A, K): summed.format("weight W_k")},
            "dv": {(S, N, A): summed.format("vector v"), (N, A): summed.format("vector v"),
                   (S, A): summed.format("vector v")},
        }[name]

    def forward_summary(self, count: int) -> str:
        return (f"correct on {count} tests (with and without padding, one position, a batch "
                "of one, Q = K = A, scores in the hundreds).")

    def forward_findings(self, outcomes: Sequence[Outcome]) -> list[str | None]:
        """What the cases that come out right say, and weights that do not sum to 1."""
        ok = {outcome.case: outcome.ok for outcome in outcomes}
        if not any(ok.values()):
            return [_sums_of_weights(outcomes),
                    f"It is wrong on every test: check each equation, {EQUATIONS}"]
        rules = [_padding_rule("Your outputs are",
                               "padded positions must get weight exactly 0 and the real ones "
                               "share the whole weight; set their scores to -inf (np.where("
                               "mask, e, -np.inf)) before the softmax."),
                 (lambda case: case.sizes[0] == 1,
                  "Your outputs are right with one position (S = 1) only, where the weight is "
                  "1 whatever the score: the scores or the softmax are wrong."),
                 (lambda case: case.sizes[1] == 1, _BATCH.format("Your outputs are"))]
        return [_sums_of_weights(outcomes), ablation_finding(ok, rules)]

    def backward_rules(self) -> list[tuple[Callable, str]]:
        return [_padding_rule("Your gradients are",
                              "a padded position has weight 0, so it gets no gradient (dkeys "
                              "is 0 there) and adds nothing to the others."),
                (lambda case: case.sizes[0] == 1,
                 "Your gradients are right with one position (S = 1) only, where the weight "
                 "is 1 whatever the score and no gradient flows through the score: look at "
                 "the softmax backward and the path through the scores."),
                (lambda case: case.sizes[1] == 1, _BATCH.format("Your gradients are"))]

    def backward_findings(self, failing: Sequence[Outcome]) -> list[str]:
        """A sentence when dkeys is not 0 at a padded position."""
        for outcome in failing:
            mask = outcome.case["mask"]
            if mask is None or mask.all():
                continue
            leak = np.abs(outcome.got[self.grad_names.index("dkeys")][~mask]).max()
            if leak > 1e-8:
                return [f"dkeys is not 0 at the padded positions (up to {leak:.3g} on the "
                        f"test '{outcome.case.title}'): a padded key has weight 0 and does "
                        "not reach the context, so its gradient is 0."]
        return []

    def upstream(self, case: AttentionCase) -> tuple[np.ndarray, np.ndarray]:
        """dcontext, and nothing for the weights (only the context feeds the loss)."""
        return case["dcontext"], np.zeros(case["keys"].shape[:2])

    def explain(self, problem: Problem, case: AttentionCase) -> Problem:
        """``problem`` with what it probably means on ``case``: an exp that overflows, a
        softmax over a slice of padding only, products whose sizes do not fit."""
        text = str(problem)
        if "NaN/inf" in text and case.label == LARGE_SCORES:
            with np.errstate(over="ignore"):
                largest = float(np.max(attention_mistakes.scores(case)))
            return Problem(f"{text} On this test the largest score is {largest:.0f}, and "
                           f"np.exp({largest:.0f}) overflows to inf (inf / inf is NaN): the "
                           "softmax is computed without subtracting the largest score first. "
                           "Subtract each column's largest real score before exp, e - "
                           "e.max(axis=0); the weights do not change, since the factor "
                           "cancels.")
        if "NaN/inf" in text and case.masked:
            return Problem(f"{text} On this test with padding, a softmax met a slice of "
                           "padded positions only (exp(-inf) everywhere, 0 / 0): every "
                           "example (column) has a real position, but a position (row) of a "
                           "batch of one can be padding only. Is the softmax over the batch "
                           "axis (axis=1)? It runs over the positions s, axis 0.")
        if any(word in text for word in ("matmul", "not aligned", "broadcast")):
            S, N, Q, K, A = case.sizes
            return Problem(f"{text} Here query is (N, Q) = ({N}, {Q}), keys (S, N, K) = ({S}, "
                           f"{N}, {K}), W_q (A, Q) = ({A}, {Q}) and W_k (A, K) = ({A}, {K}): "
                           "W_q multiplies the query and W_k the keys, query @ W_q.T is (N, A) "
                           "and keys @ W_k.T is (S, N, A), and their sum broadcasts over s.")
        return problem


ATTENTION = AdditiveAttention()


@never_raises
def check_additive_attention_forward(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``additive_attention_forward(query, keys, W_q, W_k, v, mask=None)
    -> (context, weights, cache)``; print a pass line or hints. Never raises."""
    return grade_forward(ATTENTION, fn, time_limit)


@never_raises
def check_additive_attention_backward(forward_fn, backward_fn, *,
                                      time_limit: float = 5.0) -> Verdict:
    """Check a student's ``additive_attention_backward(dcontext, cache) -> (dquery, dkeys,
    dW_q, dW_k, dv)`` together with the ``additive_attention_forward`` that made the cache
    (of any type). Never raises."""
    return grade_backward(ATTENTION, forward_fn, backward_fn, time_limit)
