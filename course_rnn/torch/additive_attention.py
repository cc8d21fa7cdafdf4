r"""Additive attention (Bahdanau, Cho and Bengio 2015) as a torch module; autograd does backward.

    e_{s,n}     = v . tanh(W_q q_n + W_k k_{s,n})       score (no biases)
    alpha_{s,n} = softmax over the real s of e_{s,n}     exactly 0 at padded positions
    c_n         = sum_s alpha_{s,n} k_{s,n}              context

The same equations as ``course_rnn.numpy.additive_attention``, whose backward is written out;
on the same weights the two give the same context, weights and gradients.

Shapes: N batch, S key positions (time-major), Q query features, K key features, A attention
units. query (N, Q), keys (S, N, K), mask (S, N) bool or None; W_q (A, Q), W_k (A, K), v (A,).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from course_rnn.shapes import expect_positive_ints
from course_rnn.torch.attention_inputs import check_attention_inputs
from course_rnn.torch.masked_softmax import masked_softmax


class AdditiveAttention(nn.Module):
    """Bahdanau's additive attention of one query per sequence over its keys.

    Parameters
    ----------
    query_size : Q.   key_size : K.   attention_size : A, the units of the scoring layer.
    device, dtype : where and in what precision the parameters live.

    Attributes
    ----------
    W_q (A, Q), W_k (A, K), v (A,): parameters, drawn uniformly from [-1/sqrt(fan_in),
    1/sqrt(fan_in)] (fan_in Q, K and A), the bound torch.nn.Linear uses.

    ``forward(query, keys, mask=None) -> (context (N, K), weights (S, N))``.
    """

    def __init__(self, query_size, key_size, attention_size, *, device=None, dtype=None):
        super().__init__()
        expect_positive_ints(query_size=query_size, key_size=key_size,
                             attention_size=attention_size)
        self.query_size, self.key_size = query_size, key_size
        self.attention_size = attention_size
        options = {"device": device, "dtype": dtype}
        self.W_q = nn.Parameter(torch.empty(attention_size, query_size, **options))
        self.W_k = nn.Parameter(torch.empty(attention_size, key_size, **options))
        self.v = nn.Parameter(torch.empty(attention_size, **options))
        self.reset_parameters()

    def reset_parameters(self):
        """Each parameter uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)]."""
        for weight in (self.W_q, self.W_k, self.v):
            bound = 1.0 / math.sqrt(weight.shape[-1])
            nn.init.uniform_(weight, -bound, bound)

    def extra_repr(self):
        return f"{self.query_size}, {self.key_size}, {self.attention_size}"

    def forward(self, query, keys, mask=None):
        """Context (N, K) and weights (S, N) of query (N, Q) over keys (S, N, K).

        ``mask`` (S, N) bool is True at the real keys (one at least per sequence); None means
        every key is real.
        """
        check_attention_inputs(query, keys, mask, self.query_size, self.key_size, self.v,
                               "the parameters")
        t = torch.tanh(query @ self.W_q.T + keys @ self.W_k.T)   # (S, N, A)
        e = t @ self.v                                           # (S, N): v . t_{s,n}
        alpha = masked_softmax(e, mask)                          # (S, N)
        context = (alpha.unsqueeze(2) * keys).sum(dim=0)         # (N, K): sum_s alpha k
        return context, alpha
