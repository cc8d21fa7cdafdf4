"""Chapter 11's memory figure: one line per contestant and a T^2 reference."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_rnn.viz.memory import plot_memory_by_length  # noqa: E402


def test_lines_and_a_square_law_through_the_top():
    fig, ax = plot_memory_by_length([10, 20, 40], {"rnn": [5, 5, 5], "attention": [1, 4, 16]})
    lines = ax.get_lines()
    assert len(lines) == 3
    np.testing.assert_allclose(lines[2].get_ydata(), [1, 4, 16])
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    plt.close(fig)


def test_a_wrong_number_of_values_is_named():
    with pytest.raises(ValueError, match=r"peaks\['rnn'\]: expected \(3,\) values"):
        plot_memory_by_length([1, 2, 3], {"rnn": [1, 2]})
