"""Questions of exercise 04, BPTT by hand: a Jacobian, and a one-unit RNN worked by hand.

The numeric answers come from the package's forward and backward passes on the one-unit RNN
of the notebook's task 4 (u = 1, w = 0.5, b = 0, inputs 1, 0, 0, loss L = h_2), not typed in.
"""

from __future__ import annotations

import numpy as np

from course_rnn.checks.quiz import MultipleChoice, NumericQuestion
from course_rnn.numpy import rnn_backward, rnn_forward

U_SCALAR, W_SCALAR = 1.0, 0.5


def one_unit(x: np.ndarray, h_init: float):
    """The notebook's one-unit RNN over inputs ``x`` (T,) from ``h_init``: (states (T,), cache)."""
    h, cache = rnn_forward(x[:, None, None], np.full((1, 1), h_init), np.array([[U_SCALAR]]),
                           np.array([[W_SCALAR]]), np.zeros(1), np.zeros(1))
    return h[:, 0, 0], cache


def last_state_gradients(x: np.ndarray, h_init: float) -> tuple[float, float]:
    """(dh_{T-1}/dh_init, dh_{T-1}/dw) of the one-unit RNN, from the package's rnn_backward."""
    _, cache = one_unit(x, h_init)
    only_last = np.zeros((len(x), 1, 1))
    only_last[-1] = 1.0
    _, dh_init, _, dW_hh, _, _ = rnn_backward(only_last, cache)
    return float(dh_init[0, 0]), float(dW_hh[0, 0])


def questions() -> list:
    """The questions, in the notebook's order."""
    w = W_SCALAR
    (h0, h1, h2), _ = one_unit(np.array([1.0, 0.0, 0.0]), 0.0)
    _, dw = last_state_gradients(np.array([1.0, 0.0, 0.0]), 0.0)
    dh2_dh0, _ = last_state_gradients(np.zeros(2), h0)  # steps 1 and 2, started from h_0
    return [
        MultipleChoice(
            "Which matrix is the Jacobian $\\partial h_t / \\partial h_{t-1}$ for "
            "$h_t = \\tanh(U x_t + W h_{t-1} + b)$?",
            [
                "$\\operatorname{diag}(1 - h_t \\odot h_t)\\, W$",
                "$W \\operatorname{diag}(1 - h_t \\odot h_t)$",
                "$\\operatorname{diag}(1 - h_{t-1} \\odot h_{t-1})\\, W$",
                "$\\operatorname{diag}(1 - \\tanh(h_t) \\odot \\tanh(h_t))\\, W$",
            ],
            answer=0,
            explanations=[
                "Right: row i of W is scaled by the slope of the tanh of unit i at step t.",
                "This scales the columns of W: column j would be scaled by unit j's slope, but "
                "the slope belongs to the unit that the tanh produces, unit i, which indexes "
                "rows.",
                "The tanh being differentiated is the one of step t, so its slope uses h_t.",
                "h_t is already tanh(a_t); applying tanh again is the classic slip. The slope "
                "is 1 - h_t^2.",
            ],
            id="04-jacobian"),
        NumericQuestion(
            "What is $\\partial h_2 / \\partial h_0$?",
            answer=round(dh2_dh0, 3),
            tolerance=2e-3,
            explanation=f"h_0 = tanh(1) = {h0:.4f}, h_1 = tanh(0.5 h_0) = {h1:.4f}, "
                        f"h_2 = tanh(0.5 h_1) = {h2:.4f}. Two steps back: "
                        f"(1 - h_2^2) w (1 - h_1^2) w = {dh2_dh0:.4f}.",
            hints={round(w * w, 3): "Each step back also multiplies by the slope of its tanh, "
                                    "1 - h_t^2.",
                   round(float((1 - h1**2) * (1 - h0**2) * w * w), 3):
                       "The slope of step t uses the state that step produces: 1 - h_2^2 and "
                       "1 - h_1^2, not 1 - h_0^2.",
                   round(float((1 - h2**2) * w), 3): "That is one step back; h_2 is two steps "
                                                     "after h_0."},
            id="04-dh2-dh0"),
        NumericQuestion(
            "What is $\\partial L / \\partial w$?",
            answer=round(dw, 3),
            tolerance=2e-3,
            explanation=f"delta_2 = 1 - h_2^2, delta_1 = (1 - h_1^2) w delta_2, and "
                        f"dL/dw = delta_2 h_1 + delta_1 h_0 = {dw:.4f} (the term "
                        "delta_0 h_{-1} is zero).",
            hints={round(float((1 - h2**2) * h1), 3):
                   "w is used at step 1 as well: add the path from h_2 back through h_1.",
                   round(float(h1 + h0), 3):
                   "Each term is a delta times a state; the deltas include the tanh slopes."},
            id="04-dL-dw"),
        MultipleChoice(
            "In this one-unit RNN every step back multiplies the gradient by (1 - h_t^2) w, a "
            "number of size at most |w| = 0.5. What happens to "
            "$\\partial h_t / \\partial h_0$ as $t$ grows?",
            [
                "It shrinks at least as fast as 0.5^t: the loss at a late step barely reaches "
                "the early steps.",
                "It stays about the same, because w is shared by all steps.",
                "It grows, because the gradient of w is a sum over more and more steps.",
                "It depends only on the loss, not on w.",
            ],
            answer=0,
            explanations=[
                "Right: this is the vanishing gradient problem that Part II takes up; with a "
                "large |w| the product can instead explode.",
                "Sharing w makes every factor contain the same w; a product of t such factors "
                "changes exponentially with t.",
                "The sum over steps concerns dL/dw; the Jacobian across t steps is a product, "
                "and here every factor is at most 0.5.",
                "Each factor is (1 - h_t^2) w: w and the states decide it.",
            ],
            id="04-vanishing"),
    ]
