r"""A target that lies in the input's future or past: y_t = x_{t+k}.

Schuster and Paliwal (1997) motivate the bidirectional RNN with targets that depend on inputs
later in the sequence. The cleanest such task: a stream of random tokens, and at every step
the target is the token ``shift`` steps away,

    y_t = x_{t+k}        k > 0: a future token (a one-way RNN has not read it yet)
                         k = 0: the current token
                         k < 0: a past token, |k| steps back (a delayed copy)

The tokens are independent and uniform over K symbols, so a model that has not seen x_{t+k}
can do no better than chance, 1/K. Steps whose target falls outside the sequence (the last k
steps for k > 0, the first |k| for k < 0) have no target: they hold ``IGNORE``, which losses
and accuracies skip.

Shapes: N sequences, T time steps (``seq_len``), K symbols (``vocab_size``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.shapes import expect_positive_ints

IGNORE = -1
"""The target of a step with no target (x_{t+k} outside the sequence)."""


class DelayedTargetTask(NamedTuple):
    """A data set of the shifted-target task.

    tokens : (N, T) int64 ids in [0, K).
    targets : (N, T) int64, ``tokens[n, t + shift]``, or ``IGNORE`` where t + shift is outside.
    shift : k.   vocab_size : K.
    """

    tokens: np.ndarray
    targets: np.ndarray
    shift: int
    vocab_size: int


def delayed_target_task(n_samples: int, shift: int, seq_len: int = 12, vocab_size: int = 4,
                        seed: int = 0) -> DelayedTargetTask:
    """Random token streams with the target y_t = x_{t+shift} at every step.

    Parameters
    ----------
    n_samples : N.
    shift : k, any integer with |k| < seq_len: positive looks ahead, negative looks back.
    seq_len : T.   vocab_size : K, at least 2 (chance is 1/K).
    seed : seeds the tokens; the same arguments give the same data.

    Returns
    -------
    DelayedTargetTask with tokens and targets (N, T).
    """
    expect_positive_ints(n_samples=n_samples, seq_len=seq_len, vocab_size=vocab_size)
    if isinstance(shift, bool) or not isinstance(shift, int | np.integer):
        raise TypeError(f"shift: expected an integer, got {type(shift).__name__}")
    if abs(shift) >= seq_len:
        raise ValueError(f"shift: expected |shift| < seq_len = {seq_len} (some step must have "
                         f"a target inside the sequence), got {shift}")
    if vocab_size < 2:
        raise ValueError(f"vocab_size: expected at least 2 symbols, got {vocab_size}")
    tokens = np.random.default_rng(seed).integers(0, vocab_size, (n_samples, seq_len))
    targets = np.full_like(tokens, IGNORE)
    if shift >= 0:
        targets[:, :seq_len - shift] = tokens[:, shift:]      # y_t = x_{t+k}
    else:
        targets[:, -shift:] = tokens[:, :seq_len + shift]     # y_t = x_{t-|k|}
    return DelayedTargetTask(tokens.astype(np.int64), targets.astype(np.int64), int(shift),
                             vocab_size)
