"""The character-model checks accept right answers written any way and name typical mistakes.

The answers, written the way students write them (not with the checks' own simulations), are
in tests/char_answers_output.py and tests/char_answers_training.py, each wrong one with words
its check's feedback must contain.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_rnn.checks import (
    check_clip_gradients,
    check_gradient_check,
    check_loss_and_gradients,
    check_output_backward,
    check_output_forward,
    check_softmax_cross_entropy,
    check_train_one_pass,
    progress,
)
from course_rnn.checks import output_mistakes as out
from course_rnn.checks.clip_checks import CLIP_MISTAKES, clip_cases, mistaken_clip
from course_rnn.checks.outputs import close
from course_rnn.checks.results import reset
from course_rnn.checks.training_checks import CHUNK_MISTAKES, PASS_MISTAKES
from course_rnn.checks.training_mistakes import (
    chunk_cases,
    mistaken_chunk,
    mistaken_pass,
    pass_cases,
)
from course_rnn.numpy.losses import softmax_cross_entropy
from tests import char_answers_output as out_answers
from tests import char_answers_training as train_answers
from tests.test_checks_rnn import assert_verdict, run_check, verdict_params
from tests.test_checks_safety import (
    assert_refused_safely,
    loops_forever,
    not_implemented,
    raises,
)

# ---------------------------------------------------------------- every check, every answer

RIGHT = [  # (check, the right functions it also takes, right answers written differently)
    (check_output_forward, (),
     [out_answers.output_forward, out_answers.output_einsum, out_answers.output_steps,
      out_answers.output_float32]),
    (check_output_backward, (out_answers.output_forward,),
     [out_answers.output_backward, out_answers.backward_einsum, out_answers.backward_loop]),
    (check_softmax_cross_entropy, (),
     [out_answers.cross_entropy, out_answers.cross_entropy_take, out_answers.cross_entropy_loops,
      out_answers.cross_entropy_float32, softmax_cross_entropy]),
    (check_gradient_check, (),
     [out_answers.gradient_check, out_answers.gradient_check_in_place,
      out_answers.gradient_check_elementwise]),
    (check_clip_gradients, (),
     [train_answers.clip_gradients, train_answers.clip_concatenated, train_answers.clip_package]),
    (check_loss_and_gradients, (),
     [train_answers.loss_and_gradients, train_answers.chunk_targets_transposed]),
    (check_train_one_pass, (), [train_answers.train_one_pass, train_answers.train_split]),
]

MISTAKES = [  # (check, the right functions it also takes, {name: (wrong function, hint)})
    (check_output_forward, (), out_answers.WRONG_OUTPUT_FORWARD),
    (check_output_backward, (out_answers.output_forward,), out_answers.WRONG_OUTPUT_BACKWARD),
    (check_softmax_cross_entropy, (), out_answers.WRONG_LOSS),
    (check_gradient_check, (), out_answers.WRONG_GRADIENT_CHECK),
    (check_clip_gradients, (), train_answers.WRONG_CLIP),
    (check_loss_and_gradients, (), train_answers.WRONG_CHUNK),
    (check_train_one_pass, (), train_answers.WRONG_PASS),
]

VERDICTS = verdict_params(RIGHT, MISTAKES)


@pytest.mark.parametrize("check,functions,passes,words", VERDICTS)
def test_right_answers_pass_and_each_mistake_gets_its_hint(capsys, check, functions, passes,
                                                           words):
    assert_verdict(capsys, check, functions, passes, words)


def test_at_least_six_mistakes_per_check():
    assert all(len(table) >= 6 for _, _, table in MISTAKES)


def test_a_wrong_output_forward_is_blamed_not_its_consistent_backward(capsys):
    def forward_without_c(h, V, c):
        return out_answers.output_forward(h, V, 0 * c)

    consistent = out_answers.wrong_backward(dc=lambda dz, h, V: np.zeros(len(V)))
    result, printed = run_check(capsys, check_output_backward, forward_without_c, consistent)
    assert result is False and "your output_forward is wrong" in printed
    assert "does match numerical gradients of your own forward" in printed
    _, printed = run_check(capsys, check_output_backward, forward_without_c,
                           out_answers.output_backward)
    # the right backward of the right forward: the forward ignores c, so dc is not compared
    assert "does match numerical gradients of your own forward" in printed
    assert "Your forward does not use c at all" in printed and "disagrees" not in printed


# ---------------------------------------------------------------- the checks' own simulations

SIMULATIONS = [  # (cases, the right outputs of a case, simulate, its typical mistakes)
    (out.output_cases, lambda case: case.reference()[:1], out.mistaken_output_forward,
     out.OUTPUT_FORWARD_MISTAKES),
    (lambda: out.output_cases()[:4], lambda case: case.reference()[1],
     out.mistaken_output_backward, out.OUTPUT_BACKWARD_MISTAKES),
    (out.loss_cases, lambda case: case.reference(), out.mistaken_loss, out.LOSS_MISTAKES),
    (clip_cases, lambda case: case.reference(), mistaken_clip, CLIP_MISTAKES),
    (chunk_cases, lambda case: case.reference(), mistaken_chunk, CHUNK_MISTAKES),
    (pass_cases, lambda case: case.reference(), mistaken_pass, PASS_MISTAKES),
]


@pytest.mark.parametrize("cases,reference,simulate,mistakes", SIMULATIONS,
                         ids=[simulate.__name__ for _, _, simulate, _ in SIMULATIONS])
def test_simulations_are_right_by_default_and_each_mistake_shows(cases, reference, simulate,
                                                                 mistakes):
    cases = cases()
    for case in cases:
        assert all(close(s, r) for s, r in zip(simulate(case), reference(case), strict=True))
    for mistake in mistakes:  # else a right answer could be blamed on it
        differs = []
        for case in cases:
            try:
                differs.append(not all(close(s, r) for s, r in zip(
                    simulate(case, **mistake.switches), reference(case))))
            except ValueError:
                continue
        assert any(differs), mistake.message


# ---------------------------------------------------------------- safety and progress

PATHOLOGICAL = {
    "raises": (raises, "raised KeyError: 'missing key' (line"),
    "not implemented": (not_implemented, "not written yet"),
    "infinite loop": (loops_forever, "did not finish within 0.2 s"),
    "returns None": (lambda *args: None, "returned None"),
}


@pytest.mark.parametrize("pathology", PATHOLOGICAL)
@pytest.mark.parametrize("check,right", [(check, right) for check, right, _ in MISTAKES],
                         ids=[check.__name__ for check, _, _ in MISTAKES])
def test_checks_survive_pathological_functions(capsys, check, right, pathology):
    bad, expected = PATHOLOGICAL[pathology]
    assert_refused_safely(capsys, check(*right, bad, time_limit=0.2), pathology, expected)


def test_the_backward_check_waits_for_a_stub_output_forward(capsys):
    result, printed = run_check(capsys, check_output_backward, not_implemented,
                                out_answers.output_backward)
    assert result is False
    assert printed == "○ output_backward: waiting for output_forward, not written yet."


def test_progress_lists_the_char_model_checks(capsys):
    reset()
    check_clip_gradients(train_answers.clip_gradients)
    rows = [row for row in progress("05_char_model") if row.kind == "check"]
    assert [row.name for row in rows] == [
        "output_forward", "output_backward", "softmax_cross_entropy", "gradient_check",
        "clip_gradients", "loss_and_gradients", "train_one_pass"]
    assert [row.passed for row in rows] == [None] * 4 + [True, None, None]
    reset()


def _in_float32(fn):
    """fn computed in float32: every array argument converted, every array result too."""
    def single(*args):
        args = [a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype.kind == "f"
                else a for a in args]
        result = fn(*args)
        return tuple(r.astype(np.float32) if isinstance(r, np.ndarray) else r for r in result)
    return single


@pytest.mark.parametrize("check,functions", [
    (check_output_forward, (out_answers.output_forward,)),
    (check_output_backward, (out_answers.output_forward, out_answers.output_backward)),
    (check_softmax_cross_entropy, (softmax_cross_entropy,)),
])
def test_float32_results_pass_and_the_pass_line_says_so(capsys, check, functions):
    passed, printed = run_check(capsys, check, *map(_in_float32, functions))
    assert passed and "Your result is float32: the exercises accept that" in printed, printed
    passed, printed = run_check(capsys, check, *functions)
    assert passed and "float32" not in printed, printed
