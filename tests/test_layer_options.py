"""The contract both backends keep beyond outputs and gradients: the state_dict exchange with
torch.nn, the initial weights, and the options torch.nn lacks (peepholes, forget-gate bias,
the GRU's reset gate before W_hn) or treats specially (dropout between layers, in training
mode only)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import course_rnn.numpy
import course_rnn.torch
from tests.backends import BACKENDS, CELLS, LAYERS, as_numpy, build, to_backend, weights

D, H = 3, 4
OPTIONS = [{}, {"num_layers": 2, "bidirectional": True}, {"bias": False, "num_layers": 3}]


def both_ways(backend, mine, reference):
    """Weights go torch.nn -> mine and, after a random change, mine -> torch.nn."""
    assert [(k, v.shape) for k, v in weights(mine).items()] == \
           [(k, v.shape) for k, v in weights(reference).items()]
    mine.load_state_dict(reference.state_dict())
    for name, value in weights(reference).items():
        np.testing.assert_array_equal(weights(mine)[name], value)
    rng = np.random.default_rng(0)
    mine.load_state_dict({k: to_backend(backend, rng.standard_normal(v.shape))
                          for k, v in weights(mine).items()})
    reference.load_state_dict({k: torch.from_numpy(v) for k, v in weights(mine).items()})
    for name, value in weights(mine).items():
        np.testing.assert_array_equal(weights(reference)[name], value)


@pytest.mark.parametrize("options", OPTIONS, ids=["plain", "deep-bi", "no-bias"])
@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_layer_state_dict_exchange_with_torch_nn(backend, name, options):
    both_ways(backend, build(backend, name, D, H, **options),
              build("torch.nn", name, D, H, **options))


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("name", CELLS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_cell_state_dict_exchange_with_torch_nn(backend, name, bias):
    both_ways(backend, build(backend, name, D, H, bias=bias),
              build("torch.nn", name, D, H, bias=bias))


@pytest.mark.parametrize("name", LAYERS + CELLS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_initial_weights_fill_torch_nn_interval(backend, name):
    """torch.nn draws every parameter from U(-1/sqrt(H), 1/sqrt(H)); so do both backends."""
    torch.manual_seed(0)
    seed = {"rng": 0} if backend == "numpy" else {}
    values = np.abs(np.concatenate([v.ravel() for v in
                                    weights(build(backend, name, 10, 16, **seed)).values()]))
    bound = 1 / np.sqrt(16)
    assert values.max() <= bound
    assert values.max() > 0.95 * bound
    assert abs(values.mean() - bound / 2) < 0.06 * bound  # |U(-b, b)| averages b/2


@pytest.mark.parametrize("backend", BACKENDS)
def test_peephole_parameters_follow_each_direction(backend):
    lstm = build(backend, "LSTM", D, H, num_layers=2, bidirectional=True, peephole=True)
    names = list(lstm.state_dict())
    assert names[:10] == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                          "weight_peephole_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse",
                          "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_peephole_l0_reverse"]
    assert weights(lstm)["weight_peephole_l1_reverse"].shape == (3, H)
    assert np.abs(weights(lstm)["weight_peephole_l1"]).min() > 0  # drawn, not zeros
    assert list(build(backend, "LSTMCell", D, H, peephole=True).state_dict())[-1] == (
        "weight_peephole")


@pytest.mark.parametrize("name", ["LSTM", "LSTMCell"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_forget_bias_sets_the_total_forget_gate_bias(backend, name):
    options = {"num_layers": 2, "bidirectional": True} if name == "LSTM" else {}
    params = weights(build(backend, name, D, H, forget_bias=1.5, **options))
    b_ih = [k for k in params if k.startswith("bias_ih")]
    assert b_ih
    for key in b_ih:
        np.testing.assert_array_equal(params[key][H:2 * H], 1.5)
        np.testing.assert_array_equal(params[key.replace("ih", "hh")][H:2 * H], 0.0)
        assert np.abs(params[key][:H]).max() <= 1 / np.sqrt(H)  # other gates untouched


@pytest.mark.parametrize("backend", BACKENDS)
def test_forget_bias_keeps_the_cell_state_longer(backend):
    """With a large forget bias a pulse at t=0 still shows in the cell state 30 steps later."""
    silence, pulse = np.zeros((30, 1, 2)), np.zeros((30, 1, 2))
    pulse[0] = 1.0
    memory = []
    for forget_bias in (None, 5.0):
        torch.manual_seed(0)
        seed = {"rng": 0} if backend == "numpy" else {}
        layer = build(backend, "LSTM", 2, 8, forget_bias=forget_bias, **seed)
        c_pulse, c_silence = (as_numpy(layer(to_backend(backend, x))[1][1])
                              for x in (pulse, silence))
        memory.append(np.abs(c_pulse - c_silence).sum())
    assert memory[1] > 1000 * memory[0]


def output_of(backend, layer, x):
    return as_numpy(layer(to_backend(backend, x))[0])


@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_dropout_acts_between_layers_in_training_only(backend, name):
    x = np.random.default_rng(0).standard_normal((6, 3, D))
    single = build(backend, name, D, H, dropout=0.5)  # one layer: nothing lies between layers
    np.testing.assert_array_equal(output_of(backend, single, x),
                                  output_of(backend, single.eval(), x))
    stacked = build(backend, name, D, H, num_layers=2, dropout=0.5)
    training = output_of(backend, stacked, x)
    evaluation = output_of(backend, stacked.eval(), x)
    assert not np.allclose(training, evaluation)
    np.testing.assert_array_equal(evaluation, output_of(backend, stacked, x))  # eval is stable


@pytest.mark.parametrize("backend", BACKENDS)
def test_repr_reads_like_the_call_as_in_torch_nn(backend):
    def shown(name, *args, **kwargs):
        return repr(build(backend, name, *args, **kwargs))

    assert shown("GRU", 3, 4) == repr(torch.nn.GRU(3, 4)) == "GRU(3, 4)"
    assert shown("LSTM", 3, 4, num_layers=2, bidirectional=True) == (
        "LSTM(3, 4, num_layers=2, bidirectional=True)")
    assert shown("RNNCell", 3, 4, bias=False, nonlinearity="relu") == (
        "RNNCell(3, 4, nonlinearity='relu', bias=False)")
    assert shown("LSTM", 3, 4, peephole=True, forget_bias=1.0) == (
        "LSTM(3, 4, peephole=True, forget_bias=1.0)")
    assert shown("GRUCell", 3, 4, reset_after=False) == "GRUCell(3, 4, reset_after=False)"


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def one_gru_step(backend, module, x, h):
    """The state after one step from h, for a GRU layer or a GRU cell: (N, H)."""
    if isinstance(module, (course_rnn.numpy.GRU, course_rnn.torch.GRU)):
        return as_numpy(module(to_backend(backend, x[None]), to_backend(backend, h[None]))[1][0])
    return as_numpy(module(to_backend(backend, x), to_backend(backend, h)))


@pytest.mark.parametrize("name", ["GRU", "GRUCell"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_reset_after_false_is_cho_et_al_candidate(backend, name):
    """One step against Cho et al.'s equations written out block by block; torch's form, with
    the same weights, gives another state."""
    rng = np.random.default_rng(5)
    x, h = rng.standard_normal((2, D)), rng.standard_normal((2, H))
    cho = build(backend, name, D, H, reset_after=False)
    torch_form = build(backend, name, D, H)
    torch_form.load_state_dict(cho.state_dict())
    params = {k.removesuffix("_l0"): v for k, v in weights(cho).items()}
    W_ir, W_iz, W_in = np.split(params["weight_ih"], 3)
    W_hr, W_hz, W_hn = np.split(params["weight_hh"], 3)
    b_ir, b_iz, b_in = np.split(params["bias_ih"], 3)
    b_hr, b_hz, b_hn = np.split(params["bias_hh"], 3)
    r = sigmoid(x @ W_ir.T + b_ir + h @ W_hr.T + b_hr)
    z = sigmoid(x @ W_iz.T + b_iz + h @ W_hz.T + b_hz)
    n = np.tanh(x @ W_in.T + b_in + (r * h) @ W_hn.T + b_hn)
    expected = (1 - z) * n + z * h
    np.testing.assert_allclose(one_gru_step(backend, cho, x, h), expected, rtol=1e-12,
                               atol=1e-14)
    assert np.abs(one_gru_step(backend, torch_form, x, h) - expected).max() > 1e-3
