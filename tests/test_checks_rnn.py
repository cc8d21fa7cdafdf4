"""The RNN checks accept right answers written any way and reject typical mistakes with a hint.

Each wrong implementation below is written the way a student would write it (not with the
checks' own simulations of mistakes), together with a word its feedback must contain.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from course_rnn.checks import (
    check_rnn_backward,
    check_rnn_forward,
    check_rnn_step_backward,
    check_rnn_step_forward,
)
from course_rnn.numpy import rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward


def run_check(capsys, check, *functions):
    """(whether it passed, printed text with whitespace collapsed)."""
    verdict = check(*functions)
    printed = " ".join(capsys.readouterr().out.split())
    assert "bug in course_rnn" not in printed
    return verdict.passed, printed


def verdict_params(right, mistakes) -> list:
    """pytest params (check, its arguments, whether it must pass, words its feedback must
    contain) from a table of right answers, (check, the right functions it also takes, right
    answers written differently), and one of mistakes, (check, those functions, {name: (wrong
    function, hint)})."""
    return [
        *[pytest.param(check, (*fixed, fn), True, "", id=f"{check.__name__}: {fn.__name__}")
          for check, fixed, answers in right for fn in answers],
        *[pytest.param(check, (*fixed, wrong), False, hint, id=f"{check.__name__}: {name}")
          for check, fixed, table in mistakes for name, (wrong, hint) in table.items()],
    ]


def assert_verdict(capsys, check, functions, passes: bool, words: str) -> None:
    """The check passes or fails as it must, and its feedback contains ``words``."""
    result, printed = run_check(capsys, check, *functions)
    mark = "✓" if passes else "✗"
    assert result is passes, printed
    assert printed.startswith(f"{mark} {check.__name__.removeprefix('check_')}:")
    assert words in printed, printed


# ---------------------------------------------------------------- step forward

def step(x, h, W_ih, W_hh, b_ih, b_hh, f=np.tanh):
    return f(x @ W_ih.T + h @ W_hh.T + b_ih + b_hh), {"x": x, "h": h}


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def step_einsum(x, h, W_ih, W_hh, b_ih, b_hh):
    return np.tanh(np.einsum("nd,hd->nh", x, W_ih) + np.einsum("nk,hk->nh", h, W_hh)
                   + b_ih + b_hh), ("any", "cache")


def step_loops(x, h, W_ih, W_hh, b_ih, b_hh):
    out = np.zeros((x.shape[0], W_hh.shape[0]))
    for n in range(x.shape[0]):
        for j in range(W_hh.shape[0]):
            out[n, j] = np.tanh(W_ih[j] @ x[n] + W_hh[j] @ h[n] + b_ih[j] + b_hh[j])
    return out, None


def step_float32(x, h, W_ih, W_hh, b_ih, b_hh):
    x, h, W_ih, W_hh, b_ih, b_hh = (a.astype(np.float32) for a in (x, h, W_ih, W_hh, b_ih, b_hh))
    return step(x, h, W_ih, W_hh, b_ih, b_hh)


def step_columns(x, h, W_ih, W_hh, b_ih, b_hh):
    # the column-vector formula of the text, one column per example
    return np.tanh(W_ih @ x.T + W_hh @ h.T + (b_ih + b_hh)[:, None]).T, []


@pytest.mark.parametrize("fn", [step, step_einsum, step_loops, step_float32, step_columns,
                                rnn_step_forward])
def test_step_forward_accepts_correct_implementations(capsys, fn):
    result, printed = run_check(capsys, check_rnn_step_forward, fn)
    assert result is True and printed.startswith("✓ rnn_step_forward: correct on")
    # one tolerance policy, said where it matters: in the pass line of a float32 result
    assert ("Your result is float32: the exercises accept that" in printed) == \
        (fn is step_float32)


WRONG_STEP_FORWARD = {
    "ignores h_prev": (lambda x, h, Wi, Wh, bi, bh: step(x, 0 * h, Wi, Wh, bi, bh),
                       "recurrent term is missing"),
    "W_hh untransposed": (lambda x, h, Wi, Wh, bi, bh: step(x, h, Wi, Wh.T, bi, bh), "W_hh.T"),
    "W_ih untransposed": (lambda x, h, Wi, Wh, bi, bh: (np.tanh(x @ Wi + h @ Wh.T), None),
                          "transposing"),
    "no b_ih": (lambda x, h, Wi, Wh, bi, bh: step(x, h, Wi, Wh, 0, bh), "b_ih is missing"),
    "no b_hh": (lambda x, h, Wi, Wh, bi, bh: step(x, h, Wi, Wh, bi, 0), "b_hh is missing"),
    "sigmoid": (lambda *a: step(*a, f=sigmoid), "sigmoid"),
    "relu": (lambda *a: step(*a, f=lambda v: np.maximum(v, 0)), "relu"),
    "no nonlinearity": (lambda *a: step(*a, f=lambda v: v), "no nonlinearity"),
    "bias after tanh": (lambda x, h, Wi, Wh, bi, bh: (step(x, h, Wi, Wh, 0, 0)[0] + bi + bh, 0),
                        "after the tanh"),
    "tanh per term": (lambda x, h, Wi, Wh, bi, bh: (np.tanh(x @ Wi.T) + np.tanh(h @ Wh.T)
                                                    + np.tanh(bi + bh), 0), "separately"),
    "first example only": (lambda x, h, Wi, Wh, bi, bh: (
        np.repeat(step(x[:1], h[:1], Wi, Wh, bi, bh)[0], len(x), axis=0), 0), "batch of one"),
    "squeezes the batch": (lambda *a: (np.squeeze(step(*a)[0]), 0), "batch axis is missing"),
    "tanh on the input term": (lambda x, h, Wi, Wh, bi, bh: (
        np.tanh(x @ Wi.T) + h @ Wh.T + bi + bh, None), "tanh wraps the input term only"),
    "tanh on the input term and b_ih": (lambda x, h, Wi, Wh, bi, bh: (
        np.tanh(x @ Wi.T + bi) + h @ Wh.T + bh, None), "tanh wraps the input term and b_ih"),
}


def test_step_forward_names_the_ablation_that_passes(capsys):
    _, printed = run_check(capsys, check_rnn_step_forward, WRONG_STEP_FORWARD["no b_hh"][0])
    assert "matches whenever b_hh = 0" in printed
    assert re.search(r"off by up to [0-9.]+ at \[\d+, \d+\]", printed)


# ---------------------------------------------------------------- sequence forward

def forward_steps(x, h_init, W_ih, W_hh, b_ih, b_hh):
    states, h = [], h_init
    for x_t in x:
        h, _ = step(x_t, h, W_ih, W_hh, b_ih, b_hh)
        states.append(h)
    return np.stack(states), {"states": states}


def forward_float32_einsum(x, h_init, W_ih, W_hh, b_ih, b_hh):
    x, h = x.astype(np.float32), h_init.astype(np.float32)
    h_all = np.empty((len(x),) + h_init.shape, np.float32)
    for t in range(len(x)):
        h = np.tanh(np.einsum("nd,hd->nh", x[t], W_ih.astype(np.float32))
                    + np.einsum("nk,hk->nh", h, W_hh.astype(np.float32)) + b_ih + b_hh)
        h_all[t] = h
    return h_all, None


@pytest.mark.parametrize("fn", [forward_steps, forward_float32_einsum, rnn_forward])
def test_forward_accepts_correct_implementations(capsys, fn):
    result, printed = run_check(capsys, check_rnn_forward, fn)
    assert result is True and printed.startswith("✓ rnn_forward: correct on")


def forward_with(step_fn=step, carry=True, start=None, order=None, shift=False):
    """A student's loop over time with one mistake switched on."""
    def forward(x, h_init, W_ih, W_hh, b_ih, b_hh):
        h_all = np.zeros((len(x),) + h_init.shape)
        h = h_init if start is None else start(h_init)
        for t in order(len(x)) if order else range(len(x)):
            h_t, _ = step_fn(x[t], h, W_ih, W_hh, b_ih, b_hh)
            h_all[t] = h_t
            h = h_t if carry else h
        return (np.concatenate([h_init[None], h_all[:-1]]) if shift else h_all), None
    return forward


def forward_reads_h_minus_one(x, h_init, W_ih, W_hh, b_ih, b_hh):
    h = np.zeros((len(x),) + h_init.shape)
    for t in range(len(x)):
        h[t] = np.tanh(x[t] @ W_ih.T + h[t - 1] @ W_hh.T + b_ih + b_hh)
    return h, None


WRONG_FORWARD = {
    "state not carried": (forward_with(carry=False), "not carried"),
    "h_init ignored": (forward_with(start=np.zeros_like), "h_init is ignored"),
    "h[t - 1] at t = 0": (forward_reads_h_minus_one, "h[-1]"),
    "time reversed": (forward_with(order=lambda T: reversed(range(T))), "backwards"),
    "shifted states": (forward_with(shift=True), "shifted by one"),
    "final state only": (lambda *a: (forward_steps(*a)[0][-1], None), "that is one state"),
    "W_hh untransposed": (forward_with(WRONG_STEP_FORWARD["W_hh untransposed"][0]), "W_hh.T"),
    "no biases": (forward_with(lambda x, h, Wi, Wh, bi, bh: step(x, h, Wi, Wh, 0, 0)),
                  "biases b_ih and b_hh are missing"),
    "batch of one": (forward_with(WRONG_STEP_FORWARD["first example only"][0]),
                     "batch of one"),
}


# ---------------------------------------------------------------- step backward

def step_forward_cache(x, h, W_ih, W_hh, b_ih, b_hh):
    h_next = np.tanh(x @ W_ih.T + h @ W_hh.T + b_ih + b_hh)
    return h_next, (x, h, h_next, W_ih, W_hh, b_ih, b_hh)


def step_backward(dh_next, cache, derivative=lambda c: 1 - c[2] ** 2, dx=lambda da, W: da @ W,
                  dh_prev=lambda da, W: da @ W, dW_hh=lambda da, c: da.T @ c[1],
                  db=lambda da: da.sum(axis=0), db_hh=True):
    x, h, h_next, W_ih, W_hh, *_ = cache
    da = dh_next * derivative(cache)
    bias = db(da)
    return (dx(da, W_ih), dh_prev(da, W_hh), da.T @ x, dW_hh(da, cache), bias,
            bias if db_hh else np.zeros_like(bias))


def step_backward_loops(dh_next, cache):
    x, h, h_next, W_ih, W_hh, *_ = cache
    grads = [np.zeros_like(a) for a in (x, h, W_ih, W_hh)] + [np.zeros(len(W_hh))] * 2
    for n in range(len(x)):
        da = dh_next[n] * (1 - h_next[n] ** 2)
        grads[0][n], grads[1][n] = W_ih.T @ da, W_hh.T @ da
        grads[2] += np.outer(da, x[n])
        grads[3] += np.outer(da, h[n])
        grads[4] = grads[4] + da
    return (*grads[:5], grads[4].astype(np.float32))


@pytest.mark.parametrize("forward,backward", [
    (step_forward_cache, step_backward), (step_forward_cache, step_backward_loops),
    (rnn_step_forward, rnn_step_backward), (step_float32, rnn_step_backward),
])
def test_step_backward_accepts_correct_implementations(capsys, forward, backward):
    if forward is step_float32:  # float32 forward, package backward: wrap the cache
        def forward(*args):
            h, _ = step_float32(*args)
            return h, rnn_step_forward(*args)[1]
    result, printed = run_check(capsys, check_rnn_step_backward, forward, backward)
    assert result is True and printed.startswith("✓ rnn_step_backward: all six"), printed


def wrong_step_backward(**mistake):
    return lambda dh, cache: step_backward(dh, cache, **mistake)


WRONG_STEP_BACKWARD = {
    "1 - h": (wrong_step_backward(derivative=lambda c: 1 - c[2]), "you use 1 - h where"),
    "1 - a**2": (wrong_step_backward(derivative=lambda c: 1 - np.arctanh(c[2]) ** 2),
                 "1 - a**2"),
    "no derivative": (wrong_step_backward(derivative=lambda c: 1), "derivative is missing"),
    "dx with W_ih.T": (wrong_step_backward(dx=lambda da, W: da @ W.T), "transposing"),
    "dh_prev with W_hh.T": (wrong_step_backward(dh_prev=lambda da, W: da @ W.T),
                            "dh_prev uses W_hh.T"),
    "dW_hh transposed": (wrong_step_backward(dW_hh=lambda da, c: c[1].T @ da),
                         "dW_hh is transposed"),
    "dW_hh with h_next": (wrong_step_backward(dW_hh=lambda da, c: da.T @ c[2]), "h_prev"),
    "db not summed": (wrong_step_backward(db=lambda da: da), "sum over the batch"),
    "db averaged": (wrong_step_backward(db=lambda da: da.mean(axis=0)), "averaged"),
    "db_hh zero": (wrong_step_backward(db_hh=False), "db_hh is zero"),
    "tanh twice": (wrong_step_backward(derivative=lambda c: 1 - np.tanh(c[2]) ** 2),
                   "tanh is applied twice"),
    "1 - h_prev**2": (wrong_step_backward(derivative=lambda c: 1 - c[1] ** 2),
                      "not 1 - h_prev**2"),
    "(1 - h)**2": (wrong_step_backward(derivative=lambda c: (1 - c[2]) ** 2), "not (1 - h)**2"),
    "da otherwise wrong": (wrong_step_backward(derivative=lambda c: 1 - 2 * c[2] ** 2),
                           "da itself is most likely wrong"),
}


def test_a_right_backward_of_a_forward_without_b_hh_is_called_right(capsys):
    def forward_without_b_hh(x, h, W_ih, W_hh, b_ih, b_hh):
        return step_forward_cache(x, h, W_ih, W_hh, b_ih, 0 * b_hh)

    result, printed = run_check(capsys, check_rnn_step_backward, forward_without_b_hh,
                                step_backward)
    assert result is False and "your rnn_step_forward is wrong" in printed
    assert "Your backward is right" in printed and "needs work" not in printed


def test_a_wrong_forward_is_blamed_not_its_consistent_backward(capsys):
    def forward_untransposed(x, h, W_ih, W_hh, b_ih, b_hh):
        return step_forward_cache(x, h, W_ih, W_hh.T, b_ih, b_hh)

    def backward_of_that(dh_next, cache):  # right for the untransposed forward
        dx, dh_prev, dW_ih, dW_hh, db_ih, db_hh = step_backward(dh_next, cache)
        return dx, dh_prev, dW_ih, dW_hh.T, db_ih, db_hh

    result, printed = run_check(capsys, check_rnn_step_backward, forward_untransposed,
                                backward_of_that)
    assert result is False and "your rnn_step_forward is wrong" in printed
    assert "does match numerical gradients of your own forward" in printed
    result, printed = run_check(capsys, check_rnn_step_backward, forward_untransposed,
                                step_backward)
    assert "(it disagrees in dW_hh)" in printed


# ---------------------------------------------------------------- sequence backward

def backward_loop(dh, cache, derivative=lambda h: 1 - h ** 2, accumulate=True, add_loss=True,
                  carry=True, order=None, dh_init_zero=False, state_for_dW_hh=None):
    """A student's BPTT loop over rnn_forward's cache, with one mistake switched on."""
    x, h_init, h, W_ih, W_hh = cache.x, cache.h_init, cache.h, cache.W_ih, cache.W_hh
    T = len(x)
    dx, dW_ih, dW_hh = np.zeros_like(x), np.zeros_like(W_ih), np.zeros_like(W_hh)
    db, dh_next = np.zeros(len(W_hh)), np.zeros_like(h_init)
    for t in order(T) if order else reversed(range(T)):
        g = (dh[t] if add_loss or t == T - 1 else 0) + (dh_next if carry else 0)
        da = g * derivative(h[t])
        h_prev = h[t - 1] if t > 0 else h_init
        terms = (da.T @ x[t], da.T @ (state_for_dW_hh(h, t) if state_for_dW_hh else h_prev),
                 da.sum(axis=0))
        if accumulate:
            dW_ih, dW_hh, db = dW_ih + terms[0], dW_hh + terms[1], db + terms[2]
        else:
            dW_ih, dW_hh, db = terms
        dx[t] = da @ W_ih
        dh_next = da @ W_hh
    return dx, np.zeros_like(h_init) if dh_init_zero else dh_next, dW_ih, dW_hh, db, db.copy()


def backward_einsum_float32(dh, cache):
    h, h_init = cache.h.astype(np.float32), cache.h_init.astype(np.float32)
    h_prev = np.concatenate([h_init[None], h[:-1]])
    da, dh_next = np.zeros_like(h), np.zeros_like(h_init)
    for t in reversed(range(len(h))):
        da[t] = (dh[t] + dh_next) * (1 - h[t] ** 2)
        dh_next = da[t] @ cache.W_hh.astype(np.float32)
    db = np.einsum("tnh->h", da)
    return (np.einsum("tnh,hd->tnd", da, cache.W_ih), dh_next,
            np.einsum("tnh,tnd->hd", da, cache.x), np.einsum("tnh,tnk->hk", da, h_prev), db, db)


@pytest.mark.parametrize("backward", [backward_loop, backward_einsum_float32, rnn_backward])
def test_backward_accepts_correct_implementations(capsys, backward):
    result, printed = run_check(capsys, check_rnn_backward, rnn_forward, backward)
    assert result is True and printed.startswith("✓ rnn_backward: all six"), printed


def wrong_backward(**mistake):
    return lambda dh, cache: backward_loop(dh, cache, **mistake)


WRONG_BACKWARD = {
    "not accumulated": (wrong_backward(accumulate=False), "not accumulated over time"),
    "dh[t] not added": (wrong_backward(add_loss=False), "dh[t], is not added"),
    "not carried": (wrong_backward(carry=False), "not carried back through time"),
    "time forwards": (wrong_backward(order=range), "walked forwards"),
    "dh_init zero": (wrong_backward(dh_init_zero=True), "dh_init is zero"),
    "1 - h": (wrong_backward(derivative=lambda h: 1 - h), "you use 1 - h where"),
    "dW_hh with h[t]": (wrong_backward(state_for_dW_hh=lambda h, t: h[t]), "h_prev"),
    "db per step": (lambda dh, c: (*backward_loop(dh, c)[:4], *[c.h.sum(axis=1)] * 2),
                    "sum over time as well"),
}


def forward_step_caches(x, h_init, W_ih, W_hh, b_ih, b_hh, buffer=False):
    """The solution's rnn_forward: a list of step caches; ``buffer`` stores one state array,
    updated in place at every step, in all of them (an aliasing bug)."""
    states, cache, h_prev = [], [], h_init
    h_next = np.empty_like(h_init)
    for x_t in x:
        if not buffer:
            h_next = np.empty_like(h_init)
        h_next[...] = np.tanh(x_t @ W_ih.T + h_prev @ W_hh.T + b_ih + b_hh)
        states.append(h_next.copy())
        cache.append((x_t, h_prev, h_next, W_ih, W_hh))
        h_prev = h_next.copy() if buffer else h_next
    return np.stack(states), cache


def backward_over_steps(dh, cache, offset=0, carry_after_derivative=False):
    """The solution's rnn_backward over step caches, with one mistake switched on."""
    W_ih, W_hh = cache[0][3], cache[0][4]
    dx = []
    dW_ih, dW_hh, db = np.zeros_like(W_ih), np.zeros_like(W_hh), np.zeros(len(W_hh))
    dh_next = np.zeros_like(dh[0])
    for t in reversed(range(len(cache))):
        x_t, h_prev, h_next, *_ = cache[t + offset]
        if carry_after_derivative:
            da = dh[t] * (1 - h_next ** 2) + dh_next
        else:
            da = (dh[t] + dh_next) * (1 - h_next ** 2)
        dx.insert(0, da @ W_ih)
        dh_next = da @ W_hh
        dW_ih, dW_hh, db = dW_ih + da.T @ x_t, dW_hh + da.T @ h_prev, db + da.sum(axis=0)
    return np.stack(dx), dh_next, dW_ih, dW_hh, db, db


WRONG_BACKWARD_OVER_STEPS = {
    "cache[t - 1]": (lambda dh, c: backward_over_steps(dh, c, offset=-1), "cache[t - 1]"),
    "carry after the derivative": (
        lambda dh, c: backward_over_steps(dh, c, carry_after_derivative=True),
        "added after the tanh derivative"),
}


def test_an_overwritten_cache_is_blamed_not_the_backward(capsys):
    def aliased(*args):
        return forward_step_caches(*args, buffer=True)

    result, printed = run_check(capsys, check_rnn_backward, forward_step_caches,
                                backward_over_steps)
    assert result is True
    result, printed = run_check(capsys, check_rnn_backward, aliased, backward_over_steps)
    assert result is False and "your rnn_forward returns the right states" in printed
    assert "overwritten by later steps" in printed and "are wrong" not in printed
    result, printed = run_check(capsys, check_rnn_forward, aliased)
    assert result is False and "overwritten by later steps" in printed


def test_a_shifted_forward_does_not_blame_the_step(capsys):
    result, printed = run_check(capsys, check_rnn_forward, WRONG_FORWARD["shifted states"][0])
    assert result is False and "shifted by one" in printed
    assert "rnn_step_forward" not in printed


def test_a_wrong_sequence_forward_is_reported_as_such(capsys):
    result, printed = run_check(capsys, check_rnn_backward, WRONG_FORWARD["h_init ignored"][0],
                                rnn_backward)
    assert result is False and "your rnn_forward is wrong" in printed


# ---------------------------------------------------------------- every check, every mistake

MISTAKES = [  # (check, the right functions it also takes, {name: (wrong function, hint)})
    (check_rnn_step_forward, (), WRONG_STEP_FORWARD),
    (check_rnn_forward, (), WRONG_FORWARD),
    (check_rnn_step_backward, (step_forward_cache,), WRONG_STEP_BACKWARD),
    (check_rnn_backward, (rnn_forward,), WRONG_BACKWARD),
    (check_rnn_backward, (forward_step_caches,), WRONG_BACKWARD_OVER_STEPS),
]


@pytest.mark.parametrize("check,functions,hint", [
    pytest.param(check, (*right, wrong), hint, id=f"{check.__name__}: {name}")
    for check, right, table in MISTAKES for name, (wrong, hint) in table.items()])
def test_checks_reject_typical_mistakes_with_a_hint(capsys, check, functions, hint):
    result, printed = run_check(capsys, check, *functions)
    assert result is False and printed.startswith(f"✗ {check.__name__.removeprefix('check_')}")
    assert hint in printed, printed


def test_at_least_six_mistakes_per_check():
    assert all(len(table) >= 6 for _, _, table in MISTAKES if table is not
               WRONG_BACKWARD_OVER_STEPS)


def test_numerical_gradients_are_skipped_for_a_slow_forward(capsys, monkeypatch):
    monkeypatch.setattr("course_rnn.checks.diagnosis.NUMERICAL_BUDGET_S", 0.0)
    def forward_shifted(*args):  # wrong by a constant, so its gradients are the right ones
        h, cache = rnn_forward(*args)
        return h + 0.1, cache

    result, printed = run_check(capsys, check_rnn_backward, forward_shifted, backward_loop)
    assert result is False and "your rnn_forward is wrong" in printed
    assert "Numerical gradients of your forward were skipped" in printed
    monkeypatch.undo()
    _, printed = run_check(capsys, check_rnn_backward, forward_shifted, backward_loop)
    assert "does match numerical gradients of your own forward" in printed
