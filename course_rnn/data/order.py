r"""A task where only the order of the tokens decides the label, and the order-blind view of it.

Every sequence holds the two marker tokens ``A`` and ``B`` exactly once, at random positions,
among random distractor tokens. The label says which marker comes first:

    y = 1  if A comes before B        y = 0  if B comes before A

The generator makes sequences in *twins*: a sequence and the same sequence with A and B swapped.
The twins have the same tokens, hence the same bag of words, and opposite labels. So every bag
in a data set occurs with label 0 exactly as often as with label 1, and any classifier that sees
only the bag (counts, presence, tf-idf, a neural net on counts ...) must give both twins the same
answer: it gets exactly one of each pair right, an accuracy of exactly 1/2, on any data set this
module makes. A model that reads the tokens in order only has to remember whether it has met A
yet when it meets B.

Shapes: N sequences, T time steps (``seq_len``), V vocabulary size (2 markers + the distractors).
Token ids: ``A = 0``, ``B = 1``, distractors ``2 .. V - 1``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.shapes import check_tokens, expect_positive_ints

A, B = 0, 1
"""Token ids of the two markers whose order sets the label."""


class OrderTask(NamedTuple):
    """A data set of the order task.

    tokens : (N, T) int64 token ids.   labels : (N,) int64, 1 where A comes before B.
    vocab : the V token names, ``vocab[i]`` names id ``i``.
    """

    tokens: np.ndarray
    labels: np.ndarray
    vocab: tuple[str, ...]


def vocabulary(n_distractors: int) -> tuple[str, ...]:
    """Token names: 'A', 'B', then the distractors 'c', 'd', ... (so V = n_distractors + 2).

    Parameters
    ----------
    n_distractors : how many distractor tokens, 1 to 24 (one lower-case letter each).
    """
    expect_positive_ints(n_distractors=n_distractors)
    if n_distractors > 24:
        raise ValueError(f"n_distractors: expected at most 24 (the letters c..z), "
                         f"got {n_distractors}")
    return ("A", "B", *(chr(ord("c") + i) for i in range(n_distractors)))


def order_task(n_samples: int, seq_len: int = 10, n_distractors: int = 6,
               seed: int = 0) -> OrderTask:
    """Sequences with one A and one B among distractors; label 1 where A comes first.

    Parameters
    ----------
    n_samples : N, even (the sequences come in twins that differ only by swapping A and B).
    seq_len : T >= 2 tokens per sequence.
    n_distractors : number of distractor tokens (V = n_distractors + 2).
    seed : seed of the random generator; the same seed gives the same data.

    Returns
    -------
    OrderTask with tokens (N, T), labels (N,) and the vocabulary. Labels are balanced exactly
    (N/2 of each) and every bag of tokens occurs equally often with both labels.
    """
    expect_positive_ints(n_samples=n_samples, seq_len=seq_len)
    if n_samples % 2:
        raise ValueError(f"n_samples: expected an even number (sequences come in twins with "
                         f"A and B swapped), got {n_samples}")
    if seq_len < 2:
        raise ValueError(f"seq_len: expected at least 2 (room for both A and B), got {seq_len}")
    vocab = vocabulary(n_distractors)
    rng = np.random.default_rng(seed)
    half = n_samples // 2
    base = rng.integers(2, len(vocab), size=(half, seq_len))  # (N/2, T) distractors only
    # two distinct positions per row: the first sorted position gets A, the second B
    positions = np.sort(np.argsort(rng.random((half, seq_len)), axis=1)[:, :2], axis=1)
    rows = np.arange(half)
    base[rows, positions[:, 0]] = A
    base[rows, positions[:, 1]] = B
    tokens = np.concatenate([base, swap_markers(base)])  # (N, T)
    labels = np.concatenate([np.ones(half, np.int64), np.zeros(half, np.int64)])
    # shuffle so that a twin pair does not sit at a fixed offset (minibatches mix labels)
    order = rng.permutation(n_samples)
    return OrderTask(tokens[order].astype(np.int64), labels[order], vocab)


def swap_markers(tokens) -> np.ndarray:
    """The twin of each sequence: every A becomes B and every B becomes A; the rest is kept.

    Parameters
    ----------
    tokens : (N, T) integer ids.

    Returns
    -------
    twins : (N, T) int64, a new array. On the order task the twin has the same bag of words and
    the opposite label.
    """
    tokens = np.asarray(tokens)
    if not np.issubdtype(tokens.dtype, np.integer):
        raise TypeError(f"tokens: expected integer ids, got dtype {tokens.dtype}")
    twins = tokens.astype(np.int64)  # astype copies, so the caller's array is left alone
    twins[tokens == A] = B
    twins[tokens == B] = A
    return twins


def bag_of_words(tokens, vocab_size: int) -> np.ndarray:
    """How often each token occurs in each sequence: all the order-blind baseline sees.

    Parameters
    ----------
    tokens : (N, T) integer ids in [0, vocab_size).
    vocab_size : V.

    Returns
    -------
    counts : (N, V) float64, ``counts[n, v]`` = number of positions t with tokens[n, t] == v.
    Rearranging the tokens of a row leaves its row of counts unchanged.
    """
    expect_positive_ints(vocab_size=vocab_size)
    tokens = check_tokens(tokens, vocab_size)
    N = tokens.shape[0]
    counts = np.zeros((N, vocab_size))
    # one row index per token: np.add.at counts repeated tokens, fancy += would count them once
    np.add.at(counts, (np.repeat(np.arange(N), tokens.shape[1]), tokens.ravel()), 1.0)
    return counts


def decode(tokens, vocab) -> list[str]:
    """Each row of ``tokens`` (N, T) as a string of token names, e.g. 'c A e B d'."""
    tokens = check_tokens(tokens, len(vocab))
    return [" ".join(vocab[i] for i in row) for row in tokens]
