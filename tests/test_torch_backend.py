"""What is specific to the PyTorch backend: weight exchange with torch.nn, autograd gradients,
peepholes and forget bias, devices and dtypes, unbatched input, error messages.

Output and gradient parity with torch.nn over many shapes (and the peephole LSTM against the
NumPy backend) is in test_parity.py; the layer errors both backends share are in test_errors.py.
Shapes: N batch, T time, D input, H hidden.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import course_rnn.torch as ct

D, H = 3, 4
F64 = torch.float64

LAYERS = ["RNN", "LSTM", "GRU"]
CELLS = ["RNNCell", "LSTMCell", "GRUCell"]
LAYER_OPTIONS = [
    {},
    {"num_layers": 2, "bidirectional": True},
    {"bias": False, "batch_first": True},
    {"num_layers": 3, "bias": False, "bidirectional": True},
]

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


def make(name, *args, **kwargs):
    return getattr(ct, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)


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

@pytest.mark.parametrize("options", LAYER_OPTIONS)
@pytest.mark.parametrize("name", LAYERS)
def test_state_dict_round_trip_with_torch_nn(name, options):
    mine, ref = make(name, D, H, **options)
    assert [(k, v.shape) for k, v in mine.state_dict().items()] == \
           [(k, v.shape) for k, v in ref.state_dict().items()]
    mine.load_state_dict(ref.state_dict())
    assert all(torch.equal(a, b) for a, b in zip(mine.parameters(), ref.parameters(), strict=True))
    with torch.no_grad():
        for p in mine.parameters():
            p.normal_()
    ref.load_state_dict(mine.state_dict())
    assert all(torch.equal(a, b) for a, b in zip(mine.parameters(), ref.parameters(), strict=True))


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("name", CELLS)
def test_cell_state_dict_round_trip_with_torch_nn(name, bias):
    mine, ref = make(name, D, H, bias=bias)
    assert list(mine.state_dict()) == list(ref.state_dict())
    mine.load_state_dict(ref.state_dict())
    ref.load_state_dict(mine.state_dict())
    assert all(torch.equal(a, b) for a, b in zip(mine.parameters(), ref.parameters(), strict=True))


@pytest.mark.parametrize("name", LAYERS + CELLS)
def test_same_seed_gives_torch_nn_initial_weights(name):
    torch.manual_seed(7)
    mine = getattr(ct, name)(D, H)
    torch.manual_seed(7)
    ref = getattr(torch.nn, name)(D, H)
    assert all(torch.equal(a, b) for a, b in zip(mine.parameters(), ref.parameters(), strict=True))
    bound = 1 / H ** 0.5
    assert all(p.abs().max() <= bound for p in mine.parameters())


def test_peephole_parameters_follow_each_direction():
    lstm = ct.LSTM(D, H, num_layers=2, bidirectional=True, peephole=True)
    names = list(lstm.state_dict())
    assert names[:10] == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                          "weight_peephole_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse",
                          "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_peephole_l0_reverse"]
    assert lstm.weight_peephole_l1_reverse.shape == (3, H)
    assert lstm.weight_peephole_l1.abs().min() > 0  # initialised like the others, not zeros
    assert list(ct.LSTMCell(D, H, peephole=True).state_dict())[-1] == "weight_peephole"


@pytest.mark.parametrize("cell", [False, True])
def test_forget_bias_sets_the_total_forget_gate_bias(cell):
    lstm = ct.LSTMCell(D, H, forget_bias=1.5) if cell else ct.LSTM(D, H, 2, forget_bias=1.5)
    for _ in range(2):  # reset_parameters must keep it
        biases = dict(lstm.named_parameters())
        ih = [v for k, v in biases.items() if k.startswith("bias_ih")]
        hh = [v for k, v in biases.items() if k.startswith("bias_hh")]
        assert len(ih) == len(hh) > 0
        for b_ih, b_hh in zip(ih, hh, strict=True):
            assert torch.all(b_ih[H:2 * H] == 1.5) and torch.all(b_hh[H:2 * H] == 0)
            assert b_ih[:H].abs().max() <= 1 / H ** 0.5
        lstm.reset_parameters()


def test_forget_bias_changes_the_output_and_needs_bias():
    torch.manual_seed(0)
    plain = ct.LSTM(D, H)
    torch.manual_seed(0)
    biased = ct.LSTM(D, H, forget_bias=3.0)
    x = torch.randn(5, 2, D)
    assert not torch.allclose(plain(x)[0], biased(x)[0])
    with pytest.raises(ValueError, match="forget_bias needs bias=True"):
        ct.LSTM(D, H, bias=False, forget_bias=1.0)


# --------------------------------------------------------------------------- autograd

GRADCHECK_CASES = [
    ("RNN", {"num_layers": 2, "bidirectional": True}),
    ("RNN", {"nonlinearity": "relu", "batch_first": True}),
    ("LSTM", {"num_layers": 2, "bidirectional": True}),
    ("LSTM", {"peephole": True, "bidirectional": True, "batch_first": True}),
    ("GRU", {"num_layers": 2, "bidirectional": True}),
    ("GRU", {"bias": False}),
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
                         + [("LSTMCell", {"peephole": True})])
def test_gradcheck_cells(name, options):
    torch.manual_seed(3)
    module = getattr(ct, name)(D, H, dtype=F64, **options)
    _gradcheck(module, torch.randn(2, D, dtype=F64), state_of(name, None, 2))


# --------------------------------------------------------------------------- unbatched input

@pytest.mark.parametrize("name", LAYERS)
def test_unbatched_layer_equals_a_batch_of_one(name):
    torch.manual_seed(4)
    layer = getattr(ct, name)(D, H, num_layers=2, bidirectional=True, batch_first=True)
    x, hx = torch.randn(5, D), state_of(name, 4, 1, dtype=torch.float32)
    out, state = layer(x, drop_batch_axis(hx))
    out_b, state_b = layer(x[None], hx)
    assert out.shape == (5, 2 * H)
    torch.testing.assert_close(out, out_b[0])
    for a, b in zip(flat(state), flat(state_b), strict=True):
        assert a.shape == (4, H)
        torch.testing.assert_close(a, b[:, 0])


def drop_batch_axis(hx):
    """Drop the batch axis (1) of a layer state, for the unbatched call."""
    return tuple(t[:, 0] for t in hx) if isinstance(hx, tuple) else hx[:, 0]


@pytest.mark.parametrize("name", CELLS)
def test_unbatched_cell_equals_a_batch_of_one(name):
    torch.manual_seed(5)
    cell = getattr(ct, name)(D, H)
    x, hx = torch.randn(D), state_of(name, None, 1, dtype=torch.float32)
    one = flat(cell(x, tuple(t[0] for t in hx) if isinstance(hx, tuple) else hx[0]))
    batch = flat(cell(x[None], hx))
    for a, b in zip(one, batch, strict=True):
        assert a.shape == (H,)
        torch.testing.assert_close(a, b[0])
    assert all(t.shape == (H,) for t in flat(cell(x)))


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


def test_dropout_acts_between_layers_in_training_only():
    torch.manual_seed(6)
    layer = ct.GRU(D, H, num_layers=2, dropout=0.5)
    x = torch.randn(4, 3, D)
    layer.eval()
    reference = layer(x)[0]
    plain = ct.GRU(D, H, num_layers=2)
    plain.load_state_dict(layer.state_dict())
    torch.testing.assert_close(reference, plain(x)[0])
    layer.train()
    assert not torch.allclose(layer(x)[0], reference)


# --------------------------------------------------------------------------- error messages

# the layer errors shared with the NumPy backend are in test_errors.py; these are the rest

@pytest.mark.parametrize("name", LAYERS)
def test_layer_input_errors(name):
    layer = getattr(ct, name)(D, H, num_layers=2)
    with pytest.raises(ValueError, match=r"\(T, D=3\), got \(5, 2\). A 2-D input is one unbat"):
        layer(torch.randn(5, 2))
    with pytest.raises(ValueError, match=r"\(T, N, D=3\), got \(5, 2, 1, 3\). With batch_first"):
        layer(torch.randn(5, 2, 1, D))
    with pytest.raises(ValueError, match="at least one time step"):
        layer(torch.randn(0, 2, D))
    with pytest.raises(TypeError, match="expected a torch.Tensor, got ndarray"):
        layer(np.zeros((5, 2, D), dtype=np.float32))


def test_lstm_cell_state_errors():
    with pytest.raises(TypeError, match=r"hx: expected a tuple \(h_0, c_0\)"):
        ct.LSTMCell(D, H)(torch.randn(2, D), torch.zeros(2, H))
    with pytest.raises(ValueError, match=r"c_0: expected shape \(N=2, H=4\), got \(2, 5\)"):
        ct.LSTMCell(D, H)(torch.randn(2, D), (torch.zeros(2, H), torch.zeros(2, 5)))


def test_cell_input_errors():
    cell = ct.RNNCell(D, H)
    with pytest.raises(ValueError, match=r"input: expected shape \(N, D=3\), got \(2, 5\)"):
        cell(torch.randn(2, 5))
    with pytest.raises(ValueError, match=r"h_0: expected shape \(N=2, H=4\), got \(3, 4\)"):
        cell(torch.randn(2, D), torch.zeros(3, H))
    with pytest.raises(ValueError, match="finite values, found inf"):
        cell(torch.randn(2, D), torch.full((2, H), float("inf")))


def test_constructor_errors():
    with pytest.raises(ValueError, match="nonlinearity: expected 'tanh' or 'relu', got 'sigmoid'"):
        ct.RNNCell(D, H, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="hidden_size: expected a positive integer, got 0"):
        ct.LSTMCell(D, 0)
    with pytest.raises(ValueError, match="dropout"):
        ct.LSTM(D, H, dropout=1.5)


# --------------------------------------------------------------------------- CUDA

@cuda
@pytest.mark.parametrize(("name", "options"), GRADCHECK_CASES[::2] + [("LSTM", {"peephole": True})])
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
