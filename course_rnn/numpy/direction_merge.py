r"""Merging the two directions of a bidirectional layer: y_t = f(h->_t, h<-_t).

A bidirectional layer runs one cell forwards and one backwards over the same sequence and
hands the layer above (or the output) one vector per time step, made from the two states by
a function f (Schuster and Paliwal 1997 leave f open):

    concat   y_t = [h->_t ; h<-_t]          (2H features; torch.nn's only choice)
    sum      y_t = h->_t + h<-_t            (H features)
    mean     y_t = (h->_t + h<-_t) / 2      (H features)

Backward: concat splits the upstream gradient by feature, sum hands all of it to both
directions, mean hands half of it to each.

Shapes: any leading axes (T, N, ...) are kept; H is the last axis of each direction.
"""

from __future__ import annotations

import numpy as np

from course_rnn.shapes import (
    DIRECTION_MERGES,
    expect_choice,
    expect_direction_pair,
    expect_merged_gradient,
)


def merge_directions(forward: np.ndarray, backward: np.ndarray,
                     merge: str = "concat") -> np.ndarray:
    """f(h->, h<-): forward and backward (..., H) -> (..., 2H) for concat, else (..., H)."""
    expect_choice("merge", merge, DIRECTION_MERGES)
    expect_direction_pair(forward, backward)
    if merge == "concat":
        return np.concatenate([forward, backward], axis=-1)
    if merge == "sum":
        return forward + backward
    return (forward + backward) / 2


def merge_directions_backward(doutput: np.ndarray,
                              merge: str = "concat") -> tuple[np.ndarray, np.ndarray]:
    """Gradient at the merged output (..., 2H or H) -> (dforward, dbackward), each (..., H)."""
    expect_choice("merge", merge, DIRECTION_MERGES)
    expect_merged_gradient(doutput, merge)
    if merge == "concat":
        H = doutput.shape[-1] // 2
        return doutput[..., :H], doutput[..., H:]
    share = doutput if merge == "sum" else doutput / 2
    return share, share.copy()
