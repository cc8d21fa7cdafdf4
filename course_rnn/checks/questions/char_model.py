"""The question of exercise 05, the character model: what truncated BPTT can and cannot learn."""

from __future__ import annotations

from course_rnn.checks.quiz import MultipleChoice


def questions() -> list:
    """The questions, in the notebook's order."""
    return [
        MultipleChoice(
            "The model trains on chunks of 25 characters, carrying the state between them. "
            "Which statement is true?",
            [
                "The model cannot use anything it read more than 25 characters ago.",
                "It can use older context, since the state carries it forward, but the "
                "gradient never teaches it to keep information for more than 25 steps.",
                "Carrying the state makes the gradient exact, as in full BPTT.",
                "The state must be reset to zeros at every chunk, or the gradients are wrong.",
            ],
            answer=1,
            explanations=[
                "The forward pass is exact: the state at the start of a chunk summarises "
                "everything read before, so older context can influence a prediction.",
                "Right: the forward pass sees the whole stream, but the path from a loss back "
                "into earlier chunks is cut, so learning to keep information longer has no "
                "direct signal.",
                "The gradient is what truncation cuts: nothing flows back across a chunk "
                "boundary.",
                "Resetting throws away the context; the truncated gradient is a deliberate "
                "approximation, not an error that a reset would fix.",
            ],
            id="05-truncation"),
    ]
