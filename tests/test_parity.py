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

from tests.backends import as_tuple, assert_results_equal, make_layer, pack, run

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
    pack_state = (lambda s: None if s is None else pack(s, kind == "LSTM"))
    return (state_dict, rng.standard_normal(x_shape), pack_state(hx),
            rng.standard_normal(out_shape), pack_state(dhx))


@pytest.mark.parametrize("case", CASES, ids=case_id)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_layer_matches_torch_nn(backend, kind, case):
    T, N, D, H, options = case
    seed = zlib.crc32(f"{kind}-{case_id(case)}".encode())
    state_dict, x, hx, dout, dhx = random_problem(kind, T, N, D, H, options, seed)
    args = (x, hx, dout, dhx)
    expected = run("torch.nn", make_layer("torch.nn", kind, {"input_size": D, "hidden_size": H,
                                                            **options}, state_dict), *args)
    layer = make_layer(backend, kind, {"input_size": D, "hidden_size": H, **options}, state_dict)
    assert_results_equal(run(backend, layer, *args), expected)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_default_state_and_relu_match_torch_nn(backend, kind):
    """hx=None means zeros and dhx=None means no gradient at h_n; RNN also with relu."""
    options = {"num_layers": 2, "bidirectional": True}
    if kind == "RNN":
        options["nonlinearity"] = "relu"
    state_dict, x, _, dout, _ = random_problem(kind, 4, 3, 3, 5, options, seed=7,
                                               with_state=False)
    make = (lambda b: make_layer(b, kind, {"input_size": 3, "hidden_size": 5, **options},
                                 state_dict))
    expected = run("torch.nn", make("torch.nn"), x, None, dout, None)
    assert_results_equal(run(backend, make(backend), x, None, dout, None), expected)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_unbatched_input_matches_torch_nn(backend, kind):
    """A 2-D input (T, D) is one sequence with 2-D states, as in torch.nn."""
    options = {"num_layers": 2, "bidirectional": True}
    state_dict, x, hx, dout, dhx = random_problem(kind, 5, 1, 3, 4, options, seed=11)
    squeeze = (lambda s: pack(tuple(a[:, 0] for a in as_tuple(s)), kind == "LSTM"))
    args = (x[:, 0], squeeze(hx), dout[:, 0], squeeze(dhx))
    make = (lambda b: make_layer(b, kind, {"input_size": 3, "hidden_size": 4, **options},
                                 state_dict))
    expected = run("torch.nn", make("torch.nn"), *args)
    assert expected.output.ndim == 2
    assert_results_equal(run(backend, make(backend), *args), expected)


@pytest.mark.parametrize("options", [{}, {"num_layers": 2, "bidirectional": True,
                                          "batch_first": True}], ids=["plain", "deep-bi"])
def test_peephole_lstm_backends_agree(options):
    """torch.nn has no peepholes, so the two backends are checked against each other."""
    import course_rnn.numpy
    import course_rnn.torch

    numpy_layer = course_rnn.numpy.LSTM(3, 4, peephole=True, rng=0, **options)
    state_dict = numpy_layer.state_dict()
    assert any(name.startswith("weight_peephole") for name in state_dict)
    torch_layer = course_rnn.torch.LSTM(3, 4, peephole=True, dtype=torch.float64, **options)
    torch_layer.load_state_dict({k: torch.from_numpy(v) for k, v in state_dict.items()})
    _, x, hx, dout, dhx = random_problem("LSTM", 5, 2, 3, 4, options, seed=3)
    assert_results_equal(run("torch", torch_layer, x, hx, dout, dhx),
                         run("numpy", numpy_layer, x, hx, dout, dhx))
