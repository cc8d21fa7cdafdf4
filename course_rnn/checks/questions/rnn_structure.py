"""Questions of exercise 01, the structure of an RNN: shapes and a parameter count."""

from __future__ import annotations

from course_rnn.checks.quiz import MultipleChoice, NumericQuestion
from course_rnn.numpy import RNN


def parameter_count(D: int, H: int) -> int:
    """Scalar parameters of the package's one-layer RNN, which has torch.nn.RNN's tensors."""
    return sum(p.size for p in RNN(D, H, rng=0).params.values())


def questions() -> list:
    """The questions, in the notebook's order."""
    D, H = 10, 20
    return [
        MultipleChoice(
            "What is output.shape?",
            ["(20, 4, 16)", "(4, 20, 16)", "(1, 4, 16)", "(20, 4, 8)"],
            answer=0,
            explanations=[
                "Right: one state of size H = 16 for each of the T = 20 steps and N = 4 "
                "sequences, time first because batch_first is False by default.",
                "That is the batch-first layout; nn.RNN only uses it when built with "
                "batch_first=True.",
                "That is the shape of h_n, the last state only; output keeps every step.",
                "The last axis holds the hidden state, of size H = 16, not the input size "
                "D = 8.",
            ],
            id="01-output-shape"),
        MultipleChoice(
            "What is h_n.shape?",
            ["(1, 4, 16)", "(4, 16)", "(20, 4, 16)", "(4, 1, 16)"],
            answer=0,
            explanations=[
                "Right: h_n always has a leading axis, here of size 1; it grows with stacked "
                "layers and a second direction, which chapter 9 takes up.",
                "Close, but torch keeps the leading axis even when it has size 1.",
                "That is output, every step; h_n holds only the state after the last step.",
                "The leading axis is torch's own (one entry per layer and direction); the "
                "batch comes second.",
            ],
            id="01-h_n-shape"),
        MultipleChoice(
            "A DataLoader hands you batches of shape (N=32, T=50, D=8). You pass one straight "
            "to torch.nn.RNN(8, 16), built without batch_first. What happens?",
            [
                "It raises an error about the shape.",
                "It runs, reading 32 time steps of 50 sequences, so each 'sequence' mixes all "
                "32 examples at one time step.",
                "torch notices that 32 < 50 and transposes the input.",
                "It runs correctly, because the batch axis does not matter to an RNN.",
            ],
            answer=1,
            explanations=[
                "Nothing is wrong with the shape as far as torch can tell: any (T, N, 8) "
                "array is valid input.",
                "Right, and that is why this bug is dangerous: no error, just a model that "
                "reads the wrong thing. Pass batch_first=True, or transpose with "
                "x.transpose(0, 1).",
                "torch never guesses the layout from the sizes.",
                "The recurrence runs along the first axis; putting the batch there makes "
                "torch carry the state from one example to the next.",
            ],
            id="01-batch-first"),
        NumericQuestion(
            "How many parameters does torch.nn.RNN(10, 20) have?",
            answer=parameter_count(D, H),
            explanation="H*D + H*H + 2*H = 200 + 400 + 40.",
            hints={H * D + H * H + H: "torch keeps two bias vectors, bias_ih and bias_hh: "
                                      "count both.",
                   H * D + H * H: "The biases are parameters too.",
                   H * D + 2 * H: "The recurrent matrix W_hh, (H, H), is the heart of the "
                                  "RNN.",
                   D * D + H * H + 2 * H: "weight_ih maps D inputs to H units: it is (H, D)."},
            id="01-count-one-layer"),
    ]
