"""Truncated BPTT: the state is carried exactly, the gradient is cut, and training works."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import course_rnn.numpy as cnp
from course_rnn.numpy.linear import Linear
from course_rnn.numpy.losses import mse_loss, softmax_cross_entropy
from course_rnn.numpy.optim import Adam
from course_rnn.numpy.tbptt import TruncatedBPTT, chunks

T, N, D, H, V, LENGTH = 10, 3, 4, 5, 4, 4
LAYERS = [cnp.RNN, cnp.LSTM, cnp.GRU]


def problem(cls, seed=0, batch_first=False):
    """A layer, a head and random data (T, N, D) -> class ids (T, N), time-major by default."""
    rng = np.random.default_rng(seed)
    layer = cls(D, H, batch_first=batch_first, rng=seed)
    head = Linear(H, V, rng=seed + 1)
    x, y = rng.standard_normal((T, N, D)), rng.integers(0, V, (T, N))
    return layer, head, x, y


@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("length", [1, 3, 10, 12])
def test_chunks_cover_the_sequence(axis, length):
    seq = np.arange(2 * 10).reshape((10, 2) if axis == 0 else (2, 10))
    parts = list(chunks(seq, length, axis))
    assert [p.shape[axis] for p in parts[:-1]] == [length] * (len(parts) - 1)
    assert 1 <= parts[-1].shape[axis] <= length
    np.testing.assert_array_equal(np.concatenate(parts, axis=axis), seq)


@pytest.mark.parametrize("cls", LAYERS, ids=lambda c: c.__name__)
def test_carried_state_reproduces_the_full_forward(cls):
    layer, head, x, y = problem(cls)
    full, _ = layer(x)
    losses, _ = TruncatedBPTT(layer, head, length=LENGTH).run(x, y)  # no optimizer: no update
    expected = [softmax_cross_entropy(head(out), target)[0]
                for out, target in zip(chunks(full, LENGTH), chunks(y, LENGTH), strict=True)]
    np.testing.assert_allclose(losses, expected, rtol=1e-12)


def test_batch_first_gives_the_same_losses():
    layer, head, x, y = problem(cnp.LSTM)
    layer_bf, head_bf, _, _ = problem(cnp.LSTM, batch_first=True)
    time_major, _ = TruncatedBPTT(layer, head, length=LENGTH).run(x, y)
    batch_first, _ = TruncatedBPTT(layer_bf, head_bf, length=LENGTH).run(
        x.transpose(1, 0, 2), y.T)
    np.testing.assert_allclose(batch_first, time_major, rtol=1e-12)


def torch_copies(layer, head):
    module = getattr(torch.nn, type(layer).__name__)(D, H, dtype=torch.float64)
    module.load_state_dict({k: torch.from_numpy(v) for k, v in layer.state_dict().items()})
    linear = torch.nn.Linear(H, V, dtype=torch.float64)
    linear.load_state_dict({k: torch.from_numpy(v) for k, v in head.state_dict().items()})
    return module, linear


def torch_chunk_losses(module, linear, x, y, truncate: bool):
    """Sum of the per-chunk mean losses, through torch autograd, with or without the cut."""
    state, total = None, 0.0
    for xc, yc in zip(chunks(x, LENGTH), chunks(y, LENGTH), strict=True):
        if truncate and state is not None:
            state = tuple(s.detach() for s in state) if isinstance(state, tuple) else (
                state.detach())
        out, state = module(torch.from_numpy(np.ascontiguousarray(xc)), state)
        logits = linear(out)
        total = total + F.cross_entropy(logits.reshape(-1, V), torch.from_numpy(yc).reshape(-1))
    total.backward()
    return {**{k: p.grad.numpy() for k, p in module.named_parameters()},
            **{"head." + k: p.grad.numpy() for k, p in linear.named_parameters()}}


@pytest.mark.parametrize("cls", LAYERS, ids=lambda c: c.__name__)
def test_gradient_is_cut_at_chunk_boundaries(cls):
    """Summed chunk gradients equal torch with h.detach(), and differ from full BPTT."""
    layer, head, x, y = problem(cls)
    trainer = TruncatedBPTT(layer, head, length=LENGTH)  # no optimizer: weights stay fixed
    summed, state = {}, None
    for xc, yc in zip(chunks(x, LENGTH), chunks(y, LENGTH), strict=True):
        _, state = trainer.chunk_step(xc, yc, state)
        grads = {**layer.grads, **{"head." + k: g for k, g in head.grads.items()}}
        summed = {k: summed.get(k, 0.0) + g for k, g in grads.items()}

    truncated = torch_chunk_losses(*torch_copies(layer, head), x, y, truncate=True)
    full = torch_chunk_losses(*torch_copies(layer, head), x, y, truncate=False)
    assert summed.keys() == truncated.keys()
    for name, grad in truncated.items():
        np.testing.assert_allclose(summed[name], grad, rtol=1e-10, atol=1e-12)
    # the recurrent weights lose the cross-chunk terms; the head's gradient does not depend
    # on them (it only sees the outputs, which the carried state keeps exact)
    w_hh = "weight_hh_l0"
    assert np.abs(full[w_hh] - truncated[w_hh]).max() > 1e-4 * np.abs(full[w_hh]).max()
    np.testing.assert_allclose(full["head.weight"], truncated["head.weight"], rtol=1e-10)


def test_max_norm_clips_before_the_step():
    layer, head, x, y = problem(cnp.GRU)
    TruncatedBPTT(layer, head, length=LENGTH, max_norm=1e-3).chunk_step(x[:LENGTH], y[:LENGTH])
    total = np.sqrt(sum((g**2).sum() for m in (layer, head) for g in m.grads.values()))
    assert total <= 1e-3


@pytest.mark.parametrize("cls", LAYERS, ids=lambda c: c.__name__)
def test_loss_falls_on_a_one_step_memory_task(cls):
    """Predict the previous symbol: needs the carried state at every chunk start."""
    rng = np.random.default_rng(0)
    layer, head = cls(3, 8, rng=1), Linear(8, 3, rng=2)
    ids = rng.integers(0, 3, (40, 4))
    x, y = np.eye(3)[ids], np.roll(ids, 1, axis=0)  # (T, N, 3) one-hot, (T, N)
    trainer = TruncatedBPTT(layer, head, length=5, optimizer=Adam([layer, head], lr=0.02),
                            max_norm=5.0)
    first = np.mean(trainer.run(x, y)[0])
    for _ in range(15):
        last = np.mean(trainer.run(x, y)[0])
    assert last < 0.5 * first


def test_regression_loss_and_state_continuation():
    """Any (prediction, target) -> (loss, grad) function works; run returns the next state."""
    rng = np.random.default_rng(1)
    layer, head = cnp.LSTM(2, 3, rng=0), Linear(3, 1, rng=1)
    x, y = rng.standard_normal((8, 2, 2)), rng.standard_normal((8, 2, 1))
    trainer = TruncatedBPTT(layer, head, length=3, loss=mse_loss)
    losses, (h_n, c_n) = trainer.run(x, y)
    assert len(losses) == 3 and h_n.shape == c_n.shape == (1, 2, 3)
    _, (h_full, c_full) = layer(x)
    np.testing.assert_allclose(h_n, h_full, rtol=1e-12)
    np.testing.assert_allclose(c_n, c_full, rtol=1e-12)


def test_errors():
    layer, head, x, y = problem(cnp.RNN)
    with pytest.raises(ValueError, match=r"y: expected 10 steps on axis 0.*got shape \(9, 3\)"):
        TruncatedBPTT(layer, head, length=3).run(x, y[:9])
    with pytest.raises(ValueError, match="length: expected a positive integer, got 0"):
        TruncatedBPTT(layer, head, length=0)
