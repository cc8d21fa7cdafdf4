"""The question of exercise 03, backpropagation through time: what the carried gradient does."""

from __future__ import annotations

from course_rnn.checks.quiz import MultipleChoice


def questions() -> list:
    """The questions, in the notebook's order."""
    return [
        MultipleChoice(
            "Suppose rnn_backward passed only dh[t] to each step and dropped the gradient "
            "carried back from step t+1. What would training with it do?",
            [
                "Nothing different: the carried gradient is small anyway.",
                "Raise a shape error.",
                "Credit each step's loss only to the step itself: the weights would get no "
                "signal to keep information in the state for later steps.",
                "Double every gradient.",
            ],
            answer=2,
            explanations=[
                "The carried gradient is the only path by which a loss at step t reaches the "
                "computations of earlier steps; its size depends on the weights, not on a "
                "rule.",
                "The shapes are all fine, which is what makes this bug easy to miss.",
                "Right: it is truncated BPTT with a window of one step. The model could still "
                "learn what to predict from the current input and state, but not to carry "
                "information forward for a later prediction.",
                "Nothing is doubled; a whole term of the sum is missing.",
            ],
            id="03-carried-gradient"),
    ]
