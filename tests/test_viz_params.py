"""Parameter counts (checked against torch.nn) and the parameter-sharing figures."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_rnn.models.parameter_counts import (  # noqa: E402
    positionwise_parameter_count,
    recurrent_layer_parameter_count,
    rnn_parameter_count,
    unshared_parameter_count,
)
from course_rnn.models.taggers import PositionwiseTagger, RNNTagger  # noqa: E402
from course_rnn.viz.params import plot_margins_by_start, plot_parameter_counts  # noqa: E402


def _count(modules):
    return sum(p.size for m in modules for p in m.params.values())


def test_rnn_count_matches_torch_less_its_second_bias():
    torch = pytest.importorskip("torch")
    D, H, K = 7, 5, 3
    rnn, head = torch.nn.RNN(D, H), torch.nn.Linear(H, K)
    torch_count = sum(p.numel() for m in (rnn, head) for p in m.parameters())
    assert rnn_parameter_count(D, H, K) == torch_count - H  # torch keeps b_ih and b_hh


@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
def test_layer_count_matches_torch_nn_and_the_numpy_layer(kind):
    torch = pytest.importorskip("torch")
    import course_rnn.numpy

    D, H = 7, 5
    expected = sum(p.numel() for p in getattr(torch.nn, kind)(D, H).parameters())
    assert recurrent_layer_parameter_count(kind, D, H) == expected
    assert _count([getattr(course_rnn.numpy, kind)(D, H)]) == expected
    with pytest.raises(ValueError, match="kind: expected"):
        recurrent_layer_parameter_count(kind.lower(), D, H)


def test_counts_match_the_models_of_the_experiment():
    V, H, K, T = 5, 8, 2, 12
    assert positionwise_parameter_count(V, K, T) == _count(PositionwiseTagger(V, T).modules)
    assert rnn_parameter_count(V, H, K) + H == _count(RNNTagger(V, H).modules)
    # T copies of everything but W_0, which would only multiply h_{-1} = 0
    assert unshared_parameter_count(V, H, K, T) == T * rnn_parameter_count(V, H, K) - H * H


def test_parameter_count_plot_has_three_lines_and_a_log_axis():
    fig = plot_parameter_counts(D=4, H=3, K=2, T_max=20)
    (ax,) = fig.axes
    assert len(ax.lines) == 3 and ax.get_yscale() == "log"
    rnn, unshared, positionwise = (line.get_ydata() for line in ax.lines)
    assert len(set(rnn)) == 1  # independent of T
    np.testing.assert_array_equal(unshared, rnn * np.arange(1, 21) - 3 * 3)
    assert positionwise[-1] == positionwise_parameter_count(4, 2, 20)
    plt.close(fig)


def test_margin_plot_draws_one_line_per_model_and_shades_training_positions():
    fig = plot_margins_by_start({"a": [1.0, -1.0, 2.0], "b": [0.5, 0.5, 0.5]}, [0, 1, 2],
                                trained=[0], colors={"b": "#000000"})
    (ax,) = fig.axes
    lines = [line for line in ax.lines if len(line.get_xdata()) == 3]
    assert len(lines) == 2 and lines[1].get_color() == "#000000"
    assert len(ax.patches) == 1  # one shaded training position
    plt.close(fig)
    with pytest.raises(ValueError, match="expected 3 values"):
        plot_margins_by_start({"a": [1.0]}, [0, 1, 2], trained=[0])
