"""The clockwork RNN, both backends: the schedule and the block-triangular reads, gradients, parity.

NumPy step and sequence backward passes against central differences; the torch layer against
the NumPy layer on the same weights (outputs, h_n and autograd's gradients against the
hand-written ones); what the architecture promises, written once for both backends: an idle
module keeps its state exactly, and a slow module never reads a faster one; bad input.
Shapes: N batch, T time, D input features, H hidden units.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import course_rnn.numpy as cnp
import course_rnn.torch as ct
from course_rnn.gradcheck import gradient_errors, random_upstream
from course_rnn.numpy.clockwork import active_units, block_triangular_mask
from tests.backends import as_numpy, to_backend

BACKENDS = ["numpy", "torch"]
PERIODS = (1, 2, 4)
T, N, D, H = 9, 3, 2, 6

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


def random_step(seed, n=N):
    """x, h_prev, W_ih, W_hh, b for one step."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, D)), rng.standard_normal((n, H)),
            rng.standard_normal((H, D)), rng.standard_normal((H, H)), rng.standard_normal(H))


def layer(backend, seed=0, device="cpu"):
    """A float64 ClockworkRNN of ``backend`` holding the same weights for the same seed."""
    numpy_layer = cnp.ClockworkRNN(D, H, PERIODS, rng=seed)
    if backend == "numpy":
        return numpy_layer
    module = ct.ClockworkRNN(D, H, PERIODS, dtype=torch.float64, device=device)
    module.load_state_dict({k: torch.from_numpy(v) for k, v in numpy_layer.state_dict().items()})
    return module


def run(backend, module, x, hx, doutput, dhx):
    """Outputs and gradients of L = sum(output * doutput) + sum(h_n * dhx), as NumPy arrays."""
    if backend == "numpy":
        output, h_n = module(x, hx)
        dx, dhx0 = module.backward(doutput, dhx)
        return output, h_n, dx, dhx0, module.grads
    device = module.weight_ih.device
    x_t, hx_t = (torch.tensor(a, device=device, requires_grad=True) for a in (x, hx))
    output, h_n = module(x_t, hx_t)
    loss = (output * torch.from_numpy(doutput).to(device)).sum()
    (loss + (h_n * torch.from_numpy(dhx).to(device)).sum()).backward()
    return (as_numpy(output), as_numpy(h_n), as_numpy(x_t.grad), as_numpy(hx_t.grad),
            {name: as_numpy(p.grad) for name, p in module.named_parameters()})


def random_sequence(seed):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((T, N, D)), rng.standard_normal((1, N, H)),
            rng.standard_normal((T, N, H)), rng.standard_normal((1, N, H)))


def forward_of(backend, module, x, hx):
    output, h_n = module(to_backend(backend, x), to_backend(backend, hx))
    return as_numpy(output), as_numpy(h_n)


# --------------------------------------------------------------------------- the schedule


def test_masks_follow_the_papers_rules():
    # periods (1, 2, 4) with two units each: at t = 6 the modules of period 1 and 2 update
    np.testing.assert_array_equal(active_units(6, PERIODS, H), [1, 1, 1, 1, 0, 0])
    np.testing.assert_array_equal(active_units(0, PERIODS, H), [1] * H)
    pattern = block_triangular_mask(PERIODS, H)
    blocks = pattern[::2, ::2]   # one entry per pair of modules
    np.testing.assert_array_equal(blocks, np.triu(np.ones((3, 3))))  # fast rows read slow ones


@pytest.mark.parametrize("backend", BACKENDS)
def test_idle_modules_keep_their_state_exactly(backend):
    x, hx, *_ = random_sequence(seed=1)
    output, _ = forward_of(backend, layer(backend, seed=1), x, hx)
    states = np.concatenate([hx, output])          # h_{-1}, h_0, ..., h_{T-1}
    for t in range(T):
        idle = ~active_units(t, PERIODS, H)
        assert np.array_equal(states[t + 1][:, idle], states[t][:, idle]), t
        assert not np.any(states[t + 1][:, ~idle] == states[t][:, ~idle]), t


@pytest.mark.parametrize("backend", BACKENDS)
def test_slow_modules_do_not_read_fast_ones(backend):
    """Perturb the fastest module's state: the slower modules' next states are unchanged."""
    x, hx, *_ = random_sequence(seed=2)
    module = layer(backend, seed=2)
    perturbed = hx.copy()
    perturbed[..., :2] += 1.0                        # the period-1 module's two units
    (h, _), (h_perturbed, _) = (forward_of(backend, module, x[:1], state)
                                for state in (hx, perturbed))
    np.testing.assert_array_equal(h_perturbed[0, :, 2:], h[0, :, 2:])   # every module active
    assert np.all(h_perturbed[0, :, :2] != h[0, :, :2])


def test_weight_hh_outside_the_pattern_is_never_read():
    x, h_prev, W_ih, W_hh, b = random_step(seed=3)
    changed = W_hh + 5.0 * ~block_triangular_mask(PERIODS, H)
    for t in (0, 1, 4):
        np.testing.assert_array_equal(
            cnp.clockwork_step_forward(x, h_prev, t, W_ih, changed, b, PERIODS)[0],
            cnp.clockwork_step_forward(x, h_prev, t, W_ih, W_hh, b, PERIODS)[0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_initial_weight_hh_is_zero_outside_the_pattern(backend):
    module = ct.ClockworkRNN(D, H, PERIODS) if backend == "torch" else cnp.ClockworkRNN(
        D, H, PERIODS, rng=0)
    weights = as_numpy(dict(module.named_parameters())["weight_hh"])
    outside = ~block_triangular_mask(PERIODS, H)
    assert np.all(weights[outside] == 0) and np.all(weights[~outside] != 0)


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("t", [0, 1, 2, 4])
def test_step_backward_matches_finite_differences(t):
    x, h_prev, W_ih, W_hh, b = random_step(seed=10 + t)

    def forward():
        return cnp.clockwork_step_forward(x, h_prev, t, W_ih, W_hh, b, PERIODS)[0]

    h_next, cache = cnp.clockwork_step_forward(x, h_prev, t, W_ih, W_hh, b, PERIODS)
    upstream = random_upstream(h_next, np.random.default_rng(t))
    dx, dh_prev, dW_ih, dW_hh, db = cnp.clockwork_step_backward(upstream[0], cache)
    assert np.all(dW_hh[~block_triangular_mask(PERIODS, H)] == 0)
    errors = gradient_errors(forward, dict(x=x, h_prev=h_prev, W_ih=W_ih, W_hh=W_hh, b=b),
                             dict(x=dx, h_prev=dh_prev, W_ih=dW_ih, W_hh=dW_hh, b=db), upstream)
    assert max(errors.values()) < 1e-7, errors


def test_sequence_backward_matches_finite_differences():
    rng = np.random.default_rng(20)
    x, h0 = rng.standard_normal((T, N, D)), rng.standard_normal((N, H))
    _, _, W_ih, W_hh, b = random_step(seed=20)

    def forward():
        return cnp.clockwork_forward(x, h0, W_ih, W_hh, b, PERIODS)[0]

    h, cache = cnp.clockwork_forward(x, h0, W_ih, W_hh, b, PERIODS)
    upstream = random_upstream(h, rng)
    dx, dh0, dW_ih, dW_hh, db = cnp.clockwork_backward(upstream[0], cache)
    errors = gradient_errors(forward, dict(x=x, h0=h0, W_ih=W_ih, W_hh=W_hh, b=b),
                             dict(x=dx, h0=dh0, W_ih=dW_ih, W_hh=dW_hh, b=db), upstream)
    assert max(errors.values()) < 1e-7, errors


def test_torch_equals_numpy_with_autograd_gradients():
    x, hx, doutput, dhx = random_sequence(seed=30)
    expected = run("numpy", layer("numpy", seed=30), x, hx, doutput, dhx)
    actual = run("torch", layer("torch", seed=30), x, hx, doutput, dhx)
    for name, a, e in zip(("output", "h_n", "dx", "dhx"), actual[:4], expected[:4]):
        np.testing.assert_allclose(a, e, rtol=1e-10, atol=1e-12, err_msg=name)
    assert actual[4].keys() == expected[4].keys()
    for name, grad in expected[4].items():
        np.testing.assert_allclose(actual[4][name], grad, rtol=1e-10, atol=1e-12, err_msg=name)


@cuda
def test_torch_on_cuda_equals_numpy():
    x, hx, doutput, dhx = random_sequence(seed=31)
    expected = run("numpy", layer("numpy", seed=31), x, hx, doutput, dhx)
    actual = run("torch", layer("torch", seed=31, device="cuda"), x, hx, doutput, dhx)
    for a, e in zip(actual[:4], expected[:4]):
        np.testing.assert_allclose(a, e, rtol=1e-10, atol=1e-12)


def test_numpy_layer_runs_in_float32():
    module = cnp.ClockworkRNN(D, H, PERIODS, dtype=np.float32, rng=0)
    output, h_n = module(np.ones((T, N, D), np.float32))
    dx, _ = module.backward(np.ones_like(output))
    assert output.dtype == h_n.dtype == dx.dtype == module.grads["weight_hh"].dtype == np.float32


# --------------------------------------------------------------------------- bad input


def step_call(**changes):
    x, h_prev, W_ih, W_hh, b = random_step(seed=40)
    arguments = dict(x=x, h_prev=h_prev, t=3, W_ih=W_ih, W_hh=W_hh, b=b, periods=PERIODS)
    return cnp.clockwork_step_forward(**{**arguments, **changes})


NAN_X = np.array([[0.0, np.nan]] * N)
BAD_STEPS = [
    ("periods-not-dividing-H", dict(periods=(1, 2, 4, 8)), ValueError,
     "periods: 4 modules must split the H=6 hidden units"),
    ("periods-decreasing", dict(periods=(4, 2, 1)), ValueError,
     r"periods: expected strictly increasing periods \(fast modules first\), got \(4, 2, 1\)"),
    ("periods-repeated", dict(periods=(1, 1, 2)), ValueError, "strictly increasing"),
    ("period-zero", dict(periods=(0, 1, 2)), ValueError, "periods: expected positive ints"),
    ("period-float", dict(periods=(1, 2.0, 4)), ValueError, "periods: expected positive ints"),
    ("periods-int", dict(periods=4), TypeError, "periods: expected a non-empty tuple"),
    ("t-negative", dict(t=-1), ValueError, r"t: expected the step index, an int >= 0"),
    ("t-float", dict(t=1.0), ValueError, r"t: expected the step index"),
    ("x-wrong-features", dict(x=np.ones((N, 3))), ValueError, r"x: expected shape \(N, D=2\)"),
    ("h-batch-mismatch", dict(h_prev=np.ones((N + 1, H))), ValueError,
     r"h_prev: expected shape \(N=3, H=6\)"),
    ("W_hh-not-square", dict(W_hh=np.ones((H, H + 1))), ValueError, "W_hh: expected shape"),
    ("b-wrong-size", dict(b=np.ones(H + 1)), ValueError, r"b: expected shape \(H=6\), got \(7,\)"),
    ("x-int", dict(x=np.ones((N, D), dtype=int)), TypeError, "x: expected a floating-point"),
    ("x-float32", dict(x=np.ones((N, D), dtype=np.float32)), TypeError,
     "h_prev: expected dtype float32 like x, got float64"),
    ("x-nan", dict(x=NAN_X), ValueError, r"x: expected finite values, found nan at index \(0, 1\)"),
]


@pytest.mark.parametrize("changes, error, message", [case[1:] for case in BAD_STEPS],
                         ids=[case[0] for case in BAD_STEPS])
def test_step_rejects_bad_input(changes, error, message):
    with pytest.raises(error, match=message):
        step_call(**changes)


@pytest.mark.parametrize("backend", BACKENDS)
def test_layer_rejects_bad_input(backend):
    module = layer(backend)
    with pytest.raises(ValueError, match=r"input: expected shape \(T, N, D=2\).*time-major"):
        module(to_backend(backend, np.ones((N, T))))
    with pytest.raises(ValueError, match=r"hx: expected shape \(num_layers=1, N=3, H=6\)"):
        module(to_backend(backend, np.ones((T, N, D))), to_backend(backend, np.ones((N, H))))
    with pytest.raises(ValueError, match="periods: 4 modules must split the H=6"):
        type(module)(D, H, (1, 2, 4, 8))


def test_sequence_function_rejects_bad_input():
    _, _, W_ih, W_hh, b = random_step(seed=41)
    with pytest.raises(ValueError, match=r"x: expected shape \(T, N, D\).*time-major"):
        cnp.clockwork_forward(np.ones((N, D)), np.zeros((N, H)), W_ih, W_hh, b, PERIODS)
    with pytest.raises(ValueError, match=r"h0: expected shape \(N=3, H\)"):
        cnp.clockwork_forward(np.ones((T, N, D)), np.zeros((1, N, H)), W_ih, W_hh, b, PERIODS)
    with pytest.raises(ValueError, match="input: expected at least one time step"):
        cnp.clockwork_forward(np.ones((0, N, D)), np.zeros((N, H)), W_ih, W_hh, b, PERIODS)


def test_numpy_layer_backward_needs_forward_and_matching_gradients():
    module = layer("numpy")
    with pytest.raises(RuntimeError, match="call forward first"):
        module.backward(np.ones((T, N, H)))
    module(np.ones((T, N, D)))
    with pytest.raises(ValueError, match=r"doutput: expected the shape of output, \(9, 3, 6\)"):
        module.backward(np.ones((T, N, H + 1)))
