r"""Pascanu, Mikolov and Bengio's conditions (2013, Section 2.1), measured for tanh and sigmoid.

For h_t = f(W h_{t-1} + U x_t) the gradient from step t reaches h_k through the product of the
Jacobians diag(f'(a_j)) W. When |f'| <= gamma (gamma = 1 for tanh, 1/4 for sigmoid) and the
largest singular value of W is s, every factor has norm at most s * gamma, so

    ||dL_t/dh_k|| <= (s * gamma)^(t-k) ||dL_t/dh_t||:

s < 1/gamma is *sufficient* for the gradient to vanish; s > 1/gamma is *necessary* for it to
explode (not sufficient: a saturated f' can still shrink it). :func:`gradient_norms_at_scale`
measures the product for a random network whose W has every singular value equal to s.

Shapes: T steps, N sequences, D input features, H hidden units.
"""

from __future__ import annotations

import numpy as np

from course_rnn.numpy.init import random_orthogonal
from course_rnn.shapes import expect_choice, expect_non_negative, expect_positive_ints

GAMMA = {"tanh": 1.0, "sigmoid": 0.25}
"""The largest value of f' for each nonlinearity: the gamma of Pascanu et al.'s condition."""


def _forward(nonlinearity: str, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f(a) and f'(a) for tanh or sigmoid."""
    if nonlinearity == "tanh":
        h = np.tanh(a)
        return h, 1.0 - h * h
    h = 0.5 * (1.0 + np.tanh(0.5 * a))  # the sigmoid, without overflow
    return h, h * (1.0 - h)


def gradient_norms_at_scale(scale: float, nonlinearity: str = "tanh", *, steps: int = 40,
                            hidden_size: int = 32, input_size: int = 8, batch_size: int = 16,
                            seed: int = 0) -> np.ndarray:
    """Mean ||dL_t/dh_{t-d}|| for d = 0 .. steps, with ||dL_t/dh_t|| = 1.

    The network reads standard normal inputs through U ~ N(0, 1/D); W = scale * Q with Q a
    random orthogonal matrix, so ||W||_2 = scale. The same seed gives the same Q, U, inputs and
    upstream direction for every scale and nonlinearity, so curves differ only by those two.

    Returns
    -------
    norms : (steps + 1,), ``norms[d]`` the batch mean at distance d; ``norms[0] == 1``.
    """
    expect_choice("nonlinearity", nonlinearity, tuple(GAMMA))
    expect_non_negative(scale=scale)
    expect_positive_ints(steps=steps, hidden_size=hidden_size, input_size=input_size,
                         batch_size=batch_size)
    rng = np.random.default_rng(seed)
    W = scale * random_orthogonal(hidden_size, hidden_size, rng)
    U = rng.standard_normal((hidden_size, input_size)) / np.sqrt(input_size)
    x = rng.standard_normal((steps, batch_size, input_size))
    h, slopes = np.zeros((batch_size, hidden_size)), []
    for x_t in x:
        h, slope = _forward(nonlinearity, h @ W.T + x_t @ U.T)
        slopes.append(slope)
    g = rng.standard_normal((batch_size, hidden_size))
    g /= np.linalg.norm(g, axis=1, keepdims=True)  # dL_t/dh_t, a unit vector per sequence
    norms = [1.0]
    for slope in reversed(slopes):  # dL/dh_{j-1} = W^T (f'(a_j) * dL/dh_j)
        g = (g * slope) @ W
        norms.append(float(np.linalg.norm(g, axis=1).mean()))
    return np.array(norms)
