r"""Training chapter 10's encoder-decoders on digit strings, and their accuracy by length.

Every update draws a fresh batch of ``course_rnn.data.transduction`` pairs (lengths uniform in
``min_len..max_len``), runs the model with teacher forcing and takes an Adam step on the mean
cross-entropy of the real target tokens: the mask drops the padding after each EOS,

    L = sum_{n,t} m_{n,t} (-log p(y_{n,t})) / sum_{n,t} m_{n,t},

with the gradient's norm clipped. A model is judged by exact match: a sequence counts only if
every target token, EOS included, is predicted right (greedy decoding, its own tokens fed back).
``reverse_source=True`` feeds every source backwards (Sutskever, Vinyals and Le 2014) while the
target stays the same.

Shapes: N sequences, S source steps, T target steps, V vocabulary.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from course_rnn.data.transduction import TransductionTask, reverse_sources, transduction_task
from course_rnn.shapes import expect_positive_ints


class Pairs(NamedTuple):
    """A task's pairs as a model reads them: the source (N, S) maybe reversed, and the rest."""

    source: np.ndarray
    task: TransductionTask


def make_pairs(n: int, min_len: int, max_len: int, *, transform: str = "copy",
               reverse_source: bool = False, seed: int = 0) -> Pairs:
    """``n`` pairs of ``transduction_task``, the sources reversed if ``reverse_source``."""
    task = transduction_task(n, min_len, max_len, transform=transform, seed=seed)
    source = reverse_sources(task.source, task.source_lengths) if reverse_source else task.source
    return Pairs(source, task)


def masked_loss(logits, targets, mask) -> torch.Tensor:
    """Mean cross-entropy over the True positions of mask (N, T); logits (N, T, V)."""
    per_token = nn.functional.cross_entropy(logits.transpose(1, 2), torch.as_tensor(targets),
                                            reduction="none")  # (N, T)
    mask = torch.as_tensor(mask, dtype=per_token.dtype)
    return (per_token * mask).sum() / mask.sum()


def train_seq2seq(model, *, min_len: int, max_len: int, updates: int, transform: str = "copy",
                  reverse_source: bool = False, batch_size: int = 64, lr: float = 3e-3,
                  max_norm: float = 1.0, seed: int = 0) -> np.ndarray:
    """Train ``model`` in place with teacher forcing; returns the (updates,) losses."""
    expect_positive_ints(updates=updates, batch_size=batch_size)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = np.empty(updates)
    model.train()
    for k in range(updates):
        pairs = make_pairs(batch_size, min_len, max_len, transform=transform,
                           reverse_source=reverse_source, seed=seed * 1_000_003 + k)
        task = pairs.task
        logits, _ = model(pairs.source, task.source_lengths, task.decoder_inputs)
        loss = masked_loss(logits, task.decoder_targets, task.target_mask)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        losses[k] = loss.item()
    model.eval()
    return losses


def exact_match(model, pairs: Pairs) -> np.ndarray:
    """(N,) bool: greedy decoding got every target token of the pair right, EOS included."""
    task = pairs.task
    predicted = model.greedy(pairs.source, task.source_lengths, task.decoder_targets.shape[1])
    right = (predicted == task.decoder_targets) | ~task.target_mask  # (N, T)
    return right.all(axis=1)


def accuracy_by_length(model, lengths, n_per_length: int = 100, *, transform: str = "copy",
                       reverse_source: bool = False, seed: int = 1) -> np.ndarray:
    """(len(lengths),) exact-match accuracy on ``n_per_length`` fresh pairs of each length."""
    expect_positive_ints(n_per_length=n_per_length)
    return np.array([exact_match(model, make_pairs(n_per_length, length, length,
                                                   transform=transform,
                                                   reverse_source=reverse_source,
                                                   seed=seed * 1_000_003 + length)).mean()
                     for length in lengths])
