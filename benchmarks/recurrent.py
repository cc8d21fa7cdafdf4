"""Forward + backward of RNN, LSTM and GRU: NumPy backend, torch backend, torch.nn, a plain loop.

Every contestant does the same work per call: a forward pass over (T, N, D) float32 inputs and
a backward pass with a fixed upstream gradient at the output, computing the gradients of the
input and of every parameter. The "GEMM floor" times only the matrix products that any
implementation of forward + backward must do, in NumPy, so it shows how much of each layer's
time is arithmetic the layout cannot avoid and how much is per-step overhead.

The torch backend runs twice for the RNN and the LSTM, with dL/dW_hh formed as one product
(``fused_weight_hh_grad=True``) and left to autograd (False), so the table shows what the
hand-assembled gradient buys; the "d2l-style loop" (``plain_loop.py``) is the from-scratch
code the backend has to beat. The NumPy backend runs twice too: its sequence functions, and a
plain loop of its step functions (``step_loop.py``), which shows what the sequence functions'
two optimisations buy.

:func:`cells_side_by_side` times several cells (the LSTM against the GRU, say) in one
interleaved run, each in torch.nn and in both backends, so that the ratio between two cells is
measured under the same load.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

import course_rnn.numpy as cnp
import course_rnn.torch as ctorch
from benchmarks.plain_loop import GATES, gate_weights, plain_loop
from benchmarks.step_loop import step_loop_contestant
from benchmarks.timing import interleaved_samples

FUSED = "course_rnn.torch fused dW_hh"    # fused_weight_hh_grad=True
PLAIN = "course_rnn.torch plain dW_hh"    # fused_weight_hh_grad=False: all autograd
PLAIN_LOOP = "d2l-style loop"             # plain_loop.py
STEP_LOOP = "course_rnn.numpy step loop"  # step_loop.py: without the sequence functions' tricks
FLOOR = "GEMM floor"


@dataclass(frozen=True)
class Size:
    T: int = 100
    N: int = 64
    D: int = 128
    H: int = 256

    def __str__(self):
        return f"T={self.T} N={self.N} D={self.D} H={self.H}"


def flops(kind: str, size: Size) -> float:
    """Floating-point operations of the forward + backward matrix products of one layer.

    Every product has T*N rows and G*H columns. Forward: x W_ih^T (inner size D) and
    h W_hh^T (H); backward: dL/dx (D), dL/dh (H), dL/dW_ih (D) and dL/dW_hh (H). Six
    products, 3*T*N*G*H*(D+H) multiply-adds, two floating-point operations each.
    """
    return 6 * size.T * size.N * GATES[kind] * size.H * (size.D + size.H)


def numpy_contestant(kind: str, size: Size, rng):
    layer = getattr(cnp, kind)(size.D, size.H, dtype=np.float32, rng=0)
    x = rng.standard_normal((size.T, size.N, size.D), dtype=np.float32)
    dout = rng.standard_normal((size.T, size.N, size.H), dtype=np.float32)

    def step():
        layer(x)
        layer.backward(dout)
    return step


def autograd_contestant(forward, parameters, size: Size, rng, device: str):
    """Forward over a (T, N, D) input, then autograd backward from a fixed dL/doutput.

    ``forward`` maps the input to the (T, N, H) output; ``parameters`` are the leaves whose
    gradients are cleared before each call, as an optimiser's ``zero_grad`` would.
    """
    parameters = list(parameters)
    x = torch.from_numpy(rng.standard_normal((size.T, size.N, size.D), dtype=np.float32))
    x = x.to(device).requires_grad_()
    dout = torch.from_numpy(rng.standard_normal((size.T, size.N, size.H), dtype=np.float32))
    dout = dout.to(device)

    def step():
        for p in parameters:
            p.grad = None
        x.grad = None
        forward(x).backward(dout)
    return step


def module_contestant(module: torch.nn.Module, size: Size, rng, device: str):
    return autograd_contestant(lambda x: module(x)[0], module.parameters(), size, rng, device)


def plain_loop_contestant(kind: str, size: Size, rng, device: str):
    weights = gate_weights(kind, size.D, size.H, device, torch.Generator().manual_seed(0))
    return autograd_contestant(lambda x: plain_loop(kind, x, weights),
                               [w for gate in weights for w in gate], size, rng, device)


def gemm_floor(kind: str, size: Size, rng):
    """The six products of :func:`flops` alone: big ones over all T*N rows, T small ones."""
    T, N, D, H, GH = size.T, size.N, size.D, size.H, GATES[kind] * size.H
    X = rng.standard_normal((T * N, D), dtype=np.float32)
    A = rng.standard_normal((T * N, GH), dtype=np.float32)
    Hs = rng.standard_normal((T * N, H), dtype=np.float32)
    W_ih = rng.standard_normal((GH, D), dtype=np.float32)
    W_hh = rng.standard_normal((GH, H), dtype=np.float32)

    def step():
        X @ W_ih.T                     # input projections
        A @ W_ih                       # dx
        A.T @ X                        # dW_ih
        A.T @ Hs                       # dW_hh
        for t in range(T):             # recurrences, forward and backward
            Hs[t * N:(t + 1) * N] @ W_hh.T
            A[t * N:(t + 1) * N] @ W_hh
    return step


def contestants(kind: str, size: Size, device: str = "cpu", with_numpy: bool = True):
    """name -> callable, for one cell type at one size; torch.nn first, the floor last."""
    rng = np.random.default_rng(0)
    reference = getattr(torch.nn, kind)(size.D, size.H).to(device)
    variants = {"course_rnn.torch": {}}
    if kind != "GRU":  # the GRU always leaves dL/dW_hh to autograd
        variants = {FUSED: {"fused_weight_hh_grad": True},
                    PLAIN: {"fused_weight_hh_grad": False}}
    entries = {"torch.nn": module_contestant(reference, size, rng, device)}
    for name, options in variants.items():
        mine = getattr(ctorch, kind)(size.D, size.H, **options).to(device)
        mine.load_state_dict(reference.state_dict())
        entries[name] = module_contestant(mine, size, rng, device)
    entries[PLAIN_LOOP] = plain_loop_contestant(kind, size, rng, device)
    if with_numpy:
        entries["course_rnn.numpy"] = numpy_contestant(kind, size, rng)
        entries[STEP_LOOP] = step_loop_contestant(kind, size, rng)
        entries[FLOOR] = gemm_floor(kind, size, rng)
    return entries


def measure(kind: str, size: Size, repeats: int, device: str = "cpu") -> dict[str, list[float]]:
    """Seconds per forward + backward of every contestant in every repeat, timed interleaved."""
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    return interleaved_samples(contestants(kind, size, device, with_numpy=device == "cpu"),
                               repeats, sync=sync)


IMPLEMENTATIONS = ("torch.nn", "course_rnn.torch", "course_rnn.numpy")
"""What :func:`cells_side_by_side` times for each cell."""


def cells_side_by_side(kinds, size: Size, repeats: int) -> dict[tuple[str, str], list[float]]:
    """Seconds per forward + backward on the CPU, float32, of each cell kind in each of
    :data:`IMPLEMENTATIONS`, all timed interleaved in every repeat.

    Returns ``{(implementation, kind): [seconds of each repeat]}``; compare two kinds with
    :func:`~benchmarks.timing.median_ratio` of their lists.
    """
    rng = np.random.default_rng(0)
    entries = {}
    for kind in kinds:
        reference = getattr(torch.nn, kind)(size.D, size.H)
        mine = getattr(ctorch, kind)(size.D, size.H)
        mine.load_state_dict(reference.state_dict())
        entries["torch.nn", kind] = module_contestant(reference, size, rng, "cpu")
        entries["course_rnn.torch", kind] = module_contestant(mine, size, rng, "cpu")
        entries["course_rnn.numpy", kind] = numpy_contestant(kind, size, rng)
    return interleaved_samples(entries, repeats)
