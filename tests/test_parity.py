"""Both backends equal torch.nn: outputs, final states and every gradient, in float64.

Each case draws its own shapes, weights (biases included), initial states and upstream
gradients from a seeded generator, loads the same weights into torch.nn and into the layer
under test, and compares everything at rtol 1e-10.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest
import torch

from tests.backends import as_tuple, assert_results_equal, build, make_layer, pack, run

BACKENDS = ["numpy", "torch"]
KINDS = ["RNN", "LSTM", "GRU"]

# (T, N, D, H, options): N=1 and T=1 edge cases, depth, both directions and layouts, no bias.
CASES = [
    (1, 1, 3, 2, {}),
    (5, 3, 4, 6, {}),
    (4, 1, 2, 3, {"num_layers": 2}),
    (3, 2, 5, 4, {"bidirectional": True}),
    (6, 3, 4, 5, {"num_layers": 3, "bidirectional": True}),
    (4, 2, 3, 4, {"batch_first": True}),
    (2, 4, 3, 3, {"batch_first": True, "bidirectional": True, "num_layers": 2}),
    (5, 2, 3, 4, {"bias": False, "num_layers": 2}),
    (1, 3, 2, 5, {"bias": False, "bidirectional": True, "batch_first": True}),
]


def case_id(case):
    T, N, D, H, options = case
    return f"T{T}-N{N}-D{D}-H{H}-" + ("-".join(f"{k}={v}" for k, v in options.items()) or "plain")


def random_problem(kind, T, N, D, H, options, seed, with_state=True):
    """Weights from a torch.nn layer, plus random x, hx and upstream gradients."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    reference = getattr(torch.nn, kind)(D, H, **options, dtype=torch.float64)
    state_dict = {k: v.numpy().copy() for k, v in reference.state_dict().items()}
    L = options.get("num_layers", 1) * (2 if options.get("bidirectional") else 1)
    F = H * (2 if options.get("bidirectional") else 1)
    x_shape = (N, T, D) if options.get("batch_first") else (T, N, D)
    out_shape = (N, T, F) if options.get("batch_first") else (T, N, F)
    n_states = 2 if kind == "LSTM" else 1
    hx = tuple(rng.standard_normal((L, N, H)) for _ in range(n_states)) if with_state else None
    dhx = tuple(rng.standard_normal((L, N, H)) for _ in range(n_states)) if with_state else None
    def layer_form(state):
        return None if state is None else pack(state, kind == "LSTM")
    return (state_dict, rng.standard_normal(x_shape), layer_form(hx),
            rng.standard_normal(out_shape), layer_form(dhx))


def compare_with_torch_nn(backend, kind, case, extra=None):
    """Run ``case`` on ``backend`` (built with the ``extra`` options) and on torch.nn."""
    T, N, D, H, options = case
    seed = zlib.crc32(f"{kind}-{case_id(case)}".encode())
    state_dict, x, hx, dout, dhx = random_problem(kind, T, N, D, H, options, seed)
    args = (x, hx, dout, dhx)
    expected = run("torch.nn", make_layer("torch.nn", kind, {"input_size": D, "hidden_size": H,
                                                            **options}, state_dict), *args)
    layer = make_layer(backend, kind, {"input_size": D, "hidden_size": H, **options,
                                       **(extra or {})}, state_dict)
    assert_results_equal(run(backend, layer, *args), expected)


@pytest.mark.parametrize("case", CASES, ids=case_id)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_layer_matches_torch_nn(backend, kind, case):
    compare_with_torch_nn(backend, kind, case)


@pytest.mark.parametrize("case", CASES, ids=case_id)
@pytest.mark.parametrize("kind", ["RNN", "LSTM"])
def test_plain_weight_hh_gradient_path_matches_torch_nn(kind, case):
    """The torch RNN and LSTM with dL/dW_hh left to autograd (fused_weight_hh_grad=False).

    Their default, dL/dW_hh as one product, is what test_layer_matches_torch_nn runs.
    """
    compare_with_torch_nn("torch", kind, case, {"fused_weight_hh_grad": False})


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_default_state_and_relu_match_torch_nn(backend, kind):
    """hx=None means zeros and dhx=None means no gradient at h_n; RNN also with relu."""
    options = {"num_layers": 2, "bidirectional": True}
    if kind == "RNN":
        options["nonlinearity"] = "relu"
    state_dict, x, _, dout, _ = random_problem(kind, 4, 3, 3, 5, options, seed=7,
                                               with_state=False)
    layers = {b: make_layer(b, kind, {"input_size": 3, "hidden_size": 5, **options}, state_dict)
              for b in ("torch.nn", backend)}
    expected = run("torch.nn", layers["torch.nn"], x, None, dout, None)
    assert_results_equal(run(backend, layers[backend], x, None, dout, None), expected)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_unbatched_input_matches_torch_nn(backend, kind):
    """A 2-D input (T, D) is one sequence with 2-D states, as in torch.nn."""
    options = {"num_layers": 2, "bidirectional": True}
    state_dict, x, hx, dout, dhx = random_problem(kind, 5, 1, 3, 4, options, seed=11)
    def unbatched(state):
        return pack(tuple(a[:, 0] for a in as_tuple(state)), kind == "LSTM")
    args = (x[:, 0], unbatched(hx), dout[:, 0], unbatched(dhx))
    layers = {b: make_layer(b, kind, {"input_size": 3, "hidden_size": 4, **options}, state_dict)
              for b in ("torch.nn", backend)}
    expected = run("torch.nn", layers["torch.nn"], *args)
    assert expected.output.ndim == 2
    assert_results_equal(run(backend, layers[backend], *args), expected)


# Variants torch.nn lacks: the two backends are checked against each other.
VARIANTS = [("LSTM", {"peephole": True}), ("GRU", {"reset_after": False})]


def variant_id(variant):
    kind, options = variant
    return kind + "".join(f"-{k}={v}" for k, v in options.items())


@pytest.mark.parametrize("options", [{}, {"num_layers": 2, "bidirectional": True,
                                          "batch_first": True}], ids=["plain", "deep-bi"])
@pytest.mark.parametrize("variant", VARIANTS, ids=variant_id)
def test_variant_backends_agree(variant, options):
    kind, extra = variant
    numpy_layer = build("numpy", kind, 3, 4, rng=0, **extra, **options)
    torch_layer = build("torch", kind, 3, 4, **extra, **options)
    torch_layer.load_state_dict({k: torch.from_numpy(v)
                                 for k, v in numpy_layer.state_dict().items()})
    _, x, hx, dout, dhx = random_problem(kind, 5, 2, 3, 4, options, seed=3)
    assert_results_equal(run("torch", torch_layer, x, hx, dout, dhx),
                         run("numpy", numpy_layer, x, hx, dout, dhx))


CELL_KINDS = ["RNNCell", "LSTMCell", "GRUCell"]


def run_cell(backend, cell, x, hx, upstream):
    """One step forward and backward; returns new states, dx, dhx and parameter gradients."""
    states = tuple(hx) if isinstance(hx, tuple) else (hx,)
    if backend == "numpy":
        out = as_tuple(cell(x, hx))
        dx, dhx = cell.backward(*upstream)
        return out, dx, as_tuple(dhx), dict(cell.grads)
    xt = torch.tensor(x, requires_grad=True)
    st = tuple(torch.tensor(s, requires_grad=True) for s in states)
    out = as_tuple(cell(xt, st if len(st) == 2 else st[0]))
    sum((o * torch.from_numpy(u)).sum() for o, u in zip(out, upstream)).backward()
    return (tuple(o.detach().numpy() for o in out), xt.grad.numpy(),
            tuple(s.grad.numpy() for s in st),
            {n: p.grad.numpy() for n, p in cell.named_parameters()})


def assert_cell_results_equal(actual, expected, rtol=1e-10, atol=1e-12):
    """New states, dx and dhx, then every parameter gradient."""
    for a, e in zip(actual[:3], expected[:3]):
        for a_part, e_part in zip(as_tuple(a), as_tuple(e)):
            np.testing.assert_allclose(a_part, e_part, rtol=rtol, atol=atol)
    assert actual[3].keys() == expected[3].keys()
    for name in expected[3]:
        np.testing.assert_allclose(actual[3][name], expected[3][name], rtol=rtol, atol=atol)


@pytest.mark.parametrize("H", [4, 0], ids=["H4", "H0"])  # torch.nn's cells allow H = 0
@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("kind", CELL_KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_cell_matches_torch_nn(backend, kind, bias, batched, H):
    rng = np.random.default_rng(len(kind) + 2 * bias + batched)
    D = 3
    lead = (5,) if batched else ()
    reference = getattr(torch.nn, kind)(D, H, bias=bias, dtype=torch.float64)
    state_dict = reference.state_dict()
    n_states = 2 if kind == "LSTMCell" else 1
    x = rng.standard_normal((*lead, D))
    hx = tuple(rng.standard_normal((*lead, H)) for _ in range(n_states))
    upstream = tuple(rng.standard_normal((*lead, H)) for _ in range(n_states))
    hx_arg = hx if n_states == 2 else hx[0]
    cell = build(backend, kind, D, H, bias=bias)
    cell.load_state_dict(state_dict)
    assert_cell_results_equal(run_cell(backend, cell, x, hx_arg, upstream),
                              run_cell("torch.nn", reference, x, hx_arg, upstream))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_dropout_is_off_in_eval_mode(backend, kind):
    options = {"input_size": 3, "hidden_size": 4, "num_layers": 3, "dropout": 0.5}
    state_dict, x, hx, dout, dhx = random_problem(kind, 5, 2, 3, 4, {"num_layers": 3}, seed=5)
    layers = {b: make_layer(b, kind, options, state_dict).eval() for b in ("torch.nn", backend)}
    assert_results_equal(run(backend, layers[backend], x, hx, dout, dhx),
                         run("torch.nn", layers["torch.nn"], x, hx, dout, dhx))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_empty_batch_runs_forward_and_backward(backend, kind):
    """N=0 is legal in torch.nn; all shapes follow and every gradient is zero-sized or zero."""
    state_dict, x, _, dout, _ = random_problem(kind, 4, 0, 3, 5, {"bidirectional": True}, seed=9,
                                               with_state=False)
    layers = {b: make_layer(b, kind, {"input_size": 3, "hidden_size": 5, "bidirectional": True},
                            state_dict) for b in ("torch.nn", backend)}
    assert_results_equal(run(backend, layers[backend], x, None, dout, None),
                         run("torch.nn", layers["torch.nn"], x, None, dout, None))


@pytest.mark.parametrize("variant", VARIANTS, ids=variant_id)
def test_variant_cell_backends_agree(variant):
    kind, extra = variant
    numpy_cell = build("numpy", kind + "Cell", 3, 4, rng=1, **extra)
    torch_cell = build("torch", kind + "Cell", 3, 4, **extra)
    torch_cell.load_state_dict({k: torch.from_numpy(v)
                                for k, v in numpy_cell.state_dict().items()})
    rng = np.random.default_rng(4)
    x = rng.standard_normal((5, 3))
    states = tuple(rng.standard_normal((5, 4)) for _ in range(2 if kind == "LSTM" else 1))
    upstream = tuple(rng.standard_normal((5, 4)) for _ in states)
    hx = pack(states, kind == "LSTM")
    assert_cell_results_equal(run_cell("numpy", numpy_cell, x, hx, upstream),
                              run_cell("torch", torch_cell, x, hx, upstream))
