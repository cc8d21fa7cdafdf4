r"""Merging the two directions of a bidirectional layer, y_t = f(h->_t, h<-_t), on tensors.

The twin of ``course_rnn.numpy.direction_merge`` (see it for the three functions f);
autograd gives the backward pass.

Shapes: forward and backward (..., H) -> (..., 2H) for concat, (..., H) for sum and mean.
"""

from __future__ import annotations

import torch

from course_rnn.shapes import DIRECTION_MERGES, expect_choice, expect_direction_pair


def merge_directions(forward: torch.Tensor, backward: torch.Tensor,
                     merge: str = "concat") -> torch.Tensor:
    """f(h->, h<-): concat (torch.nn's), sum or mean of the two directions' outputs."""
    expect_choice("merge", merge, DIRECTION_MERGES)
    expect_direction_pair(forward, backward)
    if merge == "concat":
        return torch.cat([forward, backward], dim=-1)
    if merge == "sum":
        return forward + backward
    return (forward + backward) / 2
