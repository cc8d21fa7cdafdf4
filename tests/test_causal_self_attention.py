"""Causal self-attention, both backends: gradients, parity with torch, causality, bad input.

The NumPy backward against central differences; the torch module against NumPy on the same
weights (outputs, weights, autograd's gradients against the hand-written ones) and against
torch.nn.functional.scaled_dot_product_attention(is_causal=True); causality written once for
both backends: output t does not move when any input after t does. Shapes: T positions,
N batch, D input, A query/key, M value features.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import course_rnn.numpy as cnp
import course_rnn.torch as ct
from course_rnn.gradcheck import gradient_errors, random_upstream
from tests.backends import as_numpy, to_backend

BACKENDS = ["numpy", "torch"]
T, N, D, A, M = 6, 3, 4, 5, 2

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


def random_problem(seed, t=T, n=N):
    """x (t, n, D), the weights by name, and an upstream gradient dy (t, n, M)."""
    rng = np.random.default_rng(seed)
    weights = {"W_q": rng.standard_normal((A, D)), "W_k": rng.standard_normal((A, D)),
               "W_v": rng.standard_normal((M, D))}
    return rng.standard_normal((t, n, D)), weights, rng.standard_normal((t, n, M))


def module(weights, device="cpu"):
    attention = ct.CausalSelfAttention(D, A, M, dtype=torch.float64, device=device)
    attention.load_state_dict({name: torch.from_numpy(w) for name, w in weights.items()})
    return attention


def forward(backend, x, weights):
    """y and weights as NumPy arrays."""
    if backend == "numpy":
        return cnp.causal_self_attention_forward(x, **weights)[:2]
    return tuple(as_numpy(a) for a in module(weights)(to_backend(backend, x)))


def test_numpy_backward_matches_finite_differences():
    x, weights, _ = random_problem(seed=1)

    def output():
        return cnp.causal_self_attention_forward(x, **weights)[0]

    y, _, cache = cnp.causal_self_attention_forward(x, **weights)
    upstream = random_upstream(y, np.random.default_rng(2))
    dx, *dweights = cnp.causal_self_attention_backward(upstream[0], cache)
    errors = gradient_errors(output, {"x": x, **weights},
                             {"x": dx, **dict(zip(weights, dweights))}, upstream)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=cuda)])
def test_torch_equals_numpy_with_autograd_gradients(device):
    x, weights, dy = random_problem(seed=3)
    y, alpha, cache = cnp.causal_self_attention_forward(x, **weights)
    dx, *dweights = cnp.causal_self_attention_backward(dy, cache)
    attention = module(weights, device)
    x_t = torch.tensor(x, device=device, requires_grad=True)
    y_t, alpha_t = attention(x_t)
    (y_t * torch.from_numpy(dy).to(device)).sum().backward()
    for name, actual, expected in [("y", y_t, y), ("weights", alpha_t, alpha), ("dx", x_t.grad, dx),
                                   *((name, p.grad, g) for (name, p), g
                                     in zip(attention.named_parameters(), dweights))]:
        np.testing.assert_allclose(as_numpy(actual), expected, rtol=1e-10, atol=1e-12,
                                   err_msg=name)


@pytest.mark.parametrize("backend", BACKENDS)
def test_equals_torch_scaled_dot_product_attention(backend):
    x, weights, _ = random_problem(seed=4)
    y, _ = forward(backend, x, weights)
    q, k, v = (torch.from_numpy(x @ weights[name].T).transpose(0, 1)   # (N, T, *) batch-first
               for name in ("W_q", "W_k", "W_v"))
    expected = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(0, 1)
    np.testing.assert_allclose(y, expected.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_output_t_does_not_depend_on_later_inputs(backend):
    x, weights, _ = random_problem(seed=5)
    y, alpha = forward(backend, x, weights)
    for t in range(T - 1):
        changed = x.copy()
        changed[t + 1:] = np.random.default_rng(t).standard_normal(changed[t + 1:].shape)
        y_changed, _ = forward(backend, changed, weights)
        np.testing.assert_array_equal(y_changed[:t + 1], y[:t + 1])
        assert np.all(y_changed[t + 1:] != y[t + 1:])
    future = np.triu(np.ones((T, T), dtype=bool), 1)
    assert np.all(alpha[future] == 0) and np.all(alpha[~future] > 0)
    np.testing.assert_allclose(alpha.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(y[0], x[0] @ weights["W_v"].T, rtol=1e-14)   # y_0 = v_0


@pytest.mark.parametrize("backend", BACKENDS)
def test_large_scores_do_not_overflow(backend):
    x, weights, _ = random_problem(seed=6)
    y, alpha = forward(backend, 1e3 * x, weights)
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(alpha))


def test_float32_stays_float32():
    x, weights, dy = (a.astype(np.float32) if isinstance(a, np.ndarray) else
                      {k: w.astype(np.float32) for k, w in a.items()} for a in random_problem(7))
    y, alpha, cache = cnp.causal_self_attention_forward(x, **weights)
    grads = cnp.causal_self_attention_backward(dy, cache)
    assert {a.dtype for a in (y, alpha, *grads)} == {np.dtype(np.float32)}


X, WEIGHTS, _ = random_problem(seed=8)
NAN_X = X.copy()
NAN_X[2, 1, 0] = np.nan
BAD_INPUTS = [
    ("batch-first-2d", X[:, 0], ValueError, r"x: expected shape \(T, N, D=4\), got \(6, 4\)"),
    ("wrong-features", X[..., :3], ValueError, r"x: expected shape \(T, N, D=4\), got"),
    ("no-positions", X[:0], ValueError, "x: expected at least one position"),
    ("nan", NAN_X, ValueError, r"x: expected finite values, found nan at index \(2, 1, 0\)"),
    ("int", X.astype(int), TypeError, "x: expected a floating-point array"),
]


@pytest.mark.parametrize("x, error, message", [case[1:] for case in BAD_INPUTS],
                         ids=[case[0] for case in BAD_INPUTS])
@pytest.mark.parametrize("backend", BACKENDS)
def test_bad_input_is_refused_with_a_clear_message(backend, x, error, message):
    with pytest.raises(error, match=message):
        forward(backend, x, WEIGHTS)


def test_numpy_weights_of_mismatched_sizes_are_refused():
    x, weights, _ = random_problem(seed=9)
    with pytest.raises(ValueError, match=r"W_k: expected shape \(A=5, D=4\).*queries' size"):
        cnp.causal_self_attention_forward(x, weights["W_q"], weights["W_k"][:3], weights["W_v"])
    with pytest.raises(ValueError, match=r"W_v: expected shape \(M, D=4\)"):
        cnp.causal_self_attention_forward(x, weights["W_q"], weights["W_k"], weights["W_v"].T)
    with pytest.raises(TypeError, match="W_q: expected dtype float32 like x"):
        cnp.causal_self_attention_forward(x.astype(np.float32), **weights)
    _, cache = cnp.causal_self_attention_forward(x, **weights)[1:]
    with pytest.raises(ValueError, match=r"dy: expected the shape of y, \(6, 3, 2\)"):
        cnp.causal_self_attention_backward(np.ones((T, N, M + 1)), cache)
