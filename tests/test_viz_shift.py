"""Chapter 9's figure: accuracy against the shift k, chance at 1/V, past and future split."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_rnn.viz.shift import plot_accuracy_by_shift  # noqa: E402


def test_curves_chance_and_the_split_at_zero():
    curves = {"one-way": [[1.0, 1.0, 0.25], [1.0, 1.0, 0.27]],
              "bidirectional": [[1.0, 1.0, 1.0], [1.0, 0.98, 1.0]]}
    fig, ax = plot_accuracy_by_shift([-2, 0, 2], curves, vocab_size=4)
    lines = ax.get_lines()
    np.testing.assert_allclose(lines[0].get_ydata(), [1.0, 1.0, 0.26])
    assert any(np.allclose(line.get_ydata(), 0.25) for line in lines)  # chance
    assert any(np.allclose(line.get_xdata(), 0) for line in lines)     # the split at k = 0
    texts = [t.get_text() for t in ax.texts]
    assert "target in the future" in texts and "chance" in texts
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "one-way (2 seeds)", "bidirectional (2 seeds)"]
    plt.close(fig)


def test_a_curve_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match=r"expected \(seeds, 3\)"):
        plot_accuracy_by_shift([-1, 0, 1], {"a": [[0.5, 0.5]]}, vocab_size=2)
