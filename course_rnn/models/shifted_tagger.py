r"""A recurrent tagger on the shifted-target task y_t = x_{t+k}, one-way or bidirectional.

:class:`ShiftTagger` is one-hot tokens, a torch-backend recurrent layer (any ``num_layers``,
one or two directions, any ``merge``) and a Linear head at every step:

    h_t = layer(x_1 .. x_T)_t            (one-way: x_1 .. x_t; bidirectional: all of x)
    logits_t = V h_t + c                 (V reads the layer's output_size features, gives K)

:func:`train_shift_tagger` trains it with Adam on fresh minibatches of
:func:`course_rnn.data.delayed_target.delayed_target_task` (so it cannot memorise a training
set) and scores it on a held-out test set; :func:`accuracy_by_shift` repeats that over shifts
and seeds, each run on one thread (the networks are tiny: a second thread only waits). Steps
without a target (``IGNORE``) count neither in the loss nor in the accuracy.

Shapes: N sequences, T time steps, K symbols (``vocab_size``: inputs and classes; V is the
head's weight matrix), H hidden units.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from course_rnn.data.delayed_target import IGNORE, DelayedTargetTask, delayed_target_task
from course_rnn.models.adding_experiment import recurrent_layer
from course_rnn.shapes import check_tokens, expect_non_negative, expect_positive_ints
from course_rnn.torch.threads import one_thread

_TEST_SEED_OFFSET = 1_000_003  # the test set's seed: far from any training batch's


class ShiftTagger(nn.Module):
    """One-hot tokens -> recurrent layer(s) -> Linear head at every step.

    Parameters
    ----------
    vocab_size : K (inputs and classes).   hidden_size : H (per direction).
    cell : ``"rnn"``, ``"lstm"`` or ``"gru"``.
    layer_options : keyword arguments of the layer: ``num_layers``, ``bidirectional``,
        ``merge``, ``dropout``.
    """

    def __init__(self, vocab_size: int, hidden_size: int, cell: str = "rnn", **layer_options):
        super().__init__()
        expect_positive_ints(vocab_size=vocab_size, hidden_size=hidden_size)
        self.vocab_size = vocab_size
        self.layer = recurrent_layer(cell, vocab_size, hidden_size, batch_first=True,
                                     **layer_options)
        self.head = nn.Linear(self.layer.output_size, vocab_size)

    def forward(self, tokens) -> torch.Tensor:
        """Logits (N, T, K) for token ids (N, T)."""
        tokens = torch.as_tensor(check_tokens(tokens, self.vocab_size))
        states, _ = self.layer(F.one_hot(tokens, self.vocab_size).float())  # (N, T, F)
        return self.head(states)


def shift_loss(model: ShiftTagger, task: DelayedTargetTask) -> torch.Tensor:
    """Mean cross-entropy over the steps that have a target."""
    logits = model(task.tokens)
    return F.cross_entropy(logits.reshape(-1, model.vocab_size),
                           torch.as_tensor(task.targets).reshape(-1), ignore_index=IGNORE)


def shift_accuracy(model: ShiftTagger, task: DelayedTargetTask) -> float:
    """Fraction of the steps with a target whose largest logit is the target."""
    with torch.no_grad():
        predicted = model(task.tokens).argmax(-1).numpy()
    scored = task.targets != IGNORE
    return float(np.mean(predicted[scored] == task.targets[scored]))


class ShiftRun(NamedTuple):
    """One trained tagger: its test accuracy, the losses of its updates, the model."""

    accuracy: float
    losses: np.ndarray
    model: ShiftTagger


def train_shift_tagger(shift: int, seed: int = 0, *, hidden_size: int = 12, seq_len: int = 12,
                       vocab_size: int = 4, updates: int = 150, batch_size: int = 64,
                       lr: float = 0.02, n_test: int = 512, cell: str = "rnn",
                       **layer_options) -> ShiftRun:
    """Train a :class:`ShiftTagger` on y_t = x_{t+shift} and score it on fresh sequences.

    Parameters
    ----------
    shift : k.   seed : seeds the weights, the minibatches and the test set.
    hidden_size, cell, layer_options : the model (see :class:`ShiftTagger`).
    seq_len : T.   vocab_size : K (chance accuracy is 1/K).
    updates, batch_size : Adam updates, each on a fresh minibatch.   lr : Adam's step size.
    n_test : test sequences.

    Returns
    -------
    ShiftRun.
    """
    expect_positive_ints(updates=updates, batch_size=batch_size, n_test=n_test)
    expect_non_negative(lr=lr)
    data = dict(seq_len=seq_len, vocab_size=vocab_size)
    test = delayed_target_task(n_test, shift, seed=seed + _TEST_SEED_OFFSET, **data)
    torch.manual_seed(seed)
    model = ShiftTagger(vocab_size, hidden_size, cell, **layer_options)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    with one_thread():
        for batch_seed in np.random.default_rng(seed).integers(0, 2**31, size=updates):
            loss = shift_loss(model, delayed_target_task(batch_size, shift,
                                                         seed=int(batch_seed), **data))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        model.eval()
        return ShiftRun(shift_accuracy(model, test), np.array(losses), model)


def accuracy_by_shift(shifts: Sequence[int], seeds: Sequence[int], **options) -> np.ndarray:
    """Test accuracy (seeds, shifts) of :func:`train_shift_tagger` with ``options``."""
    return np.array([[train_shift_tagger(k, seed, **options).accuracy for k in shifts]
                     for seed in seeds])
