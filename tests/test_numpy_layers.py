"""NumPy layer classes: gradient checks, float32, the state_dict contract and LSTM options."""

from __future__ import annotations

import numpy as np
import pytest

import course_rnn.numpy as cnp
from course_rnn.gradcheck import gradient_errors, random_upstream

LAYERS = [
    (cnp.RNN, {}),
    (cnp.RNN, {"nonlinearity": "relu", "bias": False}),
    (cnp.LSTM, {}),
    (cnp.LSTM, {"peephole": True}),
    (cnp.GRU, {}),
    (cnp.GRU, {"reset_after": False}),
]


def layer_id(spec):
    cls, options = spec
    return cls.__name__ + "".join(f"-{k}={v}" for k, v in options.items())


def flatten_state(state):
    return state if isinstance(state, tuple) else (state,)


def assert_backward_matches_differences(module, inputs: dict, forward, backward):
    """Every input and parameter gradient of ``backward`` against central differences.

    ``forward()`` returns the outputs as a tuple; ``backward(upstream)`` returns the input
    gradients in the order of ``inputs`` and leaves the parameter gradients in ``grads``.
    """
    upstream = random_upstream(forward(), np.random.default_rng(2))
    analytic = dict(zip(inputs, backward(upstream)))
    errors = gradient_errors(forward, {**inputs, **module.params},
                             {**analytic, **module.grads}, upstream)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("spec", LAYERS, ids=layer_id)
def test_layer_gradcheck(spec):
    """Every parameter, the input and the initial state, through 2 bidirectional layers."""
    cls, options = spec
    rng = np.random.default_rng(0)
    layer = cls(3, 2, num_layers=2, bidirectional=True, batch_first=True, rng=1, **options)
    lstm = cls is cnp.LSTM
    inputs = {"x": rng.standard_normal((2, 3, 3)),  # (N, T, D)
              **{f"hx{i}": rng.standard_normal((4, 2, 2)) for i in range(2 if lstm else 1)}}

    def forward():
        hx = (inputs["hx0"], inputs["hx1"]) if lstm else inputs["hx0"]
        output, state = layer(inputs["x"], hx)
        return (output, *flatten_state(state))

    def backward(upstream):
        dx, dhx = layer.backward(upstream[0], tuple(upstream[1:]) if lstm else upstream[1])
        return (dx, *flatten_state(dhx))

    assert_backward_matches_differences(layer, inputs, forward, backward)


@pytest.mark.parametrize("cls", [cnp.RNN, cnp.LSTM, cnp.GRU])
def test_float32_layer_agrees_with_float64(cls):
    rng = np.random.default_rng(0)
    wide, narrow = cls(4, 8, num_layers=2, rng=0), cls(4, 8, num_layers=2, dtype=np.float32)
    narrow.load_state_dict(wide.state_dict())
    x = rng.standard_normal((6, 3, 4))
    out64, _ = wide(x)
    out32, _ = narrow(x.astype(np.float32))
    dout = rng.standard_normal(out64.shape)
    dx64, _ = wide.backward(dout)
    dx32, _ = narrow.backward(dout.astype(np.float32))
    assert out32.dtype == np.float32 and dx32.dtype == np.float32
    assert all(g.dtype == np.float32 for g in narrow.grads.values())
    np.testing.assert_allclose(out32, out64, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(dx32, dx64, rtol=1e-4, atol=1e-5)


def test_state_dict_is_a_copy_and_load_checks_keys_and_shapes():
    layer = cnp.GRU(2, 3)
    state = layer.state_dict()
    state["weight_hh_l0"][:] = 0.0
    assert np.any(layer.params["weight_hh_l0"] != 0.0)
    with pytest.raises(KeyError, match=r"missing keys \['bias_hh_l0'\]"):
        layer.load_state_dict({k: v for k, v in state.items() if k != "bias_hh_l0"})
    state["weight_ih_l0"] = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"weight_ih_l0 expected shape \(9, 2\), got \(3, 2\)"):
        layer.load_state_dict(state)


def test_dropout_gradcheck_with_a_fixed_mask():
    """In training mode the masks are part of the function; fix them by reseeding."""
    layer = cnp.GRU(3, 2, num_layers=3, dropout=0.4, bidirectional=True, rng=0)
    inputs = {"x": np.random.default_rng(1).standard_normal((4, 2, 3))}

    def forward():
        layer.rng = np.random.default_rng(7)
        return (layer(inputs["x"])[0],)

    assert_backward_matches_differences(layer, inputs, forward,
                                        lambda upstream: layer.backward(upstream[0])[:1])




def test_lstm_gradient_at_h_n_alone():
    """dhx=(dh_n, None): no gradient reaches c_n, as torch's None gradient means."""
    layer = cnp.LSTM(3, 4, num_layers=2, rng=0)
    x = np.random.default_rng(0).standard_normal((5, 2, 3))
    output, _ = layer(x)
    dh_n = np.ones((2, 2, 4))
    dx_none, _ = layer.backward(np.zeros_like(output), (dh_n, None))
    dx_zero, _ = layer.backward(np.zeros_like(output), (dh_n, np.zeros_like(dh_n)))
    np.testing.assert_array_equal(dx_none, dx_zero)


@pytest.mark.parametrize(("cls", "options"), [(cnp.RNNCell, {"nonlinearity": "relu"}),
                                              (cnp.GRUCell, {}), (cnp.LSTMCell, {}),
                                              (cnp.LSTMCell, {"peephole": True, "bias": False}),
                                              (cnp.GRUCell, {"reset_after": False})],
                         ids=["RNNCell-relu", "GRUCell", "LSTMCell", "LSTMCell-peephole-nobias",
                              "GRUCell-reset-before"])
def test_cell_gradcheck(cls, options):
    rng = np.random.default_rng(3)
    cell = cls(3, 4, rng=0, **options)
    lstm = cls is cnp.LSTMCell
    inputs = {"x": rng.standard_normal((2, 3)),
              **{f"hx{i}": rng.standard_normal((2, 4)) for i in range(2 if lstm else 1)}}

    def forward():
        hx = (inputs["hx0"], inputs["hx1"]) if lstm else inputs["hx0"]
        return flatten_state(cell(inputs["x"], hx))

    def backward(upstream):
        dx, dhx = cell.backward(*upstream)
        return (dx, *flatten_state(dhx))

    assert_backward_matches_differences(cell, inputs, forward, backward)
