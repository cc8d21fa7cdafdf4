"""Chapter 6's figures: the spectral-radius explorer, the cliff and success against span."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_rnn.viz.cliff import plot_cliff  # noqa: E402
from course_rnn.viz.latching import plot_success_by_span  # noqa: E402
from course_rnn.viz.spectral import spectral_explorer, spectral_frame  # noqa: E402


def test_spectral_frame_draws_curve_and_bound_per_nonlinearity():
    curves = {"tanh": 0.5 ** np.arange(5), "sigmoid": 0.1 ** np.arange(5)}
    fig, axes = spectral_frame(0.5, curves)
    assert len(axes) == 2
    np.testing.assert_allclose(axes[0].get_lines()[1].get_ydata(), 0.5 ** np.arange(5))
    np.testing.assert_allclose(axes[1].get_lines()[1].get_ydata(), 0.125 ** np.arange(5))
    assert "must vanish" in axes[0].get_title() and "1/γ = 4" in axes[1].get_title()
    plt.close(fig)


def test_spectral_explorer_is_a_frame_slider():
    norms = {s: {"tanh": np.ones(4)} for s in (0.5, 2.0)}
    slider = spectral_explorer([0.5, 2.0], norms)
    assert len(slider) == 2 and "s = 2" in slider.captions[1]
    with pytest.raises(KeyError, match="scales"):
        spectral_explorer([3.0], norms)
    with pytest.raises(KeyError, match="gamma"):
        spectral_frame(1.0, {"relu": np.ones(3)})


def test_cliff_draws_surface_and_paths():
    w, b = np.linspace(0, 1, 5), np.linspace(0, 1, 4)
    paths = {"plain": np.array([[0.1, 0.1], [0.5, 0.5]]), "clipped": np.array([[0.1, 0.1]])}
    fig, ax = plot_cliff(w, b, np.ones((4, 5)), paths)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["plain", "clipped"]
    with pytest.raises(ValueError, match="losses"):
        plot_cliff(w, b, np.ones((5, 4)), paths)
    plt.close("all")


def test_success_by_span():
    table = np.array([[True, True], [True, False], [False, False]])
    fig, ax = plot_success_by_span([2, 10, 50], {"tanh RNN": table})
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [1.0, 0.5, 0.0])
    with pytest.raises(ValueError, match="one row per span"):
        plot_success_by_span([2, 10], {"x": table})
    plt.close(fig)
