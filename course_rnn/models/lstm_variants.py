r"""LSTM variants with a component removed or added, for an ablation in the spirit of Greff et al.

Greff, Srivastava, Koutník, Steunebrink and Schmidhuber (2017, "LSTM: a search space odyssey")
trained eight variants of the LSTM, each the full cell with one change, on three tasks. Here
the full cell is torch.nn's (no peepholes) and each :class:`Variant` changes one thing:

    [a_i, a_f, a_g, a_o] = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
    i = sigmoid(a_i + p_i * c_{t-1})        no input gate: i = 1
    f = sigmoid(a_f + p_f * c_{t-1})        no forget gate: f = 1;   coupled: f = 1 - i
    g = tanh(a_g)
    c_t = f * c_{t-1} + i * g
    o = sigmoid(a_o + p_o * c_t)            no output gate: o = 1
    h_t = o * tanh(c_t)                     no output activation: h_t = o * c_t

with the peephole terms p (Gers & Schmidhuber 2000) only in the variant that adds them. A
removed gate is a gate stuck open at 1; its rows of the weights stay in place, unused, so every
variant has torch.nn.LSTM's parameter names and layout (``weight_ih_l0`` (4H, D), ...; the
peephole variant adds ``weight_peephole_l0`` (3, H), as ``course_rnn.torch.LSTM`` does). The
full variant equals torch.nn.LSTM and the peephole variant the package's peephole LSTM.

:class:`LSTMVariant` is a one-layer, one-direction, time-major layer with torch.nn's calling
convention, so it can stand wherever ``course_rnn.models.adding_experiment`` takes a layer.

Shapes: N batch, T time, D input features, H hidden units.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

from course_rnn.shapes import expect_choice, expect_input, expect_positive_ints


class Variant(NamedTuple):
    """Which components the cell has; the defaults are torch.nn's LSTM."""

    input_gate: bool = True
    forget_gate: bool = True
    output_gate: bool = True
    output_activation: bool = True
    coupled: bool = False       # f = 1 - i instead of a forget gate of its own
    peephole: bool = False      # the gates also read the cell state


VARIANTS = {
    "full": Variant(),
    "no input gate": Variant(input_gate=False),
    "no forget gate": Variant(forget_gate=False),
    "no output gate": Variant(output_gate=False),
    "no output activation": Variant(output_activation=False),
    "coupled gates": Variant(coupled=True),
    "peepholes": Variant(peephole=True),
}
"""The variants of the ablation, by name: the full cell and one change each."""


def variant_step(x_proj, h_prev, c_prev, W_hh, peephole, v: Variant):
    """One step of the variant ``v``: the equations of the module docstring.

    Parameters
    ----------
    x_proj : (N, 4H) the input terms x_t W_ih^T + b_ih + b_hh.
    h_prev, c_prev : (N, H).   W_hh : (4H, H).   peephole : (3, H) rows p_i, p_f, p_o, or None.

    Returns
    -------
    h_next, c_next : (N, H).
    """
    a_i, a_f, a_g, a_o = (x_proj + h_prev @ W_hh.T).chunk(4, dim=1)
    p_i, p_f, p_o = peephole if v.peephole else (0.0, 0.0, 0.0)
    i = torch.sigmoid(a_i + p_i * c_prev) if v.input_gate else 1.0
    f = torch.sigmoid(a_f + p_f * c_prev) if v.forget_gate else 1.0
    f = 1 - i if v.coupled else f
    g = torch.tanh(a_g)
    c_next = f * c_prev + i * g
    o = torch.sigmoid(a_o + p_o * c_next) if v.output_gate else 1.0
    h_next = o * (torch.tanh(c_next) if v.output_activation else c_next)
    return h_next, c_next


def as_variant(variant) -> Variant:
    """A :class:`Variant`, given one or the name of one in :data:`VARIANTS`."""
    if isinstance(variant, Variant):
        if variant.coupled and not (variant.input_gate and variant.forget_gate):
            raise ValueError("variant: coupled gates need the input gate (f = 1 - i) and "
                             "replace the forget gate; got a variant without one of them")
        return variant
    expect_choice("variant", variant, tuple(VARIANTS))
    return VARIANTS[variant]


class LSTMVariant(nn.Module):
    """One time-major LSTM layer of the given variant, with torch.nn.LSTM's parameters.

    Parameters
    ----------
    input_size : D.   hidden_size : H.
    variant : a :class:`Variant` or a name in :data:`VARIANTS`.
    device, dtype : where and in what precision the parameters live.

    ``forward(input, hx=None)``: input (T, N, D), hx a tuple (h_0, c_0) of (1, N, H) or None
    for zeros -> ``(output (T, N, H), (h_n, c_n))`` with h_n and c_n (1, N, H), as torch.nn.
    The parameters are drawn as torch.nn draws them, U(-1/sqrt(H), 1/sqrt(H)) in the same
    order, so one seed gives the same weights as torch.nn.LSTM (and the peephole LSTM).
    """

    def __init__(self, input_size: int, hidden_size: int, variant="full", *, device=None,
                 dtype=None):
        super().__init__()
        expect_positive_ints(input_size=input_size, hidden_size=hidden_size)
        self.input_size, self.hidden_size = input_size, hidden_size
        self.variant = as_variant(variant)
        shapes = {"weight_ih_l0": (4 * hidden_size, input_size),
                  "weight_hh_l0": (4 * hidden_size, hidden_size),
                  "bias_ih_l0": (4 * hidden_size,), "bias_hh_l0": (4 * hidden_size,)}
        if self.variant.peephole:
            shapes["weight_peephole_l0"] = (3, hidden_size)
        bound = 1.0 / math.sqrt(hidden_size)
        for name, shape in shapes.items():
            weight = torch.empty(shape, device=device, dtype=dtype)
            self.register_parameter(name, nn.Parameter(nn.init.uniform_(weight, -bound, bound)))

    def forward(self, input, hx=None):
        """Run the layer over ``input`` (T, N, D); see the class docstring."""
        like = self.weight_hh_l0
        expect_input("input", input, ("T", "N", "D"), (None, None, self.input_size))
        N, H = input.shape[1], self.hidden_size
        if hx is None:
            hx = (like.new_zeros(1, N, H), like.new_zeros(1, N, H))
        for name, state in zip(("h_0", "c_0"), hx, strict=True):
            expect_input(name, state, ("1", "N", "H"), (1, N, H))
        x_proj = F.linear(input, self.weight_ih_l0, self.bias_ih_l0 + self.bias_hh_l0)
        peephole = getattr(self, "weight_peephole_l0", None)
        h, c = hx[0][0], hx[1][0]
        outputs = []
        for x_t in x_proj.unbind(0):  # unbind: one autograd node, not T slices
            h, c = variant_step(x_t, h, c, self.weight_hh_l0, peephole, self.variant)
            outputs.append(h)
        return torch.stack(outputs), (h.unsqueeze(0), c.unsqueeze(0))

    def extra_repr(self) -> str:
        changed = {k: v for k, v in self.variant._asdict().items()
                   if v != Variant._field_defaults[k]}
        return f"{self.input_size}, {self.hidden_size}, variant={changed or 'full'}"
