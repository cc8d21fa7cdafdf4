"""Test inputs for the causal self-attention check: sizes and scores that make each mistake show.

Causal self-attention reads x (T, N, D), time-major, with W_q and W_k (A, D) and W_v (M, D),
and returns y (T, N, M) and the weights (T, T, N), indexed [t, s, n]. The cases are chosen so
that every typical mistake changes some number or some shape:

- T, N, A, D and M all different, so that weights laid out (N, T, T) or a value projection
  left out show in the shapes, and a scale by sqrt(D) differs from sqrt(A);
- a single position (T = 1), where the weight is 1 whatever the scores, and a batch of one;
- inputs scaled up until the largest score is several hundred, where an exp taken without
  subtracting the largest score first overflows.

Shapes: T positions, N batch, D input features, A query/key features, M value features.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ARG_NAMES = ("x", "W_q", "W_k", "W_v")
LARGE_SCORES = "large scores"


@dataclass(frozen=True, eq=False)
class SelfAttentionCase:
    """Inputs of one test of causal self-attention (float64 arrays)."""

    label: str
    args: tuple[tuple[str, np.ndarray], ...]   # (name, value) in the order of ARG_NAMES
    upstream: tuple = ()                       # a forward-only exercise has no upstream gradient

    def __getitem__(self, name: str) -> np.ndarray:
        """An argument by name, e.g. ``case["W_k"]``."""
        return dict(self.args)[name]

    @property
    def sizes(self) -> tuple[int, int, int, int, int]:
        """(T, N, D, A, M)."""
        T, N, D = self["x"].shape
        return T, N, D, self["W_q"].shape[0], self["W_v"].shape[0]

    @property
    def title(self) -> str:
        """The label with the sizes, for messages."""
        return "{} (T={}, N={}, D={}, A={}, M={})".format(self.label, *self.sizes)


def make_self_attention_case(seed: int, T: int, N: int, D: int, A: int, M: int, *,
                             x_scale: float = 1.0, label: str = "random inputs"):
    """Random inputs of the given sizes; the weights scaled by 1/sqrt(D), x by ``x_scale``."""
    rng = np.random.default_rng(seed)
    args = (("x", x_scale * rng.standard_normal((T, N, D))),
            ("W_q", rng.standard_normal((A, D)) / np.sqrt(D)),
            ("W_k", rng.standard_normal((A, D)) / np.sqrt(D)),
            ("W_v", rng.standard_normal((M, D)) / np.sqrt(D)))
    return SelfAttentionCase(label, args)


def forward_cases() -> list[SelfAttentionCase]:
    """Cases for the check; the large scores last, so an overflow is told after the rest."""
    return [
        make_self_attention_case(71, 5, 2, 3, 4, 6),
        make_self_attention_case(72, 4, 3, 6, 2, 3, label="other sizes"),
        make_self_attention_case(73, 1, 2, 3, 4, 6, label="one position"),
        make_self_attention_case(74, 5, 1, 3, 4, 6, label="batch of one"),
        make_self_attention_case(75, 5, 2, 3, 4, 6, x_scale=40.0, label=LARGE_SCORES),
    ]
