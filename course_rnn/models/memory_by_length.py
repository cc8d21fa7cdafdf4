r"""Memory against sequence length: a streaming RNN step against causal self-attention.

A recurrent network that reads a stream needs, between two steps, only its state h_t: the
step h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) uses the new input and h_{t-1}, and
h_{t-1} may then be dropped, so its memory does not grow with the number of steps read. Causal
self-attention at position t reads every earlier position's key and value, so a stream of T
inputs keeps 2 T vectors (the "cache"), and the whole sequence at once (training, or a
prompt) forms all T x T scores and weights.

:func:`peak_bytes` measures the peak of the memory NumPy allocates while a function runs,
with ``tracemalloc`` (which sees NumPy's array buffers); :func:`streaming_rnn_peak` and
:func:`self_attention_peak` measure the two contestants on random inputs of length T.

Shapes: T steps, N = 1 sequence, D input features, H hidden units (also the attention's A and
M), all float64.
"""

from __future__ import annotations

import tracemalloc

import numpy as np

from course_rnn.numpy.causal_self_attention import causal_self_attention_forward
from course_rnn.numpy.rnn import rnn_step_forward
from course_rnn.shapes import expect_positive_ints


def peak_bytes(fn, *args, repeats: int = 4) -> int:
    """Peak bytes allocated (above the start) while ``fn(*args)`` runs, by tracemalloc.

    ``fn`` runs ``repeats`` times and the smallest peak after the first run is returned: the
    first run pays once-only allocations (the interpreter's and NumPy's caches), and tracemalloc
    also counts what other threads allocate meanwhile (a Jupyter kernel's own threads), which
    can only add to a peak.
    """
    if not isinstance(repeats, int) or repeats < 2:
        raise ValueError(f"repeats: expected an int of at least 2 (the first run is not "
                         f"measured), got {repeats!r}")
    tracemalloc.start()
    try:
        peaks = []
        for _ in range(repeats):
            tracemalloc.reset_peak()
            start = tracemalloc.get_traced_memory()[0]
            fn(*args)
            peaks.append(tracemalloc.get_traced_memory()[1] - start)
        return min(peaks[1:])
    finally:
        tracemalloc.stop()


def _weights(rng, rows: int, cols: int) -> np.ndarray:
    return rng.uniform(-1, 1, (rows, cols)) / np.sqrt(cols)


def _stream(inputs, W_ih, W_hh, b_ih, b_hh):
    h = np.zeros((1, W_hh.shape[0]))
    for x_t in inputs:          # one step at a time; the previous state and cache are dropped
        h, _ = rnn_step_forward(x_t, h, W_ih, W_hh, b_ih, b_hh)
    return h


def streaming_rnn_peak(seq_len: int, size: int = 32, seed: int = 0) -> int:
    """Peak bytes of a tanh RNN (D = H = ``size``) reading T steps one at a time."""
    expect_positive_ints(seq_len=seq_len, size=size)
    rng = np.random.default_rng(seed)
    inputs = rng.standard_normal((seq_len, 1, size))        # (T, N, D), allocated before
    W_ih, W_hh = _weights(rng, size, size), _weights(rng, size, size)
    b = np.zeros(size)
    return peak_bytes(_stream, inputs, W_ih, W_hh, b, b)


def self_attention_peak(seq_len: int, size: int = 32, seed: int = 0) -> int:
    """Peak bytes of causal self-attention (D = A = M = ``size``) over T positions at once."""
    expect_positive_ints(seq_len=seq_len, size=size)
    rng = np.random.default_rng(seed)
    inputs = rng.standard_normal((seq_len, 1, size))        # (T, N, D), allocated before
    W_q, W_k, W_v = (_weights(rng, size, size) for _ in range(3))
    return peak_bytes(causal_self_attention_forward, inputs, W_q, W_k, W_v)
