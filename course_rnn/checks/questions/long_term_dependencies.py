"""The question of exercise 07, long-term dependencies: clipping by norm or by value."""

from __future__ import annotations

from course_rnn.checks.quiz import MultipleChoice


def questions() -> list:
    """The questions, in the notebook's order."""
    return [
        MultipleChoice(
            "A gradient g = (10, 0.1) is clipped with the threshold 1. Clipping by norm gives "
            "about (0.99995, 0.0099995); clipping by value sets each component above 1 to 1 "
            "and gives (1, 0.1). Why does only clipping by value change the direction of the "
            "step?",
            [
                "Clipping by norm multiplies every component by the same factor, max_norm / "
                "||g||, so g keeps its direction; clipping by value caps only the components "
                "above the threshold and leaves the others, which changes their ratios.",
                "Clipping by value uses a smaller threshold than clipping by norm.",
                "Clipping by norm changes the direction too, only less, because it divides by "
                "the norm.",
                "Clipping by value changes the direction only when a component is negative.",
            ],
            answer=0,
            explanations=[
                "Right: one factor for the whole vector is a rescaling, which keeps the "
                "direction and only shortens the step (Pascanu et al. 2013's rule). Capping "
                "components one by one turned (10, 0.1), a step almost along the first axis, "
                "into (1, 0.1), at 5.7 degrees from the first axis where g was at 0.6.",
                "The threshold is 1 in both; with any threshold, capping components one by "
                "one changes their ratios as soon as some lie above it and others below.",
                "Dividing every component by the same number, ||g|| / max_norm, is a scaling: "
                "the ratio of any two components stays the same, so the direction does too.",
                "The sign does not matter: capping at +1 or at -1 both shrink some components "
                "and not others. Here both components are positive and the direction changes.",
            ],
            id="07-clip-direction"),
    ]
