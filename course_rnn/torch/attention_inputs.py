"""The checks the torch attention modules run on their data, so their ``forward`` is the math.

Shapes: N batch, S key positions (time-major), Q query features, K key features.
"""

from __future__ import annotations

import torch

from course_rnn.shapes import attention_sizes
from course_rnn.torch.recurrent import check_tensor


def check_attention_inputs(query, keys, mask, query_size, key_size, like, like_name):
    """Check query (N, Q), keys (S, N, K) and mask (S, N) bool or None against a module.

    ``query_size`` and ``key_size`` may be None (any size). Every tensor must share the
    dtype and device of ``like`` (a parameter, or the keys for a module without any), named
    ``like_name`` in the messages.
    """
    check_tensor("keys", keys, ("S", "N", "K"), (None, None, key_size), like,
                 "Keys are time-major: one row of N keys per source position", like_name)
    check_tensor("query", query, ("N", "Q"), (keys.shape[1], query_size), like,
                 "One query per sequence of keys", like_name)
    attention_sizes(query, keys, mask)
    if mask is not None:
        if not isinstance(mask, torch.Tensor):
            raise TypeError(f"mask: expected a torch.Tensor of dtype torch.bool, got "
                            f"{type(mask).__name__}")
        if mask.device != keys.device:
            raise ValueError(f"mask: expected a tensor on {keys.device} like the keys, got "
                             f"one on {mask.device}")
