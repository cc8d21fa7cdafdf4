"""The gate trace of an LSTM: what the layer computes, for either backend and torch.nn."""

import numpy as np
import pytest
import torch

import course_rnn.numpy
import course_rnn.torch
from course_rnn.models.lstm_gates import gate_trace


@pytest.mark.parametrize("make", [lambda: torch.nn.LSTM(2, 3),
                                  lambda: course_rnn.torch.LSTM(2, 3, forget_bias=1.0),
                                  lambda: course_rnn.numpy.LSTM(2, 3, rng=0)],
                         ids=["torch.nn", "torch backend", "numpy backend"])
def test_trace_is_what_the_layer_computes(make):
    torch.manual_seed(0)
    layer = make()
    x = np.random.default_rng(1).standard_normal((6, 4, 2))
    trace = gate_trace(layer, x)
    if isinstance(layer, torch.nn.Module):
        output = layer(torch.from_numpy(x).float())[0].detach().numpy()
    else:
        output = layer(x)[0]
    np.testing.assert_allclose(trace.h, output, rtol=1e-5, atol=1e-6)
    for gate in (trace.i, trace.f, trace.o):
        assert gate.shape == (6, 4, 3) and ((gate > 0) & (gate < 1)).all()
    c_prev = np.concatenate([np.zeros((1, 4, 3)), trace.c[:-1]])
    np.testing.assert_allclose(trace.c, trace.f * c_prev + trace.i * trace.g, rtol=1e-12)
    np.testing.assert_allclose(trace.h, trace.o * np.tanh(trace.c), rtol=1e-12)


def test_bad_input():
    with pytest.raises(ValueError, match="expected an LSTM, whose weight_hh_l0 stacks 4"):
        gate_trace(torch.nn.GRU(2, 3), np.zeros((3, 1, 2)))
    with pytest.raises(ValueError, match="one-layer LSTM without peepholes"):
        gate_trace(course_rnn.torch.LSTM(2, 3, peephole=True), np.zeros((3, 1, 2)))
    with pytest.raises(ValueError, match=r"inputs: expected shape \(T, N, D=2\)"):
        gate_trace(torch.nn.LSTM(2, 3), np.zeros((3, 1, 5)))
