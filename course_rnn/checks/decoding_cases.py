r"""Small random next-token models on which decoders are checked against exhaustive search.

A :class:`RandomModel` gives every prefix bos, y_1 .. y_t its own random distribution over V
tokens, drawn from a generator seeded by the seed and the prefix, so that the same prefix always
gets the same distribution whatever order a decoder visits it in. Its state is the prefix as an
integer array: a decoder that compares states (sorting tuples whose scores tie) fails on it as
it would on a real model's arrays. ``temperature`` sharpens (below 1) or flattens (above 1) the
distributions; ``eos_bias`` makes the end token likelier; ``tied`` makes every distribution
uniform, so that scores tie exactly.

:class:`DecodingCase` is one test of a decoder: a model, its first state, bos, eos, a beam width
and max_len; :func:`decoding_cases` lists those of exercise 12.

Shapes: V vocabulary size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RandomModel:
    """``step(state, token) -> (log_probs (V,), new_state)`` for a random model over V tokens."""

    vocab_size: int
    seed: int
    temperature: float = 1.0
    eos_bias: float = 0.0
    eos: int = 0
    tied: bool = False

    def __call__(self, state: np.ndarray, token: int) -> tuple[np.ndarray, np.ndarray]:
        prefix = np.append(state, token)
        logits = np.zeros(self.vocab_size)
        if not self.tied:
            rng = np.random.default_rng([self.seed, *(int(t) for t in prefix)])
            logits = rng.normal(size=self.vocab_size) / self.temperature
            logits[self.eos] += self.eos_bias
        log_probs = logits - np.log(np.exp(logits - logits.max()).sum()) - logits.max()
        return log_probs, prefix

    def first_state(self) -> np.ndarray:
        """The state before bos: an empty prefix."""
        return np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class DecodingCase:
    """One test of a decoder: ``args()`` are the arguments of ``beam_search`` in order."""

    label: str
    model: RandomModel
    bos: int
    eos: int
    beam_width: int
    max_len: int

    @property
    def title(self) -> str:
        return (f"{self.label} (V={self.model.vocab_size}, beam_width={self.beam_width}, "
                f"max_len={self.max_len})")

    def args(self) -> list[tuple[str, object]]:
        return [("step", self.model), ("state", self.model.first_state()), ("bos", self.bos),
                ("eos", self.eos), ("beam_width", self.beam_width), ("max_len", self.max_len)]
