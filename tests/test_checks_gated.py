"""The LSTM and GRU step checks accept right answers written any way, name each typical mistake,
and never raise.

The answers, written the way students write them (not with the checks' own simulations), are
in tests/lstm_answers.py and tests/gru_answers.py, each wrong one with words its check's
feedback must contain. The checks' own simulations are tested too: right by default, and
every simulated mistake, handed to its check, is named by its own message.
"""

from __future__ import annotations

import pytest

from course_rnn.checks import (
    check_gru_step_backward,
    check_gru_step_forward,
    check_lstm_step_backward,
    check_lstm_step_forward,
)
from course_rnn.checks.cell_cases import CellCase, backward_cases, forward_cases
from course_rnn.checks.gated_checks import GRU, LSTM
from course_rnn.checks.outputs import close
from course_rnn.numpy import (
    gru_step_backward,
    gru_step_forward,
    lstm_step_backward,
    lstm_step_forward,
)
from tests import gru_answers as gru
from tests import lstm_answers as lstm
from tests.call_count import CALL_BUDGET, calls_of_check
from tests.test_checks_rnn import assert_verdict, run_check, verdict_params
from tests.test_checks_safety import PATHOLOGICAL, refuse_pathology

RIGHT = [  # (check, the right functions it also takes, right answers written differently)
    (check_lstm_step_forward, (),
     [lstm.lstm_step_forward, lstm.forward_namedtuple_slices, lstm.forward_loops,
      lstm.forward_einsum_float32, lstm.forward_columns, lstm_step_forward]),
    (check_lstm_step_backward, (lstm.lstm_step_forward,), [lstm.lstm_step_backward]),
    (check_lstm_step_backward, (lstm_step_forward,), [lstm_step_backward]),
    (check_lstm_step_backward, (lstm.forward_namedtuple_slices,), [lstm.backward_namedtuple]),
    (check_lstm_step_backward, (lstm.forward_loops,), [lstm.backward_recomputed]),
    (check_gru_step_forward, (),
     [gru.gru_step_forward, gru.forward_namedtuple, gru.forward_loops_float32,
      gru_step_forward]),
    (check_gru_step_backward, (gru.gru_step_forward,), [gru.gru_step_backward]),
    (check_gru_step_backward, (gru_step_forward,), [gru_step_backward]),
    (check_gru_step_backward, (gru.forward_namedtuple,), [gru.backward_namedtuple]),
    (check_gru_step_backward, (gru.forward_loops_float32,), [gru.backward_recomputed_float32]),
]

MISTAKES = [  # (check, the right functions it also takes, {name: (wrong function, hint)})
    (check_lstm_step_forward, (), lstm.WRONG_FORWARD),
    (check_lstm_step_backward, (lstm.lstm_step_forward,), lstm.WRONG_BACKWARD),
    (check_gru_step_forward, (), gru.WRONG_FORWARD),
    (check_gru_step_backward, (gru.gru_step_forward,), gru.WRONG_BACKWARD),
    (check_gru_step_backward, (gru.forward_without_gh_n,), {
        "reset before W_hn (Cho) in the backward": (gru._cho_backward,
                                                    "applied before W_hn (Cho et al.'s form")}),
    (check_gru_step_backward, (gru.forward_storing_hW_n,), {
        "gh_n without b_hn": (gru.gru_step_backward, "da_r uses h_prev W_hn^T without b_hn")}),
]


@pytest.mark.parametrize("check,functions,passes,words", verdict_params(RIGHT, MISTAKES))
def test_right_answers_pass_and_each_mistake_gets_its_hint(capsys, check, functions, passes,
                                                           words):
    assert_verdict(capsys, check, functions, passes, words)


def test_at_least_ten_mistakes_per_function_are_named():
    counts = {}
    for check, _, table in MISTAKES:
        counts[check.__name__] = counts.get(check.__name__, 0) + len(table)
    assert len(counts) == 4 and min(counts.values()) >= 10, counts


def test_float32_is_accepted_and_said(capsys):
    _, printed = run_check(capsys, check_lstm_step_forward, lstm.forward_einsum_float32)
    assert "Your result is float32: the exercises accept that" in printed


@pytest.mark.parametrize("check,forward,backward,cause", [
    (check_gru_step_backward, gru._cho, gru._cho_backward, ""),
    (check_lstm_step_backward, lstm.WRONG_FORWARD["no b_hh"][0], lstm.lstm_step_backward,
     " Your forward does not use b_hh at all"),
    (check_gru_step_backward, gru.WRONG_FORWARD["no b_hh"][0], gru.gru_step_backward,
     " Your forward does not use b_hh at all"),
])
def test_a_wrong_forward_is_blamed_and_its_consistent_backward_told_so(capsys, check, forward,
                                                                       backward, cause):
    result, printed = run_check(capsys, check, forward, backward)
    assert result is False and "_step_forward is wrong, so its gradients cannot" in printed
    assert "does match numerical gradients of your own forward" in printed
    assert cause in printed and "disagrees" not in printed


def test_a_backward_that_disagrees_with_its_own_wrong_forward_is_told_so(capsys):
    result, printed = run_check(capsys, check_lstm_step_backward,
                                lstm.WRONG_FORWARD["o * c"][0],
                                lstm.WRONG_BACKWARD["db_hh zero"][0])
    assert result is False and "your lstm_step_forward is wrong" in printed
    assert "(it disagrees in" not in printed and "disagrees with numerical" in printed
    assert "db_hh" in printed


def test_probes_name_the_term_a_function_gets_wrong(capsys):
    def ignores_c_prev_in_h(x, h, c, *weights):  # wrong only where c_prev is not zero
        h_next, c_next, cache = lstm.lstm_step_forward(x, h, c, *weights)
        return h_next + 0.1 * c ** 2, c_next, cache

    _, printed = run_check(capsys, check_lstm_step_forward, ignores_c_prev_in_h)
    assert "Your outputs are right whenever c_prev = 0 and wrong otherwise" in printed
    _, printed = run_check(capsys, check_lstm_step_backward, lstm.lstm_step_forward,
                           lstm.WRONG_BACKWARD["dc_next not added"][0])
    assert "right when dc_next = 0 and wrong otherwise" in printed


# ---------------------------------------------------------------- the checks' own simulations

CELLS = {"lstm": LSTM, "gru": GRU}


def _as_case(cell, values, upstream=()) -> CellCase:
    names = ("x", *(f"{s}_prev" for s in cell.states), "W_ih", "W_hh", "b_ih", "b_hh")
    return CellCase("student", tuple(zip(names, values)),
                    tuple(zip((f"d{s}_next" for s in cell.states), upstream)), frozenset())


def _simulated_forward(cell, switches):
    """A student's forward that computes the simulation of a mistake; its cache is the case."""
    def forward(*values):
        case = _as_case(cell, values)
        return (*cell.simulate_forward(case, **switches), case)
    return forward


def _simulated_backward(cell, switches):
    def backward(*values):
        *upstream, case = values
        return cell.simulate_backward(_as_case(cell, [v for _, v in case.args], upstream),
                                      **switches)
    return backward


@pytest.mark.parametrize("name", CELLS)
def test_simulations_are_right_by_default(name):
    cell = CELLS[name]
    for case in forward_cases(cell.states, cell.gates) + backward_cases(cell.states, cell.gates):
        outputs, grads = cell.reference(case)
        assert all(close(s, r) for s, r in zip(cell.simulate_forward(case), outputs,
                                                strict=True))
        assert all(close(s, r) for s, r in zip(cell.simulate_backward(case), grads, strict=True))


@pytest.mark.parametrize("name,part,index", [
    (name, part, index) for name, cell in CELLS.items()
    for part, table in (("forward", cell.forward_mistakes), ("backward", cell.backward_mistakes))
    for index in range(len(table))])
def test_each_simulated_mistake_is_named_by_its_own_message(capsys, name, part, index):
    cell = CELLS[name]
    if part == "forward":
        mistake = cell.forward_mistakes[index]
        check = {"lstm": check_lstm_step_forward, "gru": check_gru_step_forward}[name]
        functions = (_simulated_forward(cell, mistake.switches),)
    else:
        mistake = cell.backward_mistakes[index]
        check = {"lstm": check_lstm_step_backward, "gru": check_gru_step_backward}[name]
        functions = (_simulated_forward(cell, {}), _simulated_backward(cell, mistake.switches))
    result, printed = run_check(capsys, check, *functions)
    assert result is False and f"Most likely {' '.join(mistake.message.split())}" in printed


# ---------------------------------------------------------------- safety and speed

GATED_CHECKS = {  # name: (check, the good functions it takes, which one is replaced)
    "lstm forward": (check_lstm_step_forward, [lstm_step_forward], 0),
    "lstm backward, bad forward": (check_lstm_step_backward,
                                   [lstm_step_forward, lstm_step_backward], 0),
    "lstm backward, bad backward": (check_lstm_step_backward,
                                    [lstm_step_forward, lstm_step_backward], 1),
    "gru forward": (check_gru_step_forward, [gru_step_forward], 0),
    "gru backward, bad forward": (check_gru_step_backward, [gru_step_forward, gru_step_backward],
                                  0),
    "gru backward, bad backward": (check_gru_step_backward,
                                   [gru_step_forward, gru_step_backward], 1),
}


@pytest.mark.parametrize("check_name", GATED_CHECKS)
@pytest.mark.parametrize("pathology", PATHOLOGICAL)
def test_checks_survive_pathological_functions(capsys, check_name, pathology):
    refuse_pathology(capsys, *GATED_CHECKS[check_name], pathology)


@pytest.mark.parametrize("check,functions", [
    (check_lstm_step_forward, (lstm.WRONG_FORWARD["gate order i, f, o, g"][0],)),
    (check_lstm_step_backward, (lstm.lstm_step_forward, lstm.WRONG_BACKWARD["1 - c**2"][0])),
    (check_gru_step_backward, (gru.gru_step_forward, gru.WRONG_BACKWARD["no direct path"][0])),
    (check_gru_step_backward, (gru._cho, gru._cho_backward)),
])
def test_a_check_with_its_diagnosis_calls_the_functions_a_bounded_number_of_times(
        capsys, check, functions):
    assert calls_of_check(check, *functions) <= CALL_BUDGET
    capsys.readouterr()
