"""NumPy optimizers and gradient clipping: step-for-step parity with torch.optim and utils."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_rnn.numpy.clipping import clip_grad_norm, clip_grad_value
from course_rnn.numpy.linear import Linear
from course_rnn.numpy.optim import SGD, Adagrad, Adam

CONFIGS = [
    (SGD, torch.optim.SGD, {"lr": 0.1}),
    (SGD, torch.optim.SGD, {"lr": 0.1, "momentum": 0.9}),
    (SGD, torch.optim.SGD, {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1}),
    (SGD, torch.optim.SGD, {"lr": 0.05, "weight_decay": 0.01}),
    (Adagrad, torch.optim.Adagrad, {}),
    (Adagrad, torch.optim.Adagrad, {"lr": 0.5, "eps": 1e-6, "weight_decay": 0.1}),
    (Adam, torch.optim.Adam, {}),
    (Adam, torch.optim.Adam, {"lr": 0.01, "betas": (0.8, 0.99), "weight_decay": 0.1}),
]


def config_id(config):
    ours, _, options = config
    return ours.__name__ + "".join(f"-{k}={v}" for k, v in options.items())


def model_pair(seed=0):
    """Two NumPy Linears (a list of modules, like an RNN plus its head) and torch copies."""
    ours = [Linear(3, 4, rng=seed), Linear(4, 2, rng=seed + 1)]
    theirs = [torch.nn.Linear(3, 4, dtype=torch.float64), torch.nn.Linear(4, 2,
                                                                        dtype=torch.float64)]
    for a, b in zip(ours, theirs, strict=True):
        b.load_state_dict({k: torch.from_numpy(v) for k, v in a.state_dict().items()})
    return ours, theirs


def set_random_grads(ours, theirs, rng, skip=()):
    """The same random gradient on both sides; a name in ``skip`` gets none (torch: None)."""
    for a, b in zip(ours, theirs, strict=True):
        a.zero_grad()
        for name, p in b.named_parameters():
            if name in skip:
                p.grad = None
                continue
            g = rng.standard_normal(tuple(p.shape))
            a.grads[name] = g
            p.grad = torch.from_numpy(g.copy())


def assert_same_params(ours, theirs):
    for a, b in zip(ours, theirs, strict=True):
        for name, p in b.named_parameters():
            np.testing.assert_allclose(a.params[name], p.detach().numpy(), rtol=1e-10,
                                       atol=1e-12)


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_optimizer_matches_torch(config):
    ours_cls, torch_cls, options = config
    ours, theirs = model_pair()
    opt = ours_cls(ours, **options)
    opt_t = torch_cls([p for m in theirs for p in m.parameters()], **options)
    rng = np.random.default_rng(0)
    for step in range(5):
        # from step 3 on one bias has no gradient: it must stay put (state included)
        set_random_grads(ours, theirs, rng, skip=("bias",) if step >= 3 else ())
        opt.step()
        opt_t.step()
        assert_same_params(ours, theirs)


def test_single_module_and_zero_grad():
    layer = Linear(2, 2, rng=0)
    layer.grads = {name: np.ones_like(p) for name, p in layer.params.items()}
    before = layer.state_dict()
    opt = SGD(layer, lr=0.5)
    opt.step()
    for name, p in layer.params.items():
        np.testing.assert_allclose(p, before[name] - 0.5)
    opt.zero_grad()
    assert layer.grads == {}


def test_weight_decay_is_l2_penalty_and_leaves_grads_alone():
    """SGD with weight_decay = lambda equals SGD on the loss + (lambda / 2) ||W||^2."""
    lam, rng = 0.3, np.random.default_rng(1)
    decayed, penalised = Linear(3, 2, rng=0), Linear(3, 2, rng=0)
    grads = {name: rng.standard_normal(p.shape) for name, p in decayed.params.items()}
    decayed.grads = {k: v.copy() for k, v in grads.items()}
    # d/dW (lambda / 2) ||W||^2 = lambda W
    penalised.grads = {k: v + lam * penalised.params[k] for k, v in grads.items()}
    SGD(decayed, lr=0.1, weight_decay=lam).step()
    SGD(penalised, lr=0.1).step()
    for name in grads:
        np.testing.assert_allclose(decayed.params[name], penalised.params[name], rtol=1e-12)
        np.testing.assert_array_equal(decayed.grads[name], grads[name])


@pytest.mark.parametrize("make, error, match", [
    (lambda m: SGD(m, lr=-0.1), ValueError, "lr: expected a non-negative number, got -0.1"),
    (lambda m: SGD(m, lr=0.1, nesterov=True), ValueError, "nesterov: needs momentum > 0"),
    (lambda m: Adam(m, betas=(0.9, 1.0)), ValueError, r"betas: expected values in \[0, 1\)"),
    (lambda m: Adam([m, "head"]), TypeError, "Module or a list of them, got str"),
    (lambda m: Adagrad([]), ValueError, "at least one Module"),
])
def test_optimizer_errors(make, error, match):
    with pytest.raises(error, match=match):
        make(Linear(2, 2, rng=0))


def test_optimizer_rejects_misshapen_grad():
    layer = Linear(2, 3, rng=0)
    layer.grads = {"weight": np.zeros((2, 3))}
    with pytest.raises(ValueError, match=r"grads\['weight'\]: expected shape \(3, 2\)"):
        SGD(layer, lr=0.1).step()


# ---------------------------------------------------------------------------------- clipping
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
def test_clip_grad_norm_matches_torch(max_norm):
    ours, theirs = model_pair()
    set_random_grads(ours, theirs, np.random.default_rng(2))
    total = clip_grad_norm(ours, max_norm)
    total_t = torch.nn.utils.clip_grad_norm_([p for m in theirs for p in m.parameters()],
                                             max_norm)
    np.testing.assert_allclose(total, total_t.item(), rtol=1e-12)
    for a, b in zip(ours, theirs, strict=True):
        for name, p in b.named_parameters():
            np.testing.assert_allclose(a.grads[name], p.grad.numpy(), rtol=1e-12)
    clipped = np.sqrt(sum((g**2).sum() for m in ours for g in m.grads.values()))
    assert clipped <= max_norm


def test_clip_grad_value_matches_torch():
    ours, theirs = model_pair()
    set_random_grads(ours, theirs, np.random.default_rng(3))
    clip_grad_value(ours, 0.7)
    torch.nn.utils.clip_grad_value_([p for m in theirs for p in m.parameters()], 0.7)
    for a, b in zip(ours, theirs, strict=True):
        for name, p in b.named_parameters():
            np.testing.assert_array_equal(a.grads[name], p.grad.numpy())


def test_clip_zero_gradient_and_single_module():
    layer = Linear(2, 2, rng=0)
    layer.grads = {name: np.zeros_like(p) for name, p in layer.params.items()}
    assert clip_grad_norm(layer, 1.0) == 0.0
    assert not any(g.any() for g in layer.grads.values())


def test_clip_errors():
    with pytest.raises(ValueError, match="max_norm: expected a non-negative number"):
        clip_grad_norm(Linear(2, 2, rng=0), -1.0)
