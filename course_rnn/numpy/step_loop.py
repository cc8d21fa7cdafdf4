"""A sequence as a plain loop of steps: the definition every sequence function must equal.

``forward_steps`` calls a step function once per time step, passing the state on;
``backward_steps`` walks the steps in reverse, passing the state gradients back and adding up
the weight gradients, which are sums over time because every step shares the weights. The
fast sequence functions (``rnn_forward``, ...) are tested against these loops; the peephole
LSTM uses them as they are, and ``make bench`` times them to show what the fast ones gain.

Shapes: N batch, T time, D input features, H hidden units.
"""

from __future__ import annotations

import numpy as np


def forward_steps(step_forward, x, states, *weights):
    """Run ``step_forward(x_t, *states, *weights) -> (*new_states, cache)`` over time.

    Parameters
    ----------
    x : (T, N, D).   states : tuple of (N, H) initial states, (h,) or (h, c).
    weights : the step's remaining arguments.

    Returns
    -------
    h (T, N, H) the first state of every step, the final states (tuple), the T caches (list).
    """
    h, caches = [], []
    for x_t in x:
        *states, cache = step_forward(x_t, *states, *weights)
        h.append(states[0])
        caches.append(cache)
    return np.stack(h), tuple(states), caches


def backward_steps(step_backward, dh, caches, d_final_rest=()):
    """BPTT with ``step_backward(dh_next, *d_rest, cache) -> (dx, *d_states, *weight_grads)``.

    Parameters
    ----------
    dh : (T, N, H) upstream gradient at every h_t.   caches : from :func:`forward_steps`.
    d_final_rest : gradients at the final states after h, e.g. (dc_n,) for an LSTM.

    Returns
    -------
    dx (T, N, D), the gradients at the initial states (tuple), the weight gradients summed
    over time (list).
    """
    d_states = (np.zeros_like(dh[0]), *d_final_rest)
    dx, sums = [None] * len(caches), None
    for t in reversed(range(len(caches))):
        dx[t], *grads = step_backward(dh[t] + d_states[0], *d_states[1:], caches[t])
        d_states, weight_grads = tuple(grads[:len(d_states)]), grads[len(d_states):]
        sums = weight_grads if sums is None else [s + g for s, g in zip(sums, weight_grads)]
    return np.stack(dx), d_states, sums
