r"""The read-out of chapter 5's sequence models: o_t = V s_t + c at every step, batch-first.

A recurrence hands over its states time-major, (T, N, H), the layout its loop walks; targets are
laid out (N, T), a row per sequence (:mod:`course_rnn.data.tokens`). :class:`Readout` is a
:class:`~course_rnn.numpy.linear.Linear` head that maps every state and turns the scores around
once, so the logits (N, T, K) sit beside the targets they are scored against, and turns their
gradient back on the way down.

Shapes: N sequences, T steps, H hidden units, K output classes.
"""

from __future__ import annotations

import numpy as np

from course_rnn.numpy.linear import Linear
from course_rnn.shapes import expect_input, expect_like


class Readout(Linear):
    """o_t = V s_t + c for every step: (T, N, H) states -> (N, T, K) logits.

    Takes :class:`Linear`'s arguments (in_features H, out_features K) and keeps its parameters:
    ``weight`` V (K, H) and ``bias`` c (K,).
    """

    def forward(self, s):
        """Logits (N, T, K) of the states s (T, N, H)."""
        expect_input("s", s, ("T", "N", "H"), (None, None, self.in_features),
                     "A read-out maps the time-major states of a whole sequence")
        return super().forward(s).transpose(1, 0, 2)

    def backward(self, dlogits):
        """dL/ds (T, N, H) from dL/dlogits (N, T, K); fills ``grads``."""
        if self._x is None:
            raise RuntimeError("backward: call forward first (backward uses its saved values)")
        T, N, _ = self._x.shape
        expect_like("dlogits", dlogits, (N, T, self.out_features), "logits")
        return super().backward(np.asarray(dlogits).transpose(1, 0, 2))
