"""The curves over seeds draw a mean and a band per model, and refuse curves of the wrong length."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_rnn.viz.seeds import plot_over_seeds  # noqa: E402


def test_one_mean_line_per_model_plus_chance():
    curves = {"a": [[0.2, 0.4], [0.4, 0.6]], "b": [[0.5, 1.0], [0.5, 1.0]]}
    fig, ax = plot_over_seeds([1, 2], curves, xlabel="epoch", ylabel="accuracy", chance=0.25)
    lines = ax.get_lines()
    assert len(lines) == 3
    np.testing.assert_allclose(lines[0].get_ydata(), [0.3, 0.5])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a (2 seeds)", "b (2 seeds)"]
    plt.close(fig)


def test_wrong_length_is_named():
    with pytest.raises(ValueError, match=r"curves\['a'\]: expected \(seeds, 3\)"):
        plot_over_seeds([1, 2, 3], {"a": [[0.1, 0.2]]}, xlabel="x", ylabel="y")
