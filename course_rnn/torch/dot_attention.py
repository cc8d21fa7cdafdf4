r"""Multiplicative attention (Luong, Pham and Manning 2015) as a torch module.

    e_{s,n} = q_n . k_{s,n}          "dot": no parameters; the query and the keys have one size
    e_{s,n} = q_n^T W k_{s,n}        "general": W (Q, K) learned
    alpha_{s,n} = softmax over the real s of e_{s,n}  (exactly 0 at padded positions)
    c_n = sum_s alpha_{s,n} k_{s,n}

The same equations as ``course_rnn.numpy.dot_attention`` (W None there for "dot").

Shapes: N batch, S key positions (time-major), Q query features, K key features.
query (N, Q), keys (S, N, K), mask (S, N) bool or None.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from course_rnn.shapes import expect_bools, expect_dot_sizes, expect_positive_ints
from course_rnn.torch.attention_inputs import check_attention_inputs
from course_rnn.torch.masked_softmax import masked_softmax


class DotAttention(nn.Module):
    """Luong's "dot" (``general=False``) or "general" (``general=True``) attention.

    Parameters
    ----------
    query_size : Q.   key_size : K. Both are needed for "general"; for "dot" they are optional
        and, when given, must be equal (the inputs are then checked against them).
    general : learn W (Q, K) and score q^T W k, instead of q . k.
    device, dtype : where and in what precision W lives.

    Attributes
    ----------
    W : (Q, K) parameter of "general", uniform in [-1/sqrt(K), 1/sqrt(K)]; None for "dot".

    ``forward(query, keys, mask=None) -> (context (N, K), weights (S, N))``.
    """

    def __init__(self, query_size=None, key_size=None, general=False, *, device=None,
                 dtype=None):
        super().__init__()
        expect_bools(general=general)
        sizes = {name: size for name, size in (("query_size", query_size),
                                               ("key_size", key_size)) if size is not None}
        expect_positive_ints(**sizes)
        if general and len(sizes) < 2:
            raise ValueError("general=True learns W (query_size, key_size): give both sizes")
        if not general and len(sizes) == 2 and query_size != key_size:
            raise ValueError(f"the dot score q . k needs query_size == key_size, got "
                             f"{query_size} and {key_size}; use general=True for q^T W k")
        self.query_size, self.key_size, self.general = query_size, key_size, general
        self.W = (nn.Parameter(torch.empty(query_size, key_size, device=device, dtype=dtype))
                  if general else None)
        self.reset_parameters()

    def reset_parameters(self):
        """W uniform in [-1/sqrt(K), 1/sqrt(K)] (nothing to do for "dot")."""
        if self.W is not None:
            bound = 1.0 / math.sqrt(self.key_size)
            nn.init.uniform_(self.W, -bound, bound)

    def extra_repr(self):
        return f"query_size={self.query_size}, key_size={self.key_size}, general={self.general}"

    def forward(self, query, keys, mask=None):
        """Context (N, K) and weights (S, N) of query (N, Q) over keys (S, N, K).

        ``mask`` (S, N) bool is True at the real keys (one at least per sequence); None means
        every key is real.
        """
        like, like_name = (self.W, "the parameters") if self.general else (keys, "the keys")
        check_attention_inputs(query, keys, mask, self.query_size, self.key_size, like,
                               like_name)
        if not self.general:
            expect_dot_sizes(query.shape[1], keys.shape[2])
        u = query @ self.W if self.general else query            # (N, K): W^T q_n
        e = (keys * u).sum(dim=2)                                # (S, N): u_n . k_{s,n}
        alpha = masked_softmax(e, mask)                          # (S, N)
        context = (alpha.unsqueeze(2) * keys).sum(dim=0)         # (N, K): sum_s alpha k
        return context, alpha
