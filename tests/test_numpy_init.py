"""NumPy initialisers: per-gate-block properties, IRNN, forget-gate bias, torch defaults."""

from __future__ import annotations

import math

import numpy as np
import pytest

import course_rnn.numpy as cnp
from course_rnn.numpy.embedding import Embedding
from course_rnn.numpy.init import (
    forget_gate_bias_,
    identity_recurrent_,
    orthogonal_,
    torch_default_,
    xavier_uniform_,
)
from course_rnn.numpy.linear import Linear

RECURRENT = [(cnp.RNN, 1), (cnp.LSTM, 4), (cnp.GRU, 3)]


def blocks(layer, name, gates):
    return np.split(layer.params[name], gates, axis=0)


@pytest.mark.parametrize("cls, gates", RECURRENT, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("D", [3, 6, 12], ids=lambda d: f"D={d}")
def test_orthogonal_per_gate_block(cls, gates, D):
    H = 6
    layer = cls(D, H, num_layers=2, bidirectional=True, rng=0)
    biases = {k: v.copy() for k, v in layer.params.items() if k.startswith("bias")}
    orthogonal_(layer, rng=1, gain=2.0)
    for name in ("weight_hh_l1_reverse", "weight_ih_l0"):
        for block in blocks(layer, name, gates):
            q = block / 2.0
            # tall blocks have orthonormal columns, wide ones orthonormal rows
            gram = q.T @ q if q.shape[0] >= q.shape[1] else q @ q.T
            np.testing.assert_allclose(gram, np.eye(min(q.shape)), atol=1e-12)
    for name, value in biases.items():
        np.testing.assert_array_equal(layer.params[name], value)


def test_orthogonal_is_seeded_and_unbiased_in_sign():
    a, b = cnp.RNN(4, 50, rng=0), cnp.RNN(4, 50, rng=0)
    orthogonal_(a, rng=3, names=("weight_hh",))
    orthogonal_(b, rng=3, names=("weight_hh",))
    np.testing.assert_array_equal(a.params["weight_hh_l0"], b.params["weight_hh_l0"])
    # with the sign correction, the diagonal is not systematically positive (Haar measure)
    assert abs(np.mean(np.sign(np.diag(a.params["weight_hh_l0"])))) < 0.5


@pytest.mark.parametrize("cls, gates", RECURRENT, ids=lambda v: getattr(v, "__name__", ""))
def test_xavier_bounds_per_gate_block(cls, gates):
    D, H = 50, 40
    layer = cls(D, H, rng=0)
    xavier_uniform_(layer, rng=1, gain=1.5)
    for name, fan_in in (("weight_ih_l0", D), ("weight_hh_l0", H)):
        bound = 1.5 * math.sqrt(6 / (fan_in + H))  # fan_out of one block is H, not G * H
        for block in blocks(layer, name, gates):
            assert np.abs(block).max() <= bound
            assert np.abs(block).max() > 0.95 * bound


def test_xavier_on_linear_and_name_filter():
    head = Linear(30, 20, rng=0)
    bias = head.params["bias"].copy()
    xavier_uniform_(head, rng=1)
    assert np.abs(head.params["weight"]).max() <= math.sqrt(6 / 50)
    np.testing.assert_array_equal(head.params["bias"], bias)
    lstm = cnp.LSTM(3, 4, peephole=True, rng=0)
    ih, peep = lstm.params["weight_ih_l0"].copy(), lstm.params["weight_peephole_l0"].copy()
    xavier_uniform_(lstm, rng=1, names=("weight_hh",))
    np.testing.assert_array_equal(lstm.params["weight_ih_l0"], ih)
    np.testing.assert_array_equal(lstm.params["weight_peephole_l0"], peep)


@pytest.mark.parametrize("scale", [1.0, 0.5])
def test_identity_recurrent(scale):
    layer = cnp.RNN(3, 5, num_layers=2, bidirectional=True, nonlinearity="relu", rng=0)
    identity_recurrent_(layer, scale)
    for name, p in layer.params.items():
        if name.startswith("weight_hh"):
            np.testing.assert_array_equal(p, scale * np.eye(5))
        elif name.startswith("bias"):
            assert not p.any()
    # with zero input and scale 1, a ReLU IRNN carries a non-negative state unchanged
    if scale == 1.0:
        h0 = np.abs(np.random.default_rng(1).standard_normal((4, 2, 5)))
        layer.params["weight_ih_l0"][...] = 0.0
        output, h_n = layer(np.zeros((6, 2, 3)), h0)
        np.testing.assert_allclose(h_n[0], h0[0])


def test_forget_gate_bias():
    H = 4
    layer = cnp.LSTM(3, H, num_layers=2, bidirectional=True, rng=0)
    before = layer.state_dict()
    forget_gate_bias_(layer)
    for name, p in layer.params.items():
        if name.startswith("bias_"):
            expected_f = 1.0 if name.startswith("bias_ih") else 0.0
            np.testing.assert_array_equal(p[H:2 * H], expected_f)
            # the i, g and o blocks are untouched
            np.testing.assert_array_equal(np.delete(p, np.s_[H:2 * H]),
                                          np.delete(before[name], np.s_[H:2 * H]))
        else:
            np.testing.assert_array_equal(p, before[name])


def test_forget_gate_bias_matches_lstm_option():
    ours = cnp.LSTM(3, 4, rng=0)
    forget_gate_bias_(ours, 2.0)
    built_in = cnp.LSTM(3, 4, forget_bias=2.0, rng=0)
    for name, p in built_in.params.items():
        np.testing.assert_array_equal(ours.params[name], p)


@pytest.mark.parametrize("make", [
    lambda: Linear(5, 3, rng=7),
    lambda: Embedding(5, 3, padding_idx=1, rng=7),
])
def test_torch_default_redraws_like_the_constructor(make):
    module = make()
    expected = module.state_dict()
    for p in module.params.values():
        p[...] = 99.0
    torch_default_(module, rng=7)
    for name, value in expected.items():
        np.testing.assert_array_equal(module.params[name], value)


def test_torch_default_recurrent_bound():
    layer = cnp.GRU(3, 16, rng=0)
    orthogonal_(layer, rng=0)
    torch_default_(layer, rng=1)
    for p in layer.params.values():
        assert np.abs(p).max() <= 1 / 4


@pytest.mark.parametrize("call, error, match", [
    (lambda: identity_recurrent_(cnp.LSTM(2, 3, rng=0)), ValueError, "expected an RNN"),
    (lambda: forget_gate_bias_(cnp.GRU(2, 3, rng=0)), ValueError, "expected an LSTM"),
    (lambda: forget_gate_bias_(cnp.LSTM(2, 3, bias=False, rng=0)), ValueError, "no biases"),
    (lambda: orthogonal_(cnp.RNN(2, 3, rng=0), names=("weight_xy",)), ValueError,
     r"no parameter named like \('weight_xy',\)"),
    (lambda: xavier_uniform_(np.zeros((3, 3))), TypeError, "expected a course_rnn.numpy Module"),
])
def test_init_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
