"""FrameSlider: one self-contained HTML fragment that switches among base64 PNG frames."""

import base64
import html
import json
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from course_rnn.viz import frames  # noqa: E402
from course_rnn.viz.frames import (  # noqa: E402
    PNG_SIGNATURE,
    FrameSlider,
    figure_to_png,
    png_width,
)


def _figure(value):
    fig, ax = plt.subplots(figsize=(1.5, 1))
    ax.bar([0], [value])
    return fig


def _data_attribute(fragment, name):
    match = re.search(rf'data-{name}="([^"]*)"', fragment)
    assert match, f"no data-{name} attribute"
    return html.unescape(match.group(1))


def test_figures_become_pngs_and_are_closed():
    fig = _figure(1.0)
    png = figure_to_png(fig, dpi=40)
    assert png.startswith(PNG_SIGNATURE)
    assert not plt.fignum_exists(fig.number)


def test_dpi_scale_multiplies_the_resolution_but_not_the_size_on_a_page(monkeypatch):
    """The lecture decks draw frames at twice the resolution: twice the pixels each way, shown
    on a page at the size of the book's own frames."""
    book = png_width(figure_to_png(_figure(1.0), dpi=40, tight=False))
    page_width = FrameSlider([_figure(1.0)], dpi=40).display_width
    monkeypatch.setattr(frames, "DPI_SCALE", 2.0)
    assert png_width(figure_to_png(_figure(1.0), dpi=40, tight=False)) == 2 * book == 120
    slider = FrameSlider([_figure(1.0)], dpi=40)
    assert abs(slider.display_width - page_width) <= 2  # tight cropping rounds per resolution
    assert f'width="{slider.display_width}"' in slider.html


def test_html_has_one_image_a_range_to_the_last_frame_and_every_frame_in_base64():
    captions = ["t = 0", 'a "quoted" <caption>', "t = 2"]
    slider = FrameSlider([_figure(v) for v in (1, 2, 3)], captions, label="t", dpi=40)
    fragment = slider._repr_html_()
    assert fragment.startswith('<div class="course-rnn-frames"')
    assert fragment.count("<img") == 1
    assert re.search(r'<input type="range" min="0" max="2"', fragment)
    frames = _data_attribute(fragment, "frames").split(",")
    assert [base64.b64decode(f, validate=True) for f in frames] == slider.pngs
    assert all(png.startswith(PNG_SIGNATURE) for png in slider.pngs)
    assert json.loads(_data_attribute(fragment, "captions")) == captions
    # the page shows frame 0 before any script runs, and markup in captions is escaped
    assert f'src="data:image/png;base64,{frames[0]}"' in fragment
    assert "&lt;caption&gt;" in fragment and "<caption>" not in fragment
    assert "<script" not in fragment


def test_png_bytes_are_used_as_given_and_default_captions_count_frames():
    pngs = [figure_to_png(_figure(v), dpi=30) for v in (1, 2)]
    slider = FrameSlider(pngs)
    assert slider.pngs == pngs and len(slider) == 2
    assert slider.captions == ["frame 1", "frame 2"]
    assert "1 / 2" in slider.html


def test_bad_frames_and_captions_are_refused():
    with pytest.raises(ValueError, match="at least one frame"):
        FrameSlider([])
    with pytest.raises(ValueError, match="2 frames but 1 captions"):
        FrameSlider([PNG_SIGNATURE + b"x", PNG_SIGNATURE + b"y"], ["only one"])
    with pytest.raises(ValueError, match="PNG signature"):
        FrameSlider([b"GIF89a"])
    with pytest.raises(TypeError, match="matplotlib Figure or PNG bytes"):
        FrameSlider(["not a frame"])
