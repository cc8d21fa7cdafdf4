r"""Check a student's gradient clipping by global norm done in place, as an optimizer needs it.

The student writes ``clip_grad_norm(grads, max_norm) -> total_norm`` for a dict of gradient
arrays, the same rule as exercise 5's ``clip_gradients``,

    n = sqrt(sum over every array g of sum(g ** 2))           one norm for all parameters
    g *= max_norm / n   for every array g,  if n > max_norm    (else nothing changes)

but it changes the caller's arrays themselves and returns only n, the norm *before* clipping
(``torch.nn.utils.clip_grad_norm_`` works the same way). A model and its optimizer keep
references to those arrays, so the check also requires that ``grads`` still holds the very
array objects it was given: ``grads[name] = g * factor`` puts the scaled values where the
optimizer never looks.

The cases, the reference, the simulated mistakes and the grading loop are those of
:mod:`~course_rnn.checks.clip_checks`; the one mistake added is the new dict, built inside the
function, that leaves the caller's arrays as they were.
"""

from __future__ import annotations

import numpy as np

from course_rnn.checks.clip_checks import CLIP_MISTAKES, ClipCase, grade_clipping
from course_rnn.checks.outputs import Problem, as_array, as_array_dict
from course_rnn.checks.report import Report, call_checked, never_raises
from course_rnn.checks.results import Verdict
from course_rnn.checks.rnn_mistakes import Mistake

_IN_PLACE = "scale each array in place: `g *= factor` or `np.multiply(g, factor, out=g)`"

IN_PLACE_MISTAKES = [
    Mistake("the caller's arrays are left as they were: a new dict or new arrays made inside "
            "the function (`grads = {name: g * factor ...}`, `g = g * factor`) never reach "
            f"the caller; {_IN_PLACE}.", {"unchanged": True}),
    *CLIP_MISTAKES,
]


def read_total_norm(value) -> np.ndarray:
    """What ``clip_grad_norm`` returned as a float64 scalar array, or raise Problem."""
    if value is None:
        raise Problem("clip_grad_norm returned None: is the `return` statement missing? It "
                      "returns total_norm, the global norm before clipping.")
    if isinstance(value, dict):
        raise Problem("clip_grad_norm returned a dict; it scales the arrays in grads in place "
                      "and returns only total_norm, the global norm before clipping.")
    if isinstance(value, tuple | list):
        raise Problem(f"clip_grad_norm returned a {type(value).__name__} of {len(value)} "
                      "values; it returns one number, total_norm (the clipped gradients stay "
                      "in grads, scaled in place).")
    return as_array(value, "total_norm", ())


def expect_same_arrays(grads: dict, given: dict) -> None:
    """Raise Problem unless ``grads`` holds exactly the array objects of ``given``."""
    if grads.keys() != given.keys():
        raise Problem(f"clip_grad_norm changed the keys of grads (given {list(given)}, now "
                      f"{list(grads)}); leave the dict as it is and {_IN_PLACE}.")
    replaced = [f"grads['{name}']" for name, g in given.items() if grads[name] is not g]
    if replaced:
        raise Problem(f"clip_grad_norm put new arrays into grads ({', '.join(replaced)} = ...): "
                      "the model and its optimizer keep the old arrays, which stay as they "
                      f"were; {_IN_PLACE}.")


@never_raises
def check_clip_grad_norm(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``clip_grad_norm(grads, max_norm) -> total_norm``, grads a dict of
    arrays scaled in place; print a pass line or hints. Never raises."""
    report = Report("clip_grad_norm")

    def read_case(case: ClipCase):
        args = case.args()
        grads = args[0][1]
        given = dict(grads)  # the caller's own array objects, whatever fn does to the dict
        value = call_checked(report, fn, args, "clip_grad_norm", time_limit)
        norm = read_total_norm(value)
        expect_same_arrays(grads, given)
        got = (*as_array_dict(given, "grads", case.shapes).values(), norm)
        return got, [*given.values(), value]

    return grade_clipping(report, read_case, "grads", IN_PLACE_MISTAKES)
