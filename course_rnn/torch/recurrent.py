r"""What every torch recurrent module shares: parameters, layers, directions, states, checks.

RNN, LSTM and GRU differ only in what one time step computes; that lives in ``rnn.py``,
``lstm.py`` and ``gru.py`` as a small *cell math* class. A public class is such a math class
mixed into :class:`RecurrentLayers` (torch.nn.RNN/LSTM/GRU) or :class:`RecurrentCell`
(torch.nn.RNNCell/...). The math class provides

    gate_count          G, how many blocks of H rows each weight stacks (1, 4, 3)
    state_count         1 for the state (h,), 2 for the LSTM's (h, c)
    fold_hh_bias        True if b_hh may be added to the input projection before the loop
    check_options()     validates the options the constructor stored
    extra_parameters()  {name: shape} registered after the four standard ones (the peephole)
    step(gi, state, W_hh_t, b_hh, *extra) -> the new state tuple, h first

where ``gi`` = x_t W_ih^T + b_ih (+ b_hh when folded) is the step's input projection, and
``W_hh_t`` is W_hh^T.

Speed. Autograd records every tensor operation; for a Python loop on a CPU the cost per
recorded operation, not the arithmetic, is what separates it from torch.nn's C++ loop. Hence:

- the input projections of all T steps are one matrix product before the loop (one big GEMM
  is also faster than T small ones);
- the loop walks ``gi.unbind(0)``: one autograd node for all T slices, whose backward stacks
  the T gradients once. ``gi[t]`` would record T select nodes, and each one's backward fills
  a zero tensor as large as the whole of ``gi``: a backward that grows with T^2;
- W_hh^T is taken once per direction, the per-step outputs are stacked once at the end, and
  the steps themselves use few, fused operations (addmm, one sigmoid over several gates);
- for the RNN and LSTM, dL/dW_hh is one large product after the loop rather than T small
  ones (see :class:`RecurrentWeightGradient`); everything else stays with autograd.

Shapes: N batch, T time, D input features (D for layer 0, num_directions*H above), H hidden,
G gates. An unbatched input has no N axis.
"""

from __future__ import annotations

import math
import numbers

import torch
import torch.nn.functional as F
from torch import nn

from course_rnn.describe import arguments
from course_rnn.shapes import (
    STATE_HINT,
    expect_finite,
    expect_float,
    expect_positive_ints,
    expect_shape,
    expect_state_pair,
    expect_time_steps,
    layout_hint,
)
from course_rnn.torch.weight_gradient import RecurrentWeightGradient


class _RecurrentBase(nn.Module):
    """Parameter registration, initialisation and argument checks for layers and cells."""

    gate_count: int
    state_count: int
    fold_hh_bias: bool

    def __init__(self, input_size, hidden_size, bias, options):
        super().__init__()
        expect_positive_ints(input_size=input_size, hidden_size=hidden_size)
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bool(bias)
        for name, value in options.items():
            setattr(self, name, value)
        self.check_options()

    def check_options(self):
        """Validate the options of the math class; nothing to check by default."""

    def extra_parameters(self) -> dict:
        """Parameters beyond weight_ih, weight_hh, bias_ih, bias_hh: none by default."""
        return {}

    def _register_direction(self, suffix, input_size, factory):
        """Register one cell's parameters, named and ordered as torch.nn does.

        ``factory`` holds the ``device`` and ``dtype`` for ``torch.empty``; returns the names.
        """
        rows = self.gate_count * self.hidden_size
        shapes = {"weight_ih": (rows, input_size), "weight_hh": (rows, self.hidden_size),
                  "bias_ih": (rows,), "bias_hh": (rows,), **self.extra_parameters()}
        for name, shape in shapes.items():
            absent = name.startswith("bias") and not self.bias
            # a None parameter keeps getattr uniform and stays out of state_dict, like torch.nn
            value = None if absent else nn.Parameter(torch.empty(shape, **factory))
            self.register_parameter(name + suffix, value)
        return tuple(name + suffix for name in shapes)

    def reset_parameters(self):
        """torch.nn's initialisation: every parameter uniform in [-1/sqrt(H), 1/sqrt(H)].

        The same draws in the same order as torch.nn, so a seed gives torch.nn's weights.
        """
        bound = 1.0 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            nn.init.uniform_(weight, -bound, bound)

    def _cell_parameters(self, names):
        return [getattr(self, name) for name in names]

    def _project(self, x, W_ih, b_ih, b_hh):
        """Input projection x W_ih^T + b of every row of ``x`` in one product.

        Returns ``(gi, b_rec)``: (..., G*H) and the bias the step still has to add (None when
        b_hh can be folded into gi, which saves an addition per step).
        """
        if self.fold_hh_bias and b_ih is not None:
            return F.linear(x, W_ih, b_ih + b_hh), None
        return F.linear(x, W_ih, b_ih), b_hh

    def _check_data(self, name, value, dims, sizes, hint=""):
        """Type, shape, dtype and device of a data argument, then finiteness."""
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"{name}: expected a torch.Tensor, got {type(value).__name__}"
                            " (PackedSequence is not supported)")
        expect_float(name, value)
        expect_shape(name, value, dims, sizes, hint)
        weight = getattr(self, self._dtype_source)
        if value.dtype != weight.dtype:
            raise TypeError(f"{name}: expected dtype {weight.dtype} like the parameters, got "
                            f"{value.dtype}; convert the input or the module (.to(dtype))")
        if value.device != weight.device:
            raise ValueError(f"{name}: expected a tensor on {weight.device} like the "
                             f"parameters, got one on {value.device}; move one of them (.to)")
        expect_finite(name, value)

    def _initial_state(self, hx, dims, sizes, like, hint=""):
        """``hx`` as a tuple of ``state_count`` checked tensors shaped ``sizes``; zeros if None."""
        names = ("h_0", "c_0")[:self.state_count]
        if hx is None:
            return tuple(like.new_zeros(sizes) for _ in names)
        if self.state_count == 1:
            hx = (hx,)
        else:
            expect_state_pair(hx)
        for name, value in zip(names, hx, strict=True):
            self._check_data(name, value, dims, sizes, hint)
        return tuple(hx)

    def _pack_state(self, state):
        """torch.nn's return convention: h alone, or the tuple (h, c)."""
        return state[0] if self.state_count == 1 else tuple(state)


class RecurrentLayers(_RecurrentBase):
    """A stack of ``num_layers`` recurrent layers, each one or two directions, like torch.nn.RNN."""

    def __init__(self, input_size, hidden_size, num_layers, bias, batch_first, dropout,
                 bidirectional, options, device, dtype):
        super().__init__(input_size, hidden_size, bias, options)
        expect_positive_ints(num_layers=num_layers)
        if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1:
            raise ValueError(f"dropout: expected a probability in [0, 1], got {dropout!r}")
        self.num_layers = num_layers
        self.batch_first = bool(batch_first)
        self.dropout = float(dropout)
        self.bidirectional = bool(bidirectional)
        directions = ("", "_reverse") if self.bidirectional else ("",)
        # names of each layer's parameters, per direction: [[forward, reverse], ...]
        self._layer_names = [
            [self._register_direction(f"_l{k}{suffix}",
                                      input_size if k == 0 else hidden_size * len(directions),
                                      {"device": device, "dtype": dtype})
             for suffix in directions]
            for k in range(num_layers)]
        # inputs must match this weight (by name: functional_call may swap the tensors)
        self._dtype_source = "weight_hh_l0"
        self.reset_parameters()

    @property
    def num_directions(self) -> int:
        return 2 if self.bidirectional else 1

    def flatten_parameters(self):
        """No-op, for code written for torch.nn (there is no cuDNN weight buffer here)."""

    def extra_repr(self):
        return arguments(self)

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
        batched = isinstance(input, torch.Tensor) and input.dim() != 2
        major = ("N", "T", "D") if self.batch_first and batched else ("T", "N", "D")
        hint = layout_hint(self.batch_first, batched)
        dims = major if batched else ("T", "D")
        self._check_data("input", input, dims, (None,) * (len(dims) - 1) + (self.input_size,),
                         hint)
        x = input if batched else input.unsqueeze(1)
        if self.batch_first and batched:
            x = x.transpose(0, 1)
        expect_time_steps(x.shape[0])
        rows = self.num_layers * self.num_directions
        state_dims = ("num_layers*num_directions", "N", "H")
        sizes = (rows, x.shape[1], self.hidden_size)
        if not batched:
            state_dims, sizes = state_dims[::2], sizes[::2]
        state = self._initial_state(hx, state_dims, sizes, x, STATE_HINT if batched else "")
        if not batched:
            state = tuple(s.unsqueeze(1) for s in state)
        output, final = self._run_layers(x, state, time_dim=1 if self.batch_first and batched
                                         else 0)
        if not batched:
            output, final = output.squeeze(1), tuple(s.squeeze(1) for s in final)
        return output, self._pack_state(final)

    def _run_layers(self, x, state, time_dim):
        """x (T, N, D), state tuple of (num_layers*num_directions, N, H) -> output, final state.

        The last layer's output is stacked along ``time_dim``, so batch-first output comes out
        contiguous without a transposed copy.
        """
        initial = [s.unbind(0) for s in state]
        final = []
        for k, layer_names in enumerate(self._layer_names):
            last = k == self.num_layers - 1
            outputs = []
            for d, names in enumerate(layer_names):
                row = k * self.num_directions + d
                steps, state_n = self._run_direction(x, tuple(s[row] for s in initial),
                                                     self._cell_parameters(names), d == 1)
                outputs.append(torch.stack(steps, time_dim if last else 0))
                final.append(state_n)
            x = outputs[0] if len(outputs) == 1 else torch.cat(outputs, -1)
            if self.dropout and self.training and not last:
                x = F.dropout(x, self.dropout, training=True)
        return x, tuple(torch.stack(parts) for parts in zip(*final, strict=True))

    def _run_direction(self, x, state, params, reverse):
        """One layer, one direction: the list of T hidden states (in time order), final state."""
        W_ih, W_hh, b_ih, b_hh, *extra = params
        gi, b_rec = self._project(x, W_ih, b_ih, b_hh)  # (T, N, G*H)
        gi, W_hh_t, h_prev_slot = self._recurrent_weight(gi, W_hh)
        order = range(len(gi) - 1, -1, -1) if reverse else range(len(gi))
        steps = gi.unbind(0)
        outputs, h_prev = [None] * len(gi), [None] * len(gi)
        for t in order:
            h_prev[t] = state[0]
            state = self.step(steps[t], state, W_hh_t, b_rec, *extra)
            outputs[t] = state[0]
        if h_prev_slot is not None:
            h_prev_slot.append(torch.stack(h_prev).detach())  # (T, N, H), for dL/dW_hh
        return outputs, state

    def _recurrent_weight(self, gi, W_hh):
        """W_hh^T for the loop, and how dL/dW_hh will be formed.

        Plain autograd forms dL/dW_hh as T small products (N rows each) and T additions, one
        per step. Where the step adds h_{t-1} W_hh^T straight to gi_t (RNN, LSTM), the
        gradient reaching gi_t is also the one reaching that product, so dL/dW_hh is one
        large product over all T*N rows: the loop uses a detached W_hh, and
        :class:`RecurrentWeightGradient` forms the gradient from gi's.
        Returns (gi, W_hh^T, slot for the states h_{t-1}) -- slot None on the plain path.
        """
        if not (self.fold_hh_bias and W_hh.requires_grad and torch.is_grad_enabled()):
            return gi, W_hh.t(), None
        slot = []
        return RecurrentWeightGradient.apply(gi, W_hh, slot), W_hh.detach().t(), slot


class RecurrentCell(_RecurrentBase):
    """A single cell applied to one time step, like torch.nn.RNNCell."""

    def __init__(self, input_size, hidden_size, bias, options, device, dtype):
        super().__init__(input_size, hidden_size, bias, options)
        self._names = self._register_direction("", input_size, {"device": device, "dtype": dtype})
        self._dtype_source = "weight_hh"  # inputs must match it (see RecurrentLayers)
        self.reset_parameters()

    def extra_repr(self):
        return arguments(self)

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
        batched = isinstance(input, torch.Tensor) and input.dim() != 1
        dims = ("N", "D") if batched else ("D",)
        self._check_data("input", input, dims, (None,) * (len(dims) - 1) + (self.input_size,))
        x = input if batched else input.unsqueeze(0)
        if batched:
            state = self._initial_state(hx, ("N", "H"), (x.shape[0], self.hidden_size), x)
        else:
            state = self._initial_state(hx, ("H",), (self.hidden_size,), x)
        if not batched:
            state = tuple(s.unsqueeze(0) for s in state)
        W_ih, W_hh, b_ih, b_hh, *extra = self._cell_parameters(self._names)
        gi, b_rec = self._project(x, W_ih, b_ih, b_hh)  # (N, G*H)
        state = self.step(gi, state, W_hh.t(), b_rec, *extra)
        if not batched:
            state = tuple(s.squeeze(0) for s in state)
        return self._pack_state(state)
