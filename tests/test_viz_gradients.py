"""Loss-curve and gradient-norm figures."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_rnn.viz.gradients import (  # noqa: E402
    moving_average,
    plot_gradient_norms,
    plot_loss_curve,
)
from course_rnn.viz.style import PALETTE  # noqa: E402


def test_moving_average():
    np.testing.assert_allclose(moving_average([1, 2, 3, 4], 2), [1.5, 2.5, 3.5])
    np.testing.assert_allclose(moving_average([1, 3], 10), [2.0])  # window capped at the length
    with pytest.raises(ValueError, match="window"):
        moving_average([1, 2], 0)
    with pytest.raises(ValueError, match="non-empty"):
        moving_average([], 3)


def test_loss_curve_draws_steps_average_and_baselines():
    losses = list(np.linspace(4.0, 2.0, 50))
    fig, ax = plot_loss_curve(losses, baselines={"uniform": 4.5, "unigram": 3.2}, window=10)
    lines = ax.get_lines()
    assert len(lines) == 4
    np.testing.assert_allclose(lines[0].get_ydata(), losses)
    assert len(lines[1].get_xdata()) == 41 and lines[1].get_color() == PALETTE["output"]
    assert [line.get_ydata()[0] for line in lines[2:]] == [4.5, 3.2]
    assert "uniform = 4.50" in [t.get_text() for t in ax.texts]
    plt.close(fig)


def test_gradient_norms_on_log_axis_with_bound():
    curves = {"s = 0.5": 0.5 ** np.arange(6) * 0.9 + 0.05, "s = 2": np.ones(6)}
    curves["s = 0.5"][0] = 1.0
    fig, ax = plot_gradient_norms(curves, bounds={"s = 0.5": 0.5})
    assert ax.get_yscale() == "log"
    lines = ax.get_lines()
    assert len(lines) == 3
    np.testing.assert_allclose(lines[1].get_ydata(), 0.5 ** np.arange(6))
    assert lines[0].get_color() == lines[1].get_color() != lines[2].get_color()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["s = 0.5", "s = 2"]
    assert "partial L_t" in ax.get_ylabel()
    plt.close(fig)
    fig, ax = plot_gradient_norms({"a": np.ones(2)}, ylabel="||dy/dx_k||")
    assert ax.get_ylabel() == "||dy/dx_k||"
    plt.close(fig)


def test_gradient_norm_errors():
    with pytest.raises(ValueError, match="at least one"):
        plot_gradient_norms({})
    with pytest.raises(KeyError, match="bounds"):
        plot_gradient_norms({"a": np.ones(3)}, bounds={"b": 0.5})
    with pytest.raises(ValueError, match="positive"):
        plot_gradient_norms({"a": np.array([1.0, 0.0])})
    plt.close("all")


def test_draws_into_given_axes():
    fig, axes = plt.subplots(1, 2)
    assert plot_loss_curve([3.0, 2.0], ax=axes[0]) == (fig, axes[0])
    assert plot_gradient_norms({"a": np.ones(2)}, ax=axes[1]) == (fig, axes[1])
    plt.close(fig)


def test_training_snapshot_shows_the_run_so_far_and_the_sample():
    from course_rnn.viz.gradients import plot_training_snapshot

    losses = np.linspace(4.0, 2.0, 30)
    sample_text = "def f(x):\n" + "    return x" * 10 + "\n" + "\n".join("abcdefgh")
    fig, (ax_loss, ax_text) = plot_training_snapshot(losses, 10, sample_text,
                                                     baselines={"uniform": 4.5})
    curve = ax_loss.get_lines()[0]
    np.testing.assert_allclose(curve.get_ydata(), losses[:10])
    assert ax_loss.get_xlim() == (0.0, 30.0)  # the whole run, so frames line up
    assert ax_loss.get_ylim()[1] > 4.5
    shown = ax_text.texts[0].get_text().splitlines()
    assert shown[0] == "def f(x):" and len(shown) == 6 and max(map(len, shown)) == 72
    plt.close(fig)
    with pytest.raises(ValueError, match="step"):
        plot_training_snapshot(losses, 0, "x")
    with pytest.raises(ValueError, match="non-empty"):
        plot_training_snapshot([], 1, "x")
