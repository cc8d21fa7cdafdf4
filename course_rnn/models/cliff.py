r"""The cliff of Pascanu, Mikolov and Bengio (2013): a one-unit recurrent network and its wall.

Their Figure 6 plots the loss of a recurrent network with a single hidden unit and no input,

    x_t = w * sigmoid(x_{t-1}) + b,        t = 1 .. T,       L(w, b) = (x_T - y)^2,

over its two parameters w and b. Where a small change of (w, b) moves the map across a
bifurcation (one fixed point becomes two), x_T jumps and the loss rises as a steep wall.
A gradient step taken on the wall is huge and throws the parameters far away; the same step
with its norm clipped stays near. :func:`cliff_loss` and :func:`cliff_gradient` compute L and
its gradient by BPTT, :func:`descend` runs plain or norm-clipped gradient descent.

The initial state x_0, the target y and T are this module's choices (the defaults); the paper's
exact values are not restated here.
"""

from __future__ import annotations

import numpy as np

from course_rnn.shapes import expect_non_negative, expect_positive_ints


def sigmoid(x):
    """1 / (1 + e^{-x}), written through tanh so that it never overflows; any shape."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))


def cliff_states(w, b, *, x0: float = 0.5, steps: int = 50) -> np.ndarray:
    """x_0 .. x_T for parameters w and b of any (equal or broadcastable) shape: (T + 1, ...)."""
    expect_positive_ints(steps=steps)
    w, b = np.broadcast_arrays(np.asarray(w, dtype=float), np.asarray(b, dtype=float))
    states = [np.full(w.shape, float(x0))]
    for _ in range(steps):
        states.append(w * sigmoid(states[-1]) + b)
    return np.stack(states)


def cliff_loss(w, b, *, x0: float = 0.5, target: float = 0.7, steps: int = 50):
    """L = (x_T - y)^2, elementwise over arrays of w and b (e.g. a grid for the surface)."""
    return (cliff_states(w, b, x0=x0, steps=steps)[-1] - target) ** 2


def cliff_gradient(w: float, b: float, *, x0: float = 0.5, target: float = 0.7,
                   steps: int = 50) -> np.ndarray:
    """(dL/dw, dL/db) by backpropagation through the T steps.

    dL/dx_T = 2 (x_T - y); step t adds dL/dx_t * sigmoid(x_{t-1}) to dL/dw and dL/dx_t to
    dL/db, and hands dL/dx_{t-1} = dL/dx_t * w * sigmoid'(x_{t-1}) to the step before.
    """
    x = cliff_states(w, b, x0=x0, steps=steps)
    dx = 2.0 * (x[-1] - target)
    dw = db = 0.0
    for t in range(steps, 0, -1):
        s = sigmoid(x[t - 1])
        dw, db = dw + dx * s, db + dx
        dx = dx * w * s * (1.0 - s)
    return np.array([float(dw), float(db)])


def descend(start, *, lr: float, updates: int, max_norm: float | None = None,
            **loss_options) -> np.ndarray:
    """Gradient descent on (w, b) from ``start``: the path, (updates + 1, 2).

    With ``max_norm`` the gradient is rescaled to that norm whenever it is longer (Pascanu et
    al.'s clipping); its direction never changes. ``loss_options`` go to :func:`cliff_gradient`.
    """
    expect_positive_ints(updates=updates)
    expect_non_negative(lr=lr)
    if max_norm is not None:
        expect_non_negative(max_norm=max_norm)
    path = [np.asarray(start, dtype=float)]
    if path[0].shape != (2,):
        raise ValueError(f"start: expected the two numbers (w, b), got shape {path[0].shape}")
    for _ in range(updates):
        grad = cliff_gradient(*path[-1], **loss_options)
        norm = np.linalg.norm(grad)
        if max_norm is not None and norm > max_norm:
            grad = grad * max_norm / norm
        path.append(path[-1] - lr * grad)
    return np.array(path)
