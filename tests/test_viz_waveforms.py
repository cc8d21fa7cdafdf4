"""Chapter 11's figures: generated waveforms beside the target, clockwork units by module."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_rnn.viz.waveforms import plot_generated, plot_module_traces  # noqa: E402


def test_one_panel_per_model_with_target_and_nmse():
    target = np.sin(np.arange(20) / 3)
    fig, axes = plot_generated(target, {"a": target * 0.5, "b": target},
                               nmse={"a": 0.25, "b": 0.0})
    assert len(axes) == 2
    np.testing.assert_allclose(axes[0].get_lines()[0].get_ydata(), target)
    np.testing.assert_allclose(axes[0].get_lines()[1].get_ydata(), target * 0.5)
    assert axes[0].get_title(loc="left") == "a: NMSE 0.250"
    plt.close(fig)


def test_an_output_of_the_wrong_length_is_named():
    with pytest.raises(ValueError, match=r"outputs\['a'\]: expected the target's shape \(5,\)"):
        plot_generated(np.zeros(5), {"a": np.zeros(4)})


def test_modules_get_their_own_panels_and_units():
    states = np.random.default_rng(0).standard_normal((12, 6))
    fig, axes = plot_module_traces(states, (1, 2, 4))
    assert len(axes) == 3
    assert [len(ax.get_lines()) for ax in axes] == [2, 2, 2]
    np.testing.assert_allclose(axes[2].get_lines()[1].get_ydata(), states[:, 5])
    assert axes[1].get_ylabel() == "$T_2 = 2$"
    plt.close(fig)


def test_units_that_do_not_split_into_modules_are_refused():
    with pytest.raises(ValueError, match="H divisible by the 4 periods"):
        plot_module_traces(np.zeros((5, 6)), (1, 2, 4, 8))
