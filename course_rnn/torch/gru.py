r"""Gated recurrent unit as torch modules, in torch's formulation; autograd does BPTT.

Gate order r, z, n in the rows of the weights. The recurrent projection keeps its own bias
because the reset gate multiplies it, bias included:

    [i_r, i_z, i_n] = x_t W_ih^T + b_ih          [h_r, h_z, h_n] = h_{t-1} W_hh^T + b_hh
    r = sigmoid(i_r + h_r)                       reset gate
    z = sigmoid(i_z + h_z)                       update gate
    n = tanh(i_n + r * h_n)                      candidate state
    h_t = (1 - z) * n + z * h_{t-1}

Shapes: N batch, T time, D input features, H hidden units. W_ih (3H, D), W_hh (3H, H),
b_ih and b_hh (3H,) or absent.
"""

from __future__ import annotations

import torch

from course_rnn.torch.recurrent import RecurrentCell, RecurrentLayers


class _GRUMath:
    """The GRU step; mixed into a layer stack or a cell (see ``recurrent.py``)."""

    gate_count = 3
    state_count = 1
    fold_hh_bias = False  # b_hn sits inside r * (...), so b_hh cannot join the input projection

    def step(self, gi, state, W_hh_t, b_hh):
        """One step of the equations above.

        Parameters
        ----------
        gi : (N, 3H) input projection x_t W_ih^T + b_ih.
        state : (h_prev,), h_prev (N, H).   W_hh_t : (H, 3H) W_hh^T.   b_hh : (3H,) or None.

        Returns
        -------
        (h_next,), h_next (N, H).
        """
        (h_prev,) = state
        gh = h_prev.mm(W_hh_t) if b_hh is None else torch.addmm(b_hh, h_prev, W_hh_t)  # (N, 3H)
        H = h_prev.shape[1]
        gi_rz, gi_n = gi.split((2 * H, H), 1)
        gh_rz, gh_n = gh.split((2 * H, H), 1)
        # r and z in one sigmoid: fewer recorded operations is what makes the loop fast
        r, z = torch.sigmoid(gi_rz + gh_rz).chunk(2, 1)
        n = torch.tanh(torch.addcmul(gi_n, r, gh_n))
        # lerp(n, h_prev, z) = n + z * (h_prev - n) = (1 - z) * n + z * h_prev, in one operation
        return (torch.lerp(n, h_prev, z),)


class GRU(_GRUMath, RecurrentLayers):
    """Multi-layer GRU, a drop-in for ``torch.nn.GRU`` (same arguments, same parameters).

    Parameters as for :class:`~course_rnn.torch.rnn.RNN`, without ``nonlinearity``.
    ``forward(input, hx=None)`` returns ``(output, h_n)``: see :meth:`RecurrentLayers.forward`.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, *, device=None, dtype=None):
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, {}, device, dtype)


class GRUCell(_GRUMath, RecurrentCell):
    """One GRU step, a drop-in for ``torch.nn.GRUCell``.

    ``forward(input, hx=None)``: input (N, D) or (D,), hx (N, H) or (H,) -> h' of hx's shape.
    """

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, {}, device, dtype)
