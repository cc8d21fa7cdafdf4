"""Pascanu et al.'s bound on the gradient product, measured for tanh and sigmoid."""

import numpy as np
import pytest

from course_rnn.models.spectral_sweep import GAMMA, gradient_norms_at_scale


@pytest.mark.parametrize("nonlinearity", ["tanh", "sigmoid"])
@pytest.mark.parametrize("scale", [0.5, 1.0, 3.0, 6.0])
def test_norms_respect_the_bound(nonlinearity, scale):
    norms = gradient_norms_at_scale(scale, nonlinearity, steps=20, hidden_size=8, batch_size=4)
    bound = (scale * GAMMA[nonlinearity]) ** np.arange(21)
    assert norms[0] == 1.0 and (norms <= bound * (1 + 1e-9)).all()


def test_tanh_can_explode_above_the_bound_and_sigmoid_vanishes_below_four():
    assert gradient_norms_at_scale(3.0, "tanh")[-1] > 1e2
    assert gradient_norms_at_scale(3.0, "sigmoid")[-1] < 1e-6


def test_bad_input():
    with pytest.raises(ValueError, match="nonlinearity"):
        gradient_norms_at_scale(1.0, "relu")
    with pytest.raises(ValueError, match="scale"):
        gradient_norms_at_scale(-1.0)
