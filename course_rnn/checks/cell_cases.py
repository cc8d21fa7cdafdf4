"""Test inputs for the step checks of a gated cell (LSTM, GRU): random cases and ablations.

A step of a cell with G gate blocks reads x (N, D), its states (h_prev, and c_prev for an
LSTM) and the weights in torch's layout, W_ih (G*H, D), W_hh (G*H, H), b_ih and b_hh (G*H,).
Besides random inputs of a few shapes (``D != H`` so that a transposed weight fails loudly,
``D == H`` so that it can also fail silently, a batch of one), the ablations set single terms
to zero, as the RNN's cases do (:mod:`~course_rnn.checks.rnn_cases`): a function that is right
whenever ``c_prev = 0`` and wrong otherwise gets the cell-state term wrong. A backward check
also gets ``dc_next = 0``, which switches off the gradient that step t+1 sends to c_next.

Shapes: N batch, D input features, H hidden units, G gate blocks (4 LSTM, 3 GRU).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PARAM_NAMES = ("W_ih", "W_hh", "b_ih", "b_hh")


@dataclass(frozen=True, eq=False)
class CellCase:
    """Inputs of one test of a step function, float64, and the upstream gradients of its
    states for a backward check."""

    label: str                                   # what is special about it, e.g. "c_prev = 0"
    args: tuple[tuple[str, np.ndarray], ...]     # the step's (name, value) arguments, in order
    upstream: tuple[tuple[str, np.ndarray], ...]  # ("dh_next", (N, H)), ("dc_next", (N, H))
    zero: frozenset[str]

    def __getitem__(self, name: str) -> np.ndarray:
        """An argument or upstream gradient by name, e.g. ``case["W_hh"]``."""
        return dict(self.args + self.upstream)[name]

    @property
    def sizes(self) -> tuple[int, int, int]:
        """(N, D, H)."""
        N, D = self["x"].shape
        return N, D, self["W_hh"].shape[1]

    @property
    def title(self) -> str:
        """The label with the sizes, for messages."""
        return "{} (N={}, D={}, H={})".format(self.label, *self.sizes)


def make_cell_case(seed: int, states: tuple[str, ...], gates: int, N: int, D: int, H: int,
                   zero=(), label: str = "random inputs") -> CellCase:
    """Random inputs of the given sizes with the terms named in ``zero`` set to zero.

    ``states`` names the cell's states, ``("h",)`` or ``("h", "c")``: the step takes
    ``h_prev`` (and ``c_prev``) and its backward ``dh_next`` (and ``dc_next``). ``zero`` names
    some of "x", the previous states, "b_ih", "b_hh" and the upstream gradients.

    Weights are scaled by 1/sqrt(fan-in) so that pre-activations are of order one: sigmoid
    and tanh then work in their curved regions, where a wrong function or derivative shows.
    """
    rng = np.random.default_rng(seed)
    zero = frozenset(zero)

    def draw(name, shape, scale=1.0):
        return np.zeros(shape) if name in zero else scale * rng.standard_normal(shape)

    args = (("x", draw("x", (N, D))),
            *((f"{s}_prev", draw(f"{s}_prev", (N, H))) for s in states),
            ("W_ih", rng.standard_normal((gates * H, D)) / np.sqrt(D)),
            ("W_hh", rng.standard_normal((gates * H, H)) / np.sqrt(H)),
            ("b_ih", draw("b_ih", (gates * H,), 0.5)), ("b_hh", draw("b_hh", (gates * H,), 0.5)))
    upstream = tuple((f"d{s}_next", draw(f"d{s}_next", (N, H))) for s in states)
    return CellCase(label, args, upstream, zero)


def forward_cases(states: tuple[str, ...], gates: int) -> list[CellCase]:
    """Cases for a forward step check: three random shapes, then one ablation per term."""
    extra = [make_cell_case(24, states, gates, 3, 4, 5, zero={"c_prev"}, label="c_prev = 0")
             ] if "c" in states else []
    return [
        make_cell_case(21, states, gates, 3, 4, 5),
        make_cell_case(22, states, gates, 2, 3, 3, label="D = H"),
        make_cell_case(23, states, gates, 1, 4, 5, label="batch of one"),
        make_cell_case(25, states, gates, 3, 4, 5, zero={"h_prev"}, label="h_prev = 0"),
        *extra,
        make_cell_case(26, states, gates, 3, 4, 5, zero={"b_ih", "b_hh"}, label="biases = 0"),
        make_cell_case(27, states, gates, 3, 4, 5, zero={"b_hh"}, label="b_hh = 0"),
        make_cell_case(28, states, gates, 3, 4, 5, zero={"b_ih"}, label="b_ih = 0"),
        make_cell_case(29, states, gates, 3, 4, 5,
                       zero={f"{s}_prev" for s in states} | {"b_ih", "b_hh"},
                       label="only the input term"),
        make_cell_case(30, states, gates, 3, 4, 5, zero={"x", "b_ih", "b_hh"},
                       label="only the recurrent terms"),
    ]


def backward_cases(states: tuple[str, ...], gates: int) -> list[CellCase]:
    """Cases for a backward step check: three random shapes, and for an LSTM dc_next = 0."""
    extra = [make_cell_case(34, states, gates, 3, 4, 5, zero={"dc_next"},
                            label="dc_next = 0")] if "c" in states else []
    return [make_cell_case(31, states, gates, 3, 4, 5),
            make_cell_case(32, states, gates, 2, 3, 3, label="D = H"),
            make_cell_case(33, states, gates, 1, 4, 5, label="batch of one"),
            *extra]
