r"""A toy lookup for attention: find, among a sequence of symbols, the one the query names.

Each example is a sequence of S symbols drawn uniformly from V, of which only the first
``lengths[n]`` are real (the rest is padding, masked out); the query is one of the real
symbols. Keys and query are one-hot vectors:

    keys[s, n] = onehot(symbols[s, n])      (S, N, V)
    query[n]   = onehot(symbols[asked[n], n])   for a real position asked[n]
    target     = query: the key the lookup should return as its context

An attention whose weights sit on the positions that hold the asked symbol returns exactly the
query as its context; one that spreads its weight returns a blend of other symbols. The weight
on those positions (:func:`weight_on_match`) measures how well it looks up.

Shapes: S positions (``length``), N examples, V symbols (``vocab_size``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.shapes import expect_positive_ints


class Lookup(NamedTuple):
    """A batch of the lookup task.

    query : (N, V) one-hot.   keys : (S, N, V) one-hot, time-major.   mask : (S, N) bool, True
    at the real positions.   symbols : (S, N) int, the symbol at every position (padding
    included).
    """

    query: np.ndarray
    keys: np.ndarray
    mask: np.ndarray
    symbols: np.ndarray


def symbol_lookup(n_samples: int, length: int, vocab_size: int, *, min_length: int = 1,
                  seed: int = 0) -> Lookup:
    """N sequences of ``length`` symbols, each with between ``min_length`` and ``length`` real
    positions (uniformly), and a query naming one of its real symbols.

    The same arguments give the same data.
    """
    expect_positive_ints(n_samples=n_samples, length=length, vocab_size=vocab_size,
                         min_length=min_length)
    if min_length > length:
        raise ValueError(f"min_length: expected at most length = {length}, got {min_length}")
    rng = np.random.default_rng(seed)
    symbols = rng.integers(0, vocab_size, size=(length, n_samples))       # (S, N)
    lengths = rng.integers(min_length, length + 1, size=n_samples)        # (N,)
    asked = rng.integers(0, lengths)                                      # (N,) a real position
    one_hot = np.eye(vocab_size)
    query = one_hot[symbols[asked, np.arange(n_samples)]]                 # (N, V)
    mask = np.arange(length)[:, None] < lengths[None, :]                 # (S, N)
    return Lookup(query, one_hot[symbols], mask, symbols)


def weight_on_match(weights: np.ndarray, task: Lookup) -> np.ndarray:
    """(N,) the attention weight of each example on the real positions that hold the asked
    symbol; 1 for a perfect lookup. ``weights`` is (S, N)."""
    asked = task.query.argmax(axis=1)                                     # (N,)
    match = (task.symbols == asked[None, :]) & task.mask                 # (S, N)
    return (weights * match).sum(axis=0)
