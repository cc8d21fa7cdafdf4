"""Merging a bidirectional layer's two directions by f (concat, sum, mean), in both backends.

The merge functions alone: gradient check of the NumPy backward, NumPy against torch. Inside
the layers: concat is torch.nn's layer, sum and mean equal the sum and mean of concat's two
halves on the same weights, the backends agree and the NumPy backward passes its gradient
check; the output size (2H or H) is what the next layer reads. Bad input gets clear errors.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import course_rnn.numpy as cnp
from course_rnn.gradcheck import gradient_errors, random_upstream
from course_rnn.numpy.direction_merge import merge_directions, merge_directions_backward
from course_rnn.torch.direction_merge import merge_directions as torch_merge_directions
from tests.backends import (
    BACKENDS,
    LAYERS,
    as_numpy,
    assert_results_equal,
    build,
    run,
    to_backend,
)
from tests.test_parity import compare_with_torch_nn

MERGES = ["concat", "sum", "mean"]
T, N, D, H = 4, 2, 3, 5


def merge_in(backend):
    return merge_directions if backend == "numpy" else torch_merge_directions


@pytest.mark.parametrize("merge", MERGES)
def test_merge_backward_matches_differences(merge):
    rng = np.random.default_rng(0)
    arrays = {"forward": rng.standard_normal((T, N, H)),
              "backward": rng.standard_normal((T, N, H))}

    def forward():
        return merge_directions(arrays["forward"], arrays["backward"], merge)

    upstream = random_upstream(forward(), rng)
    dforward, dbackward = merge_directions_backward(upstream[0], merge)
    errors = gradient_errors(forward, arrays, {"forward": dforward, "backward": dbackward},
                             upstream)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("merge", MERGES)
def test_merge_backends_agree_forward_and_backward(merge):
    rng = np.random.default_rng(1)
    forward, backward = rng.standard_normal((2, T, N, H))
    expected = merge_directions(forward, backward, merge)
    upstream = rng.standard_normal(expected.shape)
    leaves = [torch.tensor(a, requires_grad=True) for a in (forward, backward)]
    merged = torch_merge_directions(*leaves, merge)
    (merged * torch.from_numpy(upstream)).sum().backward()
    np.testing.assert_allclose(merged.detach().numpy(), expected, rtol=1e-12)
    for leaf, grad in zip(leaves, merge_directions_backward(upstream, merge)):
        np.testing.assert_allclose(leaf.grad.numpy(), grad, rtol=1e-12)


@pytest.mark.parametrize("kind", LAYERS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_concat_layer_equals_torch_nn(backend, kind):
    case = (3, 2, 4, 3, {"num_layers": 2, "bidirectional": True, "batch_first": True})
    compare_with_torch_nn(backend, kind, case, extra={"merge": "concat"})


def run_bidirectional(backend, kind, merge, state_dict, x):
    layer = build(backend, kind, D, H, bidirectional=True, merge=merge)
    layer.load_state_dict({k: to_backend(backend, v) for k, v in state_dict.items()})
    return as_numpy(layer(to_backend(backend, x))[0])


@pytest.mark.parametrize("merge", ["sum", "mean"])
@pytest.mark.parametrize("kind", LAYERS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_sum_and_mean_merge_the_halves_of_concat(backend, kind, merge):
    """One layer's weights do not depend on the merge: f only changes what leaves it."""
    torch.manual_seed(0)
    reference = getattr(torch.nn, kind)(D, H, bidirectional=True, dtype=torch.float64)
    state_dict = {k: v.numpy() for k, v in reference.state_dict().items()}
    x = np.random.default_rng(2).standard_normal((T, N, D))
    both = run_bidirectional(backend, kind, "concat", state_dict, x)
    halves = both[..., :H] + both[..., H:]
    merged = run_bidirectional(backend, kind, merge, state_dict, x)
    np.testing.assert_allclose(merged, halves if merge == "sum" else halves / 2, rtol=1e-12)


def random_arguments(kind, output_size, seed):
    """x (N, T, D), hx, doutput (N, T, F) and dhx for a 2-layer bidirectional batch-first layer."""
    rng = np.random.default_rng(seed)
    states = 2 if kind == "LSTM" else 1
    hx = tuple(rng.standard_normal((4, N, H)) for _ in range(states))
    dhx = tuple(rng.standard_normal((4, N, H)) for _ in range(states))
    def form(s):
        return s if states == 2 else s[0]
    return (rng.standard_normal((N, T, D)), form(hx), rng.standard_normal((N, T, output_size)),
            form(dhx))


@pytest.mark.parametrize("merge", ["sum", "mean"])
@pytest.mark.parametrize("kind", LAYERS)
def test_merged_layers_agree_between_backends(kind, merge):
    options = {"num_layers": 2, "bidirectional": True, "batch_first": True, "merge": merge}
    numpy_layer = build("numpy", kind, D, H, rng=0, **options)
    torch_layer = build("torch", kind, D, H, **options)
    torch_layer.load_state_dict({k: torch.from_numpy(v)
                                 for k, v in numpy_layer.state_dict().items()})
    args = random_arguments(kind, H, seed=3)
    assert_results_equal(run("torch", torch_layer, *args), run("numpy", numpy_layer, *args))


@pytest.mark.parametrize("merge", ["sum", "mean"])
@pytest.mark.parametrize("kind", LAYERS)
def test_merged_numpy_layer_gradcheck(kind, merge):
    layer = getattr(cnp, kind)(3, 2, num_layers=2, bidirectional=True, merge=merge, rng=1)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 2, 3))
    params = dict(layer.params)

    def forward():
        return layer(x)[0]

    upstream = random_upstream(forward(), rng)
    dx, _ = layer.backward(upstream[0])
    errors = gradient_errors(forward, {"x": x, **params}, {"x": dx, **layer.grads}, upstream)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("merge", MERGES)
@pytest.mark.parametrize("backend", BACKENDS)
def test_output_size_is_what_the_next_layer_reads(backend, merge):
    layer = build(backend, "GRU", D, H, num_layers=2, bidirectional=True, merge=merge)
    F = 2 * H if merge == "concat" else H
    assert layer.output_size == F
    assert tuple(layer.state_dict()["weight_ih_l1_reverse"].shape) == (3 * H, F)
    output, _ = layer(to_backend(backend, np.zeros((T, N, D))))
    assert tuple(output.shape) == (T, N, F)
    assert ("merge=" in repr(layer)) == (merge != "concat")  # repr shows what differs


@pytest.mark.parametrize("backend", BACKENDS)
def test_unknown_merge_lists_the_valid_ones(backend):
    with pytest.raises(ValueError, match="'concat' or 'sum' or 'mean', got 'max'"):
        build(backend, "RNN", D, H, bidirectional=True, merge="max")
    pair = [to_backend(backend, np.zeros((T, H)))] * 2
    with pytest.raises(ValueError, match="'concat' or 'sum' or 'mean', got 'add'"):
        merge_in(backend)(*pair, merge="add")


@pytest.mark.parametrize("backend", BACKENDS)
def test_merge_without_a_second_direction_is_an_error(backend):
    with pytest.raises(ValueError, match="needs bidirectional=True"):
        build(backend, "LSTM", D, H, merge="mean")


@pytest.mark.parametrize("backend", BACKENDS)
def test_merge_rejects_mismatched_nan_and_integer_directions(backend):
    merge = merge_in(backend)
    forward = to_backend(backend, np.zeros((T, N, H)))
    with pytest.raises(ValueError, match=r"backward: expected the shape of forward, \(4, 2, 5\)"):
        merge(forward, to_backend(backend, np.zeros((T, N, H + 1))), "sum")
    bad = np.zeros((T, N, H))
    bad[1, 0, 2] = np.nan
    with pytest.raises(ValueError, match="forward: expected finite values"):
        merge(to_backend(backend, bad), forward, "concat")
    with pytest.raises(TypeError, match="floating-point"):
        merge(to_backend(backend, np.zeros((T, N, H), dtype=np.int64)), forward, "sum")


def test_merge_backward_rejects_an_odd_concatenation_and_a_scalar():
    with pytest.raises(ValueError, match="2H features, an even number; got 5"):
        merge_directions_backward(np.zeros((T, N, 5)), "concat")
    with pytest.raises(ValueError, match="got a scalar"):
        merge_directions_backward(np.float64(1.0), "sum")
