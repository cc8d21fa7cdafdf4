r"""Gated recurrent unit as torch modules, torch's formulation or Cho et al.'s; autograd does BPTT.

Gate order r, z, n in the rows of the weights. In torch's formulation the recurrent term keeps
its own bias because the reset gate multiplies it, bias included:

    [i_r, i_z, i_n] = x_t W_ih^T + b_ih          [h_r, h_z, h_n] = h_{t-1} W_hh^T + b_hh
    r = sigmoid(i_r + h_r)                       reset gate
    z = sigmoid(i_z + h_z)                       update gate
    n = tanh(i_n + r * h_n)                      candidate state
    h_t = (1 - z) * n + z * h_{t-1}

:func:`gru_step` is those equations. With ``reset_after=False`` the layers run
:func:`gru_reset_before_step`, Cho et al.'s candidate n = tanh(i_n + (r * h_{t-1}) W_hn^T + b_hn),
in which every bias adds straight to a pre-activation, so b_hh joins the input term. Either way
the layer computes the input terms of all steps before the loop (``recurrent.py``).

Shapes: N batch, T time, D input features, H hidden units. W_ih (3H, D), W_hh (3H, H),
b_ih and b_hh (3H,) or absent.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from course_rnn.shapes import expect_bools
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


def gru_reset_before_step(x_proj, h_prev, W_hh):
    """One step of Cho et al.'s GRU: the reset gate scales h_{t-1} before the product with W_hn.

    Parameters
    ----------
    x_proj : (N, 3H) the input terms x_t W_ih^T + b_ih + b_hh.
    h_prev : (N, H) previous hidden state.   W_hh : (3H, H).

    Returns
    -------
    h_next : (N, H).
    """
    a_r, a_z, a_n = x_proj.chunk(3, dim=1)
    W_hr, W_hz, W_hn = W_hh.chunk(3, dim=0)                      # (H, H) each
    r = torch.sigmoid(a_r + h_prev @ W_hr.T)
    z = torch.sigmoid(a_z + h_prev @ W_hz.T)
    n = torch.tanh(a_n + (r * h_prev) @ W_hn.T)
    return (1 - z) * n + z * h_prev


class _GRUParts:
    """What the GRU layer stack and the GRU cell share beyond the base classes."""

    gates = 3

    def _set_reset_after(self, reset_after):
        """Before the base class initialises: torch's form keeps b_hh apart, Cho's folds it."""
        expect_bools(reset_after=reset_after)
        self.reset_after = reset_after
        self.fold_hh_bias = not reset_after  # b_hn sits inside r * (...) in torch's form only

    def _step(self, x_proj, state, p):
        if self.reset_after:
            return (gru_step(x_proj, state[0], p.W_hh, p.b_hh),)
        return (gru_reset_before_step(x_proj, state[0], p.W_hh),)


class GRU(_GRUParts, RecurrentLayers):
    """Multi-layer GRU, a drop-in for ``torch.nn.GRU`` (same arguments, same parameters).

    Parameters as for :class:`~course_rnn.torch.rnn.RNN`, without ``nonlinearity``, and
    ``reset_after``: True (default) is torch.nn.GRU's formulation, False Cho et al.'s, with the
    reset gate before the product with W_hn (same parameters). dL/dW_hh is always left to
    autograd (the reset gate rules out ``fused_weight_hh_grad``).
    ``forward(input, hx=None)`` returns ``(output, h_n)``: see :meth:`RecurrentLayers.forward`.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, *, merge="concat", reset_after=True,
                 device=None, dtype=None):
        self._set_reset_after(reset_after)
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, merge=merge, device=device, dtype=dtype)


class GRUCell(_GRUParts, RecurrentCell):
    """One GRU step, a drop-in for ``torch.nn.GRUCell``; ``reset_after`` as in :class:`GRU`.

    ``forward(input, hx=None)``: input (N, D) or (D,), hx (N, H) or (H,) -> h' of hx's shape.
    """

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None, *,
                 reset_after=True):
        self._set_reset_after(reset_after)
        super().__init__(input_size, hidden_size, bias, device=device, dtype=dtype)
