"""Figures of the order experiment draw what they are given, and refuse what they cannot draw."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_rnn.viz.order import plot_bags, plot_learning_curves  # noqa: E402


def test_plot_bags_draws_every_token_and_one_bar_per_sequence_and_word():
    fig, (ax_seq, ax_bag) = plot_bags(np.array([[0, 1, 2], [2, 1, 0]]), ("dog", "bites", "man"),
                                      titles=["dog bites man", "man bites dog"], highlight=(0,))
    words = [t.get_text() for t in ax_seq.texts]
    assert words.count("dog") == 2 and "man bites dog" in words
    heights = [p.get_height() for p in ax_bag.patches]
    assert heights == [1.0] * 6
    plt.close(fig)


def test_plot_bags_checks_titles():
    with pytest.raises(ValueError, match="expected 2 labels"):
        plot_bags(np.array([[0, 1], [1, 0]]), ("a", "b"), titles=["one"])


def test_plot_learning_curves_one_line_per_model_plus_chance():
    histories = {"bag": {"loss": [0.7, 0.69], "val_accuracy": [0.5, 0.5]},
                 "rnn": {"loss": [0.6, 0.1], "val_accuracy": [0.7, 1.0]}}
    fig, (ax_loss, ax_acc) = plot_learning_curves(histories)
    assert len(ax_acc.get_lines()) == 3  # two models and the chance line
    np.testing.assert_allclose(ax_loss.get_lines()[1].get_ydata(), [0.6, 0.1])
    plt.close(fig)


def test_plot_learning_curves_names_missing_keys():
    with pytest.raises(KeyError, match="val_accuracy"):
        plot_learning_curves({"rnn": {"loss": [1.0]}})
    with pytest.raises(ValueError, match="chance"):
        plot_learning_curves({}, chance=1.0)
