"""The question of exercise 06, architectures: the label at every step or only at the start."""

from __future__ import annotations

from course_rnn.checks.quiz import MultipleChoice


def questions() -> list:
    """The questions, in the notebook's order."""
    return [
        MultipleChoice(
            "Your generator reads its one-hot label at every step. The package's "
            "InitialStateGenerator reads it once: it maps the label to the initial state and "
            "the steps read nothing. What must the initial-state variant do that yours need "
            "not?",
            [
                "Carry the label in its state through every step: at step t the label is "
                "known only through what t applications of W_hh and tanh kept of it.",
                "Learn a separate W_hh for each class.",
                "Read the target of the step before as its input.",
                "Nothing: the two compute the same function, only faster or slower.",
            ],
            answer=0,
            explanations=[
                "Right: with the label at every step, U x re-states the class at each step, so "
                "the state only has to track the position in the pattern. Fed once, the label "
                "survives only as far as the recurrence preserves it, which gets harder as "
                "the sequence grows (chapter 6's subject).",
                "Both variants share one W_hh across classes and steps; the class reaches the "
                "steps through the state or through the input, not through separate weights.",
                "Neither variant reads its own outputs here; feeding the previous output back "
                "in is a third design, used by the character model when it generates text.",
                "They differ in what the state must hold: the every-step variant sees the label "
                "again at every step, the initial-state variant must remember it.",
            ],
            id="06-label-every-step"),
    ]
