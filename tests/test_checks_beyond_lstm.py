"""The checks of the Beyond-the-LSTM exercise (the clockwork step, causal self-attention)
accept right answers written any way, name each typical mistake, and never raise.

The answers, written the way students write them (not with the checks' own simulations), are
in tests/clockwork_answers.py and tests/self_attention_answers.py, each wrong one with words its
check's feedback must contain. The checks' own simulations are tested too: right by default,
and every simulated mistake, handed to its check, is named by its own message.
"""

from __future__ import annotations

import pytest

from course_rnn.checks import check_causal_self_attention, check_clockwork_step
from course_rnn.checks.clockwork_cases import ARG_NAMES as CLOCKWORK_ARGS
from course_rnn.checks.clockwork_cases import ClockworkCase
from course_rnn.checks.clockwork_checks import CLOCKWORK
from course_rnn.checks.clockwork_mistakes import FORWARD_MISTAKES as CLOCKWORK_MISTAKES
from course_rnn.checks.clockwork_mistakes import mistaken_clockwork_step
from course_rnn.checks.outputs import close
from course_rnn.checks.self_attention_cases import ARG_NAMES as ATTENTION_ARGS
from course_rnn.checks.self_attention_cases import SelfAttentionCase
from course_rnn.checks.self_attention_checks import SELF_ATTENTION
from course_rnn.checks.self_attention_mistakes import FORWARD_MISTAKES as ATTENTION_MISTAKES
from course_rnn.checks.self_attention_mistakes import mistaken_self_attention
from course_rnn.numpy import causal_self_attention_forward, clockwork_step_forward
from tests import clockwork_answers, self_attention_answers
from tests.call_count import CALL_BUDGET, calls_of_check
from tests.test_checks_rnn import assert_verdict, run_check, verdict_params
from tests.test_checks_safety import PATHOLOGICAL, refuse_pathology

RIGHT = [  # (check, no other functions, right answers written differently)
    (check_clockwork_step, (), [clockwork_answers.clockwork_step_forward,
                                clockwork_answers.step_module_loop,
                                clockwork_answers.step_kron_float32, clockwork_step_forward]),
    (check_causal_self_attention, (), [self_attention_answers.causal_self_attention_forward,
                                       self_attention_answers.forward_loops,
                                       self_attention_answers.forward_batch_first_float32,
                                       causal_self_attention_forward]),
]
MISTAKES = [(check_clockwork_step, (), clockwork_answers.WRONG),
            (check_causal_self_attention, (), self_attention_answers.WRONG)]


@pytest.mark.parametrize("check,functions,passes,words", verdict_params(RIGHT, MISTAKES))
def test_right_answers_pass_and_each_mistake_gets_its_hint(capsys, check, functions, passes,
                                                           words):
    assert_verdict(capsys, check, functions, passes, words)


def test_at_least_eight_mistakes_per_check_are_named():
    assert min(len(clockwork_answers.WRONG), len(self_attention_answers.WRONG)) >= 8
    assert min(len(CLOCKWORK_MISTAKES), len(ATTENTION_MISTAKES)) >= 8


def test_float32_is_accepted_and_said(capsys):
    for check, answer in ((check_clockwork_step, clockwork_answers.step_kron_float32),
                          (check_causal_self_attention,
                           self_attention_answers.forward_batch_first_float32)):
        _, printed = run_check(capsys, check, answer)
        assert "Your result is float32: the exercises accept that" in printed


def test_findings_say_what_the_cases_that_come_out_right_share(capsys):
    def right_while_every_module_updates(x, h_prev, t, *rest):
        h_next = clockwork_step_forward(x, h_prev, t, *rest)[0]
        return h_next if t == 0 or len(rest[-1]) == 1 else 0.5 * h_next

    _, printed = run_check(capsys, check_clockwork_step, right_while_every_module_updates)
    assert "right when every module updates and wrong when some are idle" in printed

    def right_for_one_position(x, *weights):
        y, w = self_attention_answers.causal_self_attention_forward(x, *weights)
        return (y, w) if len(x) == 1 else (y + 0.1, w)

    _, printed = run_check(capsys, check_causal_self_attention, right_for_one_position)
    assert "right with one position (T = 1) only" in printed


# ---------------------------------------------------------------- the checks' own simulations

def _clockwork_student(switches):
    def step(*values):
        return mistaken_clockwork_step(ClockworkCase("student", tuple(zip(CLOCKWORK_ARGS,
                                                                          values))), **switches)
    return step


def _attention_student(switches):
    def forward(*values):
        return mistaken_self_attention(SelfAttentionCase("student", tuple(zip(ATTENTION_ARGS,
                                                                              values))), **switches)
    return forward


def test_simulations_are_right_by_default():
    for spec, simulate in ((CLOCKWORK, mistaken_clockwork_step),
                           (SELF_ATTENTION, mistaken_self_attention)):
        for case in spec.forward_cases():
            assert all(close(s, r) for s, r in zip(simulate(case), spec.reference(case)[0],
                                                    strict=True))


@pytest.mark.parametrize("check,student,mistake", [
    *((check_clockwork_step, _clockwork_student, m) for m in CLOCKWORK_MISTAKES),
    *((check_causal_self_attention, _attention_student, m) for m in ATTENTION_MISTAKES)],
    ids=lambda value: str(getattr(value, "switches", "")) or None)
def test_each_simulated_mistake_is_named_by_its_own_message(capsys, check, student, mistake):
    result, printed = run_check(capsys, check, student(mistake.switches))
    assert result is False and f"Most likely {' '.join(mistake.message.split())}" in printed


# ---------------------------------------------------------------- safety and speed

# the forward may leave out its cache, so an array alone or a shorter tuple can be right
ACCEPTED_FORMS = {"returns an array", "wrong length"}


@pytest.mark.parametrize("check,good", [(check_clockwork_step, clockwork_step_forward),
                                        (check_causal_self_attention,
                                         causal_self_attention_forward)])
@pytest.mark.parametrize("pathology", sorted(set(PATHOLOGICAL) - ACCEPTED_FORMS))
def test_checks_survive_pathological_functions(capsys, check, good, pathology):
    refuse_pathology(capsys, check, [good], 0, pathology)


@pytest.mark.parametrize("check,good,words", [
    (check_clockwork_step, clockwork_step_forward, "should return 2: (h_next, cache)"),
    (check_causal_self_attention, causal_self_attention_forward,
     "should return 3: (y, weights, cache)")])
def test_a_result_of_neither_form_is_refused(capsys, check, good, words):
    result, printed = run_check(capsys, check, lambda *args: (*good(*args), None, None))
    assert result is False and words in printed
    result, printed = run_check(capsys, check, lambda *args: (good(*args)[0][0],) * 9)
    assert result is False and "returned 9 values" in printed


@pytest.mark.parametrize("check,function", [
    (check_clockwork_step, clockwork_answers.WRONG["idle modules reset to 0"][0]),
    (check_causal_self_attention, self_attention_answers.WRONG["no mask"][0]),
    (check_causal_self_attention, self_attention_answers.WRONG["unstable softmax"][0])])
def test_a_check_with_its_diagnosis_calls_the_function_a_bounded_number_of_times(
        capsys, check, function):
    assert calls_of_check(check, function) <= CALL_BUDGET
    capsys.readouterr()
