"""The check of the clockwork exercise: one step of a clockwork RNN, forward.

``check_clockwork_step`` grades a student's ``clockwork_step_forward(x, h_prev, t, W_ih, W_hh,
b, periods)``, which returns h_next (N, H), or (h_next, cache) as the package's function of
that name does (:mod:`course_rnn.numpy.clockwork`): the check reads h_next and ignores a cache.
How it grades is :func:`~course_rnn.checks.paired_checks.grade_forward`; the cases are in
:mod:`~course_rnn.checks.clockwork_cases`, the typical mistakes in
:mod:`~course_rnn.checks.clockwork_mistakes`; here is what is particular to the clockwork step:
the shapes that betray a mistake and what the cases that come out right say.

Shapes: N batch, D input features, H hidden units, g modules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from course_rnn.checks import clockwork_mistakes
from course_rnn.checks.clockwork_cases import ClockworkCase, forward_cases
from course_rnn.checks.diagnosis import Outcome, ablation_finding, batch_of_one_rule
from course_rnn.checks.outputs import Problem
from course_rnn.checks.paired_checks import PairedExercise, grade_forward
from course_rnn.checks.report import never_raises
from course_rnn.checks.results import Verdict
from course_rnn.numpy import clockwork_step_forward
from course_rnn.numpy.clockwork import active_units

EQUATIONS = ("active = t % period == 0 per unit (np.repeat(periods, H // g)); M[k, l] = "
             "period[l] >= period[k]; c = tanh(x @ W_ih.T + h_prev @ (M * W_hh).T + b); "
             "h_next = np.where(active, c, h_prev).")


def _all_active(case: ClockworkCase) -> bool:
    N, D, H = case.sizes
    return bool(active_units(case["t"], case["periods"], H).all())


@dataclass(frozen=True)
class ClockworkStep(PairedExercise):
    """The clockwork step as the check sees it."""

    forward_name: str = "clockwork_step_forward"
    outputs: tuple[str, ...] = ("h_next",)
    forward_mistakes: Sequence = tuple(clockwork_mistakes.FORWARD_MISTAKES)
    simulate_forward: Callable = clockwork_mistakes.mistaken_clockwork_step
    cache_optional: bool = True
    check_name: str = "clockwork_step"

    def forward_cases(self) -> list[ClockworkCase]:
        return forward_cases()

    def reference(self, case: ClockworkCase) -> tuple[tuple, tuple]:
        """The package's h_next on ``case`` (and no gradients)."""
        h_next, _ = clockwork_step_forward(*(value for _, value in case.args))
        return (h_next,), ()

    def output_shape(self, name: str, case: ClockworkCase) -> tuple[int, int]:
        N, _, H = case.sizes
        return N, H

    def output_hints(self, name: str, case: ClockworkCase) -> dict:
        N, _, H = case.sizes
        g = len(case["periods"])
        return {(H,): "the batch axis is missing; keep it even for a batch of one.",
                (N, H // g): "that is one module's units; h_next holds every module's, the "
                             "idle ones unchanged.",
                (H, N): "this is the column-vector layout; the code is row-major, one row per "
                        "example (x @ W_ih.T)."}

    def forward_summary(self, count: int) -> str:
        return (f"correct on {count} tests (the first step, idle modules, four modules, a "
                "batch of one, a single module).")

    def forward_findings(self, outcomes: Sequence[Outcome]) -> list[str | None]:
        """What the pattern of right and wrong cases says, for a failure no mistake explains."""
        ok = {outcome.case: outcome.ok for outcome in outcomes}
        if not any(ok.values()):
            return [f"It is wrong on every test, even a single module (a plain RNN step): "
                    f"check each equation, {EQUATIONS}"]
        rules = [
            (_all_active,
             "Your h_next is right when every module updates and wrong when some are idle: an "
             "idle module keeps h_prev exactly, h_next = np.where(active, c, h_prev)."),
            (lambda case: len(case["periods"]) == 1,
             "Your h_next is right for a single module (a plain RNN step) only: the schedule "
             f"or the recurrent pattern is off. {EQUATIONS}"),
            batch_of_one_rule("Your h_next is"),
        ]
        return [ablation_finding(ok, rules)]

    def explain(self, problem: Problem, case: ClockworkCase) -> Problem:
        """``problem`` with the case's shapes, when products did not fit."""
        text = str(problem)
        if any(word in text for word in ("matmul", "not aligned", "broadcast")):
            N, D, H = case.sizes
            return Problem(f"{text} Here x is (N, D) = ({N}, {D}), h_prev (N, H) = ({N}, {H}), "
                           f"W_ih (H, D) = ({H}, {D}), W_hh (H, H) and b (H,) = ({H},); the "
                           f"{len(case['periods'])} modules have {H // len(case['periods'])} "
                           "units each: a per-unit mask has H entries.")
        return problem


CLOCKWORK = ClockworkStep()


@never_raises
def check_clockwork_step(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``clockwork_step_forward(x, h_prev, t, W_ih, W_hh, b, periods)``,
    returning h_next or (h_next, cache); print a pass line or hints. Never raises."""
    return grade_forward(CLOCKWORK, fn, time_limit)
