"""Chapter 10's alignment heatmaps."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_rnn.viz.attention import plot_alignment, plot_alignments  # noqa: E402


def test_alignment_shows_the_weights_with_token_labels():
    weights = np.eye(3)[::-1]
    fig, ax = plot_alignment(weights, "123", ["3", "2", "1"])
    np.testing.assert_array_equal(ax.images[0].get_array(), weights)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["3", "2", "1"]
    assert ax.xaxis.label.get_size() >= 10
    plt.close(fig)


def test_alignment_rejects_weights_that_do_not_match_the_tokens():
    with pytest.raises(ValueError, match=r"expected shape \(T=2, S=3\)"):
        plot_alignment(np.ones((3, 2)), "abc", "xy")


def test_alignments_side_by_side_share_one_colour_bar():
    examples = [(np.full((2, 2), 0.5), "ab", "cd"), (np.eye(3), "abc", "def")]
    fig, axes = plot_alignments(examples, titles=["one", "two"])
    assert len(axes) == 2 and axes[1].get_title() == "two"
    assert len(fig.axes) == 3  # two panels and a colour bar
    plt.close(fig)
    with pytest.raises(ValueError, match="at least one"):
        plot_alignments([])
