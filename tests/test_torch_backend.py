"""What is specific to the PyTorch backend: torch.nn's initial weights from the same seed,
autograd's own gradient check, devices and dtypes, and CUDA (skipped without a GPU).

What both backends share is tested once for both: parity with torch.nn in test_parity.py,
state_dict exchange and options in test_layer_options.py, errors in test_errors.py.
Shapes: N batch, T time, D input, H hidden.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import course_rnn.torch as ct
from tests.backends import CELLS, LAYERS

D, H = 3, 4
F64 = torch.float64


cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


def state_of(name, rows, N, dtype=F64, device="cpu", generator=None):
    """A random hx for a layer ((rows, N, H)) or a cell (rows=None: (N, H))."""
    shape = (N, H) if rows is None else (rows, N, H)
    parts = [torch.randn(shape, dtype=dtype, device=device, generator=generator)
             for _ in range(2 if name.startswith("LSTM") else 1)]
    return tuple(parts) if len(parts) == 2 else parts[0]


def flat(result):
    """The tensors of a layer's (output, h_n), a layer's (output, (h_n, c_n)) or a cell's result."""
    if isinstance(result, torch.Tensor):
        return [result]
    return [t for part in result for t in flat(part)]


# --------------------------------------------------------------------------- weights and init


@pytest.mark.parametrize("name", LAYERS + CELLS)
def test_same_seed_gives_torch_nn_initial_weights(name):
    torch.manual_seed(7)
    mine = getattr(ct, name)(D, H)
    torch.manual_seed(7)
    ref = getattr(torch.nn, name)(D, H)
    assert all(torch.equal(a, b) for a, b in zip(mine.parameters(), ref.parameters(), strict=True))
    bound = 1 / H ** 0.5
    assert all(p.abs().max() <= bound for p in mine.parameters())


# --------------------------------------------------------------------------- autograd

GRADCHECK_CASES = [
    ("RNN", {"num_layers": 2, "bidirectional": True}),
    ("RNN", {"nonlinearity": "relu", "batch_first": True, "fused_weight_hh_grad": False}),
    ("LSTM", {"num_layers": 2, "bidirectional": True}),
    ("LSTM", {"peephole": True, "bidirectional": True, "batch_first": True}),
    ("LSTM", {"peephole": True, "num_layers": 2, "fused_weight_hh_grad": False}),
    ("GRU", {"num_layers": 2, "bidirectional": True}),
    ("GRU", {"bias": False}),
    ("GRU", {"reset_after": False, "bidirectional": True, "batch_first": True}),
]


def _gradcheck(module, inputs, hx):
    """Check d(every output)/d(input, hx, every parameter) against central differences."""
    params = list(module.parameters())
    leaves = [inputs, *flat(hx)]
    rows = len(leaves)

    def fn(*tensors):
        # the module's parameters replaced by the tensors gradcheck perturbs
        state = dict(zip([n for n, _ in module.named_parameters()], tensors[rows:], strict=True))
        hx_in = tensors[1] if rows == 2 else tuple(tensors[1:rows])
        return tuple(flat(torch.func.functional_call(module, state, (tensors[0], hx_in))))

    values = [t.detach().clone().requires_grad_() for t in leaves + params]
    assert torch.autograd.gradcheck(fn, values, eps=1e-6, atol=1e-7, rtol=1e-7)


@pytest.mark.parametrize(("name", "options"), GRADCHECK_CASES)
def test_gradcheck_layers(name, options):
    torch.manual_seed(2)
    module = getattr(ct, name)(D, H, dtype=F64, **options)
    rows = options.get("num_layers", 1) * (2 if options.get("bidirectional") else 1)
    x = torch.randn((2, 3, D) if options.get("batch_first") else (3, 2, D), dtype=F64)
    _gradcheck(module, x, state_of(name, rows, 2))


@pytest.mark.parametrize(("name", "options"), [(name, options) for name in CELLS
                                                for options in ({}, {"bias": False})]
                         + [("LSTMCell", {"peephole": True}), ("GRUCell", {"reset_after": False})])
def test_gradcheck_cells(name, options):
    torch.manual_seed(3)
    module = getattr(ct, name)(D, H, dtype=F64, **options)
    _gradcheck(module, torch.randn(2, D, dtype=F64), state_of(name, None, 2))


# --------------------------------------------------------------------------- dtype and device

@pytest.mark.parametrize("name", LAYERS + CELLS)
def test_dtype_and_device_are_honoured(name):
    module = getattr(ct, name)(D, H, dtype=F64, device="cpu")
    assert all(p.dtype == F64 and p.device.type == "cpu" for p in module.parameters())
    x = torch.randn((5, 2, D) if name in LAYERS else (2, D), dtype=F64)
    assert all(t.dtype == F64 for t in flat(module(x)))
    module.float()
    assert all(t.dtype == torch.float32 for t in flat(module(x.float())))
    meta = getattr(ct, name)(D, H, device="meta")
    assert all(p.device.type == "meta" for p in meta.parameters())


@pytest.mark.parametrize("name", ["LSTM", "GRUCell"])
def test_mismatched_dtype_or_device_is_named(name):
    module = getattr(ct, name)(D, H)
    shape = (5, 2, D) if name in LAYERS else (2, D)
    with pytest.raises(TypeError, match=r"expected dtype torch.float32 .* got torch.float64"):
        module(torch.randn(shape, dtype=F64))
    with pytest.raises(ValueError, match="input: expected a tensor on cpu .* on meta"):
        module(torch.empty(shape, device="meta"))


@pytest.mark.parametrize("name", LAYERS + CELLS)
def test_a_numpy_array_is_not_silently_converted(name):
    with pytest.raises(TypeError, match="expected a torch.Tensor, got ndarray"):
        getattr(ct, name)(D, H)(np.zeros((5, 2, D), dtype=np.float32))


# --------------------------------------------------------------------------- CUDA

@cuda
@pytest.mark.parametrize(("name", "options"), GRADCHECK_CASES[::2] + [
    ("LSTM", {"peephole": True}), ("GRU", {"reset_after": False})])
def test_cuda_matches_cpu(name, options):
    torch.manual_seed(8)
    cpu = getattr(ct, name)(D, H, dtype=F64, **options)
    gpu = getattr(ct, name)(D, H, dtype=F64, device="cuda", **options)
    gpu.load_state_dict(cpu.state_dict())
    x = torch.randn(6, 3, D, dtype=F64)
    results = []
    for module, device in ((cpu, "cpu"), (gpu, "cuda")):
        xd = x.to(device).requires_grad_()
        outputs = flat(module(xd, None))
        assert all(t.device.type == device for t in outputs)
        sum((t * (k + 1)).sum() for k, t in enumerate(outputs)).backward()
        grads = [xd.grad] + [p.grad for p in module.parameters()]
        results.append([t.detach().cpu() for t in outputs + grads])
    for a, b in zip(*results, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-10)


@cuda
@pytest.mark.parametrize("name", CELLS)
def test_cuda_cells_and_device_errors(name):
    cell = getattr(ct, name)(D, H, device="cuda")
    out = flat(cell(torch.randn(2, D, device="cuda")))
    assert all(t.is_cuda for t in out)
    with pytest.raises(ValueError, match="expected a tensor on cuda"):
        cell(torch.randn(2, D))


# --------------------------------------------------------------------------- dL/dW_hh, two paths

@pytest.mark.parametrize("name", ["RNN", "LSTM"])
def test_frozen_recurrent_weight_takes_the_plain_path_and_stays_right(name):
    """The one-product dL/dW_hh is skipped when W_hh needs no gradient; the rest still match."""
    torch.manual_seed(9)
    mine = getattr(ct, name)(D, H, num_layers=2, dtype=F64)
    reference = getattr(torch.nn, name)(D, H, num_layers=2, dtype=F64)
    reference.load_state_dict(mine.state_dict())
    x = torch.randn(5, 2, D, dtype=F64)
    for module in (mine, reference):
        module.weight_hh_l0.requires_grad_(False)
        module(x)[0].pow(2).sum().backward()
    assert mine.weight_hh_l0.grad is None
    for (key, a), b in zip(mine.named_parameters(), reference.parameters(), strict=True):
        if a.requires_grad:
            torch.testing.assert_close(a.grad, b.grad, rtol=1e-10, atol=1e-12, msg=key)


def second_derivatives(module, x, hx):
    """d/d(every parameter) of |dL/d(every parameter)|^2 for L = sum(output^2) + sum(h_n)."""
    output, state = module(x, hx)
    loss = output.pow(2).sum() + sum(s.sum() for s in flat(state))
    params = list(module.parameters())
    grads = torch.autograd.grad(loss, params, create_graph=True)
    return torch.autograd.grad(sum(g.pow(2).sum() for g in grads), params)


@pytest.mark.parametrize("name", LAYERS)
def test_plain_path_gives_torch_nn_second_derivatives(name):
    """Double backward through the plain loop equals torch.nn's, including through W_hh."""
    torch.manual_seed(10)
    options = {"fused_weight_hh_grad": False} if name != "GRU" else {}
    mine = getattr(ct, name)(D, H, num_layers=2, bidirectional=True, dtype=F64, **options)
    reference = getattr(torch.nn, name)(D, H, num_layers=2, bidirectional=True, dtype=F64)
    reference.load_state_dict(mine.state_dict())
    x, hx = torch.randn(4, 2, D, dtype=F64), state_of(name, 4, 2)
    for a, b in zip(second_derivatives(mine, x, hx), second_derivatives(reference, x, hx),
                    strict=True):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("name", "options"), [("RNN", {}), ("LSTM", {"peephole": True})])
def test_plain_path_passes_gradgradcheck(name, options):
    torch.manual_seed(11)
    module = getattr(ct, name)(D, H, dtype=F64, fused_weight_hh_grad=False, **options)
    params = [p.detach().clone().requires_grad_() for p in module.parameters()]
    names = [n for n, _ in module.named_parameters()]
    x = torch.randn(3, 2, D, dtype=F64, requires_grad=True)

    def fn(x, *tensors):
        return torch.func.functional_call(module, dict(zip(names, tensors, strict=True)),
                                          (x,))[0]

    assert torch.autograd.gradgradcheck(fn, (x, *params), eps=1e-6, atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize(("name", "wrt"), [
    (name, wrt) for name in ("RNN", "LSTM")
    for wrt in ("weight_hh_l0", "weight_ih_l0", "x", "h_0")] + [("LSTM", "weight_peephole_l0")])
def test_fused_path_refuses_second_derivatives(name, wrt):
    """dL/dW_hh is formed from detached states, so a graph of any gradient through the layer
    would miss every term through W_hh: create_graph=True must raise, never return None."""
    module = getattr(ct, name)(D, H, dtype=F64, **({"peephole": True} if name == "LSTM" else {}))
    x = torch.randn(4, 2, D, dtype=F64, requires_grad=True)
    hx = [t.requires_grad_() for t in flat(state_of(name, 1, 2))]
    inputs = {"x": x, "h_0": hx[0], **dict(module.named_parameters())}
    loss = module(x, tuple(hx) if name == "LSTM" else hx[0])[0].pow(2).sum()
    with pytest.raises(RuntimeError, match="fused_weight_hh_grad=False"):
        torch.autograd.grad(loss, inputs[wrt], create_graph=True)
