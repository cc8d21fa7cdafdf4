r"""Gated recurrent unit as torch modules, in torch's formulation; autograd does BPTT.

Gate order r, z, n in the rows of the weights. The recurrent term keeps its own bias because
the reset gate multiplies it, bias included:

    [i_r, i_z, i_n] = x_t W_ih^T + b_ih          [h_r, h_z, h_n] = h_{t-1} W_hh^T + b_hh
    r = sigmoid(i_r + h_r)                       reset gate
    z = sigmoid(i_z + h_z)                       update gate
    n = tanh(i_n + r * h_n)                      candidate state
    h_t = (1 - z) * n + z * h_{t-1}

:func:`gru_step` is those equations; the layer computes the input terms of all steps before
the loop (``recurrent.py``).

Shapes: N batch, T time, D input features, H hidden units. W_ih (3H, D), W_hh (3H, H),
b_ih and b_hh (3H,) or absent.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from course_rnn.torch.recurrent import RecurrentCell, RecurrentLayers


def gru_step(x_proj, h_prev, W_hh, b_hh=None):
    """One step of the equations above.

    Parameters
    ----------
    x_proj : (N, 3H) the input terms x_t W_ih^T + b_ih.
    h_prev : (N, H) previous hidden state.   W_hh : (3H, H).   b_hh : (3H,) or None.

    Returns
    -------
    h_next : (N, H).
    """
    i_r, i_z, i_n = x_proj.chunk(3, dim=1)
    h_r, h_z, h_n = F.linear(h_prev, W_hh, b_hh).chunk(3, dim=1)  # h_{t-1} W_hh^T + b_hh
    r = torch.sigmoid(i_r + h_r)
    z = torch.sigmoid(i_z + h_z)
    n = torch.tanh(i_n + r * h_n)
    return (1 - z) * n + z * h_prev


class GRU(RecurrentLayers):
    """Multi-layer GRU, a drop-in for ``torch.nn.GRU`` (same arguments, same parameters).

    Parameters as for :class:`~course_rnn.torch.rnn.RNN`, without ``nonlinearity``; dL/dW_hh
    is always left to autograd (the reset gate rules out ``fused_weight_hh_grad``).
    ``forward(input, hx=None)`` returns ``(output, h_n)``: see :meth:`RecurrentLayers.forward`.
    """

    gates = 3
    fold_hh_bias = False  # b_hn sits inside r * (...), so b_hh cannot join the input term

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, *, device=None, dtype=None):
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, device=device, dtype=dtype)

    def _step(self, x_proj, state, p):
        return (gru_step(x_proj, state[0], p.W_hh, p.b_hh),)


class GRUCell(RecurrentCell):
    """One GRU step, a drop-in for ``torch.nn.GRUCell``.

    ``forward(input, hx=None)``: input (N, D) or (D,), hx (N, H) or (H,) -> h' of hx's shape.
    """

    gates = 3
    fold_hh_bias = False

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, device=device, dtype=dtype)

    def _step(self, x_proj, state, p):
        return (gru_step(x_proj, state[0], p.W_hh, p.b_hh),)
