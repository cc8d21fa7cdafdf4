r"""Check a student's gradient clipping by global norm.

The student writes ``clip_gradients(grads, max_norm) -> (clipped, total_norm)`` for a dict of
gradient arrays:

    n = sqrt(sum over every array g of sum(g ** 2))           one norm for all parameters
    clipped[name] = g * max_norm / n   if n > max_norm,  else g unchanged

and returns n, the norm *before* clipping. The check compares with the package's
:func:`~course_rnn.numpy.clipping.clip_grad_norm` (whose 1e-6 beside n is far below the
tolerance) on cases above, below and far from the threshold, and with one gradient much
larger than the others, where clipping each array by its own norm differs from the global rule.

The cases, the simulated mistakes and the grading loop (:func:`grade_clipping`) also serve the
in-place variant of chapter 6, :mod:`~course_rnn.checks.clip_in_place_checks`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_rnn.checks.diagnosis import Outcome, report_outcomes
from course_rnn.checks.outputs import Problem, as_array, as_array_dict
from course_rnn.checks.report import Report, call_and_unpack, never_raises, report_problem
from course_rnn.checks.results import Verdict
from course_rnn.checks.rnn_mistakes import Mistake
from course_rnn.numpy.clipping import clip_grad_norm
from course_rnn.numpy.module import Module


@dataclass(frozen=True, eq=False)
class ClipCase:
    """Gradients by name and the threshold."""

    label: str
    grads: dict
    max_norm: float

    @property
    def title(self) -> str:
        return f"{self.label} (max_norm = {self.max_norm:g})"

    @property
    def shapes(self) -> dict[str, tuple[int, ...]]:
        return {k: g.shape for k, g in self.grads.items()}

    def output_names(self, dict_name: str) -> tuple[str, ...]:
        """Names of the outputs in messages: each array as ``dict_name['W']``, then the norm."""
        return (*(f"{dict_name}['{k}']" for k in self.grads), "total_norm")

    def args(self) -> list[tuple[str, object]]:
        return [("grads", {k: v.copy() for k, v in self.grads.items()}),
                ("max_norm", self.max_norm)]

    def reference(self):
        """(clipped arrays in key order, the norm before clipping) from the package."""
        holder = Module(np.float64)
        holder.grads = {k: v.copy() for k, v in self.grads.items()}
        norm = clip_grad_norm(holder, self.max_norm)
        return (*holder.grads.values(), np.float64(norm))


ZERO_GRADIENTS = "zero gradients"


def clip_cases() -> list[ClipCase]:
    rng = np.random.default_rng(51)
    grads = {"W": rng.standard_normal((3, 4)), "b": rng.standard_normal(3)}
    lopsided = {"W": 0.1 * rng.standard_normal((3, 4)), "b": 3.0 * rng.standard_normal(3)}
    return [ClipCase("norm above max_norm", grads, 1.0),
            ClipCase("norm below max_norm", grads, 100.0),
            ClipCase("one gradient much larger", lopsided, 2.0),
            ClipCase(ZERO_GRADIENTS, {k: np.zeros_like(v) for k, v in grads.items()}, 1.0)]


def mistaken_clip(case: ClipCase, *, per_param=False, always=False, by_value=False,
                  squared=False, sum_of_norms=False, norm_after=False, unchanged=False):
    """(clipped arrays..., norm) with the given mistakes; ValueError where they divide by 0.

    ``unchanged`` leaves the arrays as they were (the in-place variant's new dict).
    """
    grads = list(case.grads.values())
    norms = [np.sqrt(np.sum(g**2)) for g in grads]
    total = sum(norms) if sum_of_norms else np.sqrt(sum(n**2 for n in norms))
    total = total**2 if squared else total
    if by_value:
        clipped = [np.clip(g, -case.max_norm, case.max_norm) for g in grads]
    elif unchanged:
        clipped = grads
    else:
        scale_by = norms if per_param else [total] * len(grads)
        if always and min(scale_by) == 0:
            raise ValueError("0 / 0")
        clipped = [g * case.max_norm / n if always or n > case.max_norm else g
                   for g, n in zip(grads, scale_by)]
    if norm_after:
        total = np.sqrt(sum(np.sum(g**2) for g in clipped))
    return (*clipped, np.float64(total))


_GLOBAL = "n = sqrt(sum of g**2 over every entry of every array)"

CLIP_MISTAKES = [
    Mistake(f"each array is clipped by its own norm; the rule uses one global norm, {_GLOBAL}, "
            "and one factor max_norm / n for all arrays, so the update keeps its direction.",
            {"per_param": True}),
    Mistake("the gradients are scaled even when their norm is below max_norm: clipping only "
            "shrinks (if n > max_norm); a small gradient must pass unchanged.", {"always": True}),
    Mistake("that is clipping by value (np.clip of every entry), which changes the direction "
            f"of the update; clip by the global norm, {_GLOBAL}.", {"by_value": True}),
    Mistake(f"the norm is missing its square root: {_GLOBAL}.", {"squared": True}),
    Mistake("the norm is the sum of the arrays' norms; the global norm is the norm of all "
            f"entries together, {_GLOBAL}.", {"sum_of_norms": True}),
    Mistake("total_norm is measured after clipping; return the norm before it (it is worth "
            "logging: it shows when gradients explode).", {"norm_after": True}),
]


def grade_clipping(report: Report, read_case, dict_name: str, mistakes: list[Mistake]) -> Verdict:
    """Run the student's function on every clipping case through ``read_case`` and report.

    ``read_case(case)`` returns ``(got, returned)``: ``got`` the arrays after clipping in key
    order and then the norm, as float64 arrays (shapes ``case.shapes`` and ``()``);
    ``returned`` the same values as the student's function gave them (for the pass line's
    precision note). It raises Problem for anything that cannot be graded. ``dict_name`` names
    the arrays in messages; ``mistakes`` are simulated by :func:`mistaken_clip`.
    """
    outcomes, returned = [], []
    for case in clip_cases():
        try:
            got, as_given = read_case(case)
        except Problem as problem:
            return report_clip_problem(report, problem, case)
        returned += as_given
        outcomes.append(Outcome(case, case.output_names(dict_name), got, case.reference()))
    return report_outcomes(report, outcomes, f"correct on {len(outcomes)} tests (norm above and "
                           "below max_norm, one gradient much larger, all zeros).",
                           mistakes, mistaken_clip, returned=returned)


def report_clip_problem(report: Report, problem: Problem, case: ClipCase) -> Verdict:
    """Report a problem on one case; a division by a zero norm gets its cause named."""
    divided_by_zero = any(sign in str(problem) for sign in ("NaN/inf", "ZeroDivisionError"))
    if case.label == ZERO_GRADIENTS and divided_by_zero:
        return report.failed(
            f"fails on the test '{case.title}': {problem}",
            "With all gradients zero the norm is 0, and max_norm / 0 is inf. Scale "
            "only when n > max_norm: a zero gradient is never above it.")
    return report_problem(report, problem, case.title)


@never_raises
def check_clip_gradients(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``clip_gradients(grads, max_norm) -> (clipped, total_norm)``, grads a
    dict of arrays; print a pass line or hints. Never raises."""
    report = Report("clip_gradients")

    def read_case(case: ClipCase):
        args = case.args()
        clipped, norm = call_and_unpack(report, fn, args, "clip_gradients",
                                        ("clipped", "total_norm"), time_limit)
        if any(not np.array_equal(args[0][1][k], g) for k, g in case.grads.items()):
            raise Problem("clip_gradients changed grads in place (e.g. with `*=` or by "
                          "assigning to grads[name]). Leave it as it is: return new "
                          "arrays in a new dict.")
        got = (*as_array_dict(clipped, "clipped", case.shapes).values(),
               as_array(norm, "total_norm", ()))
        return got, [*clipped.values(), norm]

    return grade_clipping(report, read_case, "clipped", CLIP_MISTAKES)
