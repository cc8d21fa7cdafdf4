"""The checks of the counting exercises (01, 02) and of exercise 04's three-step gradients
accept right answers written any way and reject typical mistakes with their specific hint.

Each wrong function is written as a student would write it, not with the checks' simulations.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_rnn.checks import (
    check_rnn_param_count,
    check_shared_param_count,
    check_three_step_gradients,
    check_unshared_param_count,
)


def run_check(capsys, check, fn):
    """(whether it passed, printed text with whitespace collapsed)."""
    verdict = check(fn)
    printed = " ".join(capsys.readouterr().out.split())
    assert "bug in course_rnn" not in printed
    return verdict.passed, printed


# ---------------------------------------------------------------- exercise 01

def count_by_shapes(D, H):
    shapes = [(H, D), (H, H), (H,), (H,)]
    return sum(int(np.prod(shape)) for shape in shapes)


RIGHT = {
    check_rnn_param_count: [lambda D, H: H * (D + H + 2), count_by_shapes,
                            lambda D, H: float(H * D + H * H + 2 * H)],
    check_shared_param_count: [lambda D, H, K: H * (D + H + 1) + K * (H + 1),
                               lambda D, H, K: np.int64(H * D + H * H + H + K * H + K)],
    check_unshared_param_count: [
        lambda T, D, H, K: T * (H * D + H + K * H + K) + (T - 1) * H * H,
        lambda T, D, H, K: sum(H * D + H + K * H + K + (H * H if t else 0) for t in range(T))],
}


@pytest.mark.parametrize("check,fn", [(check, fn) for check, fns in RIGHT.items()
                                      for fn in fns])
def test_counts_written_any_way_pass(capsys, check, fn):
    passed, printed = run_check(capsys, check, fn)
    assert passed and printed.startswith("✓"), printed


WRONG = {
    check_rnn_param_count: {
        "one bias": (lambda D, H: H * D + H * H + H, "only one bias vector"),
        "no biases": (lambda D, H: H * D + H * H, "the biases are missing"),
        "no W_hh": (lambda D, H: H * D + 2 * H, "weight_hh, (H, H), is missing"),
        "W_ih square": (lambda D, H: D * D + H * H + 2 * H, "weight_ih is counted as (D, D)"),
        "W_hh as (H, D)": (lambda D, H: 2 * H * D + 2 * H, "weight_hh is counted as (H, D)"),
        "returns a string": (lambda D, H: f"{H * (D + H + 2)}", "should return a whole number"),
    },
    check_shared_param_count: {
        "no biases": (lambda D, H, K: H * D + H * H + K * H, "biases b (H,) and c (K,)"),
        "no c": (lambda D, H, K: H * D + H * H + H + K * H, "output bias c"),
        "no W": (lambda D, H, K: H * D + H + K * H + K, "recurrent matrix W"),
        "no output layer": (lambda D, H, K: H * D + H * H + H, "output layer V"),
        "U square": (lambda D, H, K: D * D + H * H + H + K * H + K, "U is counted as (D, D)"),
        "a fraction": (lambda D, H, K: (H * D + H * H + H + K * H + K) / 2, "not a whole"),
    },
    check_unshared_param_count: {
        "W_0 counted": (lambda T, D, H, K: T * (H * D + H * H + H + K * H + K), "W_0"),
        "shared count": (lambda T, D, H, K: H * D + H * H + H + K * H + K, "does not grow"),
        "no W_t": (lambda T, D, H, K: T * (H * D + H + K * H + K), "W_t, (H, H)"),
        "T - 1 of all": (lambda T, D, H, K: (T - 1) * (H * D + H * H + H + K * H + K),
                         "T - 1 copies of everything"),
        "no biases": (lambda T, D, H, K: T * (H * D + K * H) + (T - 1) * H * H,
                      "biases b_t (H,) and c_t (K,)"),
        "no outputs": (lambda T, D, H, K: T * (H * D + H) + (T - 1) * H * H,
                       "output layers V_t"),
    },
}


@pytest.mark.parametrize("check,fn,hint", [
    pytest.param(check, fn, hint, id=f"{check.__name__}: {name}")
    for check, table in WRONG.items() for name, (fn, hint) in table.items()])
def test_count_checks_name_the_typical_mistake(capsys, check, fn, hint):
    passed, printed = run_check(capsys, check, fn)
    assert not passed and printed.startswith("✗"), printed
    assert hint in printed, printed


def test_a_count_that_is_off_without_a_pattern_says_by_how_much(capsys):
    passed, printed = run_check(capsys, check_rnn_param_count, lambda D, H: H * (D + H + 2) + 3)
    assert not passed and "returned 643; the right count is 640 (too high by 3)" in printed
    assert "Most likely" not in printed


# ---------------------------------------------------------------- exercise 04

def three_steps(x, h, g, W, *, only_last=False, W_T=True, slope_on_carry=True):
    """A student's derivation, written out, with one slip switched on."""
    if only_last:
        g = np.stack([np.zeros_like(g[0]), np.zeros_like(g[1]), g[2]])
    back = W.T if W_T else W
    delta2 = (1 - h[2] ** 2) * g[2]
    if slope_on_carry:
        delta1 = (1 - h[1] ** 2) * (g[1] + back @ delta2)
        delta0 = (1 - h[0] ** 2) * (g[0] + back @ delta1)
    else:
        delta1 = (1 - h[1] ** 2) * g[1] + back @ delta2
        delta0 = (1 - h[0] ** 2) * g[0] + back @ delta1
    dU = np.outer(delta2, x[2]) + np.outer(delta1, x[1]) + np.outer(delta0, x[0])
    dW = np.outer(delta2, h[1]) + np.outer(delta1, h[0])
    return dU, dW, delta2 + delta1 + delta0


def three_steps_in_a_loop(x, h, g, W):
    deltas, carried = np.zeros_like(h), np.zeros(h.shape[1])
    for t in (2, 1, 0):
        deltas[t] = (1 - h[t] ** 2) * (g[t] + carried)
        carried = W.T @ deltas[t]
    h_before = np.vstack([np.zeros(h.shape[1]), h[:-1]])
    return deltas.T @ x, deltas.T @ h_before, deltas.sum(axis=0).astype(np.float32)


@pytest.mark.parametrize("fn", [three_steps, three_steps_in_a_loop])
def test_three_step_gradients_written_any_way_pass(capsys, fn):
    passed, printed = run_check(capsys, check_three_step_gradients, fn)
    assert passed and printed.startswith("✓ three_step_gradients: dU, dW and db agree")


@pytest.mark.parametrize("switches,hint", [
    ({"only_last": True}, "only the last step's loss is used"),
    ({"W_T": False}, "uses W where it needs W^T"),
    ({"slope_on_carry": False}, "tanh slope is missing on the carried part"),
])
def test_three_step_check_names_the_slip(capsys, switches, hint):
    passed, printed = run_check(capsys, check_three_step_gradients,
                                lambda x, h, g, W: three_steps(x, h, g, W, **switches))
    assert not passed and hint in printed, printed


def test_three_step_check_reports_a_wrong_shape(capsys):
    passed, printed = run_check(capsys, check_three_step_gradients,
                                lambda x, h, g, W: (*three_steps(x, h, g, W)[:2], np.zeros(1)))
    assert not passed and "db has shape (1,), expected (2,)" in printed
