r"""Causal self-attention as a drop-in layer for the taggers: tokens plus positions in, states out.

Self-attention alone cannot tell positions apart: its output at t is a weighted mean over the
set {x_s : s <= t}, whatever their order. To copy "the token d steps back" it must know where
each input sits, so :class:`PositionalSelfAttention` appends a one-hot code of the position s
to every input before the projections (the simplest positional encoding; Vaswani et al. 2017
add sinusoids instead):

    z_s = [x_s ; e_s]                   e_s the one-hot code of s, max_len entries
    y_t = causal_self_attention(z)_t    ``course_rnn.torch.CausalSelfAttention``, one head

A query from position t can then score the key at s = t - d highest for every t, with no
recurrence in between. The layer takes and returns batch-first tensors and has an
``output_size``, like the recurrent layers, so ``train_shift_tagger(..., cell=...)`` trains it.

Shapes: N batch, T positions (at most max_len), D input features, M output features.
"""

from __future__ import annotations

import torch
from torch import nn

from course_rnn.shapes import expect_positive_ints
from course_rnn.torch.causal_self_attention import CausalSelfAttention


class PositionalSelfAttention(nn.Module):
    """One-hot positions appended to the inputs, then one head of causal self-attention.

    Parameters
    ----------
    input_size : D.   hidden_size : M, the output (value) features; also the query/key size.
    max_len : the most positions a sequence may have.   batch_first : must be True (the
        taggers' layout).
    """

    def __init__(self, input_size: int, hidden_size: int, *, max_len: int = 64,
                 batch_first: bool = True):
        super().__init__()
        expect_positive_ints(input_size=input_size, hidden_size=hidden_size, max_len=max_len)
        if not batch_first:
            raise ValueError("PositionalSelfAttention: expected batch_first=True, got False")
        self.max_len, self.output_size = max_len, hidden_size
        self.attention = CausalSelfAttention(input_size + max_len, hidden_size, hidden_size)

    def forward(self, x):
        """(outputs (N, T, M), weights (T, T, N)) of inputs x (N, T, D)."""
        N, T, _ = x.shape
        if T > self.max_len:
            raise ValueError(f"x: expected at most max_len={self.max_len} positions, got T={T}")
        positions = torch.eye(self.max_len, dtype=x.dtype)[:T].expand(N, T, self.max_len)
        z = torch.cat([x, positions], dim=-1).transpose(0, 1)   # (T, N, D + max_len)
        y, weights = self.attention(z)
        return y.transpose(0, 1), weights
