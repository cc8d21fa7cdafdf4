"""check_gradient_norms_by_distance (exercise 7) takes the measurement written any way, names
each typical mistake, and survives any function it is given.

The answers below are written the way students write them, not with the check's simulation.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_rnn.checks import check_gradient_norms_by_distance
from course_rnn.checks.distance_checks import DISTANCE_MISTAKES
from course_rnn.checks.distance_mistakes import distance_cases, mistaken_norms
from course_rnn.checks.outputs import close
from course_rnn.checks.results import result
from course_rnn.models.gradient_flow import state_gradient_norms
from course_rnn.numpy.rnn import rnn_step_backward, rnn_step_forward
from tests.test_checks_rnn import assert_verdict, run_check, verdict_params
from tests.test_checks_safety import assert_refused_safely, loops_forever, not_implemented

# ---------------------------------------------------------------- right answers


def by_runs_of_the_layer(rnn, x, upstream):
    """The notebook's way: the gradient at hx of a run over the last d steps."""
    output, _ = rnn(x)
    T = len(x)
    norms = [np.linalg.norm(upstream, axis=1).mean()]
    for d in range(1, T + 1):
        hx = output[T - 1 - d][None] if d < T else None
        run, _ = rnn(x[T - d:], hx)
        doutput = np.zeros_like(run)
        doutput[-1] = upstream
        _, dhx = rnn.backward(doutput)
        norms.append(np.linalg.norm(dhx[0], axis=1).mean())
    return np.array(norms)


def by_step_backward(rnn, x, upstream):
    """One walk back with the step functions of chapter 3, the layer's weights passed in."""
    p = rnn.params
    h = np.zeros((x.shape[1], rnn.hidden_size))
    caches = []
    for x_t in x:
        h, cache = rnn_step_forward(x_t, h, p["weight_ih_l0"], p["weight_hh_l0"],
                                    p["bias_ih_l0"], p["bias_hh_l0"])
        caches.append(cache)
    dh, norms = upstream, []
    for cache in [None, *reversed(caches)]:
        if cache is not None:
            dh = rnn_step_backward(dh, cache)[1]
        norms.append(np.mean([np.sqrt(row @ row) for row in dh]))
    return norms  # a list


def by_explicit_jacobians(rnn, x, upstream):
    """The product of Jacobians diag(1 - h_t^2) W_hh, sequence by sequence, in float32."""
    W = rnn.params["weight_hh_l0"]
    output, _ = rnn(x)
    T, N, _ = output.shape
    norms = np.zeros((T + 1, N), dtype=np.float32)
    for n in range(N):
        g = upstream[n]
        norms[0, n] = np.linalg.norm(g)
        for d in range(1, T + 1):
            g = W.T @ ((1 - output[T - d, n] ** 2) * g)
            norms[d, n] = np.linalg.norm(g)
    return norms.mean(axis=1)


def with_the_package(rnn, x, upstream):
    p = rnn.params
    return state_gradient_norms(x, np.zeros((x.shape[1], rnn.hidden_size)),
                                p["weight_ih_l0"], p["weight_hh_l0"], p["bias_ih_l0"],
                                p["bias_hh_l0"], upstream=upstream)


RIGHT = [by_runs_of_the_layer, by_step_backward, by_explicit_jacobians, with_the_package]

# ---------------------------------------------------------------- wrong answers

def runs(rnn, x, upstream, *, every=False, zero_start=False, inputs=False):
    """Gradients at distance 0..T by runs of the layer, with one thing done wrong."""
    output, _ = rnn(x)
    T = len(x)
    grads = [upstream]
    for d in range(1, T + 1):
        hx = output[T - 1 - d][None] if d < T and not zero_start else None
        run, _ = rnn(x[T - d:], hx)
        doutput = np.zeros_like(run)
        if every:
            doutput += upstream
        else:
            doutput[-1] = upstream
        dx, dhx = rnn.backward(doutput)
        grads.append(dx[0] if inputs else dhx[0])
    return grads


def mean_norms(grads):
    return np.array([np.linalg.norm(g, axis=1).mean() for g in grads])


def upstream_everywhere(rnn, x, upstream):
    return mean_norms(runs(rnn, x, upstream, every=True))


def step_loop_adds_upstream_each_step(rnn, x, upstream):
    p = rnn.params
    h, caches = np.zeros((x.shape[1], rnn.hidden_size)), []
    for x_t in x:
        h, cache = rnn_step_forward(x_t, h, p["weight_ih_l0"], p["weight_hh_l0"],
                                    p["bias_ih_l0"], p["bias_hh_l0"])
        caches.append(cache)
    dh, norms = upstream, [np.linalg.norm(upstream, axis=1).mean()]
    for cache in reversed(caches):
        dh = rnn_step_backward(dh, cache)[1] + upstream  # as if every state had the loss
        norms.append(np.linalg.norm(dh, axis=1).mean())
    return np.array(norms)


def in_time_order(rnn, x, upstream):
    return by_runs_of_the_layer(rnn, x, upstream)[::-1]


def inputs_gradient(rnn, x, upstream):
    return mean_norms(runs(rnn, x, upstream, inputs=True))


def runs_from_zero(rnn, x, upstream):
    return mean_norms(runs(rnn, x, upstream, zero_start=True))


def frobenius(rnn, x, upstream):
    return np.array([np.linalg.norm(g) for g in runs(rnn, x, upstream)])


def summed_over_batch(rnn, x, upstream):
    return np.array([np.linalg.norm(g, axis=1).sum() for g in runs(rnn, x, upstream)])


def norm_of_mean(rnn, x, upstream):
    return np.array([np.linalg.norm(g.mean(axis=0)) for g in runs(rnn, x, upstream)])


def initial_state_missing(rnn, x, upstream):
    return by_runs_of_the_layer(rnn, x, upstream)[:-1]


def per_sequence(rnn, x, upstream):
    return np.array([np.linalg.norm(g, axis=1) for g in runs(rnn, x, upstream)])


def returns_a_pair(rnn, x, upstream):
    norms = by_runs_of_the_layer(rnn, x, upstream)
    return norms, np.arange(len(norms))


WRONG = {  # name: (function, words the feedback must contain)
    "upstream_everywhere": (upstream_everywhere, "the upstream gradient enters at every step"),
    "step_loop_adds_upstream_each_step": (step_loop_adds_upstream_each_step,
                                          "the upstream gradient enters at every step"),
    "in_time_order": (in_time_order, "the norms are in the order of time, not of distance"),
    "inputs_gradient": (inputs_gradient,
                        "norms of the gradient at the inputs x, not at the states"),
    "runs_from_zero": (runs_from_zero, "starts from a zero state"),
    "frobenius": (frobenius, "the norm of the whole (N, H) gradient"),
    "summed_over_batch": (summed_over_batch, "the sum of the N sequences' norms"),
    "norm_of_mean": (norm_of_mean, "averaged over the batch, where sequences cancel"),
    "initial_state_missing": (initial_state_missing,
                              "that is T = 6 entries; there are T + 1 distances"),
    "per_sequence": (per_sequence, "those are norms per sequence; take their mean"),
    "returns_a_pair": (returns_a_pair, "returned a tuple of 2 values; it returns the norms alone"),
}


@pytest.mark.parametrize("check,functions,passes,words", verdict_params(
    [(check_gradient_norms_by_distance, (), RIGHT)],
    [(check_gradient_norms_by_distance, (), WRONG)]))
def test_right_answers_pass_and_each_mistake_gets_its_hint(capsys, check, functions, passes,
                                                           words):
    assert_verdict(capsys, check, functions, passes, words)
    assert result("gradient_norms_by_distance") is passes


def test_the_pass_line_and_its_float32_note(capsys):
    passed, printed = run_check(capsys, check_gradient_norms_by_distance, by_explicit_jacobians)
    assert passed is True
    assert printed == ("✓ gradient_norms_by_distance: norms match chapter 4's "
                       "state_gradient_norms on 4 tests (the layer's random weights, norms "
                       "that grow, a batch of one, one step). Your result is float32: the "
                       "exercises accept that, since they compare with float64 to a "
                       "tolerance of 1e-05.")


def test_a_batch_mistake_is_right_on_the_batch_of_one(capsys):
    _, printed = run_check(capsys, check_gradient_norms_by_distance, frobenius)
    assert "Right on: a batch of one" in printed


# ---------------------------------------------------------------- what cannot be graded

PATHOLOGICAL = [  # (name, function or what is passed instead, words the feedback must contain)
    ("raises", lambda rnn, x, upstream: rnn.params["weight"], "raised KeyError: 'weight'"),
    ("not implemented", not_implemented, "waiting for gradient_norms_by_distance, not written"),
    ("infinite loop", loops_forever, "did not finish within 0.2 s"),
    ("takes no arguments", lambda: 1.0, "keep the parameter list as given"),
    ("returns None", lambda rnn, x, upstream: None, "is the `return norms` missing?"),
    ("returns a string", lambda rnn, x, upstream: "decays", "norms is a str that does not"),
    ("returns NaN", lambda rnn, x, upstream: np.full(len(x) + 1, np.nan), "NaN/inf entries"),
    ("changes upstream", lambda rnn, x, upstream: upstream.__imul__(2.0)[:, 0],
     "changed its argument upstream in place"),
    ("not a function", np.ones(7), "takes your functions themselves"),
]


@pytest.mark.parametrize("name,answer,words", PATHOLOGICAL, ids=[p[0] for p in PATHOLOGICAL])
def test_what_cannot_be_graded_gets_a_clear_message(capsys, name, answer, words):
    verdict = check_gradient_norms_by_distance(answer, time_limit=0.2)
    assert_refused_safely(capsys, verdict, name, words)


# ---------------------------------------------------------------- the check's own simulation


def test_the_simulation_at_its_defaults_is_the_reference():
    for case in distance_cases():
        assert close(mistaken_norms(case), case.reference()), case.title


def test_the_cases_show_decay_and_growth():
    decaying, growing = distance_cases()[:2]
    assert np.all(np.diff(decaying.reference()) < 0)
    assert np.all(np.diff(growing.reference()) > 0)


def test_every_mistake_differs_from_the_right_answer_and_from_each_other():
    cases = distance_cases()
    outputs = {id(m): [mistaken_norms(case, **m.switches) for case in cases]
               for m in DISTANCE_MISTAKES}
    for mistake in DISTANCE_MISTAKES:
        assert any(not close(got, case.reference())
                   for got, case in zip(outputs[id(mistake)], cases)), mistake.message
    for first in DISTANCE_MISTAKES:
        for second in DISTANCE_MISTAKES:
            if first is not second:
                assert any(not close(a, b) for a, b in zip(outputs[id(first)],
                                                           outputs[id(second)])), \
                    (first.switches, second.switches)
