r"""The vanilla (Elman) RNN as torch modules: the step is written out, autograd does BPTT.

One step maps the input x_t and the previous state h_{t-1} to the new state

    a_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
    h_t = f(a_t),        f = tanh or relu

:func:`rnn_step` is that equation. The first three terms do not depend on h_{t-1}, so the
layer computes them, x_proj, for every step at once before the loop (``recurrent.py``).
Autograd does BPTT except, by default, for its sum over time dL/dW_hh, which the layer forms
as one product (``fused_weight_hh_grad``, ``weight_gradient.py``).
:class:`RNN` and :class:`RNNCell` take torch.nn's arguments and parameters, so weights move
between them and ``torch.nn.RNN`` / ``torch.nn.RNNCell`` with ``load_state_dict``.

Shapes: N batch, T time, D input features, H hidden units. W_ih (H, D), W_hh (H, H),
b_ih and b_hh (H,) or absent.
"""

from __future__ import annotations

import torch

from course_rnn.shapes import expect_choice
from course_rnn.torch.recurrent import RecurrentCell, RecurrentLayers


def rnn_step(x_proj, h_prev, W_hh, nonlinearity="tanh"):
    """One Elman step, h_t = f(x_proj + h_{t-1} W_hh^T).

    Parameters
    ----------
    x_proj : (N, H) the input term x_t W_ih^T + b_ih + b_hh.
    h_prev : (N, H) previous hidden state.   W_hh : (H, H).
    nonlinearity : ``"tanh"`` or ``"relu"``.

    Returns
    -------
    h_next : (N, H).
    """
    a = x_proj + h_prev @ W_hh.T
    return torch.tanh(a) if nonlinearity == "tanh" else torch.relu(a)


class RNN(RecurrentLayers):
    """Multi-layer Elman RNN, a drop-in for ``torch.nn.RNN`` (same arguments, same parameters).

    Parameters
    ----------
    input_size : D.   hidden_size : H.   num_layers : stacked layers.
    nonlinearity : ``'tanh'`` or ``'relu'``.   bias : whether b_ih and b_hh exist.
    batch_first : input and output are (N, T, ...) instead of (T, N, ...).
    dropout : dropout probability on the outputs of every layer but the last (training only).
    bidirectional : add a layer that reads the sequence backwards (parameters ``*_reverse``).
    merge : how a bidirectional layer joins its two directions: ``"concat"`` (torch.nn's, 2H
        features), ``"sum"`` or ``"mean"`` (H features).
    fused_weight_hh_grad : form dL/dW_hh as one product over all T*N rows instead of leaving
        its T terms to autograd (faster; refuses second derivatives, see ``weight_gradient``).
    device, dtype : where and in what precision the parameters live.

    ``forward(input, hx=None)`` returns ``(output, h_n)``: see :meth:`RecurrentLayers.forward`.
    """

    gates = 1

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, *, merge="concat",
                 fused_weight_hh_grad=True, device=None, dtype=None):
        expect_choice("nonlinearity", nonlinearity, ("tanh", "relu"))
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, merge=merge, fused_weight_hh_grad=fused_weight_hh_grad,
                         device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def _step(self, x_proj, state, p):
        return (rnn_step(x_proj, state[0], p.W_hh, self.nonlinearity),)


class RNNCell(RecurrentCell):
    """One Elman step, a drop-in for ``torch.nn.RNNCell``.

    ``forward(input, hx=None)``: input (N, D) or (D,), hx (N, H) or (H,) -> h' of hx's shape.
    """

    gates = 1

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        expect_choice("nonlinearity", nonlinearity, ("tanh", "relu"))
        super().__init__(input_size, hidden_size, bias, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def _step(self, x_proj, state, p):
        return (rnn_step(x_proj, state[0], p.W_hh, self.nonlinearity),)
