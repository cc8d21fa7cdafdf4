"""check_clip_grad_norm (chapter 6's exercise) takes in-place clipping by global norm written
any way, names each typical mistake, and survives any function it is given.

The answers below are written the way students write them, not with the check's simulations.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_rnn.checks import check_clip_grad_norm
from course_rnn.checks.clip_checks import clip_cases, mistaken_clip
from course_rnn.checks.clip_in_place_checks import IN_PLACE_MISTAKES
from course_rnn.checks.outputs import close
from course_rnn.checks.results import result
from course_rnn.numpy.clipping import clip_grad_norm as package_clip_grad_norm
from course_rnn.numpy.module import Module
from tests.test_checks_rnn import run_check
from tests.test_checks_safety import assert_refused_safely, loops_forever, not_implemented

# ---------------------------------------------------------------- right answers


def clip_loop(grads, max_norm):
    total = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
    if total > max_norm:
        for g in grads.values():
            g *= max_norm / total
    return total


def clip_concatenated(grads, max_norm):
    total = np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()]))
    factor = min(1.0, max_norm / (total + 1e-6))
    for g in grads.values():
        np.multiply(g, factor, out=g)
    return total


def clip_math_sqrt(grads, max_norm):
    total = math.sqrt(sum(float((g**2).sum()) for g in grads.values()))
    if total > max_norm:
        for name in grads:
            grads[name][...] = grads[name] * (max_norm / total)  # a slice assignment: same array
    return total


def clip_float32_norm(grads, max_norm):
    return np.float32(clip_loop(grads, max_norm))


def clip_with_the_package(grads, max_norm):
    holder = Module(np.float64)
    holder.grads = grads
    return package_clip_grad_norm(holder, max_norm)


RIGHT = [clip_loop, clip_concatenated, clip_math_sqrt, clip_float32_norm, clip_with_the_package]

# ---------------------------------------------------------------- wrong answers

WRONG = {}  # name: (function, words the feedback must contain)


def rejected_with(words):
    """Register the decorated wrong answer with the words its feedback must contain."""
    def register(answer):
        WRONG[answer.__name__] = (answer, words)
        return answer
    return register


def global_norm(grads):
    return np.sqrt(sum(np.sum(g**2) for g in grads.values()))


@rejected_with("each array is clipped by its own norm")
def clip_each(grads, max_norm):
    total = global_norm(grads)
    for g in grads.values():
        own = np.linalg.norm(g)
        if own > max_norm:
            g *= max_norm / own
    return total


@rejected_with("that is clipping by value")
def clip_by_value(grads, max_norm):
    total = global_norm(grads)
    for g in grads.values():
        np.clip(g, -max_norm, max_norm, out=g)
    return total


@rejected_with("total_norm is measured after clipping")
def norm_after(grads, max_norm):
    clip_loop(grads, max_norm)
    return global_norm(grads)


@rejected_with("the caller's arrays are left as they were")
def new_dict(grads, max_norm):
    total = global_norm(grads)
    grads = {name: g * min(1.0, max_norm / (total + 1e-6)) for name, g in grads.items()}
    return total


@rejected_with("put new arrays into grads (grads['W'], grads['b'] = ...)")
def rebinds(grads, max_norm):
    total = global_norm(grads)
    for name in grads:
        grads[name] = grads[name] * min(1.0, max_norm / (total + 1e-6))
    return total


@rejected_with("scaled even when their norm is below max_norm")
def always_scales(grads, max_norm, tiny=1e-6):
    total = global_norm(grads)
    for g in grads.values():
        g *= max_norm / (total + tiny)
    return total


@rejected_with("Scale only when n > max_norm")
def always_scales_nan_at_zero(grads, max_norm):
    return always_scales(grads, max_norm, tiny=0.0)


@rejected_with("Scale only when n > max_norm")
def always_scales_zero_division(grads, max_norm):
    total = math.sqrt(sum(float(np.sum(g**2)) for g in grads.values()))
    factor = max_norm / total  # a Python float: 0 / 0 raises instead of giving NaN
    for g in grads.values():
        g *= min(1.0, factor)
    return total


def scale_if_above(grads, max_norm, total):
    """Clipping done right once ``total`` is known (the norm's mistakes compute it wrong)."""
    if total > max_norm:
        for g in grads.values():
            g *= max_norm / total
    return total


@rejected_with("missing its square root")
def squared_norm(grads, max_norm):
    return scale_if_above(grads, max_norm, global_norm(grads) ** 2)


@rejected_with("sum of the arrays' norms")
def sum_of_norms(grads, max_norm):
    return scale_if_above(grads, max_norm, sum(np.linalg.norm(g) for g in grads.values()))


@rejected_with("returned a dict; it scales the arrays in grads")
def returns_the_dict(grads, max_norm):
    clip_loop(grads, max_norm)
    return grads


@rejected_with("returned a tuple of 2 values; it returns one number")
def returns_a_pair(grads, max_norm):
    return grads, clip_loop(grads, max_norm)


@rejected_with("changed the keys of grads (given ['W', 'b'], now ['W'])")
def drops_a_key(grads, max_norm):
    total = clip_loop(grads, max_norm)
    grads.pop("b")
    return total


@pytest.mark.parametrize("answer", RIGHT, ids=lambda fn: fn.__name__)
def test_right_answers_written_differently_pass(capsys, answer):
    passed, printed = run_check(capsys, check_clip_grad_norm, answer)
    assert passed is True, printed
    assert printed == ("✓ clip_grad_norm: correct on 4 tests (norm above and below max_norm, "
                       "one gradient much larger, all zeros).")
    assert result("clip_grad_norm") is True


@pytest.mark.parametrize("name", WRONG)
def test_each_mistake_is_rejected_with_its_hint(capsys, name):
    answer, words = WRONG[name]
    passed, printed = run_check(capsys, check_clip_grad_norm, answer)
    assert passed is False, printed
    assert printed.startswith("✗ clip_grad_norm:"), printed
    assert words in printed, printed
    assert result("clip_grad_norm") is False


def test_new_arrays_with_the_right_values_are_still_rejected(capsys):
    grads = {"W": np.full((2, 2), 3.0), "b": np.full(4, 4.0)}  # global norm 10
    given = dict(grads)
    assert rebinds(grads, 1.0) == pytest.approx(10.0)
    assert np.allclose(grads["W"], 0.3) and np.allclose(grads["b"], 0.4)  # the right values...
    assert grads["W"] is not given["W"] and np.all(given["W"] == 3.0)  # ...in new arrays
    passed, printed = run_check(capsys, check_clip_grad_norm, rebinds)
    assert passed is False and "the model and its optimizer keep the old arrays" in printed


def test_a_right_answer_keeps_the_arrays_and_scales_them():
    grads = {"W": np.full((2, 2), 3.0), "b": np.full(4, 4.0)}
    given = dict(grads)
    assert clip_loop(grads, 1.0) == pytest.approx(10.0)
    assert all(grads[k] is given[k] for k in grads)
    assert np.allclose(grads["W"], 0.3) and np.allclose(grads["b"], 0.4)
    assert clip_loop(grads, 2.0) == pytest.approx(1.0)  # below max_norm: left alone
    assert np.allclose(grads["W"], 0.3)


# ---------------------------------------------------------------- what cannot be graded


def raises(grads, max_norm):
    return grads["missing key"]


def returns_nan(grads, max_norm):
    clip_loop(grads, max_norm)
    return float("nan")


PATHOLOGICAL = {  # name: (function, words the feedback must contain)
    "raises": (raises, "raised KeyError: 'missing key' (line"),
    "not implemented": (not_implemented, "waiting for clip_grad_norm, not written yet"),
    "infinite loop": (loops_forever, "did not finish within 0.2 s"),
    "returns None": (lambda grads, max_norm: None, "returned None: is the `return` statement"),
    "returns a string": (lambda grads, max_norm: "small", "total_norm is a str that does not"),
    "returns an array": (lambda grads, max_norm: np.ones(3), "total_norm has shape (3,)"),
    "returns NaN": (returns_nan, "total_norm contains 1 NaN/inf entries"),
    "takes no arguments": (lambda: 1.0, "keep the parameter list as given"),
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_a_function_that_cannot_be_graded_gets_a_clear_message(capsys, name):
    answer, words = PATHOLOGICAL[name]
    verdict = check_clip_grad_norm(answer, time_limit=0.2)
    assert_refused_safely(capsys, verdict, name, words)


def test_called_with_a_result_instead_of_a_function(capsys):
    verdict = check_clip_grad_norm(1.0)
    printed = assert_refused_safely(capsys, verdict, "not a function", "takes your functions")
    assert "got a float" in printed


# ---------------------------------------------------------------- the check's own simulations


def simulated(case, mistake):
    """The outputs a mistake would give on a case, or None where it cannot run."""
    try:
        return mistaken_clip(case, **mistake.switches)
    except ValueError:
        return None


def differ(first, second) -> bool:
    if first is None or second is None:
        return False
    return not all(close(a, b) for a, b in zip(first, second, strict=True))


def test_every_mistake_differs_from_the_right_answer_and_from_each_other():
    cases = clip_cases()
    for mistake in IN_PLACE_MISTAKES:
        assert any(differ(simulated(case, mistake), case.reference()) for case in cases), \
            mistake.message
    for first in IN_PLACE_MISTAKES:
        for second in IN_PLACE_MISTAKES:
            if first is not second:
                assert any(differ(simulated(case, first), simulated(case, second))
                           for case in cases), (first.message, second.message)
