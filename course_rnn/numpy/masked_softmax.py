r"""The softmax over key positions that attention uses, with padded positions left out.

Attention turns the scores e_{s,n} of the S positions of sequence n into weights

    alpha_{s,n} = exp(e_{s,n}) / sum_{s' real} exp(e_{s',n})    at a real position s
    alpha_{s,n} = 0                                              at a padded position s

A padded position gets weight exactly 0, not a small number: its exponential is exp(-inf).
The largest real score m_n is subtracted first, which changes nothing in the ratio but keeps
every exponential at most 1, so large scores cannot overflow. Padded scores take no part in
m_n, so garbage in the padding cannot shift the real positions' weights.

The backward pass is the softmax's Jacobian, d alpha_s / d e_r = alpha_s (delta_{sr} - alpha_r),
applied to the upstream gradient dalpha:

    de_{s,n} = alpha_{s,n} (dalpha_{s,n} - sum_{s'} alpha_{s',n} dalpha_{s',n})

It is 0 wherever alpha is, so no gradient reaches a padded score.

Shapes: S positions (the axis the softmax runs over, axis 0), N sequences.
"""

from __future__ import annotations

import numpy as np


def masked_softmax(e: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Weights alpha (S, N): the softmax of the scores e (S, N) over axis 0, 0 where mask is False.

    ``mask`` (S, N) is True at the real positions, with at least one in every column.
    """
    m = np.where(mask, e, -np.inf).max(axis=0)     # (N,) largest real score
    z = np.exp(np.where(mask, e - m, -np.inf))     # (S, N) exactly 0 at the padding
    return z / z.sum(axis=0)


def masked_softmax_backward(dalpha: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """de (S, N) from dalpha (S, N) and the forward's alpha (S, N).

    de = alpha * (dalpha - sum_s alpha dalpha), the softmax's Jacobian applied to dalpha.
    """
    return alpha * (dalpha - (alpha * dalpha).sum(axis=0))
