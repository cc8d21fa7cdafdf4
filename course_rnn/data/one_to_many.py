r"""One-to-many generation: one input (a class label or a start value), a whole sequence out.

Each of K inputs has its own sequence of T tokens, fixed by a table ``patterns`` (K, T):

    targets[n] = patterns[labels[n]]

Two tables are offered. :func:`class_pattern_task` draws K distinct random sequences over a
vocabulary of V tokens, one per class, with optional noise in the targets. :func:`counting_task`
counts up modulo M from a start value s, a continuation given by a rule rather than a table:

    patterns[s, t] = (s + 1 + t) mod M          e.g. M = 10, s = 7:  8 9 0 1 2 ...

A one-to-many RNN can receive its single input in two ways, and the task gives it both ways
(the same label, one-hot, x = onehot(label) of size K):

- ``first_step_inputs`` (T, N, K): x at step 0 and zeros at every later step. For the variant
  that sees its input once and must carry it in its state. ``label_vectors`` (N, K) is x on its
  own, for the variant that maps it to the initial state h_0 and reads no input at all.
- ``every_step_inputs`` (T, N, K): x at every step. For the variant whose input is fed again at
  each step, so the state need not hold it.

Targets are token ids laid out (N, T) like every token array of the package.

Shapes: N samples, T steps (``seq_len``), K inputs (classes or start values), V output tokens.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.shapes import expect_positive_ints, expect_probability


class OneToManyTask(NamedTuple):
    """A data set of a one-to-many task.

    labels : (N,) int64, the input of each sample, in [0, K).
    targets : (N, T) int64, the sequence to generate (``patterns[labels]``, plus any noise).
    patterns : (K, T) int64, the clean sequence of each input.
    label_vectors : (N, K) float64, onehot(label): the input as it sets the initial state.
    first_step_inputs : (T, N, K) float64, onehot(label) at step 0, zeros afterwards.
    every_step_inputs : (T, N, K) float64, onehot(label) at every step.
    """

    labels: np.ndarray
    targets: np.ndarray
    patterns: np.ndarray
    label_vectors: np.ndarray
    first_step_inputs: np.ndarray
    every_step_inputs: np.ndarray


def class_pattern_task(n_samples: int, num_classes: int = 4, seq_len: int = 8,
                       vocab_size: int = 5, noise: float = 0.0, seed: int = 0) -> OneToManyTask:
    """Generate a class's own random sequence from its label.

    Parameters
    ----------
    n_samples : N.   num_classes : K, the number of labels (and of distinct patterns).
    seq_len : T.   vocab_size : V, at least 2; V**T must be at least K, so that the K
        patterns can differ.
    noise : probability that a target token is replaced by another token (always a different
        one); 0 gives targets equal to the patterns.
    seed : seeds the patterns, labels and noise; the same arguments give the same data.

    Returns
    -------
    OneToManyTask whose ``patterns`` (K, T) are pairwise distinct.
    """
    expect_positive_ints(n_samples=n_samples, num_classes=num_classes, seq_len=seq_len,
                         vocab_size=vocab_size)
    expect_probability(noise=noise)
    if vocab_size < 2:
        raise ValueError(f"vocab_size: expected at least 2 tokens, got {vocab_size}")
    n_sequences = int(vocab_size) ** int(seq_len)  # Python ints: V**T may exceed int64
    if n_sequences < num_classes:
        raise ValueError(f"num_classes: expected at most vocab_size**seq_len = {n_sequences} "
                         f"(one distinct pattern each), got {num_classes}")
    rng = np.random.default_rng(seed)
    patterns = rng.integers(0, vocab_size, size=(num_classes, seq_len))  # (K, T)
    # draw again until no two classes share a pattern; rare once V**T is much larger than K
    while len(np.unique(patterns, axis=0)) < num_classes:
        patterns = rng.integers(0, vocab_size, size=(num_classes, seq_len))
    return _sample(patterns, vocab_size, n_samples, noise, rng)


def counting_task(n_samples: int, modulus: int = 10, seq_len: int = 8, noise: float = 0.0,
                  seed: int = 0) -> OneToManyTask:
    """Count up modulo M from a start value: s -> s+1, s+2, ..., s+T (mod M).

    Parameters
    ----------
    n_samples : N.   modulus : M >= 2, both the number of start values (K) and of tokens (V).
    seq_len : T.
    noise : probability that a target token is replaced by another token, as in
        :func:`class_pattern_task`.
    seed : seeds the start values and the noise.

    Returns
    -------
    OneToManyTask with ``patterns[s, t] = (s + 1 + t) % M``.
    """
    expect_positive_ints(n_samples=n_samples, modulus=modulus, seq_len=seq_len)
    expect_probability(noise=noise)
    if modulus < 2:
        raise ValueError(f"modulus: expected at least 2, got {modulus}")
    starts = np.arange(modulus)[:, None]  # (M, 1)
    patterns = (starts + 1 + np.arange(seq_len)) % modulus  # (M, T)
    return _sample(patterns, modulus, n_samples, noise, np.random.default_rng(seed))


def _sample(patterns: np.ndarray, vocab_size: int, n_samples: int, noise: float,
            rng: np.random.Generator) -> OneToManyTask:
    """Draw labels uniformly, look up their patterns, add noise and build both input layouts."""
    num_classes, seq_len = patterns.shape
    patterns = patterns.astype(np.int64)
    labels = rng.integers(0, num_classes, size=n_samples).astype(np.int64)  # (N,)
    targets = patterns[labels]  # (N, T), a copy
    corrupted = rng.random(targets.shape) < noise
    # a shift in 1..V-1 modulo V always lands on another token
    shifts = rng.integers(1, vocab_size, size=targets.shape)
    targets[corrupted] = (targets[corrupted] + shifts[corrupted]) % vocab_size
    label_vectors = np.eye(num_classes)[labels]  # (N, K)
    every_step = np.broadcast_to(label_vectors, (seq_len, n_samples, num_classes)).copy()
    first_step = np.zeros_like(every_step)  # (T, N, K)
    first_step[0] = label_vectors
    return OneToManyTask(labels, targets, patterns, label_vectors, first_step, every_step)
