r"""How far back a gradient reaches: ||dL_t/dh_k|| as a function of the distance t - k.

BPTT sends the gradient of a loss at step t back to an earlier state h_k through the chain

    dL_t/dh_k = (dh_{k+1}/dh_k)^T ... (dh_t/dh_{t-1})^T dL_t/dh_t,
    dh_j/dh_{j-1} = diag(f'(a_j)) W                              (W = W_hh)

a product of t - k Jacobians. With tanh, f' <= 1, so each factor has spectral norm at most
||W||_2 and, when ||W||_2 < 1, the gradient shrinks at least geometrically:
||dL_t/dh_k|| <= ||W||_2^{t-k} ||dL_t/dh_t||. That is the vanishing gradient (Hochreiter 1991;
Bengio, Simard & Frasconi 1994); a W with larger singular values can make it grow instead, as
long as tanh is not saturated.

:func:`state_gradient_norms` measures the chain with the package's own step backward, exactly
as BPTT computes it, for any weights: random ones of a chosen scale (:func:`scaled_rnn_weights`)
or those of a trained model.

Shapes: T time, N batch, D input features, H hidden units.
"""

from __future__ import annotations

import numpy as np

from course_rnn.numpy.init import random_orthogonal
from course_rnn.numpy.rnn import rnn_step_backward, rnn_step_forward
from course_rnn.shapes import expect_like, expect_positive_ints


def state_gradient_norms(x, h_init, W_ih, W_hh, b_ih=None, b_hh=None, *, upstream=None,
                         nonlinearity: str = "tanh", rng=None) -> np.ndarray:
    """||dL_t/dh_k|| for the loss L_t at the last step t = T-1 and every earlier state h_k.

    The loss is L_t = sum over the batch of <g_n, h_t[n]> with one unit vector g_n per sequence,
    so dL_t/dh_t has norm 1 for every sequence and the result reads as a gain.

    Parameters
    ----------
    x : (T, N, D) inputs.   h_init : (N, H) initial state h_{-1}.
    W_ih, W_hh, b_ih, b_hh, nonlinearity : as in :func:`~course_rnn.numpy.rnn_step_forward`.
    upstream : (N, H) the direction g of dL_t/dh_t (normalised per row here), or None for a
        random one drawn with ``rng``.
    rng : seed or ``np.random.Generator`` for the random upstream direction.

    Returns
    -------
    norms : (T + 1,) where ``norms[d]`` is the batch mean of ||dL_t/dh_{t-d}||, d = t - k;
        ``norms[0] == 1`` and ``norms[T]`` belongs to the initial state h_{-1}.
    """
    x = np.asarray(x)
    if x.ndim != 3 or x.shape[0] < 1:
        raise ValueError(f"x: expected shape (T, N, D) with T >= 1, got {x.shape}")
    h, caches = h_init, []
    for x_t in x:  # the forward pass, keeping every step's cache for the way back
        h, cache = rnn_step_forward(x_t, h, W_ih, W_hh, b_ih, b_hh, nonlinearity)
        caches.append(cache)
    if upstream is None:
        upstream = np.random.default_rng(rng).standard_normal(h.shape)
    upstream = np.asarray(upstream, dtype=h.dtype)
    expect_like("upstream", upstream, h.shape, "h_t")
    lengths = np.linalg.norm(upstream, axis=1, keepdims=True)
    if not (lengths > 0).all():
        raise ValueError("upstream: every row needs a non-zero direction")
    dh = upstream / lengths  # dL_t/dh_t, one unit vector per sequence
    norms = [1.0]
    for cache in reversed(caches):  # step k's backward turns dL_t/dh_k into dL_t/dh_{k-1}
        dh = rnn_step_backward(dh, cache)[1]
        norms.append(float(np.linalg.norm(dh, axis=1).mean()))
    return np.array(norms)


def scaled_rnn_weights(input_size: int, hidden_size: int, scale: float, rng=None):
    """Random RNN weights whose recurrent matrix has every singular value equal to ``scale``.

    W_hh = scale * Q with Q orthogonal, so ||W_hh||_2 = scale exactly and the bound
    ||dL_t/dh_k|| <= scale^{t-k} holds for tanh; W_ih ~ N(0, 1/D), biases zero.

    Returns
    -------
    W_ih (H, D), W_hh (H, H), b_ih (H,), b_hh (H,).
    """
    expect_positive_ints(input_size=input_size, hidden_size=hidden_size)
    if not scale >= 0.0:
        raise ValueError(f"scale: expected a number >= 0, got {scale!r}")
    rng = np.random.default_rng(rng)
    W_hh = scale * random_orthogonal(hidden_size, hidden_size, rng)
    W_ih = rng.standard_normal((hidden_size, input_size)) / np.sqrt(input_size)
    return W_ih, W_hh, np.zeros(hidden_size), np.zeros(hidden_size)


def gradient_norms_by_scale(scales, *, steps: int = 40, hidden_size: int = 32,
                            input_size: int = 8, batch_size: int = 16, seed: int = 0
                            ) -> dict[float, np.ndarray]:
    """:func:`state_gradient_norms` for random tanh RNNs, one per recurrent weight scale.

    Every scale uses the same inputs (standard normal), the same orthogonal direction for W_hh
    and the same upstream direction, so the curves differ only by the scale.

    Returns
    -------
    scale -> norms (steps + 1,), indexed by the distance t - k.
    """
    expect_positive_ints(steps=steps, hidden_size=hidden_size, input_size=input_size,
                         batch_size=batch_size)
    x = np.random.default_rng(seed).standard_normal((steps, batch_size, input_size))
    h_init = np.zeros((batch_size, hidden_size))
    result = {}
    for scale in scales:
        weights = scaled_rnn_weights(input_size, hidden_size, scale, rng=seed)
        result[scale] = state_gradient_norms(x, h_init, *weights, rng=seed + 1)
    return result
