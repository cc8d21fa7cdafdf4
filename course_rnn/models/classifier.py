r"""Sequence classifiers in NumPy, and the minibatch loop that trains them with Adam.

Two models with one interface, so an experiment can compare them line for line:

- :class:`RNNClassifier` reads the tokens in order (many-to-one):

      x_t = onehot(token_t),   h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh),   h_{-1} = 0
      logits = V h_{T-1} + c            (the head sees only the last state)

- :class:`BagOfWordsClassifier` is logistic regression on token counts:

      logits = V bag(tokens) + c,       bag(tokens)[v] = number of positions holding token v

  It cannot see order at all: permuting a sequence leaves its logits unchanged.

Both have ``forward(tokens) -> logits``, ``backward(dlogits)`` (fills each part's ``grads``) and
``modules`` (the parts an optimizer updates). :func:`fit` trains either with softmax
cross-entropy and :class:`~course_rnn.numpy.optim.Adam`.

Shapes: N sequences, T time steps, V vocabulary size, H hidden units, K classes.
"""

from __future__ import annotations

import numpy as np

from course_rnn.data.order import bag_of_words
from course_rnn.data.tokens import one_hot
from course_rnn.numpy.linear import Linear
from course_rnn.numpy.losses import softmax_cross_entropy
from course_rnn.numpy.optim import Adam
from course_rnn.numpy.rnn import RNN
from course_rnn.shapes import check_labels, check_tokens, expect_positive_ints


class RNNClassifier:
    """One-hot tokens -> a one-layer tanh RNN -> a Linear head on the last hidden state.

    Parameters
    ----------
    vocab_size : V.   hidden_size : H.   num_classes : K.
    rng : a ``np.random.Generator`` or a seed, for the initial weights.

    Attributes
    ----------
    rnn : :class:`~course_rnn.numpy.rnn.RNN` (V -> H).   head : :class:`Linear` (H -> K).
    modules : ``[rnn, head]``.
    """

    def __init__(self, vocab_size: int, hidden_size: int, num_classes: int = 2, *, rng=None):
        expect_positive_ints(vocab_size=vocab_size)
        rng = np.random.default_rng(rng)
        self.vocab_size = vocab_size
        self.rnn = RNN(vocab_size, hidden_size, rng=rng)
        self.head = Linear(hidden_size, num_classes, rng=rng)
        self.modules = [self.rnn, self.head]
        self._output_shape = None

    def forward(self, tokens) -> np.ndarray:
        """Logits (N, K) for token ids (N, T)."""
        output, _ = self.rnn(one_hot(tokens, self.vocab_size))  # (T, N, H)
        self._output_shape = output.shape
        return self.head(output[-1])  # (N, K)

    def backward(self, dlogits) -> None:
        """Backpropagate dL/dlogits (N, K) through the head and through time."""
        if self._output_shape is None:
            raise RuntimeError("backward: call forward first")
        doutput = np.zeros(self._output_shape)  # (T, N, H): only the last step feeds the head
        doutput[-1] = self.head.backward(dlogits)
        self.rnn.backward(doutput)


class BagOfWordsClassifier:
    """Logistic regression on token counts: order-blind by construction.

    Parameters
    ----------
    vocab_size : V.   num_classes : K.
    rng : a ``np.random.Generator`` or a seed, for the initial weights.

    Attributes
    ----------
    head : :class:`Linear` (V -> K).   modules : ``[head]``.
    """

    def __init__(self, vocab_size: int, num_classes: int = 2, *, rng=None):
        expect_positive_ints(vocab_size=vocab_size)
        self.vocab_size = vocab_size
        self.head = Linear(vocab_size, num_classes, rng=rng)
        self.modules = [self.head]

    def forward(self, tokens) -> np.ndarray:
        """Logits (N, K) for token ids (N, T), computed from the counts (N, V) alone."""
        return self.head(bag_of_words(tokens, self.vocab_size))

    def backward(self, dlogits) -> None:
        """Gradients of the head's weights; the counts themselves have no gradient."""
        self.head.backward(dlogits)


def accuracy(model, tokens, labels) -> float:
    """Fraction of predictions (the largest logit) that equal the label.

    Parameters
    ----------
    model : anything with ``forward(tokens) -> logits`` of shape ``labels.shape + (K,)``, e.g.
        an :class:`RNNClassifier` or :class:`BagOfWordsClassifier`.
    tokens : (N, T) ids.   labels : (N,) classes, or (N, T) for a model that tags every step.
    """
    tokens, labels = check_labels(tokens, labels)
    return float(np.mean(model.forward(tokens).argmax(axis=-1) == labels))


def fit(model, tokens, labels, *, epochs: int = 20, batch_size: int = 50, lr: float = 0.01,
        seed: int = 0, validation=None) -> dict[str, list[float]]:
    """Train ``model`` with minibatch Adam on softmax cross-entropy.

    Parameters
    ----------
    model : an :class:`RNNClassifier` or :class:`BagOfWordsClassifier`, or any model with
        ``vocab_size``, ``modules``, ``forward(tokens) -> logits (*labels.shape, K)`` and
        ``backward(dlogits)`` (e.g. a tagger with one label per step).
    tokens : (N, T) training ids.
    labels : (N,) training classes, or (N, T) for one class per step (the loss is then the
        mean over every step).
    epochs : passes over the training set.   batch_size : sequences per update.
    lr : Adam's learning rate.   seed : seeds the shuffling of each epoch.
    validation : optional ``(tokens, labels)`` scored after every epoch.

    Returns
    -------
    history : ``'loss'`` (mean training loss of each epoch), ``'train_accuracy'`` and, with
    ``validation``, ``'val_accuracy'``: one entry per epoch, after that epoch's updates.
    """
    tokens, labels = check_labels(tokens, labels)
    check_tokens(tokens, model.vocab_size)
    expect_positive_ints(epochs=epochs, batch_size=batch_size)
    if validation is not None:
        validation = check_labels(*validation)
    optimizer = Adam(model.modules, lr=lr)
    rng = np.random.default_rng(seed)
    history = {"loss": [], "train_accuracy": []}
    if validation is not None:
        history["val_accuracy"] = []
    for _ in range(epochs):
        order = rng.permutation(len(labels))
        losses = []
        for start in range(0, len(labels), batch_size):
            batch = order[start:start + batch_size]
            loss, dlogits = softmax_cross_entropy(model.forward(tokens[batch]), labels[batch])
            model.backward(dlogits)
            optimizer.step()
            losses.append(loss * len(batch))
        history["loss"].append(float(np.sum(losses) / len(labels)))
        history["train_accuracy"].append(accuracy(model, tokens, labels))
        if validation is not None:
            history["val_accuracy"].append(accuracy(model, *validation))
    return history
