"""The questions of exercise 10, deep and bidirectional RNNs: shapes, parameter counts, and
what a bidirectional layer cannot do.

The stacked and bidirectional shape questions and counts were asked in exercise 01 before
chapter 9 taught them; they are asked here now. Every answer is computed, from the package's
layer where it is a count.
"""

from __future__ import annotations

from course_rnn.checks.quiz import MultipleChoice, NumericQuestion
from course_rnn.numpy.rnn import RNN

D_SHAPE, H_SHAPE, LAYERS = 8, 16, 3   # rnn3 = torch.nn.RNN(8, 16, num_layers=3, bidirectional=True)
D, H = 10, 20                         # the counts


def layer_parameter_count(D, H, num_layers, bidirectional) -> int:
    """The parameters of the package's RNN(D, H, num_layers, bidirectional=...), counted."""
    layer = RNN(D, H, num_layers=num_layers, bidirectional=bidirectional, rng=0)
    return sum(p.size for p in layer.params.values())


def _one_layer(inputs: int) -> int:
    return H * inputs + H * H + 2 * H


def questions() -> list:
    """The questions, in the notebook's order."""
    two_layers = layer_parameter_count(D, H, 2, False)
    both = layer_parameter_count(D, H, 2, True)
    return [
        NumericQuestion(
            f"`rnn3 = torch.nn.RNN({D_SHAPE}, {H_SHAPE}, num_layers={LAYERS}, "
            "bidirectional=True)` reads `x` of shape (20, 4, 8). What is `output.shape[-1]`?",
            2 * H_SHAPE,
            explanation=(f"Each step's output is the last layer's states of both directions, "
                         f"concatenated: 2 × H = {2 * H_SHAPE}."),
            hints={H_SHAPE: "both directions run over the sequence, and output concatenates "
                            "their states.",
                   LAYERS * 2 * H_SHAPE: "output holds only the last layer; h_n is the one "
                                         "with every layer in it."},
            id="10-output-features"),
        NumericQuestion(
            "For the same `rnn3`, what is `h_n.shape[0]`?",
            LAYERS * 2,
            explanation=(f"h_n holds a final state for every layer and every direction: "
                         f"{LAYERS} × 2 = {LAYERS * 2}."),
            hints={LAYERS: "each layer has two directions, and each direction has its own "
                           "final state.",
                   2: "there is a final state for every layer, not only the last one.",
                   4: "the first axis counts layers times directions; the batch comes second."},
            id="10-h-n-layers"),
        NumericQuestion(
            f"With the package's option `merge='sum'`, "
            f"`course_rnn.numpy.RNN({D_SHAPE}, {H_SHAPE}, num_layers={LAYERS}, "
            "bidirectional=True, merge='sum')`, what is `output.shape[-1]`?",
            H_SHAPE,
            explanation=(f"The sum adds the two directions' states: {H_SHAPE} features, and "
                         f"each layer above reads {H_SHAPE} numbers per step instead of "
                         f"{2 * H_SHAPE}."),
            hints={2 * H_SHAPE: "that is the concatenation, torch.nn's only merge; a sum adds "
                                "the two states instead of putting them side by side."},
            id="10-sum-features"),
        NumericQuestion(
            f"How many parameters does `torch.nn.RNN({D}, {H}, num_layers=2)` have?",
            two_layers,
            explanation=(f"Layer 0: {H}·{D} + {H}·{H} + 2·{H} = {_one_layer(D)}. Layer 1 "
                         f"reads layer 0's states, so its input has H = {H} features: "
                         f"{H}·{H} + {H}·{H} + 2·{H} = {_one_layer(H)}. Together "
                         f"{two_layers}."),
            unit="parameters",
            hints={2 * _one_layer(D): f"layer 1's input is layer 0's output, H = {H} numbers "
                                      f"per step, not the D = {D} inputs.",
                   two_layers - 2 * H: "each layer has two bias vectors, bias_ih and bias_hh."},
            id="10-two-layers"),
        NumericQuestion(
            f"How many parameters does `torch.nn.RNN({D}, {H}, num_layers=2, "
            "bidirectional=True)` have?",
            both,
            explanation=(f"Layer 0: two directions of {_one_layer(D)} each. Layer 1 reads both "
                         f"directions' states side by side, 2H = {2 * H} features: two "
                         f"directions of {_one_layer(2 * H)} each. Together {both}."),
            unit="parameters",
            hints={2 * _one_layer(D) + 2 * _one_layer(H):
                   f"with two directions, layer 0 outputs 2H = {2 * H} numbers per step, "
                   "and that is layer 1's input.",
                   _one_layer(D) + _one_layer(2 * H):
                   "each direction has its own full set of weights.",
                   4 * _one_layer(D):
                   f"layer 1's input is what layer 0 outputs: 2H = {2 * H} numbers per step, "
                   f"not D = {D}."},
            id="10-bidirectional-count"),
        MultipleChoice(
            "Could a bidirectional RNN serve as a character-level language model that predicts "
            "the next character as the text is typed?",
            [
                "No: its output at step t depends on x_{t+1}, ..., x_T, which do not exist yet "
                "when step t is predicted.",
                "Yes, and it would be better than a one-way RNN, since it sees more context.",
                "Yes, once its backward direction is dropped, and then it is a feed-forward "
                "network.",
                "No, because its two directions would need the same weights.",
            ],
            answer=0,
            explanations=[
                "Right: the backward direction starts at the end of the sequence, so the whole "
                "sequence must be there before any output is computed. Causal tasks, language "
                "modelling and streaming, need a one-way RNN.",
                "Trained on whole texts it would look at the very character it must predict "
                "(through x_{t+1}), and learn to copy it; at generation time that input does "
                "not exist.",
                "Without its backward direction it is a one-way RNN, still recurrent, not a "
                "feed-forward network (the lecture notes say otherwise; they are wrong here).",
                "The two directions have separate weights; that has nothing to do with "
                "causality.",
            ],
            id="10-causal"),
    ]
