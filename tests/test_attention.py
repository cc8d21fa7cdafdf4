"""Attention, both backends: additive (Bahdanau et al.) and dot / general (Luong et al.).

The NumPy backward passes against central differences; torch against NumPy on the same weights
(context, weights, and autograd's gradients against the hand-written ones); masking, written
once for both backends: a padded batch, garbage in its padding, gives what its sequences give
one by one; bad input. Shapes: N batch, S key positions, Q query, K key, A attention units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
import torch

import course_rnn.numpy as cnp
import course_rnn.torch as ct
from course_rnn.gradcheck import gradient_errors, random_upstream

BACKENDS = ["numpy", "torch"]
KINDS = ["additive", "dot", "general"]
S, N, A = 5, 3, 6
SIZES = {"additive": (3, 4), "dot": (4, 4), "general": (3, 4)}   # (Q, K)
LENGTHS = np.array([5, 2, 3])                                    # real keys of each sequence
NUMPY_FUNCTIONS = {"additive": (cnp.additive_attention_forward, cnp.additive_attention_backward),
                   "dot": (cnp.dot_attention_forward, cnp.dot_attention_backward),
                   "general": (cnp.dot_attention_forward, cnp.dot_attention_backward)}

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


@dataclass
class Run:
    context: np.ndarray   # (N, K)
    alpha: np.ndarray     # (S, N)
    dquery: np.ndarray    # (N, Q)
    dkeys: np.ndarray     # (S, N, K)
    dweights: dict        # parameter name -> gradient


def random_weights(kind, rng) -> dict[str, np.ndarray]:
    Q, K = SIZES[kind]
    if kind == "additive":
        return {"W_q": rng.standard_normal((A, Q)), "W_k": rng.standard_normal((A, K)),
                "v": rng.standard_normal(A)}
    return {"W": rng.standard_normal((Q, K))} if kind == "general" else {}


def padding_mask(lengths, width=S) -> np.ndarray:
    """(width, len(lengths)) bool, True at the first ``lengths[n]`` rows of column n."""
    return np.arange(width)[:, None] < np.asarray(lengths)[None, :]


def random_problem(kind, seed, masked=True, n=N):
    """Weights, query, keys, mask (or None) and an upstream gradient at the context."""
    rng = np.random.default_rng(seed)
    Q, K = SIZES[kind]
    return (random_weights(kind, rng), rng.standard_normal((n, Q)),
            rng.standard_normal((S, n, K)), padding_mask(LENGTHS[:n]) if masked else None,
            rng.standard_normal((n, K)))


def run_numpy(kind, weights, query, keys, mask, dcontext) -> Run:
    forward, backward = NUMPY_FUNCTIONS[kind]
    context, alpha, cache = forward(query, keys, **weights, mask=mask)
    dquery, dkeys, *dweights = backward(dcontext, cache)
    if kind == "dot":
        assert dweights == [None]  # no W, no dW
    return Run(context, alpha, dquery, dkeys, dict(zip(weights, dweights)))


def torch_module(kind, device="cpu"):
    Q, K = SIZES[kind]
    if kind == "additive":
        return ct.AdditiveAttention(Q, K, A, dtype=torch.float64, device=device)
    return ct.DotAttention(Q, K, general=kind == "general", dtype=torch.float64, device=device)


def run_torch(kind, weights, query, keys, mask, dcontext, device="cpu") -> Run:
    """Forward, then autograd's gradients of L = sum(context * dcontext)."""
    module = torch_module(kind, device)
    module.load_state_dict({name: torch.from_numpy(w) for name, w in weights.items()})
    query_t, keys_t = (torch.tensor(a, device=device, requires_grad=True) for a in (query, keys))
    mask_t = None if mask is None else torch.from_numpy(mask).to(device)
    context, alpha = module(query_t, keys_t, mask_t)
    (context * torch.from_numpy(dcontext).to(device)).sum().backward()
    return Run(*(t.detach().cpu().numpy() for t in (context, alpha, query_t.grad, keys_t.grad)),
               {name: p.grad.cpu().numpy() for name, p in module.named_parameters()})


def run(backend, *args) -> Run:
    return (run_numpy if backend == "numpy" else run_torch)(*args)


def assert_runs_equal(actual: Run, expected: Run, rtol=1e-10, atol=1e-12):
    for name in ("context", "alpha", "dquery", "dkeys"):
        np.testing.assert_allclose(getattr(actual, name), getattr(expected, name), rtol=rtol,
                                   atol=atol, err_msg=name)
    assert actual.dweights.keys() == expected.dweights.keys()
    for name, grad in expected.dweights.items():
        np.testing.assert_allclose(actual.dweights[name], grad, rtol=rtol, atol=atol,
                                   err_msg=name)


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("masked", [False, True], ids=["all-real", "padded"])
@pytest.mark.parametrize("kind", KINDS)
def test_numpy_backward_matches_finite_differences(kind, masked):
    weights, query, keys, mask, _ = random_problem(kind, seed=len(kind) + masked, masked=masked)
    forward, backward = NUMPY_FUNCTIONS[kind]

    def context():
        return forward(query, keys, **weights, mask=mask)[0]

    upstream = random_upstream(context(), np.random.default_rng(1))
    result = run_numpy(kind, weights, query, keys, mask, upstream[0])
    arrays = {"query": query, "keys": keys, **weights}
    analytic = {"query": result.dquery, "keys": result.dkeys, **result.dweights}
    errors = gradient_errors(context, arrays, analytic, upstream)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("masked", [False, True], ids=["all-real", "padded"])
@pytest.mark.parametrize("kind", KINDS)
def test_torch_equals_numpy_with_autograd_gradients(kind, masked):
    problem = random_problem(kind, seed=10 + len(kind) + masked, masked=masked)
    assert_runs_equal(run_torch(kind, *problem), run_numpy(kind, *problem))


# --------------------------------------------------------------------------- masking


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_padded_batch_equals_its_sequences_one_by_one(backend, kind):
    """The classic masking bug: padding that leaks into the softmax or the gradients."""
    weights, query, keys, mask, dcontext = random_problem(kind, seed=20 + len(kind))
    keys[~mask] = 1e6 * np.sign(keys[~mask])   # large garbage in every padded key
    batch = run(backend, kind, weights, query, keys, mask, dcontext)
    np.testing.assert_allclose(batch.alpha.sum(axis=0), 1.0, rtol=1e-14)
    assert np.all(batch.alpha[~mask] == 0) and np.all(batch.alpha[mask] > 0)
    assert np.all(batch.dkeys[~mask] == 0)
    singles = [run(backend, kind, weights, query[n:n + 1], keys[:L, n:n + 1], None,
                   dcontext[n:n + 1]) for n, L in enumerate(LENGTHS)]
    for n, (L, single) in enumerate(zip(LENGTHS, singles)):
        np.testing.assert_allclose(batch.context[n], single.context[0], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(batch.alpha[:L, n], single.alpha[:, 0], rtol=1e-12)
        np.testing.assert_allclose(batch.dquery[n], single.dquery[0], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(batch.dkeys[:L, n], single.dkeys[:, 0], rtol=1e-12,
                                   atol=1e-14)
    for name, grad in batch.dweights.items():  # the weights' gradients add over the batch
        np.testing.assert_allclose(grad, sum(single.dweights[name] for single in singles),
                                   rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_large_scores_do_not_overflow(backend, kind):
    weights, query, keys, mask, dcontext = random_problem(kind, seed=30)
    result = run(backend, kind, weights, 1e3 * query, 1e3 * keys, mask, dcontext)
    assert np.all(np.isfinite(result.alpha)) and np.all(np.isfinite(result.dquery))
    np.testing.assert_allclose(result.alpha.sum(axis=0), 1.0, rtol=1e-14)


# --------------------------------------------------------------------------- bad input


def call(backend, kind, query, keys, mask):
    weights = random_weights(kind, np.random.default_rng(0))
    if backend == "numpy":
        return NUMPY_FUNCTIONS[kind][0](query, keys, **weights, mask=mask)
    module = torch_module(kind)
    module.load_state_dict({name: torch.from_numpy(w) for name, w in weights.items()})
    def tensor(a):
        return a if a is None or not isinstance(a, np.ndarray) else torch.from_numpy(a)
    return module(tensor(query), tensor(keys), tensor(mask))


def bad_inputs(kind):
    """(what is wrong, query, keys, mask, exception, message) for one kind of attention."""
    _, query, keys, mask, _ = random_problem(kind, seed=40)
    nan_keys = keys.copy()
    nan_keys[1, 2, 0] = np.nan
    empty = mask.copy()
    empty[:, 1] = False
    shape = r"mask: expected a boolean mask of shape \(S=5, N=3\), True at the real keys"
    return [
        ("mask-transposed", query, keys, mask.T.copy(), ValueError,
         shape + r", got shape \(3, 5\)"),
        ("mask-float", query, keys, mask.astype(float), TypeError, shape + ", got dtype"),
        ("mask-empty-column", query, keys, empty, ValueError,
         "mask: column 1 has no real key .every entry is False."),
        ("nan-key", query, nan_keys, mask, ValueError,
         r"keys: expected finite values, found nan at index \(1, 2, 0\)"),
        ("int-keys", query, keys.astype(int), mask, TypeError,
         "keys: expected a floating-point array, got dtype (torch.)?int64"),
        ("query-1d", query[0], keys, mask, ValueError, r"query: expected shape \(N=3, Q"),
        ("keys-2d", query, keys[0], mask, ValueError,
         r"keys: expected shape \(S, N, K(=4)?\), got \(3, 4\)"),
        ("no-keys", query, keys[:0], None, ValueError,
         "keys: expected at least one key position, got S=0"),
    ]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_bad_input_gets_a_clear_error(backend, kind):
    for what, query, keys, mask, error, message in bad_inputs(kind):
        with pytest.raises(error, match=message):
            call(backend, kind, query, keys, mask)
            pytest.fail(f"no error for {what}")


def test_numpy_errors_of_weights_dtypes_and_gradients():
    weights, query, keys, mask, _ = random_problem("additive", seed=50)
    W_q, W_k, v = weights.values()
    forward, backward = NUMPY_FUNCTIONS["additive"]
    with pytest.raises(ValueError, match=r"W_q: expected shape \(A=6, Q=3\), got \(3, 6\)"):
        forward(query, keys, W_q.T, W_k, v, mask)
    with pytest.raises(TypeError, match="keys: expected dtype float32 like query"):
        forward(query.astype(np.float32), keys, W_q, W_k, v, mask)
    _, _, cache = forward(query, keys, W_q, W_k, v, mask)
    with pytest.raises(ValueError, match=r"dcontext: expected the shape of context, \(3, 4\)"):
        backward(np.zeros((4, 3)), cache)
    _, query, keys, mask, _ = random_problem("general", seed=50)
    with pytest.raises(ValueError, match="the dot score q . k needs queries of the keys' size "
                                         "K=4, got Q=3"):
        cnp.dot_attention_forward(query, keys, mask=mask)
    with pytest.raises(ValueError, match=r"W: expected shape \(Q=3, K=4\), got \(4, 3\)"):
        cnp.dot_attention_forward(query, keys, np.zeros((4, 3)), mask)


def test_torch_errors_of_sizes_dtypes_and_devices():
    with pytest.raises(ValueError, match="attention_size: expected a positive integer, got 0"):
        ct.AdditiveAttention(3, 4, 0)
    with pytest.raises(ValueError, match="general=True learns W .query_size, key_size.: give"):
        ct.DotAttention(general=True)
    with pytest.raises(ValueError, match="the dot score q . k needs query_size == key_size"):
        ct.DotAttention(3, 4)
    _, query, keys, mask, _ = (torch.from_numpy(a) if isinstance(a, np.ndarray) else a
                               for a in random_problem("dot", seed=60))
    with pytest.raises(TypeError, match="query: expected dtype torch.float32 like the keys"):
        ct.DotAttention()(query, keys.float(), mask)
    with pytest.raises(TypeError, match="keys: expected dtype torch.float32 like the parameters"):
        ct.AdditiveAttention(4, 4, 5)(query, keys, mask)
    with pytest.raises(TypeError, match="mask: expected a torch.Tensor of dtype torch.bool"):
        ct.DotAttention()(query, keys, mask.numpy())
    with pytest.raises(ValueError, match=r"query: the dot score q . k needs .* K=4, got Q=3"):
        ct.DotAttention()(query[:, :3], keys, mask)


def test_torch_initial_weights_and_repr():
    torch.manual_seed(0)
    additive, general = ct.AdditiveAttention(3, 4, 25), ct.DotAttention(3, 16, general=True)
    assert [name for name, _ in additive.named_parameters()] == ["W_q", "W_k", "v"]
    assert [p.shape for p in additive.parameters()] == [(25, 3), (25, 4), (25,)]
    assert additive.v.abs().max() <= 1 / 5 and general.W.abs().max() <= 1 / 4
    assert general.W.shape == (3, 16) and list(ct.DotAttention().parameters()) == []
    assert repr(additive) == "AdditiveAttention(3, 4, 25)"
    assert repr(general) == "DotAttention(query_size=3, key_size=16, general=True)"


# --------------------------------------------------------------------------- CUDA


@cuda
@pytest.mark.parametrize("kind", KINDS)
def test_cuda_equals_numpy(kind):
    problem = random_problem(kind, seed=70)
    assert_runs_equal(run_torch(kind, *problem, device="cuda"), run_numpy(kind, *problem),
                      rtol=1e-9)
    _, query, keys, mask, _ = problem
    if kind != "dot":  # "dot" has no parameters: it runs where its inputs are
        with pytest.raises(ValueError, match="keys: expected a tensor on cuda:0 like the param"):
            torch_module(kind, "cuda")(torch.from_numpy(query), torch.from_numpy(keys), None)
    with pytest.raises(ValueError, match="mask: expected a tensor on cuda:0 like the keys"):
        torch_module(kind, "cuda")(torch.from_numpy(query).cuda(), torch.from_numpy(keys).cuda(),
                                   torch.from_numpy(mask))
