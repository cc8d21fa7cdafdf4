"""Single-step layers ``RNNCell``, ``LSTMCell``, ``GRUCell`` with torch.nn's interface.

A cell is one time step: the caller writes the loop. They wrap the step functions of rnn.py,
lstm.py and gru.py, adding torch.nn's conventions: parameters ``weight_ih``, ``weight_hh``,
``bias_ih``, ``bias_hh``; ``hx=None`` for a zero state; 1-D unbatched input. ``backward`` uses
the values saved by the latest ``forward``, so a loop over time needs one cell per step or, as
BPTT in the book does, the step functions themselves.

Shapes: N batch, D input features, H hidden units, G gates (1 RNN, 4 LSTM, 3 GRU).
"""

from __future__ import annotations

import numpy as np

from course_rnn.describe import arguments
from course_rnn.numpy.activations import NONLINEARITIES
from course_rnn.numpy.gru import gru_step_backward, gru_step_forward
from course_rnn.numpy.gru_reset_before import (
    gru_reset_before_step_backward,
    gru_reset_before_step_forward,
)
from course_rnn.numpy.lstm import (
    lstm_step_backward,
    lstm_step_forward,
    peephole_weights,
    set_forget_bias,
)
from course_rnn.numpy.lstm_peephole import (
    lstm_peephole_step_backward,
    lstm_peephole_step_forward,
)
from course_rnn.numpy.module import Module
from course_rnn.numpy.recurrent import WEIGHT_NAMES, cell_params
from course_rnn.numpy.rnn import rnn_step_backward, rnn_step_forward
from course_rnn.shapes import (
    expect_bools,
    expect_choice,
    expect_float,
    expect_input,
    expect_nonnegative_ints,
    expect_positive_ints,
    expect_state_pair,
)


class Cell(Module):
    """Shared constructor, input layout and state handling of the three cells."""

    gates: int
    state_size: int

    def __init__(self, input_size, hidden_size, bias=True, *, dtype=np.float64, rng=None):
        super().__init__(dtype)
        expect_positive_ints(input_size=input_size)
        expect_nonnegative_ints(hidden_size=hidden_size)  # torch.nn's cells allow H = 0
        expect_bools(bias=bias)
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        self.rng = np.random.default_rng(rng)
        self.params.update(cell_params(input_size, hidden_size, self.gates, bias, "", self.rng,
                                       self.dtype))
        self._cache = None
        self._batched = True

    def __repr__(self):
        return f"{type(self).__name__}({arguments(self)})"

    def _weights(self):
        return [self.params.get(name) for name in WEIGHT_NAMES]

    def _prepare(self, input, hx):
        """(N, D) input and tuple of (N, H) states; remembers whether the input was 1-D."""
        expect_float("input", input)
        self._batched = np.ndim(input) != 1
        dims = ("N", "D") if self._batched else ("D",)
        expect_input("input", input, dims, (None,) * (len(dims) - 1) + (self.input_size,))
        x = np.asarray(input, dtype=self.dtype)
        x = x if self._batched else x[None]
        if hx is None:
            zeros = np.zeros((x.shape[0], self.hidden_size), self.dtype)
            return x, (zeros,) * self.state_size
        if self.state_size == 2:
            expect_state_pair(hx)
        parts = (hx,) if self.state_size == 1 else tuple(hx)
        states = []
        for name, part in zip(("h_0", "c_0"), parts):
            dims = ("N", "H") if self._batched else ("H",)
            sizes = (x.shape[0], self.hidden_size) if self._batched else (self.hidden_size,)
            expect_input(name, part, dims, sizes)
            part = np.asarray(part, dtype=self.dtype)
            states.append(part if self._batched else part[None])
        return x, tuple(states)

    def _unbatch(self, array):
        return array if self._batched else array[0]

    def _batch(self, array):
        array = np.asarray(array, dtype=self.dtype)
        return array if self._batched else array[None]

    def _require_forward(self):
        if self._cache is None:
            raise RuntimeError("backward: call forward first (backward uses its saved values)")

    def _step(self, x, states):
        """The step function: (x, *states) -> (*new_states, cache)."""
        raise NotImplementedError

    def _step_backward(self, upstream, cache):
        """The step's backward: -> (dx, *dstates, *parameter gradients in WEIGHT_NAMES order)."""
        raise NotImplementedError

    def forward(self, input, hx=None):
        """One step: input (N, D) or (D,); hx (N, H) or (H,), a tuple (h, c) for the LSTM cell,
        None for zeros. Returns h' (N, H) or (H,), for the LSTM cell (h', c')."""
        x, states = self._prepare(input, hx)
        *new_states, self._cache = self._step(x, states)
        new_states = tuple(self._unbatch(s) for s in new_states)
        return new_states[0] if self.state_size == 1 else new_states

    def backward(self, dh, dc=None):
        """Gradients at the input and state of the last forward, given dL/dh' (and dL/dc').

        Returns ``(dx, dhx)`` with dhx shaped like hx (a tuple (dh, dc) for the LSTM cell);
        parameter gradients go to ``self.grads``.
        """
        self._require_forward()
        dh = self._batch(dh)
        upstream = (dh,) if self.state_size == 1 else (
            dh, np.zeros_like(dh) if dc is None else self._batch(dc))
        dx, *rest = self._step_backward(upstream, self._cache)
        dstates = tuple(self._unbatch(d) for d in rest[:self.state_size])
        names = (*WEIGHT_NAMES, "weight_peephole")
        self.grads = {n: g for n, g in zip(names, rest[self.state_size:]) if n in self.params}
        return self._unbatch(dx), dstates[0] if self.state_size == 1 else dstates


class RNNCell(Cell):
    """h' = f(x W_ih^T + b_ih + h W_hh^T + b_hh). forward -> h' (N, H); backward(dh) -> (dx, dh)."""

    gates = 1
    state_size = 1

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", *,
                 dtype=np.float64, rng=None):
        expect_choice("nonlinearity", nonlinearity, tuple(NONLINEARITIES))
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, bias, dtype=dtype, rng=rng)

    def _step(self, x, states):
        return rnn_step_forward(x, *states, *self._weights(), self.nonlinearity)

    def _step_backward(self, upstream, cache):
        return rnn_step_backward(*upstream, cache)


class GRUCell(Cell):
    """One GRU step. forward -> h' (N, H); backward(dh) -> (dx, dh).

    ``reset_after`` as for :class:`~course_rnn.numpy.gru.GRU`: True (default) is torch's
    formulation, False Cho et al.'s, with the reset gate before the product with W_hn.
    """

    gates = 3
    state_size = 1

    def __init__(self, input_size, hidden_size, bias=True, *, reset_after=True,
                 dtype=np.float64, rng=None):
        expect_bools(reset_after=reset_after)
        self.reset_after = reset_after
        super().__init__(input_size, hidden_size, bias, dtype=dtype, rng=rng)

    def _step(self, x, states):
        forward = gru_step_forward if self.reset_after else gru_reset_before_step_forward
        return forward(x, *states, *self._weights())

    def _step_backward(self, upstream, cache):
        backward = gru_step_backward if self.reset_after else gru_reset_before_step_backward
        return backward(*upstream, cache)


class LSTMCell(Cell):
    """One LSTM step. forward(x, (h, c)) -> (h', c'); backward(dh, dc=None) -> (dx, (dh, dc)).

    ``peephole`` and ``forget_bias`` as for :class:`~course_rnn.numpy.lstm.LSTM`; the peephole
    weights are then ``weight_peephole`` (3, H).
    """

    gates = 4
    state_size = 2

    def __init__(self, input_size, hidden_size, bias=True, *, peephole=False, forget_bias=None,
                 dtype=np.float64, rng=None):
        super().__init__(input_size, hidden_size, bias, dtype=dtype, rng=rng)
        self.peephole, self.forget_bias = peephole, forget_bias
        if peephole:
            self.params["weight_peephole"] = peephole_weights(hidden_size, self.rng, self.dtype)
        set_forget_bias(self, forget_bias)

    def _step(self, x, states):
        if self.peephole:
            return lstm_peephole_step_forward(x, *states, *self._weights(),
                                              self.params["weight_peephole"])
        return lstm_step_forward(x, *states, *self._weights())

    def _step_backward(self, upstream, cache):
        backward = lstm_peephole_step_backward if self.peephole else lstm_step_backward
        return backward(*upstream, cache)
