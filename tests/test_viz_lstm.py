"""Chapter 7's figures: the adding-problem curves, a gate trace and the ablation."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_rnn.data.adding import ADDING_BASELINE_MSE  # noqa: E402
from course_rnn.models.lstm_gates import GateTrace  # noqa: E402
from course_rnn.viz.ablation import plot_ablation  # noqa: E402
from course_rnn.viz.adding import plot_adding_curves  # noqa: E402
from course_rnn.viz.gates import plot_gate_trace  # noqa: E402


def test_adding_curves_one_panel_per_length_with_the_baseline():
    updates = [0, 10, 20]
    curves = {50: {"RNN": [[1.0, 0.2, 0.17], [1.0, 0.3, 0.16]], "LSTM": [[1.0, 0.1, 0.01]]},
              100: {"RNN": [[1.0, 0.2, 0.17]], "LSTM": [[1.0, 0.2, 0.05]]}}
    fig, axes = plot_adding_curves(updates, curves)
    assert len(axes) == 2 and [ax.get_title() for ax in axes] == ["T = 50", "T = 100"]
    np.testing.assert_allclose(axes[0].get_lines()[0].get_ydata(), [1.0, 0.25, 0.165])
    assert axes[0].get_lines()[2].get_ydata()[0] == ADDING_BASELINE_MSE
    assert axes[0].get_lines()[0].get_color() == axes[1].get_lines()[0].get_color()
    assert axes[0].get_yscale() == "log"
    labels = [t.get_text() for t in axes[1].get_legend().get_texts()]
    assert labels == ["RNN (1 seed)", "LSTM (1 seed)"]
    with pytest.raises(ValueError, match=r"curves\['RNN'\]: expected \(seeds, 3\)"):
        plot_adding_curves(updates, {50: {"RNN": [[1.0, 0.2]]}})
    with pytest.raises(ValueError, match="at least one length"):
        plot_adding_curves(updates, {})
    plt.close("all")


def test_gate_trace_marks_the_marked_steps_in_every_panel():
    T, N, H = 6, 2, 3
    gates = np.linspace(0.05, 0.95, T * N * H).reshape(T, N, H)
    trace = GateTrace(gates, gates, gates, gates, gates, gates)
    inputs = np.zeros((T, N, 2))
    inputs[[1, 4], 1, 1] = 1.0
    fig, axes = plot_gate_trace(trace, inputs, n=1)
    assert len(axes) == 4 and axes[1].get_title() == "input gate i"
    np.testing.assert_array_equal(axes[2].get_images()[0].get_array(), gates[:, 1].T)
    for ax in axes:
        dashed = [line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle() == "--"]
        assert dashed == [1, 4]
    with pytest.raises(ValueError, match="inputs: expected shape"):
        plot_gate_trace(trace, inputs[:, :, :1])
    with pytest.raises(ValueError, match="n: expected a sequence index in 0 .. 1"):
        plot_gate_trace(trace, inputs, n=2)
    fig, axes = plot_gate_trace(trace, inputs, n=0, units=[2, 0])
    np.testing.assert_array_equal(axes[1].get_images()[0].get_array(), gates[:, 0, [2, 0]].T)
    assert [t.get_text() for t in axes[1].get_yticklabels()] == ["2", "0"]
    with pytest.raises(ValueError, match="units: expected indices of hidden units in 0 .. 2"):
        plot_gate_trace(trace, inputs, units=[3])
    plt.close("all")


def test_ablation_one_row_per_variant_with_its_median():
    results = {"full": [0.01, 0.02, 0.04], "no forget gate": [0.1, 0.2, 0.15]}
    fig, ax = plot_ablation(results, xlabel="test MSE", reference=1 / 6, reference_label="1/6")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["full", "no forget gate"]
    np.testing.assert_allclose(ax.get_lines()[0].get_xdata(), [0.02, 0.02])
    np.testing.assert_allclose(ax.get_lines()[1].get_xdata(), [0.15, 0.15])
    assert ax.get_xscale() == "log"
    with pytest.raises(ValueError, match="positive errors"):
        plot_ablation({"full": [0.0, 0.1]}, xlabel="x")
    with pytest.raises(ValueError, match="at least one variant"):
        plot_ablation({}, xlabel="x")
    plt.close("all")
