r"""Long short-term memory as torch modules: the step is written out, autograd does BPTT.

One step, with torch's gate order i, f, g, o stacked in the rows of the weights:

    [a_i, a_f, a_g, a_o] = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
    i = sigmoid(a_i + p_i * c_{t-1})        input gate
    f = sigmoid(a_f + p_f * c_{t-1})        forget gate
    g = tanh(a_g)                           candidate
    c_t = f * c_{t-1} + i * g               cell state
    o = sigmoid(a_o + p_o * c_t)            output gate
    h_t = o * tanh(c_t)

The peephole terms p (Gers & Schmidhuber 2000) exist only with ``peephole=True``; they are one
extra parameter per layer and direction, ``weight_peephole_l{k}`` (3, H) with rows p_i, p_f,
p_o, registered after the four torch.nn ones (torch.nn has no peepholes, so such a module's
state_dict only loads into another peephole LSTM). Without them this is torch.nn's LSTM.

``forget_bias=b`` starts the forget gate's total bias at b (b_ih's f block = b, b_hh's = 0), the
usual remedy (Jozefowicz et al. 2015) for a freshly initialised LSTM that forgets too fast.

Shapes: N batch, T time, D input features, H hidden units. W_ih (4H, D), W_hh (4H, H),
b_ih and b_hh (4H,) or absent, peephole (3, H).
"""

from __future__ import annotations

import torch

from course_rnn.torch.recurrent import RecurrentCell, RecurrentLayers


class _LSTMMath:
    """The LSTM step; mixed into a layer stack or a cell (see ``recurrent.py``)."""

    gate_count = 4
    state_count = 2
    fold_hh_bias = True  # both biases add to the same pre-activations

    def check_options(self):
        if self.forget_bias is not None and not self.bias:
            raise ValueError("forget_bias: needs bias=True (it sets the forget-gate bias)")

    def extra_parameters(self):
        return {"weight_peephole": (3, self.hidden_size)} if self.peephole else {}

    def reset_parameters(self):
        """torch.nn's initialisation, then the forget gate's bias if ``forget_bias`` is set."""
        super().reset_parameters()
        if self.forget_bias is None:
            return
        H = self.hidden_size
        with torch.no_grad():
            for name, value in self.named_parameters():
                if name.startswith("bias_ih"):
                    value[H:2 * H] = self.forget_bias
                elif name.startswith("bias_hh"):
                    value[H:2 * H] = 0.0

    def step(self, gi, state, W_hh_t, b_hh, peephole=None):
        """One step of the equations above.

        Parameters
        ----------
        gi : (N, 4H) input projection x_t W_ih^T + b_ih + b_hh (the biases are always folded).
        state : (h_prev, c_prev), each (N, H).   W_hh_t : (H, 4H) W_hh^T.
        b_hh : always None here.   peephole : (3, H) or None.

        Returns
        -------
        (h_next, c_next), each (N, H).
        """
        h_prev, c_prev = state
        gates = torch.addmm(gi, h_prev, W_hh_t)  # (N, 4H)
        if peephole is not None:
            return _peephole_update(gates, c_prev, peephole)
        H = c_prev.shape[1]
        # one sigmoid over all four blocks costs less than three calls on i, f and o: the
        # wasted quarter (g's block) is cheap, every recorded operation is not
        i, f, _, o = torch.sigmoid(gates).chunk(4, 1)
        g = torch.tanh(gates[:, 2 * H:3 * H])
        c_next = torch.addcmul(f * c_prev, i, g)
        return o * torch.tanh(c_next), c_next


def _peephole_update(gates, c_prev, peephole):
    """The gates with peepholes: i and f look at c_{t-1}, o at c_t. Returns (h_next, c_next)."""
    a_i, a_f, a_g, a_o = gates.chunk(4, 1)
    p_i, p_f, p_o = peephole.unbind(0)
    i = torch.sigmoid(a_i + p_i * c_prev)
    f = torch.sigmoid(a_f + p_f * c_prev)
    c_next = f * c_prev + i * torch.tanh(a_g)
    o = torch.sigmoid(a_o + p_o * c_next)
    return o * torch.tanh(c_next), c_next


class LSTM(_LSTMMath, RecurrentLayers):
    """Multi-layer LSTM, a drop-in for ``torch.nn.LSTM`` (same arguments, same parameters).

    Parameters
    ----------
    input_size : D.   hidden_size : H.   num_layers : stacked layers.
    bias : whether b_ih and b_hh exist.
    batch_first : input and output are (N, T, ...) instead of (T, N, ...).
    dropout : dropout probability on the outputs of every layer but the last (training only).
    bidirectional : add a layer that reads the sequence backwards (parameters ``*_reverse``).
    peephole : add the peephole weights ``weight_peephole_l{k}`` (3, H) (not in torch.nn).
    forget_bias : if given, the initial total bias of the forget gate (needs ``bias``).
    device, dtype : where and in what precision the parameters live.

    ``forward(input, hx=None)`` returns ``(output, (h_n, c_n))``: see
    :meth:`RecurrentLayers.forward`; ``hx`` is a tuple ``(h_0, c_0)`` or None.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, *, peephole=False, forget_bias=None,
                 device=None, dtype=None):
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, {"peephole": bool(peephole), "forget_bias": forget_bias},
                         device, dtype)


class LSTMCell(_LSTMMath, RecurrentCell):
    """One LSTM step, a drop-in for ``torch.nn.LSTMCell``; ``peephole`` and ``forget_bias``
    as in :class:`LSTM` (the peephole parameter is then ``weight_peephole``).

    ``forward(input, hx=None)``: input (N, D) or (D,), hx a tuple (h, c) of (N, H) or (H,)
    -> (h', c').
    """

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None, *,
                 peephole=False, forget_bias=None):
        super().__init__(input_size, hidden_size, bias,
                         {"peephole": bool(peephole), "forget_bias": forget_bias}, device, dtype)
