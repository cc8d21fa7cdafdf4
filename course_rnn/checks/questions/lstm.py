"""The question of exercise 08, the LSTM: how much gradient the forget gates let through."""

from __future__ import annotations

import math

from course_rnn.checks.quiz import MultipleChoice

STEPS = 20


def sigmoid(a: float) -> float:
    return 1 / (1 + math.exp(-a))


def questions() -> list:
    """The questions, in the notebook's order."""
    kept_1, kept_0 = sigmoid(1.0) ** STEPS, sigmoid(0.0) ** STEPS
    return [
        MultipleChoice(
            f"Along the cell path, `dc_prev = dc * f`: going back {STEPS} steps multiplies the "
            f"gradient at the cell state by {STEPS} forget gates. Suppose that, early in "
            "training, each gate stays close to sigmoid(its bias), as it does while the "
            "weights are small. What fraction "
            f"of the gradient at $c_t$ reaches $c_{{t-{STEPS}}}$ along this path with the "
            "forget gate's bias at 1, and with it at 0?",
            [
                f"About {kept_1:.1e} with the bias at 1, about {kept_0:.1e} with it at 0.",
                "All of it in both cases: the cell path has no weight matrix and no tanh, so "
                "nothing is lost on it.",
                f"About {sigmoid(1.0):.2f} with the bias at 1 and 0.5 with it at 0.",
                "None in both cases: the derivative of a sigmoid is at most 1/4.",
            ],
            answer=0,
            explanations=[
                f"Right: sigmoid(1) = {sigmoid(1.0):.3f}, and {sigmoid(1.0):.3f} to the power "
                f"{STEPS} is {kept_1:.1e}; 0.5 to the power {STEPS} is {kept_0:.1e}, "
                f"{kept_1 / kept_0:,.0f} times less. Training can push the forget gates "
                "towards 1 where the task needs memory, but only if some gradient arrives to "
                "tell it so; starting "
                "the bias at 1 (Gers, Schmidhuber and Cummins 2000; Jozefowicz, Zaremba and "
                "Sutskever 2015) gives it a better start. The adding run below uses it.",
                "There is no weight matrix, but each step multiplies by its forget gate f, a "
                "number between 0 and 1. Only the 1997 LSTM, without a forget gate, had a "
                "path of weight exactly 1.",
                f"That is one step. Over {STEPS} steps the {STEPS} factors multiply.",
                "The sigmoid's derivative enters the gradient of the gate's own weights, not "
                "the cell path: there `dc_prev = dc * f` uses the gate's value f itself.",
            ],
            id="08-forget-path"),
    ]
