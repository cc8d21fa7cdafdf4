r"""Token ids: the one layout every data set, model and chapter uses, and their one-hot inputs.

A batch of token sequences is an integer array of shape (N, T): row n is sequence n, read from
left to right. Every data set of the package makes its tokens this way (``order_task``,
``pattern_task``, the character streams of ``course_rnn.models.char_model``), every model takes
them this way and the chapters print them this way. Sequences are the samples, so they go on
the first axis, as in any data set: a minibatch is ``tokens[batch]``, one label per sequence is
``labels[n]`` beside ``tokens[n]``, one tag per step is ``tags[n, t]`` beside ``tokens[n, t]``,
and a printed array shows each sequence on one line.

The recurrent layers read time-major inputs (T, N, D), the layout their loop over time walks
through step by step. :func:`one_hot` is where the two meet: it turns (N, T) ids into the
(T, N, V) floats a layer reads, so the transpose happens once, in one place,

    x[t, n, v] = 1  if tokens[n, t] = v,  else 0

and W_ih x_t picks column tokens[n, t] of W_ih for a one-hot x_t: the layer's input weights
act as an embedding table (``course_rnn.numpy.Embedding`` does the same lookup without the
multiplication).

Shapes: N sequences, T time steps, V vocabulary size.
"""

from __future__ import annotations

import numpy as np

from course_rnn.shapes import check_tokens, expect_positive_ints


def one_hot(tokens, vocab_size: int) -> np.ndarray:
    """Time-major one-hot inputs for a recurrent layer, from (N, T) token ids.

    Parameters
    ----------
    tokens : (N, T) integer ids in [0, vocab_size).   vocab_size : V.

    Returns
    -------
    x : (T, N, V) float64 with x[t, n, tokens[n, t]] = 1 and zeros elsewhere.

    Raises
    ------
    ValueError : ``tokens`` is not 2-D (N, T).   TypeError : the ids are not integers.
    IndexError : an id outside [0, V), named with its position.
    """
    expect_positive_ints(vocab_size=vocab_size)
    tokens = check_tokens(tokens, vocab_size)
    return np.eye(vocab_size)[tokens.T]  # (T, N, V)
