r"""The softmax over key positions that attention uses, padded positions left out (torch).

    alpha_{s,n} = exp(e_{s,n}) / sum_{s' real} exp(e_{s',n}) at a real position, 0 at padding

The padded scores are replaced by -inf before ``torch.softmax`` (which subtracts the largest
score, so it cannot overflow): their weights are exactly 0, and autograd sends them no gradient.
The NumPy twin, with its backward written out, is ``course_rnn.numpy.masked_softmax``.

Shapes: S positions (axis 0, the softmax's axis), N sequences.
"""

from __future__ import annotations

import torch


def masked_softmax(e: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    """Weights (S, N): the softmax of the scores e (S, N) over axis 0, 0 where mask is False.

    ``mask`` (S, N) bool is True at the real positions, with one at least in every column;
    None means every position is real.
    """
    if mask is not None:
        e = e.masked_fill(~mask, -torch.inf)
    return torch.softmax(e, dim=0)
