"""Run one recurrent layer forward and backward the same way on any backend.

Every backend is driven through one function returning a ``Result`` of NumPy arrays, so each
parity test is written once and parametrized over the backends, and torch.nn is simply the
reference "backend". NumPy layers use their hand-written ``backward``; torch modules get the
same upstream gradients through autograd.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

import course_rnn.numpy
import course_rnn.torch

BACKENDS = ["numpy", "torch"]
LAYERS = ["RNN", "LSTM", "GRU"]
CELLS = ["RNNCell", "LSTMCell", "GRUCell"]


@dataclass
class Result:
    output: np.ndarray
    state: tuple          # h_n, or (h_n, c_n)
    dx: np.ndarray
    dstate: tuple         # gradient at hx, same structure
    grads: dict           # parameter name -> gradient


def as_tuple(state):
    return state if isinstance(state, tuple) else (state,)


def pack(parts: tuple, is_lstm: bool):
    """A state tuple in the form the layer takes: one array, or an (h, c) tuple for an LSTM."""
    return tuple(parts) if is_lstm else parts[0]


def run_numpy(layer, x, hx, doutput, dhx) -> Result:
    output, state = layer(x, hx)
    dx, dstate = layer.backward(doutput, dhx)
    return Result(output, as_tuple(state), dx, as_tuple(dstate), dict(layer.grads))


def run_torch(module, x, hx, doutput, dhx) -> Result:
    """Forward and autograd backward of L = sum(output * doutput) + sum(h_n * dh_n) (+ c_n)."""
    def leaf(a):
        return torch.tensor(a, dtype=torch.float64, requires_grad=True)

    xt = leaf(x)
    hx_leaves = None if hx is None else tuple(leaf(a) for a in as_tuple(hx))
    is_lstm = type(module).__name__ == "LSTM"
    output, state = module(xt, None if hx is None else pack(hx_leaves, is_lstm))
    state = as_tuple(state)
    loss = (output * torch.from_numpy(doutput)).sum()
    if dhx is not None:
        loss = loss + sum((s * torch.from_numpy(d)).sum() for s, d in zip(state, as_tuple(dhx)))
    loss.backward()
    dstate = (tuple(h.grad.numpy() for h in hx_leaves) if hx is not None
              else tuple(None for _ in state))
    return Result(output.detach().numpy(), tuple(s.detach().numpy() for s in state),
                  xt.grad.numpy(), dstate,
                  {name: p.grad.numpy() for name, p in module.named_parameters()})


def build(backend: str, name: str, *args, **kwargs):
    """A float64 layer or cell ``name`` ('LSTM', 'GRUCell', ...) of ``backend``, or of torch.nn."""
    if backend == "numpy":
        return getattr(course_rnn.numpy, name)(*args, **kwargs)
    source = torch.nn if backend == "torch.nn" else course_rnn.torch
    return getattr(source, name)(*args, **kwargs, dtype=torch.float64)


def to_backend(backend: str, array):
    """A NumPy array as the backend takes it (a tensor for torch)."""
    return array if backend == "numpy" else torch.from_numpy(array)


def as_numpy(value) -> np.ndarray:
    """A NumPy copy of a tensor, or the array itself."""
    return value.detach().cpu().numpy() if hasattr(value, "detach") else np.asarray(value)


def weights(module) -> dict[str, np.ndarray]:
    """Any module's state_dict as NumPy arrays."""
    return {k: as_numpy(v) for k, v in module.state_dict().items()}


def make_layer(backend: str, kind: str, options: dict, state_dict: dict):
    """A layer of ``kind`` ('RNN', 'LSTM', 'GRU') on ``backend`` holding ``state_dict``."""
    module = build(backend, kind, **options)
    module.load_state_dict({k: to_backend(backend, v) for k, v in state_dict.items()})
    return module


def run(backend: str, layer, x, hx, doutput, dhx) -> Result:
    return (run_numpy if backend == "numpy" else run_torch)(layer, x, hx, doutput, dhx)


def assert_results_equal(actual: Result, expected: Result, rtol=1e-10, atol=1e-12):
    np.testing.assert_allclose(actual.output, expected.output, rtol=rtol, atol=atol,
                               err_msg="output")
    for name, a, e in zip(("h_n", "c_n"), actual.state, expected.state):
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, err_msg=name)
    np.testing.assert_allclose(actual.dx, expected.dx, rtol=rtol, atol=atol, err_msg="dx")
    for name, a, e in zip(("dh_0", "dc_0"), actual.dstate, expected.dstate):
        if e is not None:
            np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, err_msg=name)
    assert actual.grads.keys() == expected.grads.keys()
    for name in expected.grads:
        np.testing.assert_allclose(actual.grads[name], expected.grads[name], rtol=rtol,
                                   atol=atol, err_msg=name)
