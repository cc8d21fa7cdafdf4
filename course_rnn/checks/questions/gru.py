"""The questions of exercise 09, the GRU: the update gate's convention, the reset gate's place."""

from __future__ import annotations

from course_rnn.checks.quiz import MultipleChoice

Z, STEPS = 0.99, 50


def questions() -> list:
    """The questions, in the notebook's order."""
    kept = Z ** STEPS
    return [
        MultipleChoice(
            "This exercise follows torch: $h_t = (1 - z) \\odot n + z \\odot h_{t-1}$. One unit's "
            f"update gate stays at z = {Z} for {STEPS} steps while its candidate n changes at "
            "every step. What does the unit do?",
            [
                f"It keeps its old value: after {STEPS} steps a fraction {Z}^{STEPS} = "
                f"{kept:.2f} of $h_{{t-{STEPS}}}$ is still in it.",
                "It follows the candidate n, step by step.",
                "It is reset to zero.",
                "That depends on the reset gate, which decides whether the past is kept.",
            ],
            answer=0,
            explanations=[
                f"Right: each step keeps a fraction z = {Z} of the state and mixes in 1 - z "
                f"of the candidate; {STEPS} steps keep {kept:.2f} of it. In this convention a "
                "large z keeps the past, as the lecture notes say; texts that write "
                "$h_t = z \\odot n + (1 - z) \\odot h_{t-1}$ swap the roles of z and 1 - z.",
                "That is what z near 0 does in torch's convention, and z near 1 in the swapped "
                "one that some texts use.",
                "Nothing in the update multiplies the state by zero here: z keeps 0.99 of it.",
                "The reset gate acts inside the candidate n, on how much of $h_{t-1}$ the "
                "candidate sees; whether the state is kept is the update gate's job.",
            ],
            id="09-update-convention"),
        MultipleChoice(
            "torch and cuDNN compute the candidate as "
            "$n = \\tanh(W_{in} x + b_{in} + r \\odot (W_{hn} h_{t-1} + b_{hn}))$, with the reset "
            "gate after the product; Cho et al. (2014) wrote $W_{hn} (r \\odot h_{t-1})$, with "
            "it before. What does the reset gate after the product allow?",
            [
                "All three recurrent products, for r, z and n, in one matrix product "
                "$h_{t-1} W_{hh}^\\top$ before r is known.",
                "Nothing: the two are the same function, written differently.",
                "A GRU without an update gate.",
                "A smaller number of parameters.",
            ],
            answer=0,
            explanations=[
                "Right: with r before the product, the candidate's product needs r, which needs "
                "its own product first: two products in sequence at every step. After the "
                "product, one (N, H) @ (H, 3H) product serves all three blocks, which is what "
                "cuDNN does. The price is b_hn: it now sits inside r * (...) and cannot be "
                "merged with b_in.",
                "They differ: $r \\odot (W h)$ and $W (r \\odot h)$ agree only in special "
                "cases (e.g. r the same for every unit). The forward check of this exercise "
                "tells them apart.",
                "Both forms keep the update gate; only the place of r differs.",
                "Both have the same weights, $W_{hn}$ of shape (H, H) and the biases; only the "
                "order of the operations differs.",
            ],
            id="09-reset-placement"),
    ]
