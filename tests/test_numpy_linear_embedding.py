"""NumPy Linear and Embedding: parity with torch.nn, gradient checks, initialisation, errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_rnn.gradcheck import gradient_errors, random_upstream
from course_rnn.numpy.embedding import Embedding
from course_rnn.numpy.linear import Linear


def torch_grads(module) -> dict[str, np.ndarray]:
    return {name: p.grad.numpy() for name, p in module.named_parameters() if p.grad is not None}


# ------------------------------------------------------------------------------------ Linear
@pytest.mark.parametrize("lead", [(), (4,), (3, 4), (1, 1)], ids=str)
@pytest.mark.parametrize("bias", [True, False])
def test_linear_matches_torch(lead, bias):
    """Any leading axes, e.g. a whole (T, N, H) sequence through one head."""
    rng = np.random.default_rng(0)
    reference = torch.nn.Linear(5, 3, bias=bias, dtype=torch.float64)
    layer = Linear(5, 3, bias=bias)
    layer.load_state_dict(reference.state_dict())
    x = rng.standard_normal((*lead, 5))
    dout = rng.standard_normal((*lead, 3))
    xt = torch.tensor(x, requires_grad=True)
    yt = reference(xt)
    (yt * torch.from_numpy(dout)).sum().backward()

    y = layer(x)
    dx = layer.backward(dout)
    np.testing.assert_allclose(y, yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-10, atol=1e-12)
    expected = torch_grads(reference)
    assert layer.grads.keys() == expected.keys()
    for name, grad in expected.items():
        np.testing.assert_allclose(layer.grads[name], grad, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("bias", [True, False])
def test_linear_gradcheck(bias):
    rng = np.random.default_rng(1)
    layer = Linear(4, 3, bias=bias, rng=2)
    x = rng.standard_normal((3, 2, 4))  # (T, N, D)
    upstream = random_upstream(layer(x), rng)
    dx = layer.backward(upstream[0])
    errors = gradient_errors(lambda: layer(x), {"x": x, **layer.params},
                             {"x": dx, **layer.grads}, upstream)
    assert max(errors.values()) < 1e-7, errors


def test_linear_init_like_torch():
    layer = Linear(16, 300, rng=0)
    reference = torch.nn.Linear(16, 300)
    assert {k: v.shape for k, v in layer.state_dict().items()} == {
        k: tuple(v.shape) for k, v in reference.state_dict().items()}
    bound = 1 / 4
    for value in layer.params.values():
        assert np.abs(value).max() <= bound
        assert np.abs(value).max() > 0.9 * bound  # uniform over the whole range, not narrower


def test_linear_float32():
    layer = Linear(4, 2, dtype=np.float32, rng=0)
    y = layer(np.ones((3, 4), np.float64))
    assert y.dtype == np.float32
    assert layer.backward(np.ones((3, 2), np.float32)).dtype == np.float32


@pytest.mark.parametrize("call, error, match", [
    (lambda m: m(np.ones((2, 3))), ValueError, r"expected shape .*D=4.*got \(2, 3\)"),
    (lambda m: m(np.ones((2, 4), dtype=int)), TypeError, "floating-point"),
    (lambda m: m(np.full((2, 4), np.nan)), ValueError, "finite"),
    (lambda m: m.backward(np.ones((2, 2))), RuntimeError, "forward first"),
])
def test_linear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call(Linear(4, 2, rng=0))


def test_linear_backward_checks_shape():
    layer = Linear(4, 2, rng=0)
    layer(np.ones((3, 5, 4)))
    with pytest.raises(ValueError, match=r"\(3, 5, 2\).*got \(5, 3, 2\)"):
        layer.backward(np.ones((5, 3, 2)))


# --------------------------------------------------------------------------------- Embedding
@pytest.mark.parametrize("padding_idx", [None, 0, 3, -1])
@pytest.mark.parametrize("shape", [(7,), (5, 3), (1, 1)], ids=str)
def test_embedding_matches_torch(padding_idx, shape):
    """Repeated ids accumulate; the padding row gets no gradient."""
    rng = np.random.default_rng(0)
    reference = torch.nn.Embedding(6, 4, padding_idx=padding_idx, dtype=torch.float64)
    layer = Embedding(6, 4, padding_idx=padding_idx)
    layer.load_state_dict(reference.state_dict())
    ids = rng.integers(0, 6, shape)
    ids.flat[0] = 3  # a padding id in every case where padding_idx = 3
    dout = rng.standard_normal((*shape, 4))
    yt = reference(torch.from_numpy(ids))
    (yt * torch.from_numpy(dout)).sum().backward()

    np.testing.assert_allclose(layer(ids), yt.detach().numpy(), rtol=1e-12)
    assert layer.backward(dout) is None
    np.testing.assert_allclose(layer.grads["weight"], reference.weight.grad.numpy(), rtol=1e-10,
                               atol=1e-12)


def test_embedding_gradcheck():
    """Without padding: the padding row's zero gradient is a choice, not the derivative."""
    rng = np.random.default_rng(1)
    layer = Embedding(5, 3, rng=0)
    ids = np.array([[0, 1, 1], [4, 2, 0]])  # (T, N) with repeats; row 3 unused
    upstream = random_upstream(layer(ids), rng)
    layer.backward(upstream[0])
    errors = gradient_errors(lambda: layer(ids), layer.params, layer.grads, upstream)
    assert errors["weight"] < 1e-7, errors


def test_embedding_init():
    layer = Embedding(2000, 8, padding_idx=-2, rng=0)
    weight = layer.params["weight"]
    assert layer.padding_idx == 1998
    assert not weight[1998].any()
    assert abs(weight.std() - 1.0) < 0.05  # N(0, 1) as torch


@pytest.mark.parametrize("ids, error, match", [
    (np.array([0.0, 1.0]), TypeError, "integer ids, got dtype float64"),
    (np.array([[0, 5]]), IndexError, r"\[0, 4\], found 5 at index \(0, 1\)"),
    (np.array([-1]), IndexError, r"\[0, 4\], found -1"),
])
def test_embedding_errors(ids, error, match):
    with pytest.raises(error, match=match):
        Embedding(5, 3, rng=0)(ids)


def test_embedding_bad_padding_idx():
    with pytest.raises(ValueError, match=r"padding_idx: expected a value in \[-5, 4\], got 5"):
        Embedding(5, 3, padding_idx=5)
