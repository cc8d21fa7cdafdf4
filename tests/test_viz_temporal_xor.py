"""The saw-tooth figure draws every step, marks the XOR steps and checks its positions."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_rnn.data.temporal_xor import target_positions  # noqa: E402
from course_rnn.viz.temporal_xor import plot_error_by_step  # noqa: E402


def test_mean_line_and_xor_markers():
    positions = target_positions(6)
    errors = np.array([[0.5, 0.1, 0.5, 0.5, 0.1, 0.5], [0.5, 0.3, 0.5, 0.5, 0.3, 0.5]])
    fig, ax = plot_error_by_step(errors, positions)
    mean, xor = ax.get_lines()[:2]
    np.testing.assert_allclose(mean.get_ydata(), errors.mean(axis=0))
    np.testing.assert_array_equal(xor.get_xdata(), [1, 4])  # steps that predict a XOR b
    assert [t.get_text() for t in ax.get_xticklabels()][:3] == ["b", "xor", "a"]
    plt.close(fig)


def test_positions_must_match_the_steps():
    with pytest.raises(ValueError, match="one per step"):
        plot_error_by_step(np.zeros((2, 4)), target_positions(3))
