"""Bad input gets an error that names what was expected and what was given, on both backends.

Nothing may broadcast silently: each case here would otherwise produce a numpy or torch
broadcasting error deep inside the cell, or a plausible-looking wrong answer.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.backends import LAYER_BACKENDS


def to_backend(backend: str, array):
    return torch.from_numpy(array) if backend == "torch" else array


def make(backend: str, kind: str, **options):
    dtype = {"dtype": torch.float64} if backend == "torch" else {}
    return getattr(LAYER_BACKENDS[backend], kind)(4, 3, **options, **dtype)


BACKENDS = ["numpy", "torch"]
KINDS = ["RNN", "LSTM", "GRU"]


def zeros_state(kind, shape):
    state = np.zeros(shape)
    return (state, state.copy()) if kind == "LSTM" else state


def state_to_backend(backend, state):
    if isinstance(state, tuple):
        return tuple(to_backend(backend, s) for s in state)
    return to_backend(backend, state)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_wrong_feature_size_names_both_shapes(backend, kind):
    layer = make(backend, kind)
    with pytest.raises(ValueError, match=r"input: expected shape \(T, N, D=4\), got \(5, 2, 7\)"):
        layer(to_backend(backend, np.zeros((5, 2, 7))))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_batch_first_data_in_a_time_major_layer_is_caught_by_the_state(backend, kind):
    """(N=2, T=5, D) data with a (1, N=2, H) state: the batch sizes disagree."""
    layer = make(backend, kind)
    x = to_backend(backend, np.zeros((2, 5, 4)))
    hx = state_to_backend(backend, zeros_state(kind, (1, 2, 3)))
    with pytest.raises(ValueError, match=r"expected shape \(num_layers\*num_directions=1, N=5, "
                                         r"H=3\), got \(1, 2, 3\).*batch_first"):
        layer(x, hx)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_batch_first_layer_names_its_layout(backend, kind):
    layer = make(backend, kind, batch_first=True)
    with pytest.raises(ValueError, match=r"\(N, T, D=4\), got \(5, 2, 3\).*batch_first=True"):
        layer(to_backend(backend, np.zeros((5, 2, 3))))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_wrong_state_shape(backend, kind):
    layer = make(backend, kind, num_layers=2, bidirectional=True)
    hx = state_to_backend(backend, zeros_state(kind, (2, 2, 3)))  # needs 2 layers * 2 directions
    with pytest.raises(ValueError, match=r"expected shape \(num_layers\*num_directions=4, N=2, "
                                         r"H=3\), got \(2, 2, 3\)"):
        layer(to_backend(backend, np.zeros((5, 2, 4))), hx)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_integer_input_is_a_type_error(backend, kind):
    with pytest.raises(TypeError, match="input: expected a floating-point array, got dtype"):
        make(backend, kind)(to_backend(backend, np.zeros((5, 2, 4), dtype=np.int64)))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("backend", BACKENDS)
def test_non_finite_input_says_where(backend, bad):
    x = np.zeros((5, 2, 4))
    x[3, 1, 2] = bad
    with pytest.raises(ValueError, match=r"input: expected finite values, found .* "
                                         r"at index \(3, 1, 2\)"):
        make(backend, "LSTM")(to_backend(backend, x))


@pytest.mark.parametrize("backend", BACKENDS)
def test_lstm_state_must_be_a_pair(backend):
    with pytest.raises(TypeError, match=r"expected a tuple \(h_0, c_0\)"):
        make(backend, "LSTM")(to_backend(backend, np.zeros((5, 2, 4))),
                              to_backend(backend, np.zeros((1, 2, 3))))


@pytest.mark.parametrize("backend", BACKENDS)
def test_bad_constructor_arguments(backend):
    with pytest.raises(ValueError, match="hidden_size: expected a positive integer, got 0"):
        make_cls = LAYER_BACKENDS[backend].GRU
        make_cls(4, 0)
    with pytest.raises(ValueError, match="nonlinearity"):
        LAYER_BACKENDS[backend].RNN(4, 3, nonlinearity="sigmoid")


def test_numpy_backward_needs_a_forward_and_a_matching_gradient():
    import course_rnn.numpy as cnp

    layer = cnp.LSTM(4, 3, batch_first=True)
    with pytest.raises(RuntimeError, match="call forward first"):
        layer.backward(np.zeros((2, 5, 3)))
    layer(np.zeros((2, 5, 4)))
    with pytest.raises(ValueError, match=r"doutput: expected the shape of output, "
                                         r"\(2, 5, 3\), got \(5, 2, 3\)"):
        layer.backward(np.zeros((5, 2, 3)))


@pytest.mark.parametrize("name, args", [
    ("W_hh", dict(W_hh=np.zeros((3, 2)))),          # transposed
    ("W_ih", dict(W_ih=np.zeros((4, 3)))),          # (D, H) instead of (H, D)
    ("b_ih", dict(b_ih=np.zeros(4))),
    ("h_prev", dict(h_prev=np.zeros((2, 3)))),      # batch sizes disagree
])
def test_step_function_names_the_bad_argument(name, args):
    from course_rnn.numpy import rnn_step_forward

    valid = dict(x=np.zeros((5, 4)), h_prev=np.zeros((5, 3)), W_ih=np.zeros((3, 4)),
                 W_hh=np.zeros((3, 3)), b_ih=np.zeros(3), b_hh=np.zeros(3))
    with pytest.raises(ValueError, match=rf"^{name}: expected shape"):
        rnn_step_forward(**{**valid, **args})
