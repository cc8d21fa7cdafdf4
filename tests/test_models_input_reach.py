"""input_gradient_norms: ||dy/dx_k|| by distance from the end, for models (T, N, D) -> (N,)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_rnn.models.adding_experiment import AddingRegressor
from course_rnn.models.input_reach import input_gradient_norms


class StepWeights(torch.nn.Module):
    """y_n = sum_t w_t . x_t[n]: the gradient at step t is w_t, whatever the input."""

    def __init__(self, w):
        super().__init__()
        self.w = torch.nn.Parameter(torch.as_tensor(w, dtype=torch.float64))  # (T, D)

    def forward(self, x):
        return (x * self.w[:, None, :]).sum(dim=(0, 2))


def test_norms_are_ordered_by_distance_from_the_last_step():
    w = np.array([[3.0, 4.0], [0.0, 1.0], [6.0, 8.0]])  # norms 5, 1, 10 at t = 0, 1, 2
    x = np.random.default_rng(0).standard_normal((3, 4, 2))
    np.testing.assert_allclose(input_gradient_norms(StepWeights(w), x), [10.0, 1.0, 5.0])


def test_a_recurrent_regressor_gives_one_positive_norm_per_step():
    torch.manual_seed(0)
    model = AddingRegressor("gru", hidden_size=4)
    x = np.random.default_rng(1).uniform(size=(7, 3, 2))
    norms = input_gradient_norms(model, x)
    assert norms.shape == (7,) and norms.dtype == np.float64 and (norms > 0).all()
    assert all(p.grad is None for p in model.parameters())  # a measurement, not a training step


def test_inputs_of_the_wrong_rank_are_named():
    with pytest.raises(ValueError, match=r"inputs: expected shape \(T, N, D\)"):
        input_gradient_norms(StepWeights(np.ones((3, 2))), np.zeros((3, 2)))
