"""The one-unit network of Pascanu et al.'s cliff: its states, its BPTT gradient, both descents."""

import numpy as np
import pytest

from course_rnn.models.cliff import cliff_gradient, cliff_loss, cliff_states, descend


def test_states_follow_the_recurrence():
    x = cliff_states(2.0, -1.0, x0=0.5, steps=3)
    expected = [0.5]
    for _ in range(3):
        expected.append(2.0 / (1.0 + np.exp(-expected[-1])) - 1.0)
    np.testing.assert_allclose(x, expected)


@pytest.mark.parametrize("w, b", [(1.0, 0.2), (6.0, -3.0), (9.0, -5.5)])
def test_gradient_matches_central_differences(w, b):
    eps = 1e-6
    numeric = [(cliff_loss(w + eps, b) - cliff_loss(w - eps, b)) / (2 * eps),
               (cliff_loss(w, b + eps) - cliff_loss(w, b - eps)) / (2 * eps)]
    np.testing.assert_allclose(cliff_gradient(w, b), numeric, rtol=1e-5, atol=1e-7)


def test_clipped_steps_are_short_and_plain_ones_jump_off_the_wall():
    plain = descend((9.0, -5.5), lr=0.05, updates=60)
    clipped = descend((9.0, -5.5), lr=0.05, updates=60, max_norm=1.0)
    assert np.linalg.norm(np.diff(clipped, axis=0), axis=1).max() <= 0.05 + 1e-12
    assert np.linalg.norm(np.diff(plain, axis=0), axis=1).max() > 5.0


def test_bad_input():
    with pytest.raises(ValueError, match="start"):
        descend((1.0, 2.0, 3.0), lr=0.1, updates=2)
    with pytest.raises(ValueError, match="lr"):
        descend((1.0, 2.0), lr=-0.1, updates=2)
    with pytest.raises(ValueError, match="steps"):
        cliff_states(1.0, 0.0, steps=0)
