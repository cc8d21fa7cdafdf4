"""The LSTM variants of the ablation: the full one is torch.nn.LSTM, the peephole one the
package's peephole LSTM, a removed gate is a gate stuck open, and the two other changes do
what their equations say."""

import numpy as np
import pytest
import torch

import course_rnn.numpy
import course_rnn.torch
from course_rnn.models.lstm_variants import VARIANTS, LSTMVariant, Variant

T, N, D, H = 5, 3, 2, 4
GATE_ROWS = {"input_gate": slice(0, H), "forget_gate": slice(H, 2 * H),
             "output_gate": slice(3 * H, 4 * H)}


def inputs(seed=0):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(T, N, D, dtype=torch.float64, generator=generator)
    hx = tuple(torch.randn(1, N, H, dtype=torch.float64, generator=generator) for _ in "hc")
    return x, hx


def run_with_grads(module, x, hx):
    """Output, final states and every gradient of sum(output * G) for a fixed random G."""
    x = x.clone().requires_grad_(True)
    output, (h_n, c_n) = module(x, hx)
    G = torch.randn(output.shape, dtype=torch.float64, generator=torch.Generator().manual_seed(9))
    (output * G).sum().backward()
    grads = {name: p.grad.clone() for name, p in module.named_parameters()}
    return output.detach(), h_n.detach(), c_n.detach(), x.grad, grads


def assert_same(ours, reference):
    for a, b in zip(ours[:4], reference[:4]):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12)
    assert ours[4].keys() == reference[4].keys()
    for name in reference[4]:
        torch.testing.assert_close(ours[4][name], reference[4][name], rtol=1e-10, atol=1e-12,
                                   msg=name)


def test_full_variant_equals_torch_nn_lstm_with_the_same_seed():
    torch.manual_seed(3)
    reference = torch.nn.LSTM(D, H, dtype=torch.float64)
    torch.manual_seed(3)
    ours = LSTMVariant(D, H, dtype=torch.float64)
    x, hx = inputs()
    assert_same(run_with_grads(ours, x, hx), run_with_grads(reference, x, hx))


def test_peephole_variant_equals_the_packages_peephole_lstm_on_both_backends():
    torch.manual_seed(4)
    reference = course_rnn.torch.LSTM(D, H, peephole=True, dtype=torch.float64)
    torch.manual_seed(4)
    ours = LSTMVariant(D, H, "peepholes", dtype=torch.float64)
    x, hx = inputs(1)
    assert_same(run_with_grads(ours, x, hx), run_with_grads(reference, x, hx))
    numpy_lstm = course_rnn.numpy.LSTM(D, H, peephole=True)
    numpy_lstm.load_state_dict(ours.state_dict())
    output, _ = numpy_lstm(x.numpy(), tuple(s.numpy() for s in hx))
    np.testing.assert_allclose(output, ours(x, hx)[0].detach().numpy(), rtol=1e-10)


@pytest.mark.parametrize("gate", sorted(GATE_ROWS))
def test_a_removed_gate_is_a_gate_stuck_open(gate):
    """sigmoid(60) is 1 in float64, so a full cell with that bias is the cell without the gate."""
    removed = LSTMVariant(D, H, Variant(**{gate: False}), dtype=torch.float64)
    stuck_open = LSTMVariant(D, H, dtype=torch.float64)
    stuck_open.load_state_dict(removed.state_dict())
    with torch.no_grad():
        stuck_open.bias_ih_l0[GATE_ROWS[gate]] = 60.0
    x, hx = inputs(2)
    torch.testing.assert_close(removed(x, hx)[0], stuck_open(x, hx)[0], rtol=1e-12, atol=1e-14)
    full = LSTMVariant(D, H, dtype=torch.float64)
    full.load_state_dict(removed.state_dict())
    assert not torch.allclose(removed(x, hx)[0], full(x, hx)[0])  # the change matters


def reference_step(x_t, h, c, W_ih, W_hh, b, coupled, output_activation):
    """The cell in another form: one weight block per gate, NumPy."""
    def block(k):
        rows = slice(k * H, (k + 1) * H)
        return x_t @ W_ih[rows].T + h @ W_hh[rows].T + b[rows]

    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    i, g, o = sigmoid(block(0)), np.tanh(block(2)), sigmoid(block(3))
    f = 1 - i if coupled else sigmoid(block(1))
    c = f * c + i * g
    return o * (np.tanh(c) if output_activation else c), c


@pytest.mark.parametrize("name", ["coupled gates", "no output activation"])
def test_coupled_gates_and_no_output_activation_follow_their_equations(name):
    module = LSTMVariant(D, H, name, dtype=torch.float64)
    p = {k: v.detach().numpy() for k, v in module.state_dict().items()}
    x, hx = inputs(3)
    h, c = hx[0][0].numpy(), hx[1][0].numpy()
    expected = []
    for x_t in x.numpy():
        h, c = reference_step(x_t, h, c, p["weight_ih_l0"], p["weight_hh_l0"],
                              p["bias_ih_l0"] + p["bias_hh_l0"], name == "coupled gates",
                              name != "no output activation")
        expected.append(h)
    np.testing.assert_allclose(module(x, hx)[0].detach().numpy(), np.stack(expected),
                               rtol=1e-10)


def test_every_variant_runs_without_a_state_and_trains():
    x = torch.randn(T, N, D)
    for name in VARIANTS:
        layer = LSTMVariant(D, H, name)
        output, (h_n, c_n) = layer(x)
        assert output.shape == (T, N, H) and h_n.shape == c_n.shape == (1, N, H)
        output.sum().backward()
        assert layer.weight_hh_l0.grad is not None
        assert ("peepholes" in name) == hasattr(layer, "weight_peephole_l0")
        assert name == "full" or "variant={'" in repr(layer)


def test_bad_input():
    with pytest.raises(ValueError, match="variant: expected 'full'"):
        LSTMVariant(D, H, "no cell")
    with pytest.raises(ValueError, match="coupled gates need the input gate"):
        LSTMVariant(D, H, Variant(coupled=True, input_gate=False))
    layer = LSTMVariant(D, H)
    with pytest.raises(ValueError, match=r"input: expected shape \(T, N, D=2\)"):
        layer(torch.zeros(T, N, D + 1))
    with pytest.raises(ValueError, match="h_0: expected shape"):
        layer(torch.zeros(T, N, D), (torch.zeros(N, H), torch.zeros(N, H)))
    with pytest.raises(ValueError, match="finite"):
        layer(torch.full((T, N, D), float("nan")))
