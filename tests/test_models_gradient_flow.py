"""||dL_t/dh_k|| by distance, measured with the package's step backward."""

import numpy as np
import pytest

from course_rnn.models.gradient_flow import (
    gradient_norms_by_scale,
    scaled_rnn_weights,
    state_gradient_norms,
)


def explicit_chain(x, W_ih, W_hh, g):
    """dL_t/dh_k for one sequence as the product of Jacobians diag(1 - h_j^2) W, written out."""
    h, states = np.zeros(W_hh.shape[0]), []
    for x_t in x:
        h = np.tanh(W_ih @ x_t + W_hh @ h)
        states.append(h)
    grads, dh = [g], g
    for h_j in reversed(states):
        dh = W_hh.T @ (dh * (1 - h_j**2))  # (dh_j/dh_{j-1})^T dh
        grads.append(dh)
    return [np.linalg.norm(v) for v in grads]


def test_matches_the_explicit_jacobian_product():
    rng = np.random.default_rng(0)
    W_ih, W_hh, b_ih, b_hh = scaled_rnn_weights(3, 5, 1.3, rng=1)
    x = rng.standard_normal((7, 1, 3))
    g = rng.standard_normal((1, 5))
    norms = state_gradient_norms(x, np.zeros((1, 5)), W_ih, W_hh, b_ih, b_hh, upstream=g)
    expected = explicit_chain(x[:, 0], W_ih, W_hh, g[0] / np.linalg.norm(g))
    np.testing.assert_allclose(norms, expected, rtol=1e-12)
    assert norms.shape == (8,) and norms[0] == 1.0


def test_batch_mean_of_per_sequence_norms():
    rng = np.random.default_rng(2)
    W = scaled_rnn_weights(2, 4, 0.8, rng=3)
    x = rng.standard_normal((5, 3, 2))
    g = rng.standard_normal((3, 4))
    both = state_gradient_norms(x, np.zeros((3, 4)), *W, upstream=g)
    single = [state_gradient_norms(x[:, n:n + 1], np.zeros((1, 4)), *W, upstream=g[n:n + 1])
              for n in range(3)]
    np.testing.assert_allclose(both, np.mean(single, axis=0), rtol=1e-12)


def test_scaled_weights_have_the_requested_spectral_norm():
    W_ih, W_hh, b_ih, b_hh = scaled_rnn_weights(4, 6, 0.7, rng=0)
    np.testing.assert_allclose(np.linalg.svd(W_hh, compute_uv=False), 0.7, rtol=1e-12)
    assert W_ih.shape == (6, 4) and not b_ih.any() and not b_hh.any()


def test_small_scale_obeys_the_geometric_bound_and_large_scale_grows():
    curves = gradient_norms_by_scale([0.5, 1.0, 3.0], steps=30, hidden_size=16, batch_size=4)
    d = np.arange(31)
    assert (curves[0.5] <= 0.5**d * (1 + 1e-12)).all()
    assert curves[0.5][30] < 1e-8 < curves[1.0][30]
    assert (np.diff(curves[0.5]) < 0).all()  # shrinks at every step back
    assert curves[3.0][30] > 10


def test_seeded():
    a = gradient_norms_by_scale([1.0], steps=5, seed=4)[1.0]
    b = gradient_norms_by_scale([1.0], steps=5, seed=4)[1.0]
    np.testing.assert_array_equal(a, b)


def test_errors():
    W = scaled_rnn_weights(2, 3, 1.0, rng=0)
    with pytest.raises(ValueError, match=r"x: expected shape \(T, N, D\)"):
        state_gradient_norms(np.zeros((4, 2)), np.zeros((1, 3)), *W)
    with pytest.raises(ValueError, match="upstream: expected the shape"):
        state_gradient_norms(np.zeros((4, 1, 2)), np.zeros((1, 3)), *W, upstream=np.ones(3))
    with pytest.raises(ValueError, match="non-zero"):
        state_gradient_norms(np.zeros((4, 1, 2)), np.zeros((1, 3)), *W,
                             upstream=np.zeros((1, 3)))
    with pytest.raises(ValueError, match="scale"):
        scaled_rnn_weights(2, 3, -1.0)
