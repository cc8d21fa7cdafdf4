"""check_bidirectional and check_deep_rnn_param_count (exercise 10) take right answers written
any way, name each typical mistake, and survive any function they are given.

The answers below are written the way students write them, not with the checks' simulations.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_rnn.checks import check_bidirectional, check_deep_rnn_param_count
from course_rnn.checks.bidirectional_checks import CASES
from course_rnn.checks.results import result
from course_rnn.numpy import RNN, rnn_forward
from course_rnn.numpy.direction_merge import merge_directions
from tests.test_checks_rnn import assert_verdict, verdict_params
from tests.test_checks_safety import assert_refused_safely, loops_forever, not_implemented

# ---------------------------------------------------------------- right answers


def with_rnn_forward(x, h0_forward, h0_backward, forward_params, backward_params, merge):
    h_forward, _ = rnn_forward(x, h0_forward, *forward_params)
    h_backward, _ = rnn_forward(x[::-1], h0_backward, *backward_params)
    return merge_directions(h_forward, h_backward[::-1], merge)


def step_by_step(x, h0_forward, h0_backward, forward_params, backward_params, merge):
    """Two loops over t, the backward one from T - 1 down to 0, in float32."""
    def step(x_t, h, W_ih, W_hh, b_ih, b_hh):
        return np.tanh(x_t @ W_ih.T + b_ih + h @ W_hh.T + b_hh)
    T = len(x)
    forward, backward = [None] * T, [None] * T
    h = h0_forward
    for t in range(T):
        forward[t] = h = step(x[t], h, *forward_params)
    h = h0_backward
    for t in reversed(range(T)):
        backward[t] = h = step(x[t], h, *backward_params)
    forward, backward = np.float32(forward), np.float32(backward)
    if merge == "concat":
        return np.concatenate([forward, backward], axis=2)
    return forward + backward if merge == "sum" else np.mean([forward, backward], axis=0)


def with_the_package_layer(x, h0_forward, h0_backward, forward_params, backward_params, merge):
    layer = RNN(x.shape[2], len(h0_forward[0]), bidirectional=True, merge=merge)
    for suffix, params in (("", forward_params), ("_reverse", backward_params)):
        for name, value in zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"), params):
            layer.params[f"{name}_l0{suffix}"][...] = value
    output, _ = layer(x, np.stack([h0_forward, h0_backward]))
    return output


def with_flip(x, h0_forward, h0_backward, forward_params, backward_params, merge):
    h_forward, _ = rnn_forward(x, h0_forward, *forward_params)
    h_backward = np.flip(rnn_forward(np.flip(x, 0), h0_backward, *backward_params)[0], 0)
    merged = {"concat": lambda: np.dstack([h_forward, h_backward]),
              "sum": lambda: np.add(h_forward, h_backward),
              "mean": lambda: 0.5 * h_forward + 0.5 * h_backward}
    return merged[merge]()


RIGHT = [with_rnn_forward, step_by_step, with_the_package_layer, with_flip]

# ---------------------------------------------------------------- wrong answers


def two_way(*, unreverse=True, reverse=True, start=None, same_weights=False, axis=2,
            backward_first=False, mean_as_sum=False):
    def wrong(x, h0_forward, h0_backward, forward_params, backward_params, merge):
        h_forward, _ = rnn_forward(x, h0_forward, *forward_params)
        h0 = {None: h0_backward, "h0_forward": h0_forward, "last": h_forward[-1]}[start]
        params = forward_params if same_weights else backward_params
        h_backward, _ = rnn_forward(x[::-1] if reverse else x, h0, *params)
        if unreverse:
            h_backward = h_backward[::-1]
        pair = [h_backward, h_forward] if backward_first else [h_forward, h_backward]
        if merge == "concat":
            return np.concatenate(pair, axis=axis)
        if merge == "sum" or mean_as_sum:
            return pair[0] + pair[1] if axis == 2 else np.sum(pair, axis=axis)
        return (pair[0] + pair[1]) / 2
    return wrong


def stacked_not_merged(x, h0_forward, h0_backward, forward_params, backward_params, merge):
    return np.stack([rnn_forward(x, h0_forward, *forward_params)[0],
                     rnn_forward(x[::-1], h0_backward, *backward_params)[0][::-1]])


def returns_the_states_too(*args):
    output = with_rnn_forward(*args)
    return output, output[-1]


WRONG = {  # name: (function, words the feedback must contain)
    "not reversed back": (two_way(unreverse=False), "reverse its outputs back, h_backward[::-1]"),
    "never reversed": (two_way(reverse=False, unreverse=False),
                       "the backward direction reads the sequence forwards"),
    "only the outputs reversed": (two_way(reverse=False),
                                  "reads the sequence forwards and its outputs are then reversed"),
    "state leaks": (two_way(start="last"), "one direction's state leaks into the other"),
    "started from h0_forward": (two_way(start="h0_forward"), "starts from h0_forward"),
    "same weights": (two_way(same_weights=True), "both directions use forward_params"),
    "backward first": (two_way(backward_first=True), "the directions are swapped"),
    "mean as sum": (two_way(mean_as_sum=True), "merge='mean' is computed as the sum"),
    "concatenated in time": (two_way(axis=0), "joined along time (axis 0)"),
    "concatenated in the batch": (two_way(axis=1), "joined along the batch (axis 1)"),
    "stacked, not merged": (stacked_not_merged, "stacked on a new axis and not merged"),
    "returns a pair": (returns_the_states_too, "returned a tuple of 2 values"),
}

# ---------------------------------------------------------------- parameter counts


def count_in_a_loop(D, H, num_layers, bidirectional):
    directions = 2 if bidirectional else 1
    total, inputs = 0, D
    for _ in range(num_layers):
        total += directions * (H * inputs + H * H + 2 * H)
        inputs = directions * H
    return total


def count_by_torch(D, H, num_layers, bidirectional):
    layer = torch.nn.RNN(D, H, num_layers=num_layers, bidirectional=bidirectional)
    return sum(p.numel() for p in layer.parameters())


def count_in_closed_form(D, H, num_layers, bidirectional):
    k = 2 if bidirectional else 1
    return k * (H * D + H * H + 2 * H) + (num_layers - 1) * k * (k * H * H + H * H + 2 * H)


def count_with(*, reads=None, shared=False, biases=2, layers=None, two_way=True):
    def wrong(D, H, num_layers, bidirectional):
        k = 2 if bidirectional and two_way else 1
        total, inputs = 0, D
        for _ in range(num_layers if layers is None else layers):
            total += (1 if shared else k) * (H * inputs + H * H + biases * H)
            inputs = {"D": D, "H": H}.get(reads, k * H)
        return total
    return wrong


WRONG_COUNTS = {
    "every layer reads D": (count_with(reads="D"), "as if it read the D inputs"),
    "layer k > 0 reads H": (count_with(reads="H"), "with two directions it reads both"),
    "one set of weights": (count_with(shared=True), "the two directions share one set"),
    "one bias": (count_with(biases=1), "only one bias vector is counted per direction"),
    "one layer": (count_with(layers=1), "num_layers is ignored"),
    "one direction": (count_with(two_way=False), "bidirectional is ignored"),
}


@pytest.mark.parametrize("check,functions,passes,words", verdict_params(
    [(check_bidirectional, (), RIGHT),
     (check_deep_rnn_param_count, (), [count_in_a_loop, count_by_torch, count_in_closed_form])],
    [(check_bidirectional, (), WRONG), (check_deep_rnn_param_count, (), WRONG_COUNTS)]))
def test_right_answers_pass_and_each_mistake_gets_its_hint(capsys, check, functions, passes,
                                                           words):
    assert_verdict(capsys, check, functions, passes, words)
    assert result(check.__name__.removeprefix("check_")) is passes


def test_the_reference_is_the_package_layer():
    for case in CASES:
        args = [value for _, value in case.args()]
        np.testing.assert_allclose(with_the_package_layer(*args), with_rnn_forward(*args),
                                   rtol=1e-12, atol=1e-12)


def test_a_reversal_mistake_is_right_on_one_step(capsys):
    check_bidirectional(two_way(unreverse=False))
    assert "Right on: one step" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("check", [check_bidirectional, check_deep_rnn_param_count])
@pytest.mark.parametrize("bad, expected", [
    (not_implemented, "waiting for "),
    (loops_forever, "did not finish within 0.2 s"),
    (lambda *a: None, "None"),
    (lambda *a: 1 / 0, "raised ZeroDivisionError"),
])
def test_survives_any_function(capsys, check, bad, expected):
    pathology = "not implemented" if bad is not_implemented else "bad"
    assert_refused_safely(capsys, check(bad, time_limit=0.2), pathology, expected)
