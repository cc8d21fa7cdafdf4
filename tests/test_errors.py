"""Bad input gets an error that names what was expected and what was given, on both backends.

Nothing may broadcast silently: each case here would otherwise produce a numpy or torch
broadcasting error deep inside the cell, or a plausible-looking wrong answer.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.backends import BACKENDS, CELLS, LAYERS, build, to_backend


def zeros_state(backend, kind, shape):
    """A zero state of ``shape`` for ``kind`` on ``backend``: one array, or a pair for an LSTM."""
    parts = [to_backend(backend, np.zeros(shape)) for _ in range(2 if "LSTM" in kind else 1)]
    return tuple(parts) if len(parts) == 2 else parts[0]


def call(backend, module, x, hx=None):
    return module(to_backend(backend, np.asarray(x, dtype=float)), hx)


@pytest.mark.parametrize("kind", LAYERS)
@pytest.mark.parametrize("backend", BACKENDS)
class TestLayerInput:
    def test_wrong_feature_size_names_both_shapes(self, backend, kind):
        with pytest.raises(ValueError, match=r"input: expected shape \(T, N, D=4\), "
                                             r"got \(5, 2, 7\)\. With batch_first=False"):
            call(backend, build(backend, kind, 4, 3), np.zeros((5, 2, 7)))

    def test_batch_first_layer_names_its_layout(self, backend, kind):
        with pytest.raises(ValueError, match=r"\(N, T, D=4\), got \(5, 2, 3\)\. With "
                                             r"batch_first=True the input is \(N, T, D\)"):
            call(backend, build(backend, kind, 4, 3, batch_first=True), np.zeros((5, 2, 3)))

    def test_batch_first_data_in_a_time_major_layer_is_caught_by_the_state(self, backend, kind):
        """(N=2, T=5, D) data with a (1, N=2, H) state: the batch sizes disagree."""
        hx = zeros_state(backend, kind, (1, 2, 3))
        with pytest.raises(ValueError, match=r"expected shape \(num_layers\*num_directions=1, "
                                             r"N=5, H=3\), got \(1, 2, 3\).*batch_first"):
            call(backend, build(backend, kind, 4, 3), np.zeros((2, 5, 4)), hx)

    def test_wrong_state_shape(self, backend, kind):
        layer = build(backend, kind, 4, 3, num_layers=2, bidirectional=True)
        hx = zeros_state(backend, kind, (2, 2, 3))  # needs 2 layers * 2 directions
        with pytest.raises(ValueError, match=r"h_0: expected shape \(num_layers\*num_directions"
                                             r"=4, N=2, H=3\), got \(2, 2, 3\)"):
            call(backend, layer, np.zeros((5, 2, 4)), hx)

    def test_unbatched_input_with_the_wrong_width(self, backend, kind):
        with pytest.raises(ValueError, match=r"\(T, D=4\), got \(5, 2\)\. A 2-D input is one "
                                             r"unbatched sequence"):
            call(backend, build(backend, kind, 4, 3), np.zeros((5, 2)))

    def test_four_dimensional_input(self, backend, kind):
        with pytest.raises(ValueError, match=r"\(T, N, D=4\), got \(5, 2, 1, 4\)"):
            call(backend, build(backend, kind, 4, 3), np.zeros((5, 2, 1, 4)))

    def test_empty_sequence(self, backend, kind):
        with pytest.raises(ValueError, match="input: expected at least one time step, got T=0"):
            call(backend, build(backend, kind, 4, 3), np.zeros((0, 2, 4)))

    def test_integer_input_is_a_type_error(self, backend, kind):
        x = to_backend(backend, np.zeros((5, 2, 4), dtype=np.int64))
        with pytest.raises(TypeError, match="input: expected a floating-point array, got dtype"):
            build(backend, kind, 4, 3)(x)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("backend", BACKENDS)
def test_non_finite_input_says_where(backend, bad):
    x = np.zeros((5, 2, 4))
    x[3, 1, 2] = bad
    with pytest.raises(ValueError, match=r"input: expected finite values, found .* "
                                         r"at index \(3, 1, 2\)"):
        call(backend, build(backend, "LSTM", 4, 3), x)


@pytest.mark.parametrize("name", ["LSTM", "LSTMCell"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_lstm_state_must_be_a_pair(backend, name):
    x_shape, h_shape = ((5, 2, 4), (1, 2, 3)) if name == "LSTM" else ((2, 4), (2, 3))
    with pytest.raises(TypeError, match=r"hx: expected a tuple \(h_0, c_0\), got"):
        call(backend, build(backend, name, 4, 3), np.zeros(x_shape),
             to_backend(backend, np.zeros(h_shape)))


@pytest.mark.parametrize("name", CELLS)
@pytest.mark.parametrize("backend", BACKENDS)
class TestCellInput:
    def test_wrong_feature_size(self, backend, name):
        with pytest.raises(ValueError, match=r"input: expected shape \(N, D=4\), got \(2, 5\)"):
            call(backend, build(backend, name, 4, 3), np.zeros((2, 5)))

    def test_state_with_another_batch_size(self, backend, name):
        with pytest.raises(ValueError, match=r"h_0: expected shape \(N=2, H=3\), got \(5, 3\)"):
            call(backend, build(backend, name, 4, 3), np.zeros((2, 4)),
                 zeros_state(backend, name, (5, 3)))

    def test_non_finite_state(self, backend, name):
        hx = zeros_state(backend, name, (2, 3))
        (hx[0] if isinstance(hx, tuple) else hx)[1, 2] = float("inf")
        with pytest.raises(ValueError, match=r"h_0: expected finite values, found inf"):
            call(backend, build(backend, name, 4, 3), np.zeros((2, 4)), hx)


@pytest.mark.parametrize("backend", BACKENDS)
def test_lstm_cell_names_the_bad_cell_state(backend):
    hx = (to_backend(backend, np.zeros((2, 3))), to_backend(backend, np.zeros((2, 5))))
    with pytest.raises(ValueError, match=r"c_0: expected shape \(N=2, H=3\), got \(2, 5\)"):
        call(backend, build(backend, "LSTMCell", 4, 3), np.zeros((2, 4)), hx)


@pytest.mark.parametrize("backend", BACKENDS)
def test_bad_constructor_arguments(backend):
    with pytest.raises(ValueError, match="hidden_size: expected a positive integer, got 0"):
        build(backend, "GRU", 4, 0)
    for name in CELLS:  # a cell, as in torch.nn, may have no hidden units, but not fewer
        with pytest.raises(ValueError, match="hidden_size: expected an integer >= 0, got -1"):
            build(backend, name, 4, -1)
    with pytest.raises(ValueError, match="num_layers: expected a positive integer, got 1.5"):
        build(backend, "LSTM", 4, 3, num_layers=1.5)
    for name in ("RNN", "RNNCell"):
        with pytest.raises(ValueError, match="nonlinearity: expected 'tanh' or 'relu', "
                                             "got 'sigmoid'"):
            build(backend, name, 4, 3, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match=r"dropout: expected a probability in \[0, 1"):
        build(backend, "LSTM", 4, 3, num_layers=2, dropout=1.5)
    for name in ("LSTM", "LSTMCell"):
        with pytest.raises(ValueError, match=r"forget_bias: needs bias=True"):
            build(backend, name, 4, 3, bias=False, forget_bias=1.0)


@pytest.mark.parametrize("value", [0, 1, "False", None])
@pytest.mark.parametrize("backend", BACKENDS)
def test_switches_must_be_bools(backend, value):
    """As torch.nn: batch_first="False" is truthy and bias=0 would silently drop the biases."""
    message = f"expected a bool \\(True or False\\), got {re.escape(repr(value))}"
    for name in LAYERS:
        for switch in ("bias", "batch_first", "bidirectional"):
            with pytest.raises(TypeError, match=f"{switch}: {message}"):
                build(backend, name, 4, 3, **{switch: value})
    for name in CELLS:
        with pytest.raises(TypeError, match=f"bias: {message}"):
            build(backend, name, 4, 3, bias=value)
    for name in ("GRU", "GRUCell"):
        with pytest.raises(TypeError, match=f"reset_after: {message}"):
            build(backend, name, 4, 3, reset_after=value)


def test_numpy_backward_needs_a_forward_and_a_matching_gradient():
    layer = build("numpy", "LSTM", 4, 3, batch_first=True)
    with pytest.raises(RuntimeError, match="call forward first"):
        layer.backward(np.zeros((2, 5, 3)))
    layer(np.zeros((2, 5, 4)))
    with pytest.raises(ValueError, match=r"doutput: expected the shape of output, "
                                         r"\(2, 5, 3\), got \(5, 2, 3\)"):
        layer.backward(np.zeros((5, 2, 3)))
    with pytest.raises(ValueError, match=r"dc_n: expected shape"):
        layer.backward(np.zeros((2, 5, 3)), (np.zeros((1, 2, 3)), np.zeros((1, 3, 3))))


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


@pytest.mark.parametrize("name", ["gru", "gru_reset_before"])
def test_gru_step_names_weights_of_another_cell(name):
    """LSTM-sized weights (4 blocks) given to a GRU step: the message counts the blocks."""
    import course_rnn.numpy as cnp

    step = getattr(cnp, f"{name}_step_forward")
    with pytest.raises(ValueError, match=r"^W_hh: expected shape \(G\*H=9, H=3\), got "
                                         r"\(12, 3\)\. This cell stacks 3 gate block"):
        step(np.zeros((5, 4)), np.zeros((5, 3)), np.zeros((12, 4)), np.zeros((12, 3)), None, None)


@pytest.mark.parametrize("name", ["rnn", "lstm", "gru", "gru_reset_before"])
def test_step_backward_names_a_cache_it_cannot_read(name):
    import course_rnn.numpy as cnp

    backward = getattr(cnp, f"{name}_step_backward")
    upstream = [np.zeros((2, 3))] * (2 if name == "lstm" else 1)
    with pytest.raises(TypeError, match=r"^cache: expected what the forward step returned"):
        backward(*upstream, (np.zeros((2, 3)),) * 4)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_list_is_named_not_a_crash(backend):
    """A nested list has no dtype: the error says what was expected, not 'no attribute'."""
    layer = build(backend, "GRU", 4, 3)
    with pytest.raises(TypeError, match=r"input: expected .*got list"):
        layer([[[0.0] * 4]])


@pytest.mark.parametrize("name", ["rnn", "gru"])
def test_functional_api_refuses_mixed_dtypes(name):
    """float32 data with a float64 state would be written into float32 buffers silently."""
    import course_rnn.numpy as cnp

    forward = getattr(cnp, f"{name}_forward")
    G = {"rnn": 1, "gru": 3}[name]
    x, h_init = np.zeros((5, 2, 4), np.float32), np.zeros((2, 3))
    args = (np.zeros((G * 3, 4), np.float32), np.zeros((G * 3, 3), np.float32), None, None)
    with pytest.raises(TypeError, match="h_init: expected dtype float32 like x, got float64"):
        forward(x, h_init, *args)
    with pytest.raises(ValueError, match="at least one time step"):
        forward(x[:0], h_init.astype(np.float32), *args)


def test_numpy_output_is_read_only_so_backward_stays_right():
    """Backward reads the saved hidden states; an in-place edit of the output would change them."""
    layer = build("numpy", "RNN", 4, 3)
    output, _ = layer(np.ones((5, 2, 4)))
    with pytest.raises(ValueError, match="read-only"):
        output *= 2
