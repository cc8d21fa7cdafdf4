"""The questions of exercise 12, decoding: what greedy decoding misses, what a beam costs."""

from __future__ import annotations

from course_rnn.checks.quiz import MultipleChoice, NumericQuestion

WIDTH, VOCABULARY = 4, 1000


def questions() -> list:
    """The questions, in the notebook's order."""
    return [
        MultipleChoice(
            "Greedy decoding emits the most likely token at every step. Does it find the most "
            "likely output, the one with the highest log p(y_1 .. y_n)?",
            [
                "Not always: a likely first token can lead only to unlikely continuations, "
                "while a less likely one leads to an output that is more likely as a whole.",
                "Always: the most likely output starts with the most likely first token.",
                "Always, provided the model's probabilities are exact.",
                "Never: greedy decoding ignores the probabilities of the tokens it emits.",
            ],
            answer=0,
            explanations=[
                "Right: the score of an output is the sum over all its tokens, and a choice "
                "that is best at one step can be paid for at later ones. Beam search keeps "
                "several prefixes so that it can recover from such a choice; only exhaustive "
                "search is sure to find the best output.",
                "The first token's probability is only one term of the sum: the later tokens' "
                "log-probabilities depend on it and can outweigh it. The random models of "
                "this notebook show cases where they do.",
                "Exact probabilities do not help: the problem is the search, which commits to "
                "one token before it has seen what follows.",
                "Greedy decoding uses them at every step, to pick the most likely token; it "
                "often finds the best output, only not always.",
            ],
            id="12-greedy-optimal"),
        NumericQuestion(
            f"A beam of width {WIDTH} holds {WIDTH} unfinished hypotheses over a vocabulary of "
            f"V = {VOCABULARY} tokens. How many candidates does the next step score before it "
            "keeps the best ones?",
            WIDTH * VOCABULARY,
            explanation=(f"Each of the {WIDTH} hypotheses is expanded by each of the "
                         f"{VOCABULARY} tokens: {WIDTH} × {VOCABULARY} = "
                         f"{WIDTH * VOCABULARY} candidates, of which the best {WIDTH} are "
                         "kept. The model runs once per hypothesis, not per candidate: one "
                         "step gives the log-probabilities of all V tokens."),
            unit="candidates",
            hints={WIDTH: "that is the number kept; every kept hypothesis is first expanded "
                          "by every token.",
                   VOCABULARY: "that is one hypothesis's candidates; there are "
                               f"{WIDTH} hypotheses.",
                   VOCABULARY ** WIDTH: "that is the number of outputs of length "
                                        f"{WIDTH}; the beam expands only the hypotheses "
                                        "it kept."},
            id="12-candidates-per-step"),
    ]
