"""The questions of exercise 11, additive attention: what the weights sum to over padding, and
what multiplying a padded score by 0 leaves behind."""

from __future__ import annotations

import math

from course_rnn.checks.quiz import MultipleChoice, NumericQuestion

SCORES = (2.0, 0.0, -1.0)   # one example's scores; the last position is padding
S, PADDED = 5, 2


def _softmax(scores) -> list[float]:
    exps = [math.exp(e) for e in scores]
    return [x / sum(exps) for x in exps]


def questions() -> list:
    """The questions, in the notebook's order."""
    real = S - PADDED
    multiplied = _softmax([*SCORES[:-1], 0.0])[-1]
    unmasked = _softmax(SCORES)[-1]
    shown = ", ".join(f"{e:g}" for e in SCORES)
    return [
        MultipleChoice(
            f"An example has S = {S} positions, of which the last {PADDED} are padding. What "
            f"do its weights at the {real} real positions sum to?",
            ["1", f"{real}/{S}", "a little less than 1: the padded positions keep a small "
                                 "share", "it depends on the scores"],
            answer=0,
            explanations=[
                "Right: the softmax runs over the real positions only, so they share the "
                "whole weight and the padded ones get exactly 0. That is why a padded batch "
                "gives the same contexts as its examples run one by one.",
                f"That would be the share of the real positions if the weight were spread "
                f"evenly over all {S}; but the padded positions get none at all.",
                "That is what masking after the softmax without renormalising, or with a "
                "score of 0 instead of -inf, gives: the padding must get exactly 0.",
                "The scores decide how the weight is shared among the real positions, not "
                "how much of it they share.",
            ],
            id="11-weights-sum"),
        NumericQuestion(
            f"One example has the scores e = ({shown}) and its last position is padding. A "
            "program masks by multiplying the scores by the mask, e * mask, before the "
            "softmax. What weight does the padded position get? (Two decimals.)",
            answer=round(multiplied, 4), tolerance=0.005,
            explanation=f"e * mask makes the padded score 0, not -inf, and exp(0) = 1: the "
                        f"padding gets 1 / (e^{SCORES[0]:g} + e^{SCORES[1]:g} + 1) = "
                        f"{multiplied:.3f} of the weight. Setting the score to -inf (np.where("
                        "mask, e, -np.inf)) gives it exactly 0.",
            hints={0: "That is what it should get; but a padded score multiplied by 0 is 0, "
                      "and exp(0) is not 0.",
                   round(unmasked, 4): "That is the weight without any masking, with the "
                                       "padded score still -1; here the mask has made it 0."},
            id="11-mask-by-zero"),
    ]
