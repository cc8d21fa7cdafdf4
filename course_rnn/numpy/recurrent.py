"""What every NumPy recurrent layer shares: stacking layers, running both directions, the layout.

``RNN``, ``LSTM`` and ``GRU`` (in rnn.py, lstm.py, gru.py) differ only in the cell that runs one
direction of one layer over a sequence; this module does everything around it, exactly as
torch.nn does:

- layer k reads the output of layer k-1 (the input for k = 0), of size num_directions * H;
- a bidirectional layer runs a second cell, with its own ``*_reverse`` weights, over the
  sequence reversed in time, and merges the two outputs by ``merge``: torch.nn's concatenation
  (forward first, 2H features), or their sum or mean (H features; see direction_merge.py);
- ``h_n`` stacks the final state of every layer and direction: index k * num_directions + d;
- with ``dropout`` p > 0 and in training mode, each layer's output but the last is multiplied
  by a fresh mask of zeros (probability p) and 1/(1-p)s (Zaremba et al. 2014's placement:
  between layers, never on the recurrent connection);
- ``batch_first`` only changes the layout of ``input`` and ``output``, never of ``h_0``/``h_n``;
- a 2-D input (T, D) is one unbatched sequence, with 2-D states (num_layers * num_directions, H).

Backward runs the same structure in reverse. The gradient reaching a layer's output splits
between the two directions by the merge's backward; the gradients of the layer's input from
both directions add up, and become the upstream gradient of the layer below.

Shapes: N batch, T time, D input features, H hidden units, G gates (1 RNN, 4 LSTM, 3 GRU);
L = num_layers, num_directions = 2 if bidirectional else 1, F = output_size (2H for a
bidirectional layer that concatenates, else H).
"""

from __future__ import annotations

import math

import numpy as np

from course_rnn.describe import arguments
from course_rnn.numpy.direction_merge import merge_directions, merge_directions_backward
from course_rnn.numpy.module import Module
from course_rnn.shapes import (
    STATE_HINT,
    expect_bools,
    expect_float,
    expect_input,
    expect_like,
    expect_merge,
    expect_positive_ints,
    expect_probability,
    expect_state_pair,
    expect_time_steps,
    layout_hint,
)

WEIGHT_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
"""torch.nn's names of one cell's parameters, in the order the step and sequence functions
take them (W_ih, W_hh, b_ih, b_hh)."""


def recurrent_uniform(shape, hidden_size: int, rng: np.random.Generator, dtype) -> np.ndarray:
    """torch.nn's draw for every recurrent parameter, biases included: U(-1/√H, 1/√H)."""
    bound = 1.0 / math.sqrt(hidden_size) if hidden_size else 0.0  # H = 0 (a cell): no draws
    return rng.uniform(-bound, bound, shape).astype(dtype)


def cell_params(input_size: int, hidden_size: int, gates: int, bias: bool, suffix: str,
                rng: np.random.Generator, dtype) -> dict[str, np.ndarray]:
    """One cell's weights in torch's names and layout, drawn as torch.nn does: U(-1/√H, 1/√H).

    Returns weight_ih{suffix} (G*H, D), weight_hh{suffix} (G*H, H) and, with bias,
    bias_ih{suffix} and bias_hh{suffix} (G*H,).
    """
    shapes = {"weight_ih": (gates * hidden_size, input_size),
              "weight_hh": (gates * hidden_size, hidden_size)}
    if bias:
        shapes.update(bias_ih=(gates * hidden_size,), bias_hh=(gates * hidden_size,))
    return {name + suffix: recurrent_uniform(shape, hidden_size, rng, dtype)
            for name, shape in shapes.items()}


class RecurrentLayer(Module):
    """Base of ``RNN``, ``LSTM`` and ``GRU``: torch.nn's arguments, layout and return values.

    Subclasses set ``gates`` (G) and ``state_size`` (1 for h, 2 for (h, c)) and implement
    ``_sequence_forward`` / ``_sequence_backward`` for one direction of one layer.
    """

    gates: int
    state_size: int

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, *, merge="concat", dtype=np.float64,
                 rng=None):
        super().__init__(dtype)
        expect_positive_ints(input_size=input_size, hidden_size=hidden_size, num_layers=num_layers)
        expect_bools(bias=bias, batch_first=batch_first, bidirectional=bidirectional)
        expect_probability(dropout=dropout)
        expect_merge(merge, bidirectional)
        self.merge = merge
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.bidirectional = bias, batch_first, bidirectional
        self.dropout = dropout
        self.num_directions = 2 if bidirectional else 1
        self.output_size = hidden_size * (2 if bidirectional and merge == "concat" else 1)
        self.rng = rng = np.random.default_rng(rng)  # initial weights, then dropout masks
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else self.output_size
            for direction in range(self.num_directions):
                suffix = self._suffix(layer, direction)
                self.params.update(cell_params(layer_input, hidden_size, self.gates, bias,
                                               suffix, rng, self.dtype))
                self._add_extra_params(suffix, rng)
        self._tape = None

    def _add_extra_params(self, suffix: str, rng: np.random.Generator) -> None:
        """Hook for parameters torch.nn lacks (the LSTM's peepholes)."""

    def __repr__(self):
        return f"{type(self).__name__}({arguments(self)})"

    @staticmethod
    def _suffix(layer: int, direction: int) -> str:
        return f"_l{layer}" + ("_reverse" if direction else "")

    def _direction_params(self, layer: int, direction: int) -> dict[str, np.ndarray | None]:
        """This direction's parameters by base name (weight_ih, ...); missing biases are None."""
        suffix = self._suffix(layer, direction)
        names = (*WEIGHT_NAMES, *self._extra_names())
        return {name: self.params.get(name + suffix) for name in names}

    def _extra_names(self) -> tuple[str, ...]:
        return ()

    # ----------------------------------------------------------------- input and state layout
    def _time_major_input(self, input) -> tuple[np.ndarray, bool]:
        """(T, N, D) view of the input and whether it came batched."""
        expect_float("input", input)
        batched = np.ndim(input) != 2  # 2-D: one unbatched sequence (T, D)
        hint = layout_hint(self.batch_first, batched)
        if not batched:
            expect_input("input", input, ("T", "D"), (None, self.input_size), hint)
            x = np.asarray(input, dtype=self.dtype)[:, None, :]
        else:
            dims = ("N", "T", "D") if self.batch_first else ("T", "N", "D")
            expect_input("input", input, dims, (None, None, self.input_size), hint)
            x = np.asarray(input, dtype=self.dtype)
            x = x.transpose(1, 0, 2) if self.batch_first else x
        expect_time_steps(x.shape[0])
        return x, batched

    def _split_state(self, name: str, state, N: int, batched: bool) -> tuple[np.ndarray, ...]:
        """``hx``-like argument (None, an array, or a (h, c) tuple) -> tuple of (L*dirs, N, H)."""
        stacks = self.num_layers * self.num_directions
        if state is None:
            return tuple(np.zeros((stacks, N, self.hidden_size), self.dtype)
                         for _ in range(self.state_size))
        if self.state_size == 2:
            expect_state_pair(state)
        parts = (state,) if self.state_size == 1 else state
        sizes = (stacks, N, self.hidden_size) if batched else (stacks, self.hidden_size)
        hint = STATE_HINT if batched else ""
        out = []
        for full, part in zip(self._state_names(name), parts):
            if part is None:  # e.g. dhx=(dh_n, None): no gradient reaches c_n
                out.append(np.zeros((stacks, N, self.hidden_size), self.dtype))
                continue
            dims = ("num_layers*num_directions", "N", "H") if batched else (
                "num_layers*num_directions", "H")
            expect_input(full, part, dims, sizes, hint)
            part = np.asarray(part, dtype=self.dtype)
            out.append(part if batched else part[:, None, :])
        return tuple(out)

    def _state_names(self, name: str) -> tuple[str, ...]:
        """What errors call the state's parts: h_0 and c_0 for ``hx``, dh_n and dc_n for ``dhx``."""
        names = ("h_0", "c_0") if name == "hx" else ("dh_n", "dc_n")
        return names[:self.state_size]

    def _join_state(self, parts, batched: bool):
        parts = tuple(p if batched else p[:, 0, :] for p in parts)
        return parts[0] if self.state_size == 1 else parts

    def _output_layout(self, x: np.ndarray, batched: bool) -> np.ndarray:
        if not batched:
            return x[:, 0, :]
        return x.transpose(1, 0, 2) if self.batch_first else x

    # ------------------------------------------------------------------------------ forward
    def forward(self, input, hx=None):
        """Run every layer and direction over the sequence.

        Parameters
        ----------
        input : (T, N, D), or (N, T, D) with batch_first, or (T, D) unbatched.
        hx : initial state (L * num_directions, N, H), for an LSTM a tuple (h_0, c_0);
             None for zeros.

        Returns
        -------
        output : (T, N, F) (batch-first if the layer is) -- the last layer's h_t, its two
                 directions merged when bidirectional.
        h_n : (L * num_directions, N, H), for an LSTM a tuple (h_n, c_n).

        Floating-point input of another precision is cast to the layer's ``dtype``. ``output``
        may be read-only: it can be the saved states that ``backward`` reads.
        """
        x, batched = self._time_major_input(input)
        state0 = self._split_state("hx", hx, x.shape[1], batched)
        final = tuple(np.empty_like(s) for s in state0)
        tape, masks = [], []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(self.num_directions):
                k = layer * self.num_directions + direction
                seq = x[::-1] if direction else x  # the reverse cell reads time backwards
                h, last, cache = self._sequence_forward(
                    seq, tuple(s[k] for s in state0), self._direction_params(layer, direction))
                for stack, value in zip(final, last):
                    stack[k] = value
                outputs.append(h[::-1] if direction else h)
                tape.append(cache)
            x = merge_directions(*outputs, self.merge) if len(outputs) > 1 else outputs[0]
            if self.training and self.dropout and layer < self.num_layers - 1:
                masks.append(self._dropout_mask(x.shape))
                x = x * masks[-1]
        self._tape = (tape, masks, batched, x.shape, state0[0].shape)
        return self._output_layout(x, batched), self._join_state(final, batched)

    # ----------------------------------------------------------------------------- backward
    def backward(self, doutput, dhx=None):
        """Backpropagation through time through every layer and direction of the last forward.

        Parameters
        ----------
        doutput : gradient of the loss at ``output``, same shape as ``output``.
        dhx : gradient at ``h_n`` (for an LSTM a tuple for (h_n, c_n)), or None for zero.

        Returns
        -------
        dx : gradient at ``input``, same shape as ``input``.
        dhx0 : gradient at ``hx``, same structure as ``hx``.
        Parameter gradients go to ``self.grads`` (keys as in ``state_dict()``).
        """
        if self._tape is None:
            raise RuntimeError("backward: call forward first (backward uses its saved values)")
        tape, masks, batched, out_shape, state_shape = self._tape
        T, N, F = out_shape
        expected = (N, T, F) if batched and self.batch_first else (T, N, F) if batched else (T, F)
        expect_like("doutput", doutput, expected, "output")
        d_above = self._time_major_input_grad(doutput, batched)
        d_final = self._split_state("dhx", dhx, state_shape[1], batched)
        d_state0 = tuple(np.empty_like(s) for s in d_final)
        grads = {}
        for layer in reversed(range(self.num_layers)):
            d_below = 0.0
            d_directions = (merge_directions_backward(d_above, self.merge) if self.bidirectional
                            else (d_above,))
            for direction in range(self.num_directions):
                k = layer * self.num_directions + direction
                dh = np.array(d_directions[direction])
                if direction:
                    dh = dh[::-1]
                dh[-1] += d_final[0][k]  # h_n is the last step's output in this direction
                dx, d0, named = self._sequence_backward(
                    dh, tuple(d[k] for d in d_final[1:]), tape[k])
                for stack, value in zip(d_state0, d0):
                    stack[k] = value
                suffix = self._suffix(layer, direction)
                grads.update({name + suffix: g for name, g in named.items()})
                d_below = d_below + (dx[::-1] if direction else dx)
            d_above = d_below * masks[layer - 1] if masks and layer else d_below
        self.grads = {name: grads[name] for name in self.params}
        return self._output_layout(d_above, batched), self._join_state(d_state0, batched)

    def _dropout_mask(self, shape) -> np.ndarray:
        """Zeros with probability p, else 1/(1-p), so the expected activation is unchanged."""
        keep = 1.0 - self.dropout
        mask = (self.rng.random(shape) < keep).astype(self.dtype)
        return mask / keep if keep else mask  # dropout=1 zeroes everything, as in torch

    def _time_major_input_grad(self, doutput, batched: bool) -> np.ndarray:
        d = np.asarray(doutput, dtype=self.dtype)
        if not batched:
            return d[:, None, :]
        return d.transpose(1, 0, 2) if self.batch_first else d

    # ----------------------------------------------------------------- what subclasses write
    def _sequence_forward(self, x, state0, params):
        """One direction of one layer: x (T, N, D_k), state0 tuple of (N, H).

        Returns h (T, N, H), the final state tuple, and a cache for ``_sequence_backward``.
        """
        raise NotImplementedError

    def _sequence_backward(self, dh, d_final_rest, cache):
        """dh (T, N, H) with dh_n already added; d_final_rest holds dc_n for an LSTM.

        Returns dx (T, N, D_k), the initial-state gradients tuple, and base name -> gradient.
        """
        raise NotImplementedError
