"""Questions of exercise 02, parameter sharing: two counts and three statements on length."""

from __future__ import annotations

from course_rnn.checks.quiz import MultipleChoice, NumericQuestion
from course_rnn.models.parameter_counts import rnn_parameter_count, unshared_parameter_count


def questions() -> list:
    """The questions, in the notebook's order."""
    D = K = 50
    H, T = 100, 20
    return [
        NumericQuestion(
            "How many parameters does the RNN have (D = K = 50, H = 100)?",
            answer=rnn_parameter_count(D, H, K),
            explanation="U: 100*50, W: 100*100, b: 100, V: 50*100, c: 50, which is 20150.",
            hints={H * D + H * H + K * H: "The biases b and c are parameters too.",
                   H * D + H + K * H + K: "Do not forget the recurrent matrix W, (H, H)."},
            id="02-shared-count"),
        NumericQuestion(
            "How many parameters does the unshared network have for T = 20?",
            answer=unshared_parameter_count(D, H, K, T),
            explanation="20 steps of U_t, b_t, V_t, c_t (10150 each) plus 19 matrices W_t "
                        "(10000 each): 203000 + 190000 = 393000.",
            hints={T * rnn_parameter_count(D, H, K): "Step 0 has no W_0: it would only ever "
                                                     "multiply h_{-1} = 0.",
                   rnn_parameter_count(D, H, K): "That is the shared RNN; here every step has "
                                                 "its own weights."},
            id="02-unshared-count"),
        MultipleChoice(
            "An unshared network was built and trained for T = 20. It now receives a "
            "sequence of length 30. What happens at step 25?",
            [
                "Nothing can be computed: there are no weights for step 25.",
                "It reuses the weights of step 20, which works as well as in training.",
                "It computes with new weights that were never trained.",
                "It reads only the first 20 steps and is still exact.",
            ],
            answer=0,
            explanations=[
                "Right: the network has weights for positions 0 to 19 only. Reading step 25 "
                "needs a new architecture (and new weights trained on long sequences).",
                "Reusing one step's weights for later steps is exactly parameter sharing, "
                "which the unshared network does not do; its weights were never trained "
                "for that.",
                "You could add such weights, but then the network is untrained there: it has "
                "learned nothing about step 25.",
                "Dropping steps 20 to 29 loses information; the output at step 25 does not "
                "exist.",
            ],
            id="02-unseen-unshared"),
        MultipleChoice(
            "An RNN was trained only on sequences of length 20. Why can it run on a sequence "
            "of length 30 at all?",
            [
                "It stores weights for positions up to a maximum length chosen in advance.",
                "The same U, W, b, V, c apply at every step, so step 25 uses exactly the "
                "weights that steps 0 to 19 trained.",
                "Backpropagation through time creates weights for the extra steps.",
                "Its hidden state grows with T, so it has room for the extra steps.",
            ],
            answer=1,
            explanations=[
                "That would be the unshared network with a length limit; the RNN has no "
                "notion of position in its weights.",
                "Right: one step's computation is a function of (x_t, h_{t-1}) alone, and it "
                "is the same function at every t, so any length can be unrolled.",
                "BPTT computes gradients for the existing, shared weights; it creates nothing.",
                "The hidden state has H numbers at every step, whatever the length.",
            ],
            id="02-unseen-rnn"),
        MultipleChoice(
            "The RNN above (trained on length 20) is run on length 200. Which statement is "
            "true?",
            [
                "It runs and is guaranteed to be as accurate as on length 20.",
                "It raises an error, because it was trained on length 20.",
                "It runs, but nothing guarantees accuracy: its hidden state may reach values "
                "it never saw in training, and dependencies longer than 20 steps were never "
                "learned.",
                "It must be retrained from scratch before it can read length 200.",
            ],
            answer=2,
            explanations=[
                "Sharing makes the computation possible, not correct: the weights were only "
                "ever judged on 20 steps.",
                "Nothing in an RNN fixes the length; the same step runs as often as needed.",
                "Right: sharing lets the model run on any length and often generalises to a "
                "degree, but generalisation beyond the training lengths must be measured, not "
                "assumed.",
                "It can read length 200 as it is; training on longer sequences may improve it.",
            ],
            id="02-guarantee"),
    ]
