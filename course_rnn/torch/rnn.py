r"""The vanilla (Elman) RNN as torch modules: the step is written out, autograd does BPTT.

One step maps the input x_t and the previous state h_{t-1} to the new state

    a_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
    h_t = f(a_t),        f = tanh or relu

:class:`RNN` and :class:`RNNCell` take torch.nn's arguments and parameters, so weights move
between them and ``torch.nn.RNN`` / ``torch.nn.RNNCell`` with ``load_state_dict``. Layers,
directions, states and checks are in ``recurrent.py``; this file holds only the step.

Shapes: N batch, T time, D input features, H hidden units. W_ih (H, D), W_hh (H, H),
b_ih and b_hh (H,) or absent.
"""

from __future__ import annotations

import torch

from course_rnn.shapes import expect_choice
from course_rnn.torch.recurrent import RecurrentCell, RecurrentLayers

_NONLINEARITIES = {"tanh": torch.tanh, "relu": torch.relu}


class _RNNMath:
    """The Elman step; mixed into a layer stack or a cell (see ``recurrent.py``)."""

    gate_count = 1
    state_count = 1
    fold_hh_bias = True  # both biases add to the same pre-activation

    def check_options(self):
        expect_choice("nonlinearity", self.nonlinearity, tuple(_NONLINEARITIES))

    def step(self, gi, state, W_hh_t, b_hh):
        """h_t = f(gi + h_{t-1} W_hh^T).

        Parameters
        ----------
        gi : (N, H) input projection x_t W_ih^T + b_ih + b_hh (the biases are always folded).
        state : (h_prev,), h_prev (N, H).   W_hh_t : (H, H) W_hh^T.   b_hh : always None here.

        Returns
        -------
        (h_next,), h_next (N, H).
        """
        (h_prev,) = state
        # addmm: the recurrent product and the addition in one recorded operation
        return (_NONLINEARITIES[self.nonlinearity](torch.addmm(gi, h_prev, W_hh_t)),)


class RNN(_RNNMath, RecurrentLayers):
    """Multi-layer Elman RNN, a drop-in for ``torch.nn.RNN`` (same arguments, same parameters).

    Parameters
    ----------
    input_size : D.   hidden_size : H.   num_layers : stacked layers.
    nonlinearity : ``'tanh'`` or ``'relu'``.   bias : whether b_ih and b_hh exist.
    batch_first : input and output are (N, T, ...) instead of (T, N, ...).
    dropout : dropout probability on the outputs of every layer but the last (training only).
    bidirectional : add a layer that reads the sequence backwards (parameters ``*_reverse``).
    device, dtype : where and in what precision the parameters live.

    ``forward(input, hx=None)`` returns ``(output, h_n)``: see :meth:`RecurrentLayers.forward`.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, *, device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, {"nonlinearity": nonlinearity}, device, dtype)


class RNNCell(_RNNMath, RecurrentCell):
    """One Elman step, a drop-in for ``torch.nn.RNNCell``.

    ``forward(input, hx=None)``: input (N, D) or (D,), hx (N, H) or (H,) -> h' of hx's shape.
    """

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, {"nonlinearity": nonlinearity},
                         device, dtype)
