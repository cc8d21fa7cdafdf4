"""Hidden-state explorer: the RNN it steps, its frames, the static slider and the live widget."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_rnn.numpy import rnn_step_forward  # noqa: E402
from course_rnn.viz.explorer import (  # noqa: E402
    StepFigure,
    draw_step,
    explorer_weights,
    hidden_state_explorer,
    run_explorer_rnn,
)


def test_trace_is_the_rnn_stepped_by_hand():
    trace = run_explorer_rnn("abcab", H=4, gain=0.9, seed=3)
    weights = explorer_weights(3, H=4, gain=0.9, seed=3)
    h = np.zeros((1, 4))
    for t in range(5):
        h, _ = rnn_step_forward(trace.x[t][None], h, weights["U"], weights["W"], None, None)
        np.testing.assert_allclose(trace.h[t], h[0])
    assert trace.alphabet == ["a", "b", "c"] and trace.tokens == list("abcab")
    np.testing.assert_allclose(trace.o.sum(axis=1), 1.0)
    assert trace.memory[0] > 0  # the two runs differ from the first step on


def test_gain_sets_the_spectral_radius_and_how_long_x0_is_remembered():
    W = explorer_weights(4, H=6, gain=0.5)["W"]
    np.testing.assert_allclose(np.abs(np.linalg.eigvals(W)), 0.5)
    short = run_explorer_rnn("recurrent", gain=0.2).memory[-1]
    long = run_explorer_rnn("recurrent", gain=1.2).memory[-1]
    assert short < 1e-3 < long


def test_a_frame_fills_the_hidden_strip_up_to_t():
    trace = run_explorer_rnn("abcd", H=3)
    fig = draw_step(trace, 2)
    ax_x, ax_h, ax_o, ax_m = fig.axes[:4]
    shown = np.ma.filled(ax_h.images[0].get_array(), np.nan)  # imshow masks NaN
    np.testing.assert_allclose(shown[:, :3], trace.h[:3].T)
    assert np.isnan(shown[:, 3]).all()
    assert [round(b.get_height(), 12) for b in ax_o.patches] == list(np.round(trace.o[2], 12))
    assert len(ax_m.lines[0].get_xdata()) == 3
    outline = [p for p in ax_x.patches if p.get_gid() == "current-step"][0]
    assert outline.get_x() == 1.5
    plt.close(fig)
    figure = StepFigure(trace)
    with pytest.raises(ValueError, match=r"t must be in \[0, 3\]"):
        figure.show(4)
    plt.close(figure.fig)


def test_static_explorer_has_a_frame_and_caption_per_step():
    plt.close("all")
    slider = hidden_state_explorer("abcab", H=3, dpi=30)
    assert len(slider) == 5
    assert slider.captions[0].startswith("t = 0: input 'a'")
    assert 'max="4"' in slider.html
    assert plt.get_fignums() == []  # every frame's figure was closed


def test_static_explorer_works_without_ipywidgets():
    code = (
        "import sys; sys.modules['ipywidgets'] = None\n"
        "import matplotlib; matplotlib.use('Agg')\n"
        "from course_rnn.viz.explorer import hidden_state_explorer, live_explorer\n"
        "assert len(hidden_state_explorer('abc', H=2, dpi=20)) == 3\n"
        "try:\n    live_explorer('abc')\nexcept ImportError as e:\n    print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "live_explorer needs ipywidgets" in result.stdout


def test_live_explorer_has_sliders_for_t_and_the_gain():
    pytest.importorskip("ipywidgets")
    from course_rnn.viz.explorer import live_explorer

    widget = live_explorer("abcd", H=3)
    sliders = {child.description: child for child in widget.children[:-1]}
    assert sliders["t"].max == 3
    assert sliders["gain of W"].value == pytest.approx(0.9)
    plt.close("all")
