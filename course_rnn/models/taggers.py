r"""Taggers: models that give every time step its own label, with and without sharing.

Chapter 3 pits three of them against each other on :func:`course_rnn.data.positions.pattern_task`;
all have ``forward(tokens) -> (N, T, K)`` logits, ``backward(dlogits)``, ``modules`` and
``vocab_size``, so :func:`course_rnn.models.classifier.fit` trains any of them on one label per
step.

- :class:`PositionwiseTagger` (no sharing): a separate linear classifier for every output step,
  each reading the whole flattened one-hot sequence; T*K*(T*V + 1) parameters.
- :class:`WindowTagger` (sharing across positions, a width-2 convolution): one linear classifier
  of the window (x_{t-1}, x_t), slid over the sequence.
- :class:`RNNTagger` (sharing across time): one RNN cell at every step, a linear head on h_t.

Shapes: N sequences, T time steps, V vocabulary size, H hidden units, K classes.
"""

from __future__ import annotations

import numpy as np

from course_rnn.data.tokens import one_hot
from course_rnn.models.classifier import RNNClassifier
from course_rnn.numpy.linear import Linear
from course_rnn.shapes import check_tokens, expect_positive_ints


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
        return self.head(self.windows(tokens))  # one_hot in windows checks the ids

    def backward(self, dlogits) -> None:
        """Gradients of the shared weights: summed over every position by ``Linear``."""
        self.head.backward(dlogits)


class RNNTagger(RNNClassifier):
    """Sharing across time: h_t = tanh(U x_t + W h_{t-1} + b), logits_t = V h_t + c.

    The same parts as :class:`~course_rnn.models.classifier.RNNClassifier` (``rnn``, ``head``,
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
