"""The questions of exercise 13, beyond the LSTM: how often the clockwork modules update, what
share of W_hh the block-triangular pattern keeps, and how many weights causal self-attention
computes."""

from __future__ import annotations

from fractions import Fraction

from course_rnn.checks.quiz import MultipleChoice, NumericQuestion

PERIODS = (1, 2, 4, 8)
STEPS = 10            # t = 0, ..., STEPS - 1
POSITIONS = 100       # T of the self-attention question


def _updates(first: int) -> int:
    """Module updates over STEPS steps when the steps are numbered from ``first``."""
    return sum((t % period == 0) for t in range(first, first + STEPS) for period in PERIODS)


def questions() -> list:
    """The questions, in the notebook's order."""
    g = len(PERIODS)
    kept = Fraction(g * (g + 1) // 2, g * g)
    visible = POSITIONS * (POSITIONS + 1) // 2
    shown = ", ".join(str(p) for p in PERIODS)
    return [
        NumericQuestion(
            f"A clockwork RNN has modules with periods ({shown}) and runs {STEPS} steps, "
            f"t = 0, ..., {STEPS - 1}. How many module updates does it make in all?",
            answer=_updates(0),
            explanation="Module i updates at the steps t with t mod T_i = 0, t = 0 included: "
                        + ", ".join(f"{sum(t % p == 0 for t in range(STEPS))} for T = {p}"
                                    for p in PERIODS)
                        + f", {_updates(0)} in all, against {g * STEPS} for an RNN that updates "
                          "every unit at every step.",
            hints={_updates(1): "That counts the steps from 1; the first step is t = 0, where "
                                "every module updates.",
                   g * STEPS: "That is every module at every step: a slow module updates only "
                              "when t is a multiple of its period."},
            id="13-clockwork-updates"),
        MultipleChoice(
            f"The hidden layer is split into g = {g} modules of equal size, and W_hh keeps only "
            "the blocks in which a module reads itself or a slower module. What share of the "
            "entries of W_hh can be nonzero?",
            [f"{kept.numerator}/{kept.denominator}", f"1/{g}", "1/2", "all of them"],
            answer=0,
            explanations=[
                f"Right: of the {g} x {g} blocks, those on and above the diagonal, "
                f"{g} + {g - 1} + ... + 1 = {g * (g + 1) // 2}, are kept: "
                f"{g * (g + 1) // 2}/{g * g} of the entries, so the recurrent weights shrink "
                "by almost half.",
                "That keeps the diagonal blocks only, modules that never read each other; the "
                "fast modules also read every slower one.",
                "Half is the share of a triangle of single entries; here the diagonal blocks "
                "are kept whole, since every module reads all of its own state, so the share "
                "is a little more than half.",
                "The slow modules never read the fast ones: those blocks are 0 and their "
                "gradient is 0 too.",
            ],
            id="13-pattern-share"),
        NumericQuestion(
            f"Causal self-attention reads T = {POSITIONS} positions of one sequence. How many "
            "of its weights $\\alpha_{t,s}$ can be nonzero?",
            answer=visible,
            explanation=f"Position t reads the t + 1 positions s <= t, itself included: "
                        f"1 + 2 + ... + {POSITIONS} = {visible}. The count grows with the square "
                        "of T, where an RNN keeps one state of fixed size per step.",
            hints={POSITIONS * POSITIONS: "That counts the future too; position t never reads a "
                                          "later one.",
                   visible - POSITIONS: "That leaves out the diagonal: each position also reads "
                                        "itself."},
            id="13-causal-weights"),
    ]
