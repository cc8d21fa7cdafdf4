r"""Does a rule learned at some positions carry over to positions never seen in training?

The task is tagging. A sequence of T tokens is random noise over a small alphabet, except that
half of the sequences contain the two-token *pattern* ``a b`` once, starting at a position s
drawn from a given set. The tag of step t is 1 where the pattern ends there and 0 elsewhere:

    tag_t = 1   if x_{t-1} = a and x_t = b        (at most one such t per sequence)

Both ``a`` and ``b`` also occur alone as noise, so a tagger must look at two tokens in order
(like recognising a two-word name, "New York", wherever it occurs). Noise never forms the
pattern by accident. Training data starts the pattern only at a few positions (e.g. s in 0..3);
test data only at positions never used in training. The right rule is the same at every step.

Three taggers, all ``forward(tokens) -> (N, T, K)`` logits, ``backward(dlogits)``, ``modules``:

- :class:`PositionwiseTagger` (no sharing): a separate linear classifier for every output step,
  each reading the whole flattened one-hot sequence; T*K*(T*V + 1) parameters.
- :class:`WindowTagger` (sharing across positions, a width-2 convolution): one linear classifier
  of the window (x_{t-1}, x_t), slid over the sequence.
- :class:`RNNTagger` (sharing across time): one RNN cell at every step, a linear head on h_t.

:func:`fit_tagger` trains any of them with Adam on per-step cross-entropy and
:func:`tagging_scores` reports how many planted patterns were found and how many false alarms.

Shapes: N sequences, T time steps (``seq_len``), V vocabulary size, H hidden units, K = 2 tags.
Token ids: ``a = 0``, ``b = 1``, further noise tokens ``2 .. V - 1``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from course_rnn.data.order import check_tokens, one_hot
from course_rnn.numpy.classifier import RNNClassifier
from course_rnn.numpy.linear import Linear
from course_rnn.numpy.losses import softmax_cross_entropy
from course_rnn.numpy.optim import Adam
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


class PositionwiseTagger:
    """No sharing: output step t has its own linear classifier of the whole one-hot sequence.

    One ``Linear(T * V, T * K)`` holds all T classifiers; row block t of its weight is step t's.
    The weights that would tag a pattern at step t learn only from sequences seen at step t.

    Parameters
    ----------
    vocab_size : V.   seq_len : T (fixed: there is one classifier per position).
    num_classes : K.   rng : a ``np.random.Generator`` or a seed.
    """

    def __init__(self, vocab_size: int, seq_len: int, num_classes: int = 2, *, rng=None):
        expect_positive_ints(vocab_size=vocab_size, seq_len=seq_len, num_classes=num_classes)
        self.vocab_size, self.seq_len, self.num_classes = vocab_size, seq_len, num_classes
        self.head = Linear(seq_len * vocab_size, seq_len * num_classes, rng=rng)
        self.modules = [self.head]

    def forward(self, tokens) -> np.ndarray:
        """Logits (N, T, K) for token ids (N, T)."""
        tokens = check_tokens(tokens, self.vocab_size)
        if tokens.shape[1] != self.seq_len:
            raise ValueError(f"tokens: this tagger has classifiers for T = {self.seq_len} "
                             f"positions, got sequences of length {tokens.shape[1]}")
        x = one_hot(tokens, self.vocab_size).transpose(1, 0, 2)  # (N, T, V)
        logits = self.head(x.reshape(len(tokens), -1))           # (N, T * K)
        return logits.reshape(len(tokens), self.seq_len, self.num_classes)

    def backward(self, dlogits) -> None:
        """Gradients of the weights from dL/dlogits (N, T, K)."""
        self.head.backward(dlogits.reshape(len(dlogits), -1))


class WindowTagger:
    """Sharing across positions: one linear classifier of (x_{t-width+1}, ..., x_t) at every t.

    A one-dimensional convolution of width ``width`` over the one-hot sequence; steps before
    the start read zero vectors. Any sequence length works.

    Parameters
    ----------
    vocab_size : V.   width : tokens per window (2 sees the pattern).
    num_classes : K.   rng : a ``np.random.Generator`` or a seed.
    """

    def __init__(self, vocab_size: int, width: int = 2, num_classes: int = 2, *, rng=None):
        expect_positive_ints(vocab_size=vocab_size, width=width, num_classes=num_classes)
        self.vocab_size, self.width = vocab_size, width
        self.head = Linear(width * vocab_size, num_classes, rng=rng)
        self.modules = [self.head]

    def windows(self, tokens) -> np.ndarray:
        """(N, T, width * V): step t holds the one-hot vectors of steps t-width+1 .. t."""
        x = one_hot(tokens, self.vocab_size).transpose(1, 0, 2)        # (N, T, V)
        padded = np.pad(x, ((0, 0), (self.width - 1, 0), (0, 0)))      # zeros before step 0
        T = x.shape[1]
        return np.concatenate([padded[:, k:k + T] for k in range(self.width)], axis=2)

    def forward(self, tokens) -> np.ndarray:
        """Logits (N, T, K) for token ids (N, T)."""
        return self.head(self.windows(check_tokens(tokens, self.vocab_size)))

    def backward(self, dlogits) -> None:
        """Gradients of the shared weights: summed over every position by ``Linear``."""
        self.head.backward(dlogits)


class RNNTagger(RNNClassifier):
    """Sharing across time: h_t = tanh(U x_t + W h_{t-1} + b), logits_t = V h_t + c.

    The same parts as :class:`~course_rnn.numpy.classifier.RNNClassifier` (``rnn``, ``head``,
    ``modules``), with the head read at every step instead of at the last one.

    Parameters
    ----------
    vocab_size : V.   hidden_size : H.   num_classes : K.
    rng : a ``np.random.Generator`` or a seed.
    """

    def forward(self, tokens) -> np.ndarray:
        """Logits (N, T, K) for token ids (N, T)."""
        output, _ = self.rnn(one_hot(tokens, self.vocab_size))  # (T, N, H)
        return self.head(output).transpose(1, 0, 2)             # (N, T, K)

    def backward(self, dlogits) -> None:
        """Backpropagate dL/dlogits (N, T, K) through the head and through time."""
        self.rnn.backward(self.head.backward(dlogits.transpose(1, 0, 2)))


def fit_tagger(model, task: PatternTask, *, epochs: int = 20, batch_size: int = 50,
               lr: float = 0.02, seed: int = 0) -> list[float]:
    """Train a tagger with minibatch Adam on the mean per-step cross-entropy.

    Returns the mean training loss of every epoch.
    """
    expect_positive_ints(epochs=epochs, batch_size=batch_size)
    optimizer = Adam(model.modules, lr=lr)
    rng = np.random.default_rng(seed)
    N = len(task.tokens)
    losses = []
    for _ in range(epochs):
        total = 0.0
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            batch = order[start:start + batch_size]
            loss, dlogits = softmax_cross_entropy(model.forward(task.tokens[batch]),
                                                  task.tags[batch])
            model.backward(dlogits)
            optimizer.step()
            total += loss * len(batch)
        losses.append(total / N)
    return losses


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
