"""The architecture checks accept right answers written any way and name typical mistakes.

The answers, written the way students write them (not with the checks' own simulations), are
in tests/architecture_answers.py, each wrong one with words its check's feedback must contain.
"""

from __future__ import annotations

import pytest

from course_rnn.checks import architecture_checks as checks
from course_rnn.checks import architecture_mistakes as cases
from course_rnn.checks import (
    check_classifier_forward,
    check_classifier_loss,
    check_generator_forward,
    check_generator_loss,
    progress,
)
from course_rnn.checks.outputs import close
from course_rnn.checks.results import reset
from tests import architecture_answers as answers
from tests.call_count import CALL_BUDGET, calls_of_check
from tests.test_checks_char import PATHOLOGICAL
from tests.test_checks_rnn import assert_verdict, run_check, verdict_params
from tests.test_checks_safety import assert_refused_safely, not_implemented

RIGHT = [  # (check, the right functions it also takes, right answers written differently)
    (check_classifier_forward, (),
     [answers.classifier_forward, answers.classifier_h_n, answers.classifier_by_hand]),
    (check_classifier_loss, (answers.classifier_forward,),
     [answers.classifier_loss, answers.classifier_loss_dhx, answers.classifier_loss_own_softmax]),
    (check_generator_forward, (),
     [answers.generator_forward, answers.generator_repeat, answers.generator_one_hot]),
    (check_generator_loss, (answers.generator_forward,),
     [answers.generator_loss, answers.generator_loss_time_major]),
]

MISTAKES = [  # (check, the right functions it also takes, {name: (wrong function, hint)})
    (check_classifier_forward, (), answers.WRONG_CLASSIFIER_FORWARD),
    (check_classifier_loss, (answers.classifier_forward,), answers.WRONG_CLASSIFIER_LOSS),
    (check_generator_forward, (), answers.WRONG_GENERATOR_FORWARD),
    (check_generator_loss, (answers.generator_forward,), answers.WRONG_GENERATOR_LOSS),
]

VERDICTS = verdict_params(RIGHT, MISTAKES)


@pytest.mark.parametrize("check,functions,passes,words", VERDICTS)
def test_right_answers_pass_and_each_mistake_gets_its_hint(capsys, check, functions, passes,
                                                           words):
    assert_verdict(capsys, check, functions, passes, words)


@pytest.mark.parametrize("check,forward,loss", [
    (check_classifier_loss, answers.WRONG_CLASSIFIER_FORWARD["first state"][0],
     answers.classifier_loss),
    (check_generator_loss, answers.WRONG_GENERATOR_FORWARD["no bias"][0],
     answers.generator_loss),
])
def test_a_wrong_forward_is_blamed_not_the_loss(capsys, check, forward, loss):
    name = check.__name__.removeprefix("check_loss").removeprefix("check_")
    result, printed = run_check(capsys, check, forward, loss)
    assert result is False
    assert f"your {name.replace('_loss', '_forward')} is wrong" in printed, printed


# ---------------------------------------------------------------- the checks' own simulations

SIMULATIONS = [  # (cases, simulate, its typical mistakes, which outputs the check compares)
    (cases.classifier_cases, cases.mistaken_classifier, checks.CLASSIFIER_FORWARD_MISTAKES),
    (cases.classifier_cases, cases.mistaken_classifier, checks.CLASSIFIER_LOSS_MISTAKES),
    (cases.generator_cases, cases.mistaken_generator, checks.GENERATOR_FORWARD_MISTAKES),
    (cases.generator_cases, cases.mistaken_generator, checks.GENERATOR_LOSS_MISTAKES),
]


def _flat(result):
    logits, loss, grads = result
    return (logits, loss, *grads)


@pytest.mark.parametrize("make_cases,simulate,mistakes", SIMULATIONS)
def test_simulations_are_right_by_default_and_each_mistake_shows(make_cases, simulate,
                                                                 mistakes):
    all_cases = make_cases()
    for case in all_cases:
        assert all(close(s, r) for s, r in zip(_flat(simulate(case)), _flat(case.reference()),
                                                strict=True))
    for mistake in mistakes:  # else a right answer could be blamed on it
        differs = []
        for case in all_cases:
            try:
                simulated = _flat(simulate(case, **mistake.switches))
            except ValueError:
                continue
            differs.append(not all(close(s, r) for s, r in zip(simulated,
                                                               _flat(case.reference()))))
        assert any(differs), mistake.message


# ---------------------------------------------------------------- safety, speed and progress

@pytest.mark.parametrize("check,right,pathology", [
    (check, right, pathology) for check, right, _ in MISTAKES for pathology in PATHOLOGICAL])
def test_checks_survive_pathological_functions(capsys, check, right, pathology):
    bad, expected = PATHOLOGICAL[pathology]
    assert_refused_safely(capsys, check(*right, bad, time_limit=0.2), pathology, expected)


@pytest.mark.parametrize("check,loss", [(check_classifier_loss, answers.classifier_loss),
                                        (check_generator_loss, answers.generator_loss)])
def test_a_loss_check_waits_for_a_stub_forward(capsys, check, loss):
    result, printed = run_check(capsys, check, not_implemented, loss)
    forward = check.__name__.removeprefix("check_").replace("_loss", "_forward")
    assert result is False
    assert printed == f"○ {check.__name__.removeprefix('check_')}: waiting for {forward}, " \
                      "not written yet."


@pytest.mark.parametrize("check,right,answers_", RIGHT)
def test_a_check_calls_the_functions_a_bounded_number_of_times(capsys, check, right, answers_):
    assert calls_of_check(check, *right, answers_[0]) <= CALL_BUDGET


def test_progress_lists_the_architecture_checks(capsys):
    reset()
    check_generator_forward(answers.generator_forward)
    rows = [row for row in progress("06_architectures") if row.kind == "check"]
    assert [row.name for row in rows] == [
        "classifier_forward", "classifier_loss", "generator_forward", "generator_loss"]
    assert [row.passed for row in rows] == [None, None, True, None]
    assert [row.name for row in progress("06_architectures") if row.kind == "question"] == [
        "06-label-every-step"]
    reset()
