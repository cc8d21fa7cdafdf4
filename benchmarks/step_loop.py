"""The NumPy backend without its sequence functions' speed tricks: a plain loop of steps.

``rnn_forward`` and friends differ from T calls of the step function in two optimisations: the
input projections x_t W_ih^T of all steps are one matrix product before the loop, and the
weight gradients sum_t da_t^T x_t and sum_t da_t^T h_{t-1} are one product each after it.
This contestant runs the textbook step functions through ``course_rnn.numpy.step_loop``
instead, so ``make bench`` shows what the two optimisations buy. It calls the plain step
functions (``inspect.unwrap``), so that the argument checks the decorator adds to every call
do not count against the loop.
"""

from __future__ import annotations

import inspect

import numpy as np

import course_rnn.numpy as cnp
from course_rnn.numpy.step_loop import backward_steps, forward_steps


def step_loop_contestant(kind: str, size, rng):
    """Forward and backward over (T, N, D) float32 inputs with the step functions of ``kind``.

    ``size`` is a :class:`benchmarks.recurrent.Size`.
    """
    T, N, D, H = size.T, size.N, size.D, size.H
    step_forward = inspect.unwrap(getattr(cnp, f"{kind.lower()}_step_forward"))
    step_backward = inspect.unwrap(getattr(cnp, f"{kind.lower()}_step_backward"))
    layer = getattr(cnp, kind)(D, H, dtype=np.float32, rng=0)
    weights = [layer.params[f"{name}_l0"] for name in ("weight_ih", "weight_hh", "bias_ih",
                                                       "bias_hh")]
    x = rng.standard_normal((T, N, D), dtype=np.float32)
    dout = rng.standard_normal((T, N, H), dtype=np.float32)
    states = tuple(np.zeros((N, H), np.float32) for _ in range(layer.state_size))

    def run():
        _, _, caches = forward_steps(step_forward, x, states, *weights)
        backward_steps(step_backward, dout, caches, states[1:])
    return run
