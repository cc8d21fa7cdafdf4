"""NumPy losses: parity with torch.nn.functional, gradient checks, masks, errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from course_rnn.gradcheck import gradient_errors, random_upstream
from course_rnn.numpy.losses import mse_loss, softmax_cross_entropy

T, N, V = 4, 3, 5


def sequence_targets(rng, ignored: str, ignore_index: int) -> np.ndarray:
    """(T, N) class ids with none, some, or all but one position set to ``ignore_index``."""
    targets = rng.integers(0, V, (T, N))
    drop = {"none": np.zeros((T, N), bool), "some": rng.random((T, N)) < 0.4,
            "all_but_one": np.ones((T, N), bool)}[ignored]
    drop.flat[-1] = drop.flat[-1] and ignored != "all_but_one"
    return np.where(drop, ignore_index, targets)


def torch_cross_entropy(logits, targets, **kwargs):
    """torch's loss and dloss/dlogits for time-major (T, N, V) logits (torch wants (N, V, T))."""
    z = torch.tensor(logits, requires_grad=True)
    loss = F.cross_entropy(z.permute(1, 2, 0), torch.from_numpy(targets).T, **kwargs)
    upstream = torch.ones_like(loss)  # for 'none': the gradient of each position's own loss
    loss.backward(upstream)
    return loss.detach().numpy().T if loss.ndim else loss.item(), z.grad.numpy()


@pytest.mark.parametrize("ignored", ["none", "some", "all_but_one"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("ignore_index", [-100, 2])
def test_cross_entropy_matches_torch(ignored, reduction, ignore_index):
    rng = np.random.default_rng(0)
    logits = 3 * rng.standard_normal((T, N, V))
    targets = sequence_targets(rng, ignored, ignore_index)
    loss, dlogits = softmax_cross_entropy(logits, targets, ignore_index=ignore_index,
                                          reduction=reduction)
    loss_t, dlogits_t = torch_cross_entropy(logits, targets, ignore_index=ignore_index,
                                            reduction=reduction)
    np.testing.assert_allclose(loss, loss_t, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dlogits, dlogits_t, rtol=1e-10, atol=1e-12)


def test_cross_entropy_all_ignored_is_nan_like_torch():
    logits = np.zeros((2, 3, V))
    targets = np.full((2, 3), -100)
    loss, dlogits = softmax_cross_entropy(logits, targets)
    loss_t, dlogits_t = torch_cross_entropy(logits, targets)
    assert np.isnan(loss) and np.isnan(loss_t)
    assert not dlogits.any() and not dlogits_t.any()


def test_cross_entropy_float_mask():
    """mean = sum(mask * l) / sum(mask), checked against autograd through torch's 'none'."""
    rng = np.random.default_rng(1)
    logits = rng.standard_normal((T, N, V))
    targets = sequence_targets(rng, "some", -100)
    mask = rng.random((T, N))
    loss, dlogits = softmax_cross_entropy(logits, targets, mask=mask)

    z = torch.tensor(logits, requires_grad=True)
    per_position = F.cross_entropy(z.permute(1, 2, 0), torch.from_numpy(targets).T,
                                   reduction="none").T
    m = torch.from_numpy(mask * (targets != -100))
    loss_t = (per_position * m).sum() / m.sum()
    loss_t.backward()
    np.testing.assert_allclose(loss, loss_t.item(), rtol=1e-10)
    np.testing.assert_allclose(dlogits, z.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_cross_entropy_bool_mask_equals_ignore_index():
    rng = np.random.default_rng(2)
    logits = rng.standard_normal((T, N, V))
    targets = rng.integers(0, V, (T, N))
    keep = rng.random((T, N)) < 0.6
    masked = softmax_cross_entropy(logits, targets, mask=keep)
    ignored = softmax_cross_entropy(logits, np.where(keep, targets, -100))
    np.testing.assert_allclose(masked[0], ignored[0], rtol=1e-12)
    np.testing.assert_allclose(masked[1], ignored[1], rtol=1e-12)


def test_cross_entropy_is_stable_for_huge_logits():
    logits = np.array([[1e4, 0.0, -1e4], [-1e4, 1e4, 1e4]])
    loss, dlogits = softmax_cross_entropy(logits, np.array([0, 1]), reduction="none")
    np.testing.assert_allclose(loss, [0.0, np.log(2)], atol=1e-12)
    assert np.isfinite(dlogits).all()


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_gradcheck(reduction):
    rng = np.random.default_rng(3)
    logits = rng.standard_normal((3, 2, 4))
    targets = np.array([[0, 3], [-100, 1], [2, 2]])
    mask = rng.random((3, 2))

    def forward():
        return softmax_cross_entropy(logits, targets, mask=mask, reduction=reduction)[0]

    upstream = random_upstream(forward(), rng)
    dlogits = softmax_cross_entropy(logits, targets, mask=mask, reduction=reduction)[1]
    # the loss's gradient times the upstream: per position for 'none', one scalar otherwise
    analytic = dlogits * np.expand_dims(upstream[0], -1)
    errors = gradient_errors(forward, {"logits": logits}, {"logits": analytic}, upstream)
    assert errors["logits"] < 1e-7, errors


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shape", [(), (7,), (T, N, 2)], ids=str)
def test_mse_matches_torch_and_gradcheck(reduction, shape):
    rng = np.random.default_rng(4)
    pred, target = rng.standard_normal(shape), rng.standard_normal(shape)
    loss, dpred = mse_loss(pred, target, reduction=reduction)
    p = torch.tensor(pred, requires_grad=True)
    loss_t = F.mse_loss(p, torch.from_numpy(target), reduction=reduction)
    loss_t.backward(torch.ones_like(loss_t))
    np.testing.assert_allclose(loss, loss_t.detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(dpred, p.grad.numpy(), rtol=1e-10)

    def forward():
        return mse_loss(pred, target, reduction=reduction)[0]

    upstream = random_upstream(forward(), rng)
    errors = gradient_errors(forward, {"pred": pred}, {"pred": dpred * upstream[0]}, upstream)
    assert errors["pred"] < 1e-7, errors


LOGITS = np.zeros((T, N, V))
TARGETS = np.zeros((T, N), dtype=int)


@pytest.mark.parametrize("call, error, match", [
    (lambda: softmax_cross_entropy(LOGITS, TARGETS.T), ValueError,
     r"targets: expected shape \(4, 3\).*got \(3, 4\)"),
    (lambda: softmax_cross_entropy(LOGITS, TARGETS.astype(float)), TypeError,
     "integer class indices, got dtype float64"),
    (lambda: softmax_cross_entropy(np.full((T, N, V), np.nan), TARGETS), ValueError,
     "logits: expected finite values, found nan"),
    (lambda: softmax_cross_entropy(LOGITS, TARGETS + V), IndexError, r"\[0, 4\], found 5"),
    (lambda: softmax_cross_entropy(LOGITS, TARGETS, reduction="avg"), ValueError,
     "reduction: expected 'mean' or 'sum' or 'none', got 'avg'"),
    (lambda: softmax_cross_entropy(LOGITS, TARGETS, mask=np.ones(N)), ValueError,
     r"mask: expected shape \(4, 3\)"),
    (lambda: softmax_cross_entropy(LOGITS, TARGETS, mask=-np.ones((T, N))), ValueError,
     "non-negative"),
    (lambda: softmax_cross_entropy(TARGETS, TARGETS), TypeError, "logits: expected a floating"),
    (lambda: mse_loss(np.zeros((T, N, 1)), np.zeros((T, N))), ValueError,
     r"target: expected shape \(4, 3, 1\) \(the shape of pred\), got \(4, 3\)"),
    (lambda: mse_loss(np.zeros(3), np.array([0.0, np.inf, 0.0])), ValueError, "target.*finite"),
])
def test_loss_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
