"""A slider over precomputed frames that needs no kernel: it moves in Jupyter and in the book.

A live ipywidgets explorer only works while a Python kernel answers it; in the rendered book its
slider would be dead. :class:`FrameSlider` instead renders every frame up front (a matplotlib
figure becomes a PNG) and writes one self-contained HTML fragment: an ``<input type=range>``
whose inline ``oninput`` handler swaps the ``src`` of a single ``<img>`` among base64 PNGs and
shows that frame's caption. There is no ``<script>`` element, no global name and no element id,
so any number of sliders can share a page, and without JavaScript the first frame still shows.

Structure of the fragment (class names are stable; tests and the browser test rely on them)::

    div.course-rnn-frames            data-frames="<b64>,<b64>,..."  data-captions='["...", ...]'
      div.course-rnn-frames-controls   button (previous), input[type=range], button (next),
                                       span.course-rnn-frames-counter ("3 / 10")
      img.course-rnn-frames-image      src="data:image/png;base64,<frame 0>"
      div.course-rnn-frames-caption    caption of the frame shown

Base64 uses only ``A-Z a-z 0-9 + / =``, so a comma separates frames in the attribute safely.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Sequence

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
"""The eight bytes every PNG file starts with."""

# Shared by the range input and the two buttons: find this slider's root from the element that
# fired, pick frame i, update image, caption and counter. Single quotes only: it lives inside a
# double-quoted attribute.
_SHOW_FRAME = (
    "var r=this.closest('.course-rnn-frames'),s=r.querySelector('input'),i=+s.value,"
    "f=r.dataset.frames.split(','),c=JSON.parse(r.dataset.captions);"
    "r.querySelector('img').src='data:image/png;base64,'+f[i];"
    "r.querySelector('img').alt=c[i];"
    "r.querySelector('.course-rnn-frames-caption').textContent=c[i];"
    "r.querySelector('.course-rnn-frames-counter').textContent=(i+1)+' / '+f.length;"
)
# A button moves the range by one step (the browser clamps it to [0, max]) and then shows it.
_STEP = "var s=this.parentNode.querySelector('input');s.value=+s.value+({delta});"


DPI_SCALE = 1.0
"""Multiplies every ``dpi`` here. A chapter run for the lecture decks sets it to 2
(``book/_offline/execution.py``): shown twice as large on a projector, a frame stays as sharp
as on a page. A page shows the frames at their nominal size either way (sharper on screens of
high pixel density)."""


def figure_to_png(fig, dpi: float = 80, *, close: bool = True, tight: bool = True) -> bytes:
    """Render a matplotlib figure to PNG bytes and (by default) close it.

    Closing matters in a notebook: a pyplot figure left open would be displayed a second time,
    as a static image, below the slider. To make many frames from one figure, redraw it between
    calls with ``close=False`` (far cheaper than a new figure per frame) and close it yourself.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    dpi : resolution of the PNG; 80 keeps a ten-frame slider around a few hundred kB.
    close : close the figure after rendering.
    tight : crop to the drawn content (``bbox_inches="tight"``); this costs an extra draw, and
        every frame of one slider should be cropped alike, so a figure whose layout is fixed
        renders faster and steadier with ``tight=False``.
    """
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi * DPI_SCALE,
                bbox_inches="tight" if tight else None)
    if close:
        plt.close(fig)
    return buffer.getvalue()


def png_width(png: bytes) -> int:
    """The width in pixels written in a PNG's header (its IHDR chunk, bytes 16-19)."""
    return int.from_bytes(png[16:20], "big")


def _as_png(frame, dpi: float) -> bytes:
    """PNG bytes from a frame given as PNG bytes or as a matplotlib figure."""
    if isinstance(frame, (bytes, bytearray)):
        if not bytes(frame[:8]) == PNG_SIGNATURE:
            raise ValueError("a frame given as bytes must be a PNG image (it does not start "
                             "with the PNG signature)")
        return bytes(frame)
    if hasattr(frame, "savefig"):
        return figure_to_png(frame, dpi)
    raise TypeError(f"a frame must be a matplotlib Figure or PNG bytes, got "
                    f"{type(frame).__name__}")


class FrameSlider:
    """Step through precomputed images with a slider that works without a kernel.

    Parameters
    ----------
    frames : sequence of matplotlib Figures or PNG bytes, at least one. Figures are rendered at
        ``dpi`` and closed.
    captions : one string per frame (shown under the image), or None for "frame 1", "frame 2", ...
    label : text before the slider, e.g. ``"t"``.
    dpi : resolution used for figures.

    Display it as the last expression of a cell (``_repr_html_``), or take ``.html``.

    Examples
    --------
    In a notebook cell, with ``figs`` a list of three figures::

        FrameSlider(figs, ["t = 0", "t = 1", "t = 2"], label="t")
    """

    def __init__(self, frames: Sequence, captions: Sequence[str] | None = None, *,
                 label: str = "frame", dpi: float = 80):
        frames = list(frames)
        if not frames:
            raise ValueError("FrameSlider needs at least one frame, got none")
        if captions is None:
            captions = [f"frame {k + 1}" for k in range(len(frames))]
        captions = [str(c) for c in captions]
        if len(captions) != len(frames):
            raise ValueError(f"expected one caption per frame: {len(frames)} frames but "
                             f"{len(captions)} captions")
        self.pngs = [_as_png(frame, dpi) for frame in frames]
        self.display_width = round(png_width(self.pngs[0]) / DPI_SCALE)  # CSS px on a page
        self.captions = captions
        self.label = str(label)

    def __len__(self) -> int:
        return len(self.pngs)

    @property
    def html(self) -> str:
        """The self-contained HTML fragment (see the module docstring for its structure)."""
        encoded = [base64.b64encode(png).decode("ascii") for png in self.pngs]
        esc = html.escape  # quote=True: attribute values stay inside their quotes
        last = len(encoded) - 1
        show = esc(_SHOW_FRAME, quote=True)
        previous = esc(_STEP.format(delta=-1) + _SHOW_FRAME, quote=True)
        following = esc(_STEP.format(delta=1) + _SHOW_FRAME, quote=True)
        return (
            f'<div class="course-rnn-frames" data-frames="{",".join(encoded)}" '
            f'data-captions="{esc(json.dumps(self.captions))}" '
            'style="margin:0.5em 0;">'
            '<div class="course-rnn-frames-controls" '
            'style="display:flex;align-items:center;gap:0.5em;">'
            f'<span>{esc(self.label)}</span>'
            f'<button type="button" aria-label="previous frame" onclick="{previous}">&#9664;'
            '</button>'
            f'<input type="range" min="0" max="{last}" step="1" value="0" '
            f'aria-label="{esc(self.label)}" oninput="{show}" style="flex:1;max-width:24em;">'
            f'<button type="button" aria-label="next frame" onclick="{following}">&#9654;'
            '</button>'
            f'<span class="course-rnn-frames-counter">1 / {len(encoded)}</span>'
            '</div>'
            f'<img class="course-rnn-frames-image" alt="{esc(self.captions[0])}" '
            f'src="data:image/png;base64,{encoded[0]}" width="{self.display_width}" '
            'style="max-width:100%;height:auto;">'
            f'<div class="course-rnn-frames-caption">{esc(self.captions[0])}</div>'
            '</div>'
        )

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"FrameSlider({len(self)} frames)"
