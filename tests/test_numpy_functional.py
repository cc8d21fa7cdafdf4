"""The NumPy functional API: step functions against torch.nn's cells, sequence functions
against a loop of step functions, and every gradient against central differences."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
import torch

from course_rnn.gradcheck import gradient_errors
from course_rnn.numpy import gru, gru_reset_before, lstm, lstm_peephole, rnn
from course_rnn.numpy.step_loop import backward_steps, forward_steps


@dataclass(frozen=True)
class Kind:
    name: str
    gates: int
    n_states: int        # 1 for h, 2 for (h, c)
    step_forward: object
    step_backward: object
    forward: object
    backward: object
    torch_cell: type | None
    extra_weights: tuple = ()   # (name, shape given H) of weights after the four torch ones


KINDS = [
    Kind("rnn", 1, 1, rnn.rnn_step_forward, rnn.rnn_step_backward, rnn.rnn_forward,
         rnn.rnn_backward, torch.nn.RNNCell),
    Kind("lstm", 4, 2, lstm.lstm_step_forward, lstm.lstm_step_backward, lstm.lstm_forward,
         lstm.lstm_backward, torch.nn.LSTMCell),
    Kind("gru", 3, 1, gru.gru_step_forward, gru.gru_step_backward, gru.gru_forward,
         gru.gru_backward, torch.nn.GRUCell),
]
# torch.nn has no peepholes and no reset-before GRU: checked against central differences only
LSTM_PEEPHOLE = Kind("lstm-peephole", 4, 2, lstm_peephole.lstm_peephole_step_forward,
                     lstm_peephole.lstm_peephole_step_backward,
                     lstm_peephole.lstm_peephole_forward, lstm_peephole.lstm_peephole_backward,
                     None, (("peephole", lambda H: (3, H)),))
GRU_RESET_BEFORE = Kind("gru-reset-before", 3, 1, gru_reset_before.gru_reset_before_step_forward,
                        gru_reset_before.gru_reset_before_step_backward,
                        gru_reset_before.gru_reset_before_forward,
                        gru_reset_before.gru_reset_before_backward, None)
ALL_KINDS = [*KINDS, LSTM_PEEPHOLE, GRU_RESET_BEFORE]
WEIGHT_NAMES = ("W_ih", "W_hh", "b_ih", "b_hh")


def random_weights(kind: Kind, D, H, rng, bias=True):
    G = kind.gates
    shapes = ((G * H, D), (G * H, H), (G * H,), (G * H,))
    weights = {name: (rng.standard_normal(s) * 0.5 if bias or name.startswith("W") else None)
               for name, s in zip(WEIGHT_NAMES, shapes)}
    weights.update({name: rng.standard_normal(shape(H)) for name, shape in kind.extra_weights})
    return weights


def random_states(kind: Kind, N, H, rng):
    return tuple(rng.standard_normal((N, H)) for _ in range(kind.n_states))


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("N", [1, 4])
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_step_matches_torch_cell(kind, N, bias):
    """Without biases the step still returns bias gradients: those of zero biases."""
    rng = np.random.default_rng(N + 10 * bias)
    D, H = 3, 5
    weights = random_weights(kind, D, H, rng, bias)
    x, states = rng.standard_normal((N, D)), random_states(kind, N, H, rng)
    outputs = kind.step_forward(x, *states, *weights.values())
    new_states, cache = outputs[:-1], outputs[-1]
    upstream = random_states(kind, N, H, rng)
    grads = kind.step_backward(*upstream, cache)

    cell = kind.torch_cell(D, H, dtype=torch.float64)
    zero_bias = np.zeros(kind.gates * H)
    cell.load_state_dict({f"{'weight' if n[0] == 'W' else 'bias'}_{n[2:]}":
                          torch.tensor(zero_bias if w is None else w)
                          for n, w in weights.items()})
    xt = torch.tensor(x, requires_grad=True)
    st = tuple(torch.tensor(s, requires_grad=True) for s in states)
    out = cell(xt, st if kind.n_states == 2 else st[0])
    out = out if isinstance(out, tuple) else (out,)
    sum((o * torch.tensor(u)).sum() for o, u in zip(out, upstream)).backward()

    for mine, ref in zip(new_states, out):
        np.testing.assert_allclose(mine, ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    expected = [xt.grad, *(s.grad for s in st), cell.weight_ih.grad, cell.weight_hh.grad,
                cell.bias_ih.grad, cell.bias_hh.grad]
    for mine, ref in zip(grads, expected, strict=True):
        np.testing.assert_allclose(mine, ref.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("T", [1, 6])
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_sequence_functions_equal_loop_of_steps(kind, T):
    rng = np.random.default_rng(T)
    N, D, H = 3, 4, 5
    weights = list(random_weights(kind, D, H, rng).values())
    x, states = rng.standard_normal((T, N, D)), random_states(kind, N, H, rng)
    dh = rng.standard_normal((T, N, H))
    d_last_rest = random_states(kind, N, H, rng)[1:]  # dc_n for the LSTM

    h_loop, final_loop, caches = forward_steps(kind.step_forward, x, states, *weights)
    dx_loop, d_init_loop, weight_grads_loop = backward_steps(kind.step_backward, dh, caches,
                                                             d_last_rest)
    *outputs, cache = kind.forward(x, *states, *weights)
    grads = kind.backward(dh, cache, *d_last_rest)

    np.testing.assert_allclose(outputs[0], h_loop, rtol=1e-12, atol=1e-14)
    if kind.n_states == 2:
        np.testing.assert_allclose(outputs[1], final_loop[1], rtol=1e-12, atol=1e-14)
    for mine, ref in zip(grads, (dx_loop, *d_init_loop, *weight_grads_loop), strict=True):
        np.testing.assert_allclose(mine, ref, rtol=1e-10, atol=1e-12)


def check_function_gradients(forward, arrays: dict, backward_grads: dict, upstream):
    errors = gradient_errors(forward, arrays, backward_grads, upstream)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("kind", ALL_KINDS, ids=lambda k: k.name)
def test_step_gradcheck(kind):
    rng = np.random.default_rng(1)
    N, D, H = 2, 3, 4
    arrays = {"x": rng.standard_normal((N, D))}
    arrays.update(zip(("h", "c")[:kind.n_states], random_states(kind, N, H, rng)))
    arrays.update(random_weights(kind, D, H, rng))

    def forward():
        return kind.step_forward(*arrays.values())[:kind.n_states]

    *_, cache = kind.step_forward(*arrays.values())
    upstream = random_states(kind, N, H, rng)
    check_function_gradients(forward, arrays,
                             dict(zip(arrays, kind.step_backward(*upstream, cache))), upstream)


@pytest.mark.parametrize("kind", ALL_KINDS, ids=lambda k: k.name)
def test_sequence_gradcheck(kind):
    rng = np.random.default_rng(2)
    T, N, D, H = 4, 2, 3, 3
    arrays = {"x": rng.standard_normal((T, N, D))}
    arrays.update(zip(("h_init", "c_init")[:kind.n_states], random_states(kind, N, H, rng)))
    arrays.update(random_weights(kind, D, H, rng))

    def forward():  # h at every step, and c_n for the LSTM
        return kind.forward(*arrays.values())[:kind.n_states]

    *_, cache = kind.forward(*arrays.values())
    upstream = (rng.standard_normal((T, N, H)), *random_states(kind, N, H, rng)[1:])
    grads = kind.backward(upstream[0], cache, *upstream[1:])
    check_function_gradients(forward, arrays, dict(zip(arrays, grads)), upstream)
