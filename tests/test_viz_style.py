"""The shared figure style: role colours and a figure factory."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from course_rnn.viz.style import PALETTE, SERIES, course_style, new_figure  # noqa: E402


def test_roles_have_distinct_colours():
    assert len(set(PALETTE.values())) == len(PALETTE)
    assert SERIES[0] == PALETTE["input"]


def test_course_style_is_scoped():
    before = plt.rcParams["axes.spines.top"]
    with course_style():
        assert plt.rcParams["axes.spines.top"] is False
    assert plt.rcParams["axes.spines.top"] == before


def test_new_figure_squeezes_like_subplots():
    fig, axes = new_figure(ncols=2, width=4, height=2)
    assert len(axes) == 2
    assert tuple(fig.get_size_inches()) == (4, 2)
    plt.close(fig)


def test_course_style_keeps_interactive_mode_switched_on_inside():
    # the inline backend switches interactive mode on with a notebook's first figure
    was = plt.isinteractive()
    try:
        plt.ioff()
        with course_style():
            plt.ion()
        assert plt.isinteractive()
    finally:
        plt.interactive(was)
