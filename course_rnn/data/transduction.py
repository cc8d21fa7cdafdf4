r"""Sequence transformation pairs for encoder-decoder models: reverse, sort or copy a digit string.

A source is a string of random digits whose length lies between ``min_len`` and ``max_len``; its
target is the same digits reversed (``transform="reverse"``), sorted (``"sort"``) or unchanged
(``"copy"``, chapter 10's stand-in for a translation whose words keep their order):

    source  3 1 4 1 5        reverse  5 1 4 1 3        sort  1 1 3 4 5        copy  3 1 4 1 5

The encoder reads the source; the decoder writes the target one token at a time. Three special
tokens frame the strings, ids 0 to 2 before the ten digits:

    PAD = 0  fills every row up to the array's width (the model must ignore it: see the masks)
    SOS = 1  start of sequence: the decoder's first input, before it has produced anything
    EOS = 2  end of sequence: the decoder's last target, so it learns where to stop

With teacher forcing the decoder reads the true previous token, so its inputs are its targets
shifted right by one step:

    decoder_inputs   SOS y_1 y_2 ... y_L            decoder_targets   y_1 y_2 ... y_L EOS

Every row is padded on the right to a fixed width (``max_len`` for sources, ``max_len + 1``
for the decoder), the same for every call with the same ``max_len``, so that data sets of
different seeds line up. ``source_mask`` and ``target_mask`` are True on the real tokens
(EOS included) and False on padding: a loss multiplies by ``target_mask``, and an encoder's
context is its state at step ``source_lengths - 1``. Chapter 5 measures accuracy against the
source length with these pairs, and chapter 10's attention reuses them; ``reverse_sources``
feeds a source backwards, Sutskever et al.'s trick that chapter 10 measures.

Shapes: N pairs, S = ``max_len`` source steps, T = ``max_len + 1`` decoder steps, V = 13 tokens.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.shapes import check_lengths, check_tokens, expect_choice, expect_positive_ints

PAD, SOS, EOS = 0, 1, 2
"""Token ids of the padding, start-of-sequence and end-of-sequence tokens."""
VOCAB = ("<pad>", "<sos>", "<eos>", *"0123456789")
"""The V = 13 token names; digit d has id ``d + 3``."""
TRANSFORMS = ("reverse", "sort", "copy")


class TransductionTask(NamedTuple):
    """A data set of source strings and their transformed targets.

    source : (N, S) int64 ids, right-padded.   source_lengths : (N,) int64 digits per source.
    source_mask : (N, S) bool, True on the digits.
    decoder_inputs : (N, T) int64, SOS then the target, right-padded.
    decoder_targets : (N, T) int64, the target then EOS, right-padded.
    target_mask : (N, T) bool, True on the target's digits and its EOS.
    vocab : the V token names.
    """

    source: np.ndarray
    source_lengths: np.ndarray
    source_mask: np.ndarray
    decoder_inputs: np.ndarray
    decoder_targets: np.ndarray
    target_mask: np.ndarray
    vocab: tuple[str, ...]


def transduction_task(n_samples: int, min_len: int = 1, max_len: int = 8,
                      transform: str = "reverse", seed: int = 0) -> TransductionTask:
    """Random digit strings and their reversed (or sorted) copies, framed for a decoder.

    Parameters
    ----------
    n_samples : N.
    min_len, max_len : the source lengths are drawn uniformly from min_len..max_len (both
        included); 1 <= min_len <= max_len. Equal values give strings of one length.
    transform : ``"reverse"``, ``"sort"`` (ascending digits) or ``"copy"``.
    seed : seeds the generator; the same arguments give the same data.

    Returns
    -------
    TransductionTask with S = max_len and T = max_len + 1.
    """
    expect_positive_ints(n_samples=n_samples, min_len=min_len, max_len=max_len)
    if min_len > max_len:
        raise ValueError(f"min_len: expected at most max_len = {max_len}, got {min_len}")
    expect_choice("transform", transform, TRANSFORMS)
    rng = np.random.default_rng(seed)
    lengths = rng.integers(min_len, max_len + 1, size=n_samples)  # (N,)
    source_mask = np.arange(max_len) < lengths[:, None]  # (N, S)
    digits = rng.integers(0, 10, size=(n_samples, max_len)) + 3  # ids of the digits
    source = np.where(source_mask, digits, PAD)
    if transform == "reverse":
        target = reverse_sources(source, lengths)
    elif transform == "copy":
        target = source.copy()
    else:
        # pads (id 0) would sort first: sort them as a value above every digit, then restore
        target = np.sort(np.where(source_mask, source, len(VOCAB)), axis=1)
        target[~source_mask] = PAD
    column = np.zeros((n_samples, 1), dtype=np.int64)
    decoder_inputs = np.concatenate([column + SOS, target], axis=1)  # (N, T)
    decoder_targets = np.concatenate([target, column + PAD], axis=1)
    decoder_targets[np.arange(n_samples), lengths] = EOS
    target_mask = np.arange(max_len + 1) <= lengths[:, None]  # (N, T), digits and EOS
    return TransductionTask(source.astype(np.int64), lengths.astype(np.int64), source_mask,
                            decoder_inputs.astype(np.int64), decoder_targets.astype(np.int64),
                            target_mask, VOCAB)


def reverse_sources(source, lengths) -> np.ndarray:
    """Each row's first ``lengths[n]`` tokens in reverse order, its padding left in place.

    Parameters
    ----------
    source : (N, S) token ids, right-padded.   lengths : (N,) real tokens per row, in [1, S].

    Returns
    -------
    (N, S) ids: row n reads positions lengths[n] - 1 down to 0, then the same padding.
    """
    source = check_tokens(source, len(VOCAB), "source")
    lengths = check_lengths("lengths", lengths, *source.shape)
    real = np.arange(source.shape[1]) < lengths[:, None]                        # (N, S)
    backwards = np.clip(lengths[:, None] - 1 - np.arange(source.shape[1]), 0, None)  # (N, S)
    return np.where(real, np.take_along_axis(source, backwards, axis=1), PAD)


def decode(ids) -> list[str]:
    """Each row of ids as a digit string: a leading SOS skipped, read up to the first EOS or PAD.

    Parameters
    ----------
    ids : (N, L) integer ids in [0, V), e.g. sources, decoder targets or a model's predictions.

    Returns
    -------
    N strings such as ``'31415'``; a SOS anywhere but first is shown as ``'<sos>'``, so a
    prediction that emits one is not silently cleaned up.
    """
    ids = check_tokens(ids, len(VOCAB))
    strings = []
    for row in ids:
        row = row[1:] if len(row) and row[0] == SOS else row
        stops = np.flatnonzero((row == EOS) | (row == PAD))
        end = stops[0] if len(stops) else len(row)
        strings.append("".join(VOCAB[i] for i in row[:end]))
    return strings
