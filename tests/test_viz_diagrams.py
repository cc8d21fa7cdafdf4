"""Diagrams: the folded and unrolled RNN, the architectures, Elman vs Jordan feedback."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from course_rnn.viz.diagrams import (  # noqa: E402
    ARCHITECTURES,
    architecture_diagram,
    architectures_figure,
    draw_chain,
    feedback_figure,
    unrolled_rnn,
)
from course_rnn.viz.style import PALETTE  # noqa: E402


def _boxes(ax, role):
    return [p for p in ax.patches if p.get_gid() == role]


def _texts(ax):
    return {t.get_text() for t in ax.texts}


def test_unrolled_rnn_draws_the_folded_cell_and_T_steps_with_U_W_V():
    fig = unrolled_rnn(T=4)
    (ax,) = fig.axes
    # 4 steps + the folded cell
    assert len(_boxes(ax, "hidden")) == 5
    assert len(_boxes(ax, "input")) == 5 and len(_boxes(ax, "output")) == 5
    assert _boxes(ax, "hidden")[0].get_facecolor()[:3] == matplotlib.colors.to_rgb(
        PALETTE["hidden"])
    texts = _texts(ax)
    assert {"$x_t$", "$h_t$", "$o_t$", "$h_{0}$", "$h_{3}$", "$x_{3}$", "$o_{3}$"} <= texts
    assert {"$U$", "$W$", "$V$", "$h_{-1}=0$", "unfold"} <= texts
    plt.close(fig)


def test_inputs_and_outputs_are_optional_per_step():
    fig = unrolled_rnn(T=3, inputs=[True, False, False], outputs=[False, False, True],
                       folded=False)
    (ax,) = fig.axes
    assert len(_boxes(ax, "hidden")) == 3
    assert len(_boxes(ax, "input")) == 1 and len(_boxes(ax, "output")) == 1
    assert "$x_{0}$" in _texts(ax) and "$o_{2}$" in _texts(ax) and "$x_t$" not in _texts(ax)
    plt.close(fig)


@pytest.mark.parametrize("kind", list(ARCHITECTURES))
def test_each_architecture_has_its_inputs_and_outputs(kind):
    _, has_x, has_o, _ = ARCHITECTURES[kind]
    ax = architecture_diagram(kind)
    assert len(_boxes(ax, "hidden")) == len(has_x)
    assert len(_boxes(ax, "input")) == sum(has_x)
    assert len(_boxes(ax, "output")) == sum(has_o)
    assert ax.get_title() == ARCHITECTURES[kind][0]
    plt.close(ax.figure)


def test_architectures_figure_has_one_panel_per_kind():
    fig = architectures_figure()
    titled = [ax for ax in fig.get_axes() if ax.get_title()]
    assert [ax.get_title() for ax in titled] == [v[0] for v in ARCHITECTURES.values()]
    plt.close(fig)
    with pytest.raises(ValueError, match="choose one or more"):
        architectures_figure(["two-to-three"])


def test_feedback_figure_contrasts_hidden_and_output_recurrence():
    fig = feedback_figure(T=3)
    elman, jordan = fig.axes
    assert "$W$" in _texts(elman) and "$W$" not in _texts(jordan)
    assert "$R$" in _texts(jordan) and "$R$" not in _texts(elman)
    plt.close(fig)


def test_bad_arguments_are_refused():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="T must be at least 1"):
        draw_chain(ax, 0)
    with pytest.raises(ValueError, match="3 flags"):
        draw_chain(ax, 3, inputs=[True, False])
    with pytest.raises(ValueError, match="recurrence"):
        draw_chain(ax, 3, recurrence="cell")
    with pytest.raises(ValueError, match="needs an output"):
        draw_chain(ax, 3, outputs=[True, False, True], recurrence="output")
    with pytest.raises(ValueError, match="kind must be one of"):
        architecture_diagram("one-to-two")
    plt.close(fig)
