"""No student function can make a check raise: every pathology gives False and a sentence."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from course_rnn.checks import (
    check_rnn_backward,
    check_rnn_forward,
    check_rnn_step_backward,
    check_rnn_step_forward,
    progress,
)
from course_rnn.checks.results import Verdict, reset
from course_rnn.checks.safe_call import call_student
from course_rnn.numpy import rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward


def raises(*args):
    return {}["missing key"]


def not_implemented(*args):
    raise NotImplementedError("implement the tanh step")


def loops_forever(*args):
    while True:
        pass


def prints_a_lot(*args):
    for i in range(10_000):
        print("debug", i)


def spoil_first_output(good, spoil):
    """``good`` with its first returned array passed through ``spoil``."""
    def spoiled(*args):
        first, *rest = good(*args)
        return (spoil(np.array(first)), *rest)
    return spoiled


def mutates(good):
    def changes_its_first_argument(first, *args):
        result = good(first.copy(), *args)
        first *= 2.0
        return result
    return changes_its_first_argument


PATHOLOGICAL = {  # name: (make the bad function from a good one, what the feedback says)
    "raises": (lambda good: raises, "raised KeyError: 'missing key' (line"),
    "not implemented": (lambda good: not_implemented, "waiting for rnn_"),
    "infinite loop": (lambda good: loops_forever, "did not finish within 0.2 s"),
    "prints a lot": (lambda good: prints_a_lot, "returned None"),
    "returns None": (lambda good: lambda *a: None, "returned None"),
    "returns an array": (lambda good: lambda *a: good(*a)[0], "returned a single array"),
    "returns a string": (lambda good: lambda *a: "h", "returned a str"),
    "wrong length": (lambda good: lambda *a: good(*a)[:-1], "values; it should return"),
    "wrong shape": (lambda good: spoil_first_output(good, lambda a: a[..., :-1]), "has shape"),
    "NaN": (lambda good: spoil_first_output(good, lambda a: a / 0.0), "NaN/inf"),
    "mutates its input": (mutates, "changed its argument"),
}

def assert_refused_safely(capsys, verdict, pathology: str, expected: str) -> str:
    """A failed Verdict and one printed sentence containing ``expected`` (a stub only waits),
    never a bug in the check; returns what was printed, on one line."""
    assert isinstance(verdict, Verdict) and verdict.passed is False
    printed = " ".join(capsys.readouterr().out.split())
    assert printed.startswith("○ " if pathology == "not implemented" else "✗ ")
    assert "bug in course_rnn" not in printed
    assert expected in printed, printed
    return printed


def refuse_pathology(capsys, check, functions, bad_index: int, pathology: str) -> str:
    """Run ``check`` on ``functions`` with the one at ``bad_index`` made pathological, and
    assert that it is refused safely (a stub: waited for, by name); returns what was printed."""
    make_bad, expected = PATHOLOGICAL[pathology]
    if pathology == "not implemented":
        expected = f"waiting for {functions[bad_index].__name__}, not written yet"
    functions = list(functions)
    functions[bad_index] = make_bad(functions[bad_index])
    return assert_refused_safely(capsys, check(*functions, time_limit=0.2), pathology, expected)


# check: (the good functions it takes, which of them is replaced by a bad one)
CHECKS = {
    "step forward": (check_rnn_step_forward, [rnn_step_forward], 0),
    "forward": (check_rnn_forward, [rnn_forward], 0),
    "step backward, bad forward": (check_rnn_step_backward,
                                   [rnn_step_forward, rnn_step_backward], 0),
    "step backward, bad backward": (check_rnn_step_backward,
                                    [rnn_step_forward, rnn_step_backward], 1),
    "backward, bad forward": (check_rnn_backward, [rnn_forward, rnn_backward], 0),
    "backward, bad backward": (check_rnn_backward, [rnn_forward, rnn_backward], 1),
}


@pytest.mark.parametrize("check_name", CHECKS)
@pytest.mark.parametrize("pathology", PATHOLOGICAL)
def test_checks_survive_pathological_functions(capsys, check_name, pathology):
    printed = refuse_pathology(capsys, *CHECKS[check_name], pathology)
    if pathology == "prints a lot":
        assert "printed 10000 lines" in printed and "debug 9999" not in printed


def test_time_limit_also_works_off_the_main_thread():
    # no SIGALRM in a worker thread: the call runs in a thread of its own and is abandoned
    outcome, stop = {}, threading.Event()

    def spins_until_stopped():  # the abandoned call must end, or it slows every later test
        while not stop.is_set():
            pass

    worker = threading.Thread(target=lambda: outcome.setdefault(
        "call", call_student(spins_until_stopped, [], "f", time_limit=0.2)))
    worker.start()
    worker.join(5)
    stop.set()
    assert "did not finish within 0.2 s" in outcome["call"].problem


def test_mutation_is_reported_by_name_and_the_caller_keeps_its_arrays():
    x = np.ones(3)
    call = call_student(mutates(lambda *a: None), [("x", x), ("h", np.ones(2))], "f",
                        time_limit=1)
    assert call.mutated == ["x"] and np.all(x == 1)


def test_progress_lists_a_notebooks_checks_with_their_latest_result(capsys):
    reset()
    table = progress("01_rnn_structure")
    assert [(row.name, row.passed) for row in table[:2]] == [("rnn_step_forward", None),
                                                             ("rnn_forward", None)]
    assert "not yet run" in repr(table)
    check_rnn_step_forward(rnn_step_forward)
    check_rnn_forward(lambda *a: None)
    table = progress("01_rnn_structure")
    assert [row.passed for row in table[:3]] == [True, False, None]
    assert "✓ passed" in repr(table) and "✗ not yet right" in table._repr_html_()
    assert [row.name for row in progress()] == ["rnn_step_forward", "rnn_forward"]
    with pytest.raises(ValueError, match="unknown notebook"):
        progress("99_nothing")
    reset()


@pytest.mark.parametrize("call,expected", [
    (lambda: check_rnn_backward(rnn_forward), "missing a required argument: 'backward_fn'"),
    (lambda: check_rnn_step_forward((np.ones((2, 3)), None)), "takes your functions themselves"),
    (lambda: check_rnn_step_forward(lambda x, h: None), "keep the parameter list as given"),
])
def test_checks_explain_how_they_are_called(capsys, call, expected):
    assert call().passed is False
    printed = " ".join(capsys.readouterr().out.split())
    assert expected in printed and "bug in course_rnn" not in printed
