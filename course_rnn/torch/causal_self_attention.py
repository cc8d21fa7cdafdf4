r"""Causal self-attention (one head) as a torch module; autograd does backward.

    q_t = W_q x_t,   k_s = W_k x_s,   v_s = W_v x_s
    alpha_{t,s} = softmax over s <= t of q_t . k_s / sqrt(A)     exactly 0 for s > t
    y_t = sum_s alpha_{t,s} v_s

The same equations as ``course_rnn.numpy.causal_self_attention``, whose backward is written out;
on the same weights the two agree, and both equal
``torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)`` on the projected
q, k, v (batch-first there).

Shapes: T positions (time-major), N batch, D input features, A query/key features, M value
features. x (T, N, D); W_q, W_k (A, D), W_v (M, D); y (T, N, M); weights (T, T, N) indexed
[t, s, n].
"""

from __future__ import annotations

import math

import torch
from torch import nn

from course_rnn.shapes import expect_positive_ints
from course_rnn.torch.recurrent import check_tensor


class CausalSelfAttention(nn.Module):
    """One head of causal self-attention, time-major; equal to the NumPy functions.

    Parameters
    ----------
    input_size : D.   attention_size : A, the size of queries and keys.   value_size : M.
    device, dtype : where and in what precision the parameters live.

    Attributes
    ----------
    W_q (A, D), W_k (A, D), W_v (M, D): parameters, uniform in [-1/sqrt(D), 1/sqrt(D)], the
    bound torch.nn.Linear uses.

    ``forward(x) -> (y (T, N, M), weights (T, T, N))`` for x (T, N, D).
    """

    def __init__(self, input_size, attention_size, value_size, *, device=None, dtype=None):
        super().__init__()
        expect_positive_ints(input_size=input_size, attention_size=attention_size,
                             value_size=value_size)
        self.input_size, self.attention_size = input_size, attention_size
        self.value_size = value_size
        options = {"device": device, "dtype": dtype}
        self.W_q = nn.Parameter(torch.empty(attention_size, input_size, **options))
        self.W_k = nn.Parameter(torch.empty(attention_size, input_size, **options))
        self.W_v = nn.Parameter(torch.empty(value_size, input_size, **options))
        self.reset_parameters()

    def reset_parameters(self):
        """Each weight uniform in [-1/sqrt(D), 1/sqrt(D)]."""
        bound = 1.0 / math.sqrt(self.input_size)
        for weight in (self.W_q, self.W_k, self.W_v):
            nn.init.uniform_(weight, -bound, bound)

    def extra_repr(self):
        return f"{self.input_size}, {self.attention_size}, {self.value_size}"

    def forward(self, x):
        """Outputs y (T, N, M) and weights (T, T, N), [t, s, n], of x (T, N, D)."""
        check_tensor("x", x, ("T", "N", "D"), (None, None, self.input_size), self.W_q,
                     "Self-attention is time-major, like the recurrent layers")
        T = x.shape[0]
        if T == 0:
            raise ValueError("x: expected at least one position, got T=0")
        q, k, v = x @ self.W_q.T, x @ self.W_k.T, x @ self.W_v.T      # (T, N, A/A/M)
        e = torch.einsum("tna,sna->tsn", q, k) / math.sqrt(self.attention_size)
        future = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)   # s > t
        alpha = torch.softmax(e.masked_fill(future[:, :, None], -torch.inf), dim=1)
        y = torch.einsum("tsn,snm->tnm", alpha, v)
        return y, alpha
