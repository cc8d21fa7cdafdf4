r"""Additive attention trained to look up a symbol: exercise 11's last task.

The attention is whatever pair of functions it is given, with the signatures of
:func:`~course_rnn.numpy.additive_attention.additive_attention_forward` and
:func:`~course_rnn.numpy.additive_attention.additive_attention_backward` (a student's, or the
package's). It reads the one-hot query and keys of :func:`~course_rnn.data.lookup.symbol_lookup`
and is trained so that its context is the query itself, which it can only return by putting
its weight on the positions that hold the asked symbol:

    context, weights = attention(query, keys, W_q, W_k, v, mask)
    L = mean over the N * V entries of (context - query)^2

with Adam on a fresh batch at every step. Nothing but W_q, W_k and v is learned: the score
v . tanh(W_q q + W_k k) has to learn which pairs (asked symbol, key symbol) belong together.

Shapes: S positions, N examples, V symbols (query and key size), A attention units.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from course_rnn.data.lookup import Lookup, symbol_lookup, weight_on_match
from course_rnn.numpy.additive_attention import (
    additive_attention_backward,
    additive_attention_forward,
)
from course_rnn.numpy.losses import mse_loss
from course_rnn.numpy.module import Module
from course_rnn.numpy.optim import Adam
from course_rnn.shapes import expect_non_negative, expect_positive_ints

SEEDS_PER_RUN = 1_000_000
"""Batch b of the run with seed s is drawn with the seed s * SEEDS_PER_RUN + 1 + b, and its
test set with s * SEEDS_PER_RUN: no two runs or sets share data."""


class AttentionParams(Module):
    """W_q (A, V), W_k (A, V) and v (A,), drawn uniformly from +-1/sqrt(fan-in)."""

    def __init__(self, vocab_size: int, attention_size: int, rng: np.random.Generator):
        super().__init__()
        for name, shape, fan_in in (("W_q", (attention_size, vocab_size), vocab_size),
                                    ("W_k", (attention_size, vocab_size), vocab_size),
                                    ("v", (attention_size,), attention_size)):
            self.params[name] = rng.uniform(-1, 1, size=shape) / np.sqrt(fan_in)


class LookupRun(NamedTuple):
    """What :func:`train_attention_lookup` returns.

    losses : (steps,) the training loss of every batch.   test : the test set.
    test_weights : (S, N) the trained attention's weights on it.
    on_match : (N,) the weight of each test example on the asked symbol.
    params : the trained W_q, W_k and v.
    """

    losses: np.ndarray
    test: Lookup
    test_weights: np.ndarray
    on_match: np.ndarray
    params: AttentionParams


def train_attention_lookup(forward: Callable = additive_attention_forward,
                           backward: Callable = additive_attention_backward, *,
                           vocab_size: int = 6, length: int = 6, attention_size: int = 12,
                           steps: int = 300, batch_size: int = 32, lr: float = 0.1,
                           n_test: int = 500, seed: int = 0) -> LookupRun:
    """Train additive attention, run by ``forward`` / ``backward``, on the lookup task.

    Parameters
    ----------
    forward, backward : additive attention with the package's signatures.
    vocab_size : V.   length : S (each example has 1 to S real positions).
    attention_size : A.   steps : Adam steps, one fresh batch each.   batch_size : N.
    lr : Adam's learning rate.   n_test : size of the test set.   seed : the weights and every
    batch.

    Returns
    -------
    LookupRun with the training losses and the weights on the test set.
    """
    expect_positive_ints(vocab_size=vocab_size, length=length, attention_size=attention_size,
                         steps=steps, batch_size=batch_size, n_test=n_test)
    expect_non_negative(lr=lr)
    params = AttentionParams(vocab_size, attention_size, np.random.default_rng(seed))
    optimizer = Adam(params, lr=lr)
    losses = np.empty(steps)
    for step in range(steps):
        batch = symbol_lookup(batch_size, length, vocab_size, seed=seed * SEEDS_PER_RUN + 1 + step)
        context, _, cache = forward(batch.query, batch.keys, *params.params.values(), batch.mask)
        losses[step], dcontext = mse_loss(np.asarray(context), batch.query)
        _, _, *grads = backward(dcontext, cache)
        params.grads = dict(zip(params.params, grads, strict=True))
        optimizer.step()
    test = symbol_lookup(n_test, length, vocab_size, seed=seed * SEEDS_PER_RUN)
    _, weights, _ = forward(test.query, test.keys, *params.params.values(), test.mask)
    weights = np.asarray(weights, dtype=np.float64)
    return LookupRun(losses, test, weights, weight_on_match(weights, test), params)
