"""The latching RNN: its BPTT gradient, training, a run that blows up, and the success table."""

import math

import numpy as np
import pytest

from course_rnn.data.latching import latching_task
from course_rnn.models.latching_rnn import LatchingRNN, latching_success, train_latching
from tests.model_gradients import assert_model_gradients


@pytest.mark.parametrize("options", [{}, {"cell": "lstm"}, {"cell": "lstm", "forget_bias": 1.0},
                                     {"cell": "gru"}], ids=str)
def test_backward_matches_central_differences(options):
    task = latching_task(6, span=5, seed=0)
    model = LatchingRNN(3, rng=1, **options)
    assert_model_gradients(model, task.inputs, task.labels)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_short_span_is_learned(cell):
    run = train_latching(2, seed=0, lr=1.0, updates=200, cell=cell)
    assert run.accuracy >= 0.95 and run.losses[-1] < run.losses[0]


def test_adam_trains_too():
    run = train_latching(5, seed=0, lr=0.03, updates=100, optimizer="adam", cell="lstm")
    assert run.accuracy >= 0.95


def test_cells_and_the_forget_bias_reach_the_layer():
    lstm = LatchingRNN(3, cell="lstm", forget_bias=2.0, rng=0).rnn
    np.testing.assert_array_equal(lstm.params["bias_ih_l0"][3:6], 2.0)
    assert type(lstm).__name__ == "LSTM"
    assert type(LatchingRNN(3, cell="gru", rng=0).rnn).__name__ == "GRU"


def test_exploding_run_ends_in_inf_and_clipping_keeps_it_finite():
    options = dict(lr=1.0, updates=20, nonlinearity="relu", recurrent_init="identity",
                   recurrent_scale=1.5)
    blown = train_latching(50, seed=0, **options)
    assert not np.isfinite(blown.losses[-1]) and math.isnan(blown.accuracy)
    clipped = train_latching(50, seed=0, clip="norm", **options)
    assert np.isfinite(clipped.losses).all() and len(clipped.losses) == 20


def test_initialisations_set_the_recurrent_matrix():
    W = LatchingRNN(5, recurrent_init="orthogonal", recurrent_scale=2.0, rng=0).rnn.params
    np.testing.assert_allclose(np.linalg.svd(W["weight_hh_l0"])[1], 2.0)
    irnn = LatchingRNN(5, nonlinearity="relu", recurrent_init="identity", rng=0).rnn.params
    np.testing.assert_array_equal(irnn["weight_hh_l0"], np.eye(5))


def test_success_table_shape():
    table = latching_success([2, 3], [0, 1], updates=5)
    assert table.shape == (2, 2) and table.dtype == bool


def test_bad_input():
    with pytest.raises(ValueError, match="clip"):
        train_latching(5, clip="sometimes")
    with pytest.raises(ValueError, match="optimizer: expected 'sgd' or 'adam'"):
        train_latching(5, optimizer="rmsprop")
    with pytest.raises(ValueError, match="recurrent_init"):
        LatchingRNN(3, recurrent_init="zeros")
    with pytest.raises(ValueError, match="cell"):
        LatchingRNN(3, cell="transformer")
    with pytest.raises(ValueError, match="options of cell='rnn'"):
        LatchingRNN(3, cell="lstm", recurrent_init="identity")
    with pytest.raises(ValueError, match="options of cell='rnn'"):
        LatchingRNN(3, cell="gru", nonlinearity="relu")
    with pytest.raises(ValueError, match="forget_bias: an option of cell='lstm'"):
        LatchingRNN(3, cell="rnn", forget_bias=1.0)
    with pytest.raises(RuntimeError, match="forward"):
        LatchingRNN(3).backward(np.zeros((2, 2)))
