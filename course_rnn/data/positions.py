r"""Does a rule learned at some positions carry over to positions never seen in training?

The task is tagging. A sequence of T tokens is random noise over a small alphabet, except that
half of the sequences contain the two-token *pattern* ``a b`` once, starting at a position s
drawn from a given set. The tag of step t is 1 where the pattern ends there and 0 elsewhere:

    tag_t = 1   if x_{t-1} = a and x_t = b        (at most one such t per sequence)

Both ``a`` and ``b`` also occur alone as noise, so a tagger must look at two tokens in order
(like recognising a two-word name, "New York", wherever it occurs). Noise never forms the
pattern by accident. Training data starts the pattern only at a few positions (e.g. s in 0..3);
test data only at positions never used in training. The right rule is the same at every step.

The taggers that compete on it are in :mod:`course_rnn.models.taggers`; they train with
:func:`course_rnn.models.classifier.fit` on ``(task.tokens, task.tags)``.
:func:`tagging_scores` reports how many planted patterns a tagger found and how many false alarms
it raised; :func:`margins_by_start` how strongly it tags a pattern at each start position.

Shapes: N sequences, T time steps (``seq_len``), V vocabulary size, H hidden units, K = 2 tags.
Token ids: ``a = 0``, ``b = 1``, further noise tokens ``2 .. V - 1``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from course_rnn.shapes import expect_positive_ints

PATTERN = (0, 1)
"""Token ids of the pattern ``a b``."""


class PatternTask(NamedTuple):
    """A data set of the pattern-tagging task.

    tokens : (N, T) int64 ids.   tags : (N, T) int64, 1 at the step where the pattern ends.
    starts : (N,) int64, where the pattern starts, or -1 in a sequence without it.
    vocab : the V token names (``'a'``, ``'b'``, ``'c'``, ...).
    """

    tokens: np.ndarray
    tags: np.ndarray
    starts: np.ndarray
    vocab: tuple[str, ...]


def pattern_task(n_samples: int, starts: Iterable[int], seq_len: int = 12, vocab_size: int = 5,
                 seed: int = 0) -> PatternTask:
    """Noise sequences, half of them with the pattern ``a b`` starting at a position in ``starts``.

    Parameters
    ----------
    n_samples : N, even (half with the pattern, half without).
    starts : the positions where the pattern may start, each in [0, seq_len - 1); drawn uniformly.
    seq_len : T.   vocab_size : V, 3 to 26 (``a``, ``b`` and at least one other token).
    seed : seeds the generator; the same arguments give the same data.

    Returns
    -------
    PatternTask, rows shuffled so sequences with and without the pattern are interleaved.
    """
    expect_positive_ints(n_samples=n_samples, seq_len=seq_len, vocab_size=vocab_size)
    if n_samples % 2:
        raise ValueError(f"n_samples: expected an even number (half with the pattern), "
                         f"got {n_samples}")
    if not 3 <= vocab_size <= 26:
        raise ValueError(f"vocab_size: expected 3 to 26 (a, b and other letters), got {vocab_size}")
    allowed = np.array(sorted(set(starts)), dtype=np.int64)
    if allowed.size == 0 or allowed.min() < 0 or allowed.max() >= seq_len - 1:
        raise ValueError(f"starts: expected one or more positions in [0, {seq_len - 1}) (the "
                         f"pattern needs two steps), got {allowed.tolist()}")
    a, b = PATTERN
    rng = np.random.default_rng(seed)
    tokens = rng.integers(0, vocab_size, size=(n_samples, seq_len))
    # break every accidental "a b" by replacing the b with a token that is neither a nor b,
    # which cannot create a new pattern; left to right, so fixes never interact
    others = np.setdiff1d(np.arange(vocab_size), PATTERN)
    for t in range(seq_len - 1):
        accidental = (tokens[:, t] == a) & (tokens[:, t + 1] == b)
        tokens[accidental, t + 1] = rng.choice(others, size=int(accidental.sum()))
    half = n_samples // 2
    where = np.full(n_samples, -1, dtype=np.int64)
    where[:half] = rng.choice(allowed, size=half)
    rows = np.arange(half)
    # planting cannot add a second pattern: the neighbour pairs are (x_{s-1}, a) and
    # (b, x_{s+2}), and a pattern needs b second and a first
    tokens[rows, where[:half]] = a
    tokens[rows, where[:half] + 1] = b
    tags = np.zeros_like(tokens)
    tags[rows, where[:half] + 1] = 1
    order = rng.permutation(n_samples)
    vocab = tuple(chr(ord("a") + i) for i in range(vocab_size))
    return PatternTask(tokens[order], tags[order], where[order], vocab)


def tagging_scores(model, task: PatternTask) -> dict[str, float]:
    """How well ``model`` tags ``task``.

    Returns
    -------
    ``found``: fraction of planted patterns tagged 1 at their last step (recall);
    ``false_alarms``: fraction of the other steps tagged 1;
    ``sequences``: fraction of sequences whose T tags are all right.
    """
    predicted = model.forward(task.tokens).argmax(axis=-1)  # (N, T)
    planted = task.tags == 1
    return {"found": float(predicted[planted].mean()),
            "false_alarms": float(predicted[~planted].mean()),
            "sequences": float((predicted == task.tags).all(axis=1).mean())}


def margins_by_start(model, starts: Iterable[int], seq_len: int, vocab_size: int,
                     n_samples: int = 200, seed: int = 0) -> np.ndarray:
    """Mean logit margin (tag 1 minus tag 0) at the step where a pattern starting at s ends.

    For every s in ``starts``, fresh sequences get the pattern at s, s+1 and the model's margin
    at step s+1 is averaged over them: positive means the pattern is tagged there.

    Returns
    -------
    (len(starts),) float64.
    """
    margins = []
    for s in starts:
        task = pattern_task(n_samples, [s], seq_len, vocab_size, seed=seed + s)
        rows = task.starts >= 0
        logits = model.forward(task.tokens[rows])[:, s + 1]  # (n, K) at the pattern's end
        margins.append(float(np.mean(logits[:, 1] - logits[:, 0])))
    return np.array(margins)
