"""The attention checks accept right answers written any way, name each typical mistake, and
never raise.

The answers, written the way students write them (not with the checks' own simulations), are
in tests/attention_answers.py, each wrong one with words its check's feedback must contain.
The checks' own simulations are tested too: right by default, and every simulated mistake,
handed to its check, is named by its own message.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_rnn.checks import check_additive_attention_backward, check_additive_attention_forward
from course_rnn.checks.attention_cases import AttentionCase, backward_cases, forward_cases
from course_rnn.checks.attention_checks import ATTENTION
from course_rnn.checks.attention_mistakes import (
    BACKWARD_MISTAKES,
    FORWARD_MISTAKES,
    mistaken_attention_backward,
    mistaken_attention_forward,
)
from course_rnn.checks.outputs import close
from course_rnn.numpy import additive_attention_backward, additive_attention_forward
from tests import attention_answers as answers
from tests.call_count import CALL_BUDGET, calls_of_check
from tests.test_checks_rnn import assert_verdict, run_check, verdict_params
from tests.test_checks_safety import PATHOLOGICAL, refuse_pathology

FORWARD, BACKWARD = check_additive_attention_forward, check_additive_attention_backward

RIGHT = [  # (check, the right functions it also takes, right answers written differently)
    (FORWARD, (), [answers.additive_attention_forward, answers.forward_einsum_float32,
                   answers.forward_loops, answers.forward_exp_times_mask,
                   additive_attention_forward]),
    (BACKWARD, (answers.additive_attention_forward,), [answers.additive_attention_backward]),
    (BACKWARD, (additive_attention_forward,), [additive_attention_backward]),
    (BACKWARD, (answers.forward_einsum_float32,), [answers.backward_namedtuple]),
    (BACKWARD, (answers.forward_loops,), [answers.backward_loops]),
    (BACKWARD, (answers.forward_exp_times_mask,), [answers.backward_recomputed]),
]

MISTAKES = [  # (check, the right functions it also takes, {name: (wrong function, hint)})
    (FORWARD, (), answers.WRONG_FORWARD),
    (BACKWARD, (answers.additive_attention_forward,), answers.WRONG_BACKWARD),
]


@pytest.mark.parametrize("check,functions,passes,words", verdict_params(RIGHT, MISTAKES))
def test_right_answers_pass_and_each_mistake_gets_its_hint(capsys, check, functions, passes,
                                                           words):
    assert_verdict(capsys, check, functions, passes, words)


def test_at_least_ten_mistakes_per_function_are_named():
    assert min(len(answers.WRONG_FORWARD), len(answers.WRONG_BACKWARD)) >= 10
    assert min(len(FORWARD_MISTAKES), len(BACKWARD_MISTAKES)) >= 10


def test_float32_is_accepted_and_said(capsys):
    _, printed = run_check(capsys, FORWARD, answers.forward_einsum_float32)
    assert "Your result is float32: the exercises accept that" in printed


def _forward_without_v(query, keys, W_q, W_k, v, mask=None):
    """A wrong forward: the scores sum the tanh's entries, as if v were all ones."""
    return answers.additive_attention_forward(query, keys, W_q, W_k, np.ones_like(v), mask)


def test_a_wrong_forward_is_blamed_and_its_consistent_backward_told_so(capsys):
    result, printed = run_check(capsys, BACKWARD, _forward_without_v,
                                answers.additive_attention_backward)
    assert result is False and "additive_attention_forward is wrong, so its gradients" in printed
    assert "does match numerical gradients of your own forward" in printed
    assert "Your forward does not use v at all" in printed
    result, printed = run_check(capsys, BACKWARD, _forward_without_v,
                                answers.WRONG_BACKWARD["no direct path"][0])
    assert "disagrees with numerical gradients of your own forward in dkeys" in printed


def test_probes_say_what_the_cases_that_come_out_right_share(capsys):
    def wrong_where_padded(*args):  # right without padding only
        context, alpha, cache = answers.additive_attention_forward(*args)
        return context + (0.0 if args[5] is None else 0.1), alpha, cache

    _, printed = run_check(capsys, FORWARD, wrong_where_padded)
    assert "right whenever no position is padding and wrong with padding" in printed
    _, printed = run_check(capsys, BACKWARD, answers.additive_attention_forward,
                           answers.WRONG_BACKWARD["diagonal softmax Jacobian"][0])
    assert "right with one position (S = 1) only" in printed


# ---------------------------------------------------------------- the checks' own simulations

def _as_case(values, upstream=()) -> AttentionCase:
    names = ("query", "keys", "W_q", "W_k", "v", "mask")
    return AttentionCase("student", tuple(zip(names, values)),
                         tuple(zip(("dcontext",), upstream)))


def _simulated_forward(switches):
    """A student's forward that computes the simulation of a mistake; its cache is the case."""
    def forward(*values):
        case = _as_case(values)
        return (*mistaken_attention_forward(case, **switches), case)
    return forward


def _simulated_backward(switches):
    def backward(dcontext, case):
        return mistaken_attention_backward(_as_case([v for _, v in case.args], [dcontext]),
                                           **switches)
    return backward


def test_simulations_are_right_by_default():
    for case in forward_cases() + backward_cases():
        outputs, grads = ATTENTION.reference(case)
        assert all(close(s, r) for s, r in zip(mistaken_attention_forward(case), outputs,
                                                strict=True))
        assert all(close(s, r) for s, r in zip(mistaken_attention_backward(case), grads,
                                                strict=True))


@pytest.mark.parametrize("part,index", [
    (part, index) for part, table in (("forward", FORWARD_MISTAKES),
                                      ("backward", BACKWARD_MISTAKES))
    for index in range(len(table))])
def test_each_simulated_mistake_is_named_by_its_own_message(capsys, part, index):
    if part == "forward":
        mistake = FORWARD_MISTAKES[index]
        check, functions = FORWARD, (_simulated_forward(mistake.switches),)
    else:
        mistake = BACKWARD_MISTAKES[index]
        check = BACKWARD
        functions = (_simulated_forward({}), _simulated_backward(mistake.switches))
    result, printed = run_check(capsys, check, *functions)
    assert result is False and f"Most likely {' '.join(mistake.message.split())}" in printed


# ---------------------------------------------------------------- safety and speed

GOOD = [additive_attention_forward, additive_attention_backward]
ATTENTION_CHECKS = {  # name: (check, the good functions it takes, which one is replaced)
    "forward": (FORWARD, GOOD[:1], 0),
    "backward, bad forward": (BACKWARD, GOOD, 0),
    "backward, bad backward": (BACKWARD, GOOD, 1),
}


@pytest.mark.parametrize("check_name", ATTENTION_CHECKS)
@pytest.mark.parametrize("pathology", PATHOLOGICAL)
def test_checks_survive_pathological_functions(capsys, check_name, pathology):
    refuse_pathology(capsys, *ATTENTION_CHECKS[check_name], pathology)


@pytest.mark.parametrize("check,functions", [
    (FORWARD, (answers.WRONG_FORWARD["zeroed after the softmax"][0],)),
    (BACKWARD, (answers.additive_attention_forward,
                answers.WRONG_BACKWARD["no score path"][0])),
    (BACKWARD, (_forward_without_v, answers.WRONG_BACKWARD["no direct path"][0])),
])
def test_a_check_with_its_diagnosis_calls_the_functions_a_bounded_number_of_times(
        capsys, check, functions):
    assert calls_of_check(check, *functions) <= CALL_BUDGET
    capsys.readouterr()
