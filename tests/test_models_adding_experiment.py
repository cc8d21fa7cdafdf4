"""The adding-problem regressor: it learns, its curves have the promised shapes, bad input fails."""

import numpy as np
import pytest
import torch

from course_rnn.data.adding import ADDING_BASELINE_MSE
from course_rnn.models.adding_experiment import (
    CELLS,
    AddingRegressor,
    adding_over_lengths,
    train_adding,
)


def test_lstm_beats_the_baseline_at_a_short_length():
    run = train_adding("lstm", 10, seed=0, updates=200, eval_every=50)
    assert run.final_mse < 0.5 * ADDING_BASELINE_MSE
    assert run.test_mse[0] > ADDING_BASELINE_MSE  # a fresh model is worse than answering 1


@pytest.mark.parametrize("cell", CELLS)
def test_every_cell_trains_and_its_curve_has_the_promised_points(cell):
    run = train_adding(cell, 6, seed=1, hidden_size=4, updates=7, eval_every=3, n_test=16)
    np.testing.assert_array_equal(run.updates, [0, 3, 6, 7])
    assert run.test_mse.shape == (4,) and np.isfinite(run.test_mse).all()
    assert run.final_mse == run.test_mse[-1]
    assert run.grad_norms.shape == (7,) and (run.grad_norms > 0).all()
    assert isinstance(run.model.layer, type(AddingRegressor(cell, 4).layer))


def test_same_seed_same_curve_other_seed_other_curve():
    options = dict(hidden_size=4, updates=4, eval_every=2, n_test=16)
    first, again = train_adding("gru", 5, 3, **options), train_adding("gru", 5, 3, **options)
    np.testing.assert_array_equal(first.test_mse, again.test_mse)
    assert not np.array_equal(first.test_mse, train_adding("gru", 5, 4, **options).test_mse)


def test_layer_options_and_factories_reach_the_layer():
    model = AddingRegressor("lstm", 3, forget_bias=1.0)
    np.testing.assert_array_equal(model.layer.bias_ih_l0.detach()[3:6], 1.0)
    made = []

    def factory(input_size, hidden_size):
        made.append((input_size, hidden_size))
        return torch.nn.GRU(input_size, hidden_size)

    run = train_adding(factory, 4, hidden_size=5, updates=1, n_test=8)
    assert made == [(2, 5)] and isinstance(run.model.layer, torch.nn.GRU)


def test_sweep_over_lengths_and_seeds():
    sweep = adding_over_lengths("rnn", [3, 5], [0, 1, 2], hidden_size=3, updates=4,
                                eval_every=2, n_test=8)
    assert sweep.final_mse.shape == (2, 3) and sweep.test_mse.shape == (2, 3, 3)
    np.testing.assert_array_equal(sweep.test_mse[..., -1], sweep.final_mse)
    np.testing.assert_array_equal(sweep.updates, [0, 2, 4])
    assert len(sweep.runs) == 2 and len(sweep.runs[1]) == 3
    assert sweep.runs[1][2].final_mse == sweep.final_mse[1, 2]


def test_bad_arguments():
    with pytest.raises(ValueError, match="cell: expected 'rnn' or 'lstm' or 'gru'"):
        train_adding("transformer", 5)
    with pytest.raises(ValueError, match="length"):
        train_adding("lstm", 0)
    with pytest.raises(ValueError, match="lr"):
        train_adding("lstm", 5, lr=-1.0)
    with pytest.raises(ValueError, match="updates"):
        train_adding("lstm", 5, updates=0)
    with pytest.raises(TypeError, match="seeds"):
        adding_over_lengths("lstm", [5], [0], seed=1)
    with pytest.raises(ValueError, match="at least one length"):
        adding_over_lengths("lstm", [], [0])
