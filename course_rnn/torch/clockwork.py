r"""The clockwork RNN (Koutnik et al. 2014) as a torch module; autograd does BPTT.

    m_t = [t mod T_i == 0 for the module i of each unit]       active units (t = 0 first)
    a_t = x_t W_ih^T + h_{t-1} (M * W_hh)^T + b                M block-upper triangular
    h_t = c_t = tanh(a_t) at the active units, h_{t-1} at the idle ones

The same equations as ``course_rnn.numpy.clockwork``, whose backward is written out; on the
same weights the two give the same outputs and gradients. Because W_hh enters only as
M * W_hh, autograd's gradient of W_hh is 0 outside the pattern.

Shapes: N batch, T time, D input features, H hidden units. weight_ih (H, D),
weight_hh (H, H), bias (H,).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from course_rnn.shapes import expect_periods, expect_positive_ints, expect_time_steps
from course_rnn.torch.recurrent import check_tensor


def unit_periods(periods, H: int, device) -> torch.Tensor:
    """(H,) the clock period of every hidden unit: module i's H/g units all carry T_i."""
    return torch.tensor(periods, device=device).repeat_interleave(H // len(periods))


def clockwork_step(x_t, h_prev, active, W_ih, masked_W_hh, b):
    """One clockwork step: the candidate tanh(a_t) at the active units, h_prev elsewhere.

    x_t (N, D), h_prev (N, H), active (H,) bool, W_ih (H, D), masked_W_hh (H, H) = M * W_hh,
    b (H,). Returns h_next (N, H).
    """
    c = torch.tanh(x_t @ W_ih.T + h_prev @ masked_W_hh.T + b)
    return torch.where(active, c, h_prev)


class ClockworkRNN(nn.Module):
    """A one-layer clockwork RNN, time-major; equal to ``course_rnn.numpy.ClockworkRNN``.

    Parameters
    ----------
    input_size : D.   hidden_size : H.   periods : g strictly increasing positive ints, g
    dividing H (e.g. (1, 2, 4, 8)).   device, dtype : where and in what precision.

    Parameters ``weight_ih`` (H, D), ``weight_hh`` (H, H) (zeroed outside the block-triangular
    pattern at initialisation; only M * weight_hh is ever used) and ``bias`` (H,), drawn
    U(-1/sqrt(H), 1/sqrt(H)). ``forward(input, hx=None) -> (output (T, N, H), h_n (1, N, H))``.
    """

    def __init__(self, input_size, hidden_size, periods, *, device=None, dtype=None):
        super().__init__()
        expect_positive_ints(input_size=input_size, hidden_size=hidden_size)
        self.periods = expect_periods(periods, hidden_size)
        self.input_size, self.hidden_size = input_size, hidden_size
        options = {"device": device, "dtype": dtype}
        H = hidden_size
        self.weight_ih = nn.Parameter(torch.empty(H, input_size, **options))
        self.weight_hh = nn.Parameter(torch.empty(H, H, **options))
        self.bias = nn.Parameter(torch.empty(H, **options))
        periods_of_units = unit_periods(self.periods, H, device)
        self.register_buffer("unit_periods", periods_of_units, persistent=False)
        self.register_buffer("pattern", periods_of_units[None, :] >= periods_of_units[:, None],
                             persistent=False)
        self.reset_parameters()

    def reset_parameters(self):
        """Every parameter uniform in [-1/sqrt(H), 1/sqrt(H)]; weight_hh 0 outside the pattern."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            nn.init.uniform_(weight, -bound, bound)
        with torch.no_grad():
            self.weight_hh.mul_(self.pattern)

    def extra_repr(self):
        return f"{self.input_size}, {self.hidden_size}, periods={self.periods}"

    def forward(self, input, hx=None):
        """Output (T, N, H) and h_n (1, N, H) of input (T, N, D) from hx (1, N, H) or zeros."""
        check_tensor("input", input, ("T", "N", "D"), (None, None, self.input_size),
                     self.weight_ih, "The clockwork layer is time-major")
        T, N, _ = input.shape
        expect_time_steps(T)
        if hx is None:
            hx = input.new_zeros(1, N, self.hidden_size)
        check_tensor("hx", hx, ("num_layers", "N", "H"), (1, N, self.hidden_size), self.weight_ih)
        masked_W_hh = self.pattern * self.weight_hh
        h, outputs = hx[0], []
        for t in range(T):
            active = t % self.unit_periods == 0
            h = clockwork_step(input[t], h, active, self.weight_ih, masked_W_hh, self.bias)
            outputs.append(h)
        return torch.stack(outputs), h.unsqueeze(0)
