r"""An LSTM made of step functions, trained on the adding problem: exercise 08's last task.

The recurrent layer is whatever pair of step functions it is given, with the signatures of
:func:`~course_rnn.numpy.lstm.lstm_step_forward` and
:func:`~course_rnn.numpy.lstm.lstm_step_backward` (a student's, or the package's); the
package's sequence loop (:mod:`~course_rnn.numpy.step_loop`) calls them once per step, forward
and then backward through time. A Linear head reads the last state:

    h_t, c_t = step(x_t, h_{t-1}, c_{t-1})       t = 0, ..., T-1, from h_{-1} = c_{-1} = 0
    y = h_{T-1} V^T + b                          the predicted sum
    L = mean over the batch of (y - target)^2

trained with Adam, the gradient clipped to a global norm, on fresh batches of
:func:`~course_rnn.data.adding.adding_problem` at every step. Always answering 1 gives the
baseline MSE 1/6 (:data:`~course_rnn.data.adding.ADDING_BASELINE_MSE`); a model beats it only
by finding the two marked values and carrying them to the end.

Shapes: T steps (``length``), N sequences, H hidden units, 2 input features (value, marker).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from course_rnn.data.adding import adding_problem
from course_rnn.models.char_model import one_blas_thread
from course_rnn.numpy.cells import LSTMCell
from course_rnn.numpy.clipping import clip_grad_norm
from course_rnn.numpy.init import forget_gate_bias_
from course_rnn.numpy.linear import Linear
from course_rnn.numpy.losses import mse_loss
from course_rnn.numpy.lstm import lstm_step_backward, lstm_step_forward
from course_rnn.numpy.optim import Adam
from course_rnn.numpy.recurrent import WEIGHT_NAMES
from course_rnn.numpy.step_loop import backward_steps, forward_steps
from course_rnn.shapes import expect_non_negative, expect_positive_ints

SEEDS_PER_RUN = 1_000_000
"""Batch b of the run with seed s is drawn with the seed s * SEEDS_PER_RUN + 1 + b, and its
test set with s * SEEDS_PER_RUN: no two runs or sets share data."""


class AddingRun(NamedTuple):
    """What :func:`train_adding_lstm` returns.

    losses : (steps,) the training MSE of every batch.   test_mse : the MSE on the test set.
    cell : the LSTMCell whose params the step functions ran with.   head : the Linear head.
    """

    losses: np.ndarray
    test_mse: float
    cell: LSTMCell
    head: Linear


def predict_sums(step_forward: Callable, cell: LSTMCell, head: Linear, inputs: np.ndarray):
    """The predicted sums (N,) for inputs (T, N, 2), and the T step caches."""
    N, H = inputs.shape[1], cell.hidden_size
    zeros = np.zeros((N, H))
    weights = [cell.params[name] for name in WEIGHT_NAMES]
    _, (h_last, _), caches = forward_steps(step_forward, inputs, (zeros, zeros), *weights)
    return head(np.asarray(h_last))[:, 0], caches


def train_adding_lstm(step_forward: Callable = lstm_step_forward,
                      step_backward: Callable = lstm_step_backward, *, length: int = 50,
                      hidden_size: int = 16, steps: int = 1500, batch_size: int = 32,
                      lr: float = 0.01, max_norm: float = 1.0, forget_bias: float = 1.0,
                      n_test: int = 1000, seed: int = 0) -> AddingRun:
    """Train an LSTM run by ``step_forward`` / ``step_backward`` on the adding problem.

    Parameters
    ----------
    step_forward, step_backward : LSTM step functions with the package's signatures.
    length : T.   hidden_size : H.   steps : Adam steps, one fresh batch each.
    batch_size : N.   lr : Adam's learning rate.   max_norm : the gradient's clipping norm.
    forget_bias : the forget gate's initial bias (Gers et al. 2000; 1 as Jozefowicz et al.
        2015 recommend); the other weights start as torch.nn.LSTMCell's do.
    n_test : size of the test set.   seed : the weights and every batch.

    Returns
    -------
    AddingRun with the training losses (steps,) and the test MSE.
    """
    expect_positive_ints(length=length, hidden_size=hidden_size, steps=steps,
                         batch_size=batch_size, n_test=n_test)
    expect_non_negative(lr=lr, max_norm=max_norm)
    rng = np.random.default_rng(seed)
    cell, head = LSTMCell(2, hidden_size, rng=rng), Linear(hidden_size, 1, rng=rng)
    forget_gate_bias_(cell, forget_bias)
    optimizer = Adam([cell, head], lr=lr)
    losses = np.empty(steps)
    with one_blas_thread():  # small matrices: one BLAS thread is the fastest
        for step in range(steps):
            batch = adding_problem(batch_size, length, seed=seed * SEEDS_PER_RUN + 1 + step)
            predictions, caches = predict_sums(step_forward, cell, head, batch.inputs)
            losses[step], dpredictions = mse_loss(predictions, batch.targets)
            dh = np.zeros((length, batch_size, hidden_size))  # the loss reads h_{T-1} only
            dh[-1] = head.backward(dpredictions[:, None])
            no_dc = (np.zeros((batch_size, hidden_size)),)
            _, _, sums = backward_steps(step_backward, dh, caches, no_dc)
            cell.grads = dict(zip(WEIGHT_NAMES, sums, strict=True))
            clip_grad_norm([cell, head], max_norm)
            optimizer.step()
        test = adding_problem(n_test, length, seed=seed * SEEDS_PER_RUN)
        predictions, _ = predict_sums(step_forward, cell, head, test.inputs)
    return AddingRun(losses, float(np.mean((predictions - test.targets) ** 2)), cell, head)
