r"""What every torch recurrent module shares: parameters, layers, directions, states, checks.

RNN, LSTM and GRU differ only in what one time step computes. Each of ``rnn.py``, ``lstm.py``
and ``gru.py`` holds that step as a plain function of tensors, and two small classes that call
it: a layer stack built on :class:`RecurrentLayers` (torch.nn.RNN, ...) and a cell built on
:class:`RecurrentCell` (torch.nn.RNNCell, ...). A class states three facts about its step:

    gates           G, how many blocks of H rows each weight stacks (1 RNN, 4 LSTM, 3 GRU)
    states          1 for the state h, 2 for the LSTM's (h, c)
    fold_hh_bias    True when the step adds h_{t-1} W_hh^T straight to the input term, so that
                    b_hh can join b_ih there (RNN, LSTM; not the GRU, whose reset gate
                    multiplies h_{t-1} W_hh^T + b_hh)

and defines ``_step(x_proj, state, p)``, which unpacks the state tuple for its step function.

The input term x_proj = x_t W_ih^T + b_ih (+ b_hh when folded) does not depend on the state,
so the layers compute it for all T steps as one matrix product before the loop (one large GEMM
is faster than T small ones), and the loop walks ``x_proj.unbind(0)``: one autograd node for
all T slices, whereas ``x_proj[t]`` would record T nodes whose backward each fills a zero
tensor as large as x_proj, a backward that grows with T^2. Autograd differentiates all of it,
except, with ``fused_weight_hh_grad=True``, the sum over time that gives dL/dW_hh (see
``weight_gradient.py``).

Shapes: N batch, T time, D input features (D for layer 0, num_directions*H above), H hidden,
G gates. An unbatched input has no N axis.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

from course_rnn.describe import arguments
from course_rnn.shapes import (
    STATE_HINT,
    expect_bools,
    expect_finite,
    expect_float,
    expect_nonnegative_ints,
    expect_positive_ints,
    expect_probability,
    expect_shape,
    expect_state_pair,
    expect_time_steps,
    layout_hint,
)
from course_rnn.torch.weight_gradient import RecurrentWeightGradient


class CellParameters(NamedTuple):
    """The parameters of one cell, or of one direction of one layer, in math names."""

    W_ih: torch.Tensor                  # (G*H, D)   torch.nn: weight_ih
    W_hh: torch.Tensor                  # (G*H, H)   weight_hh
    b_ih: torch.Tensor | None           # (G*H,)     bias_ih
    b_hh: torch.Tensor | None           # (G*H,)     bias_hh
    peephole: torch.Tensor | None       # (3, H)     weight_peephole (LSTM only, not torch.nn)


_TORCH_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_peephole")


def check_tensor(name, value, dims, sizes, like, hint="", like_name="the parameters"):
    """Type, shape, dtype and device (those of ``like``, e.g. a parameter), then finiteness."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name}: expected a torch.Tensor, got {type(value).__name__}"
                        " (PackedSequence is not supported)")
    expect_float(name, value)
    expect_shape(name, value, dims, sizes, hint)
    if value.dtype != like.dtype:
        raise TypeError(f"{name}: expected dtype {like.dtype} like {like_name}, got "
                        f"{value.dtype}; convert the input or the module (.to(dtype))")
    if value.device != like.device:
        raise ValueError(f"{name}: expected a tensor on {like.device} like {like_name}, "
                         f"got one on {value.device}; move one of them (.to)")
    expect_finite(name, value)


class _Recurrent(nn.Module):
    """Parameter registration, initialisation and argument checks for layers and cells."""

    gates: int
    states: int = 1
    fold_hh_bias: bool = True

    def __init__(self, input_size, hidden_size, bias, peephole):
        super().__init__()
        expect_bools(bias=bias, peephole=peephole)
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.peephole = peephole

    def _register_cell(self, suffix, input_size, device, dtype):
        """Register one cell's parameters, named and ordered as torch.nn does (peephole last)."""
        rows = self.gates * self.hidden_size
        shapes = [(rows, input_size), (rows, self.hidden_size), (rows,), (rows,)]
        if self.peephole:
            shapes.append((3, self.hidden_size))
        for name, shape in zip(_TORCH_NAMES, shapes):
            absent = name.startswith("bias") and not self.bias
            # a None parameter keeps getattr uniform and stays out of state_dict, like torch.nn
            value = None if absent else nn.Parameter(torch.empty(shape, device=device,
                                                                 dtype=dtype))
            self.register_parameter(name + suffix, value)

    def _cell(self, suffix) -> CellParameters:
        """The parameters registered under ``suffix``, looked up now: functional_call and
        load_state_dict may have replaced them since construction."""
        return CellParameters(*(getattr(self, name + suffix, None) for name in _TORCH_NAMES))

    def reset_parameters(self):
        """torch.nn's initialisation: every parameter uniform in [-1/sqrt(H), 1/sqrt(H)].

        The same draws in the same order as torch.nn, so a seed gives torch.nn's weights.
        A cell with H = 0 has no numbers to draw (torch.nn allows it too).
        """
        bound = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size else 0.0
        for weight in self.parameters():
            nn.init.uniform_(weight, -bound, bound)

    def extra_repr(self):
        return arguments(self)

    def _project(self, x, p):
        """The input term of every row of ``x`` in one product: x W_ih^T + b_ih (+ b_hh)."""
        if self.fold_hh_bias and p.b_ih is not None:
            return F.linear(x, p.W_ih, p.b_ih + p.b_hh)
        return F.linear(x, p.W_ih, p.b_ih)

    def _initial_state(self, hx, dims, sizes, like, hint=""):
        """``hx`` as a tuple of ``states`` checked tensors shaped ``sizes``; zeros if None."""
        names = ("h_0", "c_0")[:self.states]
        if hx is None:
            return tuple(like.new_zeros(sizes) for _ in names)
        if self.states == 1:
            hx = (hx,)
        else:
            expect_state_pair(hx)
        for name, value in zip(names, hx, strict=True):
            check_tensor(name, value, dims, sizes, like, hint)
        return tuple(hx)

    def _pack_state(self, state):
        """torch.nn's return convention: h alone, or the tuple (h, c)."""
        return state[0] if self.states == 1 else tuple(state)


class RecurrentLayers(_Recurrent):
    """A stack of ``num_layers`` recurrent layers, each one or two directions, like torch.nn.RNN.

    ``fused_weight_hh_grad`` (RNN and LSTM only) forms dL/dW_hh as one product after the loop
    instead of leaving its T terms to autograd; see ``weight_gradient.py``.
    """

    def __init__(self, input_size, hidden_size, num_layers, bias, batch_first, dropout,
                 bidirectional, *, fused_weight_hh_grad=False, peephole=False, device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, peephole)
        expect_positive_ints(input_size=input_size, hidden_size=hidden_size,
                             num_layers=num_layers)
        expect_bools(batch_first=batch_first, bidirectional=bidirectional,
                     fused_weight_hh_grad=fused_weight_hh_grad)
        expect_probability(dropout=dropout)
        self.num_layers = num_layers
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.fused_weight_hh_grad = fused_weight_hh_grad
        # parameter-name suffixes of each layer, per direction: [["_l0", "_l0_reverse"], ...]
        self._suffixes = [[f"_l{k}{d}" for d in ("", "_reverse")[:self.num_directions]]
                          for k in range(num_layers)]
        for k, suffixes in enumerate(self._suffixes):
            for suffix in suffixes:
                self._register_cell(suffix, hidden_size * self.num_directions if k else input_size,
                                    device, dtype)
        self.reset_parameters()

    @property
    def num_directions(self) -> int:
        return 2 if self.bidirectional else 1

    def flatten_parameters(self):
        """No-op, for code written for torch.nn (there is no cuDNN weight buffer here)."""

    def forward(self, input, hx=None):
        """Run the stack over a sequence.

        Parameters
        ----------
        input : (T, N, D), or (N, T, D) with ``batch_first``, or (T, D) unbatched.
        hx : initial state, (num_layers*num_directions, N, H) or, unbatched,
             (num_layers*num_directions, H); a tuple (h_0, c_0) for the LSTM; None for zeros.

        Returns
        -------
        output : (T, N, num_directions*H) (batch_first: (N, T, ...); unbatched: (T, ...)),
                 the last layer's hidden states.
        h_n : like ``hx``, the final state of every layer and direction (never batch-first);
              a tuple (h_n, c_n) for the LSTM.
        """
        cells = [[self._cell(suffix) for suffix in suffixes] for suffixes in self._suffixes]
        like = cells[0][0].W_hh
        batched = isinstance(input, torch.Tensor) and input.dim() != 2
        batch_first = self.batch_first and batched
        dims = (("N", "T", "D") if batch_first else ("T", "N", "D")) if batched else ("T", "D")
        check_tensor("input", input, dims, (None,) * (len(dims) - 1) + (self.input_size,),
                         like, layout_hint(self.batch_first, batched))
        x = input if batched else input.unsqueeze(1)
        if batch_first:
            x = x.transpose(0, 1)
        expect_time_steps(x.shape[0])
        state_dims = ("num_layers*num_directions", "N", "H")
        sizes = (self.num_layers * self.num_directions, x.shape[1], self.hidden_size)
        if not batched:
            state_dims, sizes = state_dims[::2], sizes[::2]
        state = self._initial_state(hx, state_dims, sizes, like,
                                    STATE_HINT if batched else "")
        if not batched:
            state = tuple(s.unsqueeze(1) for s in state)
        output, final = self._run_layers(x, state, cells, time_dim=1 if batch_first else 0)
        if not batched:
            output, final = output.squeeze(1), tuple(s.squeeze(1) for s in final)
        return output, self._pack_state(final)

    def _run_layers(self, x, state, cells, time_dim):
        """x (T, N, D), state tuple of (num_layers*num_directions, N, H) -> output, final state.

        The last layer's output is stacked along ``time_dim``, so batch-first output comes out
        contiguous without a transposed copy.
        """
        initial = [s.unbind(0) for s in state]
        final = []
        for k, layer in enumerate(cells):
            last = k == self.num_layers - 1
            outputs = []
            for d, p in enumerate(layer):
                row = k * self.num_directions + d
                steps, state_n = self._run_direction(x, tuple(s[row] for s in initial), p,
                                                     reverse=d == 1)
                outputs.append(torch.stack(steps, time_dim if last else 0))
                final.append(state_n)
            x = outputs[0] if len(outputs) == 1 else torch.cat(outputs, -1)
            if self.dropout and self.training and not last:
                x = F.dropout(x, self.dropout, training=True)
        return x, tuple(torch.stack(parts) for parts in zip(*final, strict=True))

    def _run_direction(self, x, state, p, reverse):
        """One layer, one direction: the list of T hidden states (in time order), final state."""
        x_proj = self._project(x, p)  # (T, N, G*H)
        h_prev_slot = None
        if (self.fused_weight_hh_grad and p.W_hh.requires_grad and torch.is_grad_enabled()):
            x_proj, state, p, h_prev_slot = self._fuse_weight_hh_grad(x_proj, state, p)
        inputs = x_proj.unbind(0)
        outputs, h_prev = [None] * len(inputs), [None] * len(inputs)
        for t in reversed(range(len(inputs))) if reverse else range(len(inputs)):
            h_prev[t] = state[0]
            state = self._step(inputs[t], state, p)
            outputs[t] = state[0]
        if h_prev_slot is not None:
            h_prev_slot.append(torch.stack(h_prev).detach())  # (T, N, H), for dL/dW_hh
        return outputs, state

    def _fuse_weight_hh_grad(self, x_proj, state, p):
        """Route the loop's inputs through :class:`RecurrentWeightGradient`, detach W_hh.

        Returns x_proj, state and p for the loop, and the list to fill with H_prev.
        """
        h_prev_slot = []
        extras = () if p.peephole is None else (p.peephole,)
        x_proj, *rest = RecurrentWeightGradient.apply(p.W_hh, h_prev_slot, x_proj, *state,
                                                      *extras)
        state, extras = tuple(rest[:self.states]), rest[self.states:]
        p = p._replace(W_hh=p.W_hh.detach(), peephole=extras[0] if extras else None)
        return x_proj, state, p, h_prev_slot


class RecurrentCell(_Recurrent):
    """A single cell applied to one time step, like torch.nn.RNNCell.

    A hidden size of 0 is allowed, as torch.nn's cells allow it: the cell returns (N, 0).
    """

    def __init__(self, input_size, hidden_size, bias, *, peephole=False, device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, peephole)
        expect_positive_ints(input_size=input_size)
        expect_nonnegative_ints(hidden_size=hidden_size)
        self._register_cell("", input_size, device, dtype)
        self.reset_parameters()

    def forward(self, input, hx=None):
        """One step.

        Parameters
        ----------
        input : (N, D), or (D,) unbatched.
        hx : (N, H) (unbatched (H,)), a tuple (h, c) of them for the LSTM cell, or None for zeros.

        Returns
        -------
        h' : (N, H) or (H,); a tuple (h', c') for the LSTM cell.
        """
        p = self._cell("")
        batched = isinstance(input, torch.Tensor) and input.dim() != 1
        dims = ("N", "D") if batched else ("D",)
        check_tensor("input", input, dims, (None,) * (len(dims) - 1) + (self.input_size,),
                         p.W_hh)
        x = input if batched else input.unsqueeze(0)
        if batched:
            state = self._initial_state(hx, ("N", "H"), (x.shape[0], self.hidden_size), p.W_hh)
        else:
            state = self._initial_state(hx, ("H",), (self.hidden_size,), p.W_hh)
            state = tuple(s.unsqueeze(0) for s in state)
        state = self._step(self._project(x, p), state, p)
        if not batched:
            state = tuple(s.squeeze(0) for s in state)
        return self._pack_state(state)
