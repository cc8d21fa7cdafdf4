r"""Check a student's own gradient check: does it accept right gradients and catch wrong ones?

The student writes ``gradient_check(f, x, analytic, eps=1e-5) -> error``: the relative error
between ``analytic`` and the central differences

    (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)      for every entry i of x,

where f maps an array to a number. The check feeds it functions whose gradients it knows, each
designed so that one typical mistake shows on it and not on the one before:

    linear          every difference quotient is exact: only a wrong formula fails here
    quadratic       central differences are still exact; one-sided ones are off by eps f''
    tanh            central differences are off by about eps^2 f''' / 6: a large eps shows
    2-D x           a loop over x[i] perturbs whole rows instead of single entries
    scaled by 1e6   a right gradient whose absolute error is large: an absolute error fails
    planted errors  one wrong entry, of ordinary size and of size 1e-8 beside gradients of
                    order 1e-6: a check must report them, relative to the gradients' size

A right gradient must get an error of at most ``RIGHT`` and a planted error at least ``WRONG``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_rnn.checks.outputs import Problem, as_array
from course_rnn.checks.report import Report, call_checked, never_raises, report_problem
from course_rnn.checks.results import Verdict

RIGHT = 1e-6   # float64 central differences with eps near 1e-5 give about 1e-10
WRONG = 1e-4   # the planted errors give about 3e-3 as ||a - n|| / (||a|| + ||n||)


@dataclass(frozen=True, eq=False)
class GradientCase:
    """A function f of an array, a point x, a gradient to test, whether it is right, and what
    a wrong verdict on it points to when every case before it was judged right."""

    label: str
    f: object
    x: np.ndarray
    analytic: np.ndarray
    right: bool
    hint: str

    @property
    def title(self) -> str:
        return f"{self.label}, x of shape {self.x.shape}"

    def args(self) -> list[tuple[str, object]]:
        return [("f", self.f), ("x", self.x), ("analytic", self.analytic)]


def _tanh_sum(w, scale=1.0):
    """f(x) = scale * sum(w * tanh(x)) and its gradient."""
    return (lambda x: scale * float(np.sum(w * np.tanh(x))),
            lambda x: scale * w * (1.0 - np.tanh(x) ** 2))


def _planted(gradient: np.ndarray, index: tuple[int, ...], size: float) -> np.ndarray:
    wrong = gradient.copy()
    wrong[index] += size
    return wrong


_CENTRAL = "(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)"
_RELATIVE = "||a - n|| / (||a|| + ||n||)"


def gradient_cases() -> list[GradientCase]:
    rng = np.random.default_rng(41)
    w1, x1 = rng.standard_normal(5), rng.standard_normal(5)
    w2, x2 = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    curved_1d, grad_1d = _tanh_sum(w1)
    curved, grad = _tanh_sum(w2)
    large, grad_large = _tanh_sum(w2, 1e6)
    small, grad_small = _tanh_sum(w2, 1e-6)
    return [
        GradientCase(
            "linear, right gradient", lambda x: float(np.sum(w1 * x)), x1, w1, True,
            "Even for a linear function, where every difference quotient is exact up to "
            "rounding, your error is not small: is eps far too small (below about 1e-8 "
            f"rounding dominates), or is the relative error {_RELATIVE} computed "
            "differently?"),
        # near x = 0 the slope is small beside the curvature, so one-sided errors stand out
        GradientCase(
            "quadratic, right gradient", lambda x: float(np.sum(w1 * x**2)), 0.05 * x1,
            0.1 * w1 * x1, True,
            "Right for a linear function but not for a quadratic one: this is what one-sided "
            "differences (f(x + eps) - f(x)) / eps do; they are off by about eps * f''. Use "
            f"central differences, {_CENTRAL}, whose error shrinks like eps**2."),
        GradientCase(
            "tanh, right gradient", curved_1d, x1, grad_1d(x1), True,
            "Right for a quadratic (where central differences are exact whatever eps) but "
            "not for tanh: eps is too large, and the error of about eps**2 * f''' / 6 shows. "
            "Use eps = 1e-5 in float64."),
        GradientCase(
            "tanh, right gradient", curved, x2, grad(x2), True,
            "Right for a 1-D x but not for a 2-D one: perturb one entry at a time (x[i] of a "
            "2-D array is a whole row); np.ndindex(x.shape) visits every index."),
        GradientCase(
            "gradients near 1e6, right", large, x2, grad_large(x2), True,
            "Right gradients of size 1e6 are reported as wrong: the error must be relative, "
            f"{_RELATIVE}, since finite differences of a large function have a large "
            "absolute error."),
        GradientCase(
            "an error of 0.01 planted at [2, 3]", curved, x2, _planted(grad(x2), (2, 3), 1e-2),
            False,
            "Your check does not report a gradient that is wrong in one entry: does it "
            "compare every entry of the two arrays (their norms, or the largest difference)?"),
        GradientCase(
            "gradients near 1e-6, an error of 1e-8 planted at [1, 2]", small, x2,
            _planted(grad_small(x2), (1, 2), 1e-8), False,
            "Your check misses an error of 1e-8 where the gradients are about 1e-6: an "
            "absolute difference looks tiny there; divide by the size of the gradients, "
            f"{_RELATIVE}."),
    ]


def _diagnosis(case: GradientCase, first: bool, error: float) -> str:
    """What a wrong verdict on ``case`` (every case before it judged right) points to; on the
    first case an error of exactly 1/3 or 1 betrays a factor of 2 or a sign."""
    if first and abs(error - 1 / 3) < 1e-3:
        return ("Your numerical gradient is twice the analytic one: divide the difference by "
                f"2 eps, the distance between x - eps and x + eps: {_CENTRAL}.")
    if first and abs(error - 1) < 1e-3:
        return f"Your numerical gradient is zero or has the wrong sign: it is {_CENTRAL}."
    return case.hint


@never_raises
def check_gradient_check(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``gradient_check(f, x, analytic) -> error`` (their default eps): it
    must give at most 1e-6 for right gradients and at least 1e-4 for wrong ones. Never raises.
    """
    report = Report("gradient_check")
    cases = gradient_cases()
    for index, case in enumerate(cases):
        try:
            error = call_checked(report, fn, case.args(), "gradient_check", time_limit)
            if error is None:
                raise Problem("gradient_check returned None: is the `return` statement "
                              "missing? It should return the relative error, one number.")
            error = float(as_array(error, "the error", (), {case.x.shape: (
                "that is an array the shape of x; return one number, the relative error "
                "between analytic and your numerical gradient.")}))
        except Problem as problem:
            return report_problem(report, problem, case.title)
        if error < 0:
            return report.failed(f"it returned {error:.3g} on the test '{case.title}'.",
                                 "A relative error is never negative: it is a ratio of norms "
                                 "(or of absolute values).")
        if case.right and error > RIGHT:
            return report.failed(f"it reports {error:.3g} for a right gradient on the test "
                                 f"'{case.title}' (at most {RIGHT:g} expected).",
                                 _diagnosis(case, index == 0, error))
        if not case.right and error < WRONG:
            return report.failed(f"it reports only {error:.3g} on the test '{case.title}' "
                                 f"(at least {WRONG:g} expected).",
                                 _diagnosis(case, index == 0, error))
    return report.passed(f"accepts right gradients and catches the planted errors on "
                         f"{len(cases)} tests (linear, quadratic and tanh functions, 1-D and "
                         "2-D x, gradients near 1e6 and near 1e-6).")
