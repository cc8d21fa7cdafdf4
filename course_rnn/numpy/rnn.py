r"""The vanilla (Elman) RNN in NumPy: forward pass and hand-written backpropagation through time.

One step maps the input x_t and the previous state h_{t-1} to the new state

    a_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
    h_t = f(a_t),        f = tanh or relu

In the course's notation s_t = f(U x_t + W s_{t-1}): U is ``W_ih`` and W is ``W_hh``.

Backward, given the gradient dL/dh_t that reaches h_t (from the loss at step t *and* from step
t+1), the step returns the gradients of its inputs and weights:

    da_t       = dL/dh_t * f'(a_t)
    dx_t       = da_t W_ih          dh_{t-1} = da_t W_hh
    dW_ih     += da_t^T x_t         dW_hh   += da_t^T h_{t-1}
    db_ih = db_hh += sum over the batch of da_t

Shapes: N batch, T time, D input features, H hidden units. Weights use torch's layout:
W_ih (H, D), W_hh (H, H), b_ih and b_hh (H,) or None for a cell without bias.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.numpy.activations import NONLINEARITIES
from course_rnn.numpy.recurrent import WEIGHT_NAMES, RecurrentLayer
from course_rnn.shapes import cell_arguments, expect_choice, gradients_like, validated


class RNNStepCache(NamedTuple):
    """What one step's backward needs from its forward."""

    x: np.ndarray        # (N, D)
    h_prev: np.ndarray   # (N, H)
    h_next: np.ndarray   # (N, H)
    W_ih: np.ndarray     # (H, D)
    W_hh: np.ndarray     # (H, H)
    nonlinearity: str


@validated(cell_arguments(gates=1))
def rnn_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh, nonlinearity="tanh"):
    """One step of a vanilla RNN.

    Parameters
    ----------
    x : (N, D) inputs at this step.
    h_prev : (N, H) hidden state from the previous step.
    W_ih : (H, D) input-to-hidden weights.   W_hh : (H, H) hidden-to-hidden weights.
    b_ih, b_hh : (H,) biases, or None.
    nonlinearity : ``"tanh"`` or ``"relu"``.

    Returns
    -------
    h_next : (N, H) the new hidden state.
    cache : RNNStepCache for :func:`rnn_step_backward`.
    """
    f, _ = NONLINEARITIES[nonlinearity]
    a = x @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh      # (N, H)
    h_next = f(a)
    return h_next, RNNStepCache(x, h_prev, h_next, W_ih, W_hh, nonlinearity)


@validated(gradients_like(dh_next="h_next"))
def rnn_step_backward(dh_next, cache: RNNStepCache):
    """Backward pass of :func:`rnn_step_forward`.

    Parameters
    ----------
    dh_next : (N, H) total gradient of the loss at this step's output h_next.
    cache : what the forward step returned.

    Returns
    -------
    dx (N, D), dh_prev (N, H), dW_ih (H, D), dW_hh (H, H), db_ih (H,), db_hh (H,).
    The bias gradients come back even for a forward without biases: they are what the
    biases would receive.
    """
    x, h_prev, h_next, W_ih, W_hh, nonlinearity = cache
    _, f_grad = NONLINEARITIES[nonlinearity]
    da = dh_next * f_grad(h_next)      # f'(a) from the output, e.g. 1 - h_next**2 for tanh
    dx = da @ W_ih
    dh_prev = da @ W_hh
    dW_ih = da.T @ x
    dW_hh = da.T @ h_prev
    db_ih = da.sum(axis=0)
    db_hh = db_ih.copy()               # both biases add to a, so they share its gradient
    return dx, dh_prev, dW_ih, dW_hh, db_ih, db_hh


class RNNCache(NamedTuple):
    """What :func:`rnn_backward` needs from :func:`rnn_forward`."""

    x: np.ndarray        # (T, N, D)
    h_init: np.ndarray   # (N, H) the state before the first step, h_{-1} in the book
    h: np.ndarray        # (T, N, H) every hidden state
    W_ih: np.ndarray     # (H, D)
    W_hh: np.ndarray     # (H, H)
    nonlinearity: str


@validated(cell_arguments(gates=1, sequence=True))
def rnn_forward(x, h_init, W_ih, W_hh, b_ih, b_hh, nonlinearity="tanh"):
    """Run a vanilla RNN over a whole time-major sequence.

    Equal to calling :func:`rnn_step_forward` T times, but faster: see the comments.

    Parameters
    ----------
    x : (T, N, D) inputs.   h_init : (N, H) the state before the first step.
    W_ih, W_hh, b_ih, b_hh, nonlinearity : as in :func:`rnn_step_forward`.

    Returns
    -------
    h : (T, N, H) hidden state at every step (h[-1] is the final state).
    cache : RNNCache for :func:`rnn_backward`.
    """
    f, _ = NONLINEARITIES[nonlinearity]
    (T, N, D), H = x.shape, W_hh.shape[0]
    # Optimisation: x_t W_ih^T + b_ih + b_hh does not depend on the state, so all T of them
    # are one (T*N, D) @ (D, H) product before the loop; the loop keeps only h_{t-1} W_hh^T.
    h = (x.reshape(T * N, D) @ W_ih.T).reshape(T, N, H)
    h += b_ih + b_hh
    h_prev = h_init
    for t in range(T):
        h[t] += h_prev @ W_hh.T      # a_t
        f(h[t], out=h[t])            # h_t = f(a_t), in place: the buffer becomes the state
        h_prev = h[t]
    h.setflags(write=False)  # callers get h; backward needs it unchanged
    return h, RNNCache(x, h_init, h, W_ih, W_hh, nonlinearity)


@validated(gradients_like(dh="h"))
def rnn_backward(dh, cache: RNNCache):
    """Backpropagation through time for :func:`rnn_forward`.

    Walks the sequence backwards. ``dh_prev`` is what step t+1 sent back to its h_prev, the
    state h_t (chapter 4's W^T delta_{t+1}); added to ``dh[t]``, the gradient from the loss
    at step t, it gives da[t] = delta_t. Every step shares the weights, so their gradients
    are sums over time, taken after the loop as single matrix products over all T*N rows.

    Parameters
    ----------
    dh : (T, N, H) upstream gradient at every hidden state (zeros where a step has no loss;
         the gradient of the final state h_n belongs in ``dh[-1]``).
    cache : what :func:`rnn_forward` returned.

    Returns
    -------
    dx (T, N, D), dh_init (N, H), dW_ih (H, D), dW_hh (H, H), db_ih (H,), db_hh (H,).
    """
    x, h_init, h, W_ih, W_hh, nonlinearity = cache
    _, f_grad = NONLINEARITIES[nonlinearity]
    (T, N, H), D = h.shape, x.shape[2]
    da = np.empty_like(h)                # (T, N, H): delta_t at every step
    dh_prev = np.zeros_like(h_init)      # nothing comes back from after the last step
    for t in reversed(range(T)):
        da[t] = (dh[t] + dh_prev) * f_grad(h[t])
        dh_prev = da[t] @ W_hh
    # Optimisation: sum_t da_t^T x_t and sum_t da_t^T h_{t-1} as one product each over all
    # T*N rows, rather than T small products inside the loop.
    h_prev = np.concatenate([h_init[None], h[:-1]])      # (T, N, H): h_{t-1} of every step
    da_rows = da.reshape(T * N, H)
    dx = (da_rows @ W_ih).reshape(x.shape)
    dW_ih = da_rows.T @ x.reshape(T * N, D)
    dW_hh = da_rows.T @ h_prev.reshape(T * N, H)
    db_ih = da_rows.sum(axis=0)
    return dx, dh_prev, dW_ih, dW_hh, db_ih, db_ih.copy()


class RNN(RecurrentLayer):
    """Multi-layer Elman RNN with torch.nn.RNN's arguments, shapes and parameter names.

    Parameters
    ----------
    input_size : D.   hidden_size : H.   num_layers : stacked layers (default 1).
    nonlinearity : ``"tanh"`` or ``"relu"``.   bias : whether to use b_ih and b_hh.
    batch_first : input and output as (N, T, *) instead of (T, N, *).
    dropout : probability of zeroing each output of every layer but the last, in training mode.
    bidirectional : add a second cell that reads the sequence backwards.
    merge : how a bidirectional layer joins its two directions: ``"concat"`` (torch.nn's, 2H
        features), ``"sum"`` or ``"mean"`` (H features).
    dtype : np.float64 (default, for teaching and gradient checks) or np.float32.
    rng : seed or ``np.random.Generator`` for the initial weights.

    ``forward(input, hx=None) -> (output, h_n)`` and ``backward(doutput, dhx=None) ->
    (dx, dhx0)``: see :class:`~course_rnn.numpy.recurrent.RecurrentLayer`.
    """

    gates = 1
    state_size = 1

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, *, merge="concat",
                 dtype=np.float64, rng=None):
        expect_choice("nonlinearity", nonlinearity, tuple(NONLINEARITIES))
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, merge=merge, dtype=dtype, rng=rng)

    def _sequence_forward(self, x, state0, params):
        h, cache = rnn_forward(x, state0[0], params["weight_ih"], params["weight_hh"],
                               params["bias_ih"], params["bias_hh"], self.nonlinearity)
        return h, (h[-1],), cache

    def _sequence_backward(self, dh, d_final_rest, cache):
        dx, dh_init, *grads = rnn_backward(dh, cache)
        return dx, (dh_init,), dict(zip(WEIGHT_NAMES, grads))
