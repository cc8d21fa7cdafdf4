r"""Elman's temporal XOR: predict the next bit of a stream of triples (a, b, a XOR b).

Elman (1990, "Finding structure in time", Cognitive Science 14) fed a simple recurrent network a
stream of bits, one per step, made of triples: two random bits followed by their XOR,

    ... a_1  b_1  (a_1 XOR b_1)  a_2  b_2  (a_2 XOR b_2)  ...

and trained it to predict the next bit. Two bits of every three are random, so no network can
predict them (the best guess is 1/2 and the error stays high); the third is a function of the
two before it, so a network that remembers one step back can predict it. His Figure 3 shows the
error, averaged over many triples, by the position of the predicted bit: a saw tooth that dips on
every third bit. :func:`target_positions` gives every step that position, so that a chapter can
average its errors by it and draw the same figure.

The stream is laid out as the package's token arrays are, one row per stream (``bits``), and as
the inputs and targets of a time-major recurrent layer with one input unit, as in Elman's net:

    inputs[t, n, 0] = bits[n, t]       targets[t, n, 0] = bits[n, t + 1]

Shapes: N streams, L = 3 * n_triples bits per stream, T = L - 1 prediction steps, D = 1.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.shapes import expect_positive_ints


class TemporalXOR(NamedTuple):
    """Streams of the temporal XOR task.

    bits : (N, L) int64, 0 or 1; every third bit (index 2, 5, 8, ...) is the XOR of the two
        before it.
    inputs : (T, N, 1) float64, bit t of each stream.   targets : (T, N, 1) float64, bit t + 1.
    """

    bits: np.ndarray
    inputs: np.ndarray
    targets: np.ndarray


def temporal_xor(n_streams: int, n_triples: int, seed: int = 0) -> TemporalXOR:
    """Random streams of bit triples (a, b, a XOR b) and their next-bit prediction pairs.

    Parameters
    ----------
    n_streams : N, streams side by side (Elman used one stream of 3000 bits).
    n_triples : triples per stream, so L = 3 * n_triples bits and T = L - 1 steps.
    seed : seeds the generator; the same arguments give the same streams.

    Returns
    -------
    TemporalXOR with bits (N, L), inputs (T, N, 1) and targets (T, N, 1).
    """
    expect_positive_ints(n_streams=n_streams, n_triples=n_triples)
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, 2, size=(2, n_streams, n_triples))  # (N, n_triples) each
    triples = np.stack([a, b, a ^ b], axis=2)  # (N, n_triples, 3)
    bits = triples.reshape(n_streams, 3 * n_triples).astype(np.int64)  # (N, L)
    stream = bits.T[:, :, None].astype(np.float64)  # (L, N, 1), time-major
    return TemporalXOR(bits, stream[:-1], stream[1:])


def target_positions(n_steps: int) -> np.ndarray:
    """The position in its triple (0, 1 or 2) of the bit each step predicts.

    Step t predicts bit t + 1, so the positions run 1, 2, 0, 1, 2, 0, ...; position 2 marks
    the predictable XOR bits. ``errors[target_positions(T) == 2]`` are their errors.

    Parameters
    ----------
    n_steps : T, the number of prediction steps (``len(task.targets)``).

    Returns
    -------
    positions : (T,) int64.
    """
    expect_positive_ints(n_steps=n_steps)
    return (np.arange(n_steps, dtype=np.int64) + 1) % 3
