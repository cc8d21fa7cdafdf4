r"""Long short-term memory as torch modules: the step is written out, autograd does BPTT.

One step, with torch's gate order i, f, g, o stacked in the rows of the weights:

    [a_i, a_f, a_g, a_o] = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
    i = sigmoid(a_i + p_i * c_{t-1})        input gate
    f = sigmoid(a_f + p_f * c_{t-1})        forget gate
    g = tanh(a_g)                           candidate
    c_t = f * c_{t-1} + i * g               cell state
    o = sigmoid(a_o + p_o * c_t)            output gate
    h_t = o * tanh(c_t)

:func:`lstm_step` is torch.nn's LSTM, without the peephole terms p; :func:`peephole_lstm_step`
adds them (Gers & Schmidhuber 2000). With ``peephole=True`` they are one extra parameter per
layer and direction, ``weight_peephole_l{k}`` (3, H) with rows p_i, p_f, p_o, registered after
the four torch.nn ones (torch.nn has no peepholes, so such a module's state_dict only loads
into another peephole LSTM).

Autograd does BPTT except, by default, for its sum over time dL/dW_hh, which the layer forms
as one product (``fused_weight_hh_grad``, ``weight_gradient.py``).

``forget_bias=b`` starts the forget gate's total bias at b (b_ih's f block = b, b_hh's = 0), the
usual remedy (Jozefowicz et al. 2015) for a freshly initialised LSTM that forgets too fast.

Shapes: N batch, T time, D input features, H hidden units. W_ih (4H, D), W_hh (4H, H),
b_ih and b_hh (4H,) or absent, peephole (3, H).
"""

from __future__ import annotations

import torch

from course_rnn.shapes import expect_bias_for_forget_bias
from course_rnn.torch.recurrent import RecurrentCell, RecurrentLayers


def lstm_step(x_proj, h_prev, c_prev, W_hh):
    """One LSTM step without peepholes.

    Parameters
    ----------
    x_proj : (N, 4H) the input terms x_t W_ih^T + b_ih + b_hh.
    h_prev, c_prev : (N, H) previous hidden and cell state.   W_hh : (4H, H).

    Returns
    -------
    h_next, c_next : (N, H).
    """
    a_i, a_f, a_g, a_o = (x_proj + h_prev @ W_hh.T).chunk(4, dim=1)
    i = torch.sigmoid(a_i)
    f = torch.sigmoid(a_f)
    g = torch.tanh(a_g)
    o = torch.sigmoid(a_o)
    c_next = f * c_prev + i * g
    h_next = o * torch.tanh(c_next)
    return h_next, c_next


def peephole_lstm_step(x_proj, h_prev, c_prev, W_hh, peephole):
    """One LSTM step with peepholes: i and f look at c_{t-1}, o at c_t.

    Parameters as for :func:`lstm_step`, and ``peephole`` (3, H) with rows p_i, p_f, p_o.
    """
    a_i, a_f, a_g, a_o = (x_proj + h_prev @ W_hh.T).chunk(4, dim=1)
    p_i, p_f, p_o = peephole
    i = torch.sigmoid(a_i + p_i * c_prev)
    f = torch.sigmoid(a_f + p_f * c_prev)
    g = torch.tanh(a_g)
    c_next = f * c_prev + i * g
    o = torch.sigmoid(a_o + p_o * c_next)
    h_next = o * torch.tanh(c_next)
    return h_next, c_next


class _LSTMParts:
    """What the LSTM layer stack and the LSTM cell share beyond the base classes."""

    gates = 4
    states = 2

    def reset_parameters(self):
        """torch.nn's initialisation, then the forget gate's bias if ``forget_bias`` is set:
        b_ih's forget block to ``forget_bias`` and b_hh's to 0, so that their sum is it."""
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

    def _step(self, x_proj, state, p):
        if p.peephole is None:
            return lstm_step(x_proj, *state, p.W_hh)
        return peephole_lstm_step(x_proj, *state, p.W_hh, p.peephole)


class LSTM(_LSTMParts, RecurrentLayers):
    """Multi-layer LSTM, a drop-in for ``torch.nn.LSTM`` (same arguments, same parameters).

    Parameters
    ----------
    input_size : D.   hidden_size : H.   num_layers : stacked layers.
    bias : whether b_ih and b_hh exist.
    batch_first : input and output are (N, T, ...) instead of (T, N, ...).
    dropout : dropout probability on the outputs of every layer but the last (training only).
    bidirectional : add a layer that reads the sequence backwards (parameters ``*_reverse``).
    merge : how a bidirectional layer joins its two directions: ``"concat"`` (torch.nn's, 2H
        features), ``"sum"`` or ``"mean"`` (H features).
    peephole : add the peephole weights ``weight_peephole_l{k}`` (3, H) (not in torch.nn).
    forget_bias : if given, the initial total bias of the forget gate (needs ``bias``).
    fused_weight_hh_grad : form dL/dW_hh as one product over all T*N rows instead of leaving
        its T terms to autograd (faster; refuses second derivatives, see ``weight_gradient``).
    device, dtype : where and in what precision the parameters live.

    ``forward(input, hx=None)`` returns ``(output, (h_n, c_n))``: see
    :meth:`RecurrentLayers.forward`; ``hx`` is a tuple ``(h_0, c_0)`` or None.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, *, merge="concat", peephole=False,
                 forget_bias=None, fused_weight_hh_grad=True, device=None, dtype=None):
        expect_bias_for_forget_bias(forget_bias, bias)
        self.forget_bias = forget_bias  # before the base class initialises the parameters
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, merge=merge, fused_weight_hh_grad=fused_weight_hh_grad,
                         peephole=peephole, device=device, dtype=dtype)


class LSTMCell(_LSTMParts, RecurrentCell):
    """One LSTM step, a drop-in for ``torch.nn.LSTMCell``; ``peephole`` and ``forget_bias``
    as in :class:`LSTM` (the peephole parameter is then ``weight_peephole``).

    ``forward(input, hx=None)``: input (N, D) or (D,), hx a tuple (h, c) of (N, H) or (H,)
    -> (h', c').
    """

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None, *,
                 peephole=False, forget_bias=None):
        expect_bias_for_forget_bias(forget_bias, bias)
        self.forget_bias = forget_bias  # before the base class initialises the parameters
        super().__init__(input_size, hidden_size, bias, peephole=peephole, device=device,
                         dtype=dtype)
