r"""The baseline the torch backend must beat: a from-scratch loop as textbooks write it.

This is the style of d2l.ai's "from scratch" chapters: one weight matrix per gate, each
multiplied inside the loop, no input projection hoisted out of it, and autograd for every
gradient. It does the same arithmetic as the layers it is timed against, so the difference
is what the package's layout (one input product before the loop, stacked gates, the fused
dL/dW_hh) buys over the most direct code.

Shapes: N batch, T time, D input, H hidden. Each gate has W_x (D, H), W_h (H, H) and one bias
b (H,), as in d2l; the GRU's candidate uses torch's placement of the reset gate, r * (h W_hn).
"""

from __future__ import annotations

import torch

GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}


def gate_weights(kind, D, H, device="cpu", generator=None):
    """[(W_x (D, H), W_h (H, H), b (H,)) for each gate], leaves that need gradients."""
    def leaf(*shape):
        return (0.1 * torch.randn(*shape, generator=generator)).to(device).requires_grad_()
    return [(leaf(D, H), leaf(H, H), leaf(H)) for _ in range(GATES[kind])]


def rnn_loop(xs, h, weights):
    [(W_xh, W_hh, b_h)] = weights
    outputs = []
    for x in xs:
        h = torch.tanh(x @ W_xh + h @ W_hh + b_h)
        outputs.append(h)
    return torch.stack(outputs)


def lstm_loop(xs, h, weights):
    (W_xi, W_hi, b_i), (W_xf, W_hf, b_f), (W_xg, W_hg, b_g), (W_xo, W_ho, b_o) = weights
    c = torch.zeros_like(h)
    outputs = []
    for x in xs:
        i = torch.sigmoid(x @ W_xi + h @ W_hi + b_i)
        f = torch.sigmoid(x @ W_xf + h @ W_hf + b_f)
        g = torch.tanh(x @ W_xg + h @ W_hg + b_g)
        o = torch.sigmoid(x @ W_xo + h @ W_ho + b_o)
        c = f * c + i * g
        h = o * torch.tanh(c)
        outputs.append(h)
    return torch.stack(outputs)


def gru_loop(xs, h, weights):
    (W_xr, W_hr, b_r), (W_xz, W_hz, b_z), (W_xn, W_hn, b_n) = weights
    outputs = []
    for x in xs:
        r = torch.sigmoid(x @ W_xr + h @ W_hr + b_r)
        z = torch.sigmoid(x @ W_xz + h @ W_hz + b_z)
        n = torch.tanh(x @ W_xn + b_n + r * (h @ W_hn))
        h = (1 - z) * n + z * h
        outputs.append(h)
    return torch.stack(outputs)


LOOPS = {"RNN": rnn_loop, "LSTM": lstm_loop, "GRU": gru_loop}


def plain_loop(kind, xs, weights):
    """Outputs (T, N, H) of the ``kind`` loop over xs (T, N, D) from a zero state."""
    H = weights[0][1].shape[0]
    return LOOPS[kind](xs, xs.new_zeros(xs.shape[1], H), weights)
