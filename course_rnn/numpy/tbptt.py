r"""Truncated backpropagation through time (TBPTT) in NumPy.

Full BPTT over a long sequence stores every step and updates the weights once per sequence.
Truncated BPTT (Williams & Peng 1990; Sutskever 2013, PhD thesis) cuts the sequence into chunks
of ``length`` steps and, for each chunk in order,

    1. runs the forward pass from the final state of the previous chunk,
    2. backpropagates the chunk's loss through the chunk only,
    3. takes an optimizer step,

so memory grows with ``length`` rather than T, and the weights are updated T / length times per
sequence. The forward pass is exact: carrying the state makes the chunked outputs equal to
those of one full pass (with the same weights). The backward pass is not: the gradient that
would flow from chunk k+1 into chunk k through the carried state is dropped, so no dependency
longer than ``length`` steps is learned from the gradient.

In torch the cut is written ``h = h.detach()``. Here the cut is in what backward is told: each
chunk's ``backward(doutput)`` is called with ``dhx=None`` (no gradient at h_n), and the gradient
it returns at the chunk's initial state is discarded. :func:`detach` copies the carried state,
so that it shares no memory with the previous chunk's saved values.

Shapes: N batch, T time, D input features, H hidden units, V outputs of the head (vocabulary /
classes); the time axis is axis 0 (axis 1 for a ``batch_first`` layer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from course_rnn.numpy.clipping import clip_grad_norm
from course_rnn.numpy.losses import softmax_cross_entropy
from course_rnn.shapes import expect_positive_ints


def chunks(sequence, length: int, axis: int = 0) -> Iterator[np.ndarray]:
    """Consecutive slices of ``length`` steps along the time axis; the last may be shorter.

    Parameters
    ----------
    sequence : array with time on ``axis``, e.g. inputs (T, N, D) or targets (T, N).
    length : steps per chunk.
    axis : the time axis (1 for batch-first data).

    Yields
    ------
    Views of ``sequence`` with ``min(length, T - start)`` steps on ``axis``.
    """
    expect_positive_ints(length=length)
    sequence = np.asarray(sequence)
    T = sequence.shape[axis]
    for start in range(0, T, length):
        index = [slice(None)] * sequence.ndim
        index[axis] = slice(start, start + length)
        yield sequence[tuple(index)]


def detach(state):
    """A copy of a state (an array, or an LSTM's (h, c) tuple) that shares nothing with a tape.

    The NumPy counterpart of torch's ``h.detach()``: the next chunk starts from these values, and
    nothing will send a gradient back to where they came from.
    """
    if isinstance(state, tuple):
        return tuple(np.array(s) for s in state)
    return np.array(state)


class TruncatedBPTT:
    """Train a recurrent layer plus a Linear head chunk by chunk.

    Parameters
    ----------
    layer : a NumPy ``RNN``, ``LSTM`` or ``GRU``.
    head : a ``Linear`` (the layer's output_size -> V) applied at every step of the layer's output.
    loss : ``loss(prediction, target) -> (value, dprediction)``, e.g. ``softmax_cross_entropy``
        (the default) or ``mse_loss``.
    optimizer : steps once per chunk; None to only compute gradients (they are then those of
        the last chunk, left in ``layer.grads`` and ``head.grads``).
    length : steps per chunk.
    max_norm : clip the global gradient norm of layer and head to this before each step, or
        None.
    """

    def __init__(self, layer, head, *, length: int, optimizer=None,
                 loss: Callable = softmax_cross_entropy, max_norm: float | None = None):
        expect_positive_ints(length=length)
        self.layer, self.head, self.loss = layer, head, loss
        self.optimizer, self.length, self.max_norm = optimizer, length, max_norm

    @property
    def time_axis(self) -> int:
        return 1 if self.layer.batch_first else 0

    def chunk_step(self, x, y, state=None):
        """Forward, backward and (with an optimizer) one update on one chunk.

        Parameters
        ----------
        x : (T_c, N, D) (or (N, T_c, D) batch-first) inputs of the chunk.
        y : the chunk's targets, e.g. (T_c, N) class ids for cross-entropy.
        state : the initial state (h_0, or (h_0, c_0) for an LSTM), None for zeros.

        Returns
        -------
        loss : the chunk's loss.
        state : the final state, detached, to start the next chunk from.
        """
        output, final = self.layer.forward(x, state)
        value, dprediction = self.loss(self.head.forward(output), y)
        # dhx=None: no gradient reaches h_n from the future, and the returned gradient at the
        # chunk's initial state is dropped -- together they are the truncation
        self.layer.backward(self.head.backward(dprediction))
        if self.max_norm is not None:
            clip_grad_norm([self.layer, self.head], self.max_norm)
        if self.optimizer is not None:
            self.optimizer.step()
        return value, detach(final)

    def run(self, x, y, state=None):
        """One pass over a whole sequence, chunk by chunk.

        Parameters
        ----------
        x : (T, N, D) (or (N, T, D) batch-first) inputs.
        y : targets with the same time axis, e.g. (T, N).
        state : initial state, None for zeros.

        Returns
        -------
        losses : list of the per-chunk losses, in order.
        state : the final state after the last chunk (to continue with the next sequence of a
            stream, as in language modelling on one long text).
        """
        if np.shape(x)[self.time_axis] != np.shape(y)[self.time_axis]:
            raise ValueError(f"y: expected {np.shape(x)[self.time_axis]} steps on axis "
                             f"{self.time_axis} like x {np.shape(x)}, got shape {np.shape(y)}")
        losses = []
        for x_chunk, y_chunk in zip(chunks(x, self.length, self.time_axis),
                                    chunks(y, self.length, self.time_axis), strict=True):
            value, state = self.chunk_step(x_chunk, y_chunk, state)
            losses.append(value)
        return losses, state
