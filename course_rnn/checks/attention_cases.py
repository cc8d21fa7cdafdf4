"""Test inputs for the additive attention checks: shapes, padding masks and large scores.

Additive attention (Bahdanau, Cho and Bengio 2015) reads one query per example, query (N, Q),
and S keys per example, keys (S, N, K), time-major, with W_q (A, Q), W_k (A, K), v (A,) and
an optional mask (S, N), True at real positions. The cases are chosen so that each typical
mistake shows:

- Q = K = A first, where a swapped or transposed weight fails silently (only the numbers
  tell, and they say which mistake it is), then Q, K and A all different, where it fails
  loudly;
- no mask (``mask=None``), a mask with uneven padding (one column without padding), a single
  position (S = 1, where any scores give the weight 1), a batch of one;
- scores of several hundred, where an exp taken without first subtracting the largest score
  overflows.

Shapes: S positions (keys), N batch, Q query features, K key features, A attention units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ARG_NAMES = ("query", "keys", "W_q", "W_k", "v", "mask")
LARGE_SCORES = "large scores"


@dataclass(frozen=True, eq=False)
class AttentionCase:
    """Inputs of one test of additive attention (float64; the mask boolean or None) and the
    upstream gradient dcontext (N, K) for a backward check."""

    label: str
    args: tuple[tuple[str, object], ...]   # (name, value) in the order of ARG_NAMES
    upstream: tuple[tuple[str, np.ndarray], ...]  # (("dcontext", (N, K)),)

    def __getitem__(self, name: str):
        """An argument or the upstream gradient by name, e.g. ``case["W_k"]``."""
        return dict(self.args + self.upstream)[name]

    @property
    def sizes(self) -> tuple[int, int, int, int, int]:
        """(S, N, Q, K, A)."""
        S, N, K = self["keys"].shape
        A, Q = self["W_q"].shape
        return S, N, Q, K, A

    @property
    def masked(self) -> bool:
        """True when some position is padding."""
        mask = self["mask"]
        return mask is not None and not mask.all()

    @property
    def title(self) -> str:
        """The label with the sizes, for messages."""
        return "{} (S={}, N={}, Q={}, K={}, A={})".format(self.label, *self.sizes)


def make_attention_case(seed: int, S: int, N: int, Q: int, K: int, A: int, *,
                        lengths=None, v_scale: float = 1.0,
                        label: str = "random inputs, no mask") -> AttentionCase:
    """Random inputs of the given sizes; ``lengths`` (N,) gives each example's number of real
    positions (the first ones), None for no mask.

    Weights are scaled by 1/sqrt(fan-in) so that the pre-activations are of order one, where
    tanh curves; ``v_scale`` multiplies v, and so the scores.
    """
    rng = np.random.default_rng(seed)
    mask = None if lengths is None else np.arange(S)[:, None] < np.asarray(lengths)[None, :]
    args = (("query", rng.standard_normal((N, Q))),
            ("keys", rng.standard_normal((S, N, K))),
            ("W_q", rng.standard_normal((A, Q)) / np.sqrt(Q)),
            ("W_k", rng.standard_normal((A, K)) / np.sqrt(K)),
            ("v", v_scale * rng.standard_normal(A)),
            ("mask", mask))
    return AttentionCase(label, args, (("dcontext", rng.standard_normal((N, K))),))


def forward_cases() -> list[AttentionCase]:
    """Cases for the forward check, with and without masks."""
    return [  # the square cases first: a swapped weight fails silently there, then loudly
        make_attention_case(46, 4, 2, 3, 3, 3, label="Q = K = A, no mask"),
        make_attention_case(45, 4, 3, 3, 3, 3, lengths=[4, 1, 2], label="Q = K = A, padded"),
        make_attention_case(41, 4, 3, 3, 4, 5),
        make_attention_case(42, 5, 3, 3, 4, 5, lengths=[5, 2, 3], label="uneven padding"),
        make_attention_case(43, 1, 3, 3, 4, 5, label="one position"),
        make_attention_case(44, 4, 1, 3, 4, 5, lengths=[3], label="batch of one, padded"),
        make_attention_case(47, 5, 3, 3, 4, 5, lengths=[5, 4, 2], v_scale=2000.0,
                            label=LARGE_SCORES),
    ]


def backward_cases() -> list[AttentionCase]:
    """Cases for the backward check: the same kinds, other draws."""
    return [
        make_attention_case(55, 4, 3, 3, 3, 3, lengths=[4, 1, 2], label="Q = K = A, padded"),
        make_attention_case(51, 4, 3, 3, 4, 5),
        make_attention_case(52, 5, 3, 3, 4, 5, lengths=[5, 2, 3], label="uneven padding"),
        make_attention_case(53, 1, 2, 3, 4, 5, label="one position"),
        make_attention_case(54, 4, 1, 3, 4, 5, lengths=[3], label="batch of one, padded"),
    ]
