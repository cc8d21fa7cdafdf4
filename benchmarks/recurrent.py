"""Forward + backward of RNN, LSTM and GRU: NumPy backend, torch backend and torch.nn.

Every contestant does the same work per call: a forward pass over (T, N, D) float32 inputs and
a backward pass with a fixed upstream gradient at the output, computing the gradients of the
input and of every parameter. The "GEMM floor" times only the matrix products that any
implementation of forward + backward must do, in NumPy, so it shows how much of each layer's
time is arithmetic the layout cannot avoid and how much is per-step overhead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

import course_rnn.numpy as cnp
import course_rnn.torch as ctorch
from benchmarks.timing import interleaved_samples

GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}


@dataclass(frozen=True)
class Size:
    T: int = 100
    N: int = 64
    D: int = 128
    H: int = 256

    def __str__(self):
        return f"T={self.T} N={self.N} D={self.D} H={self.H}"


def flops(kind: str, size: Size) -> float:
    """Multiply-adds x 2 of the forward + backward matrix products of one layer.

    Forward: x W_ih^T and h W_hh^T; backward: the gradients of x, h, W_ih and W_hh -- each a
    (T*N) x (G*H) by (D or H) product, six in all.
    """
    return 6 * 2 * size.T * size.N * GATES[kind] * size.H * (size.D + size.H)


def numpy_contestant(kind: str, size: Size, rng):
    layer = getattr(cnp, kind)(size.D, size.H, dtype=np.float32, rng=0)
    x = rng.standard_normal((size.T, size.N, size.D), dtype=np.float32)
    dout = rng.standard_normal((size.T, size.N, size.H), dtype=np.float32)

    def step():
        layer(x)
        layer.backward(dout)
    return step


def torch_contestant(module: torch.nn.Module, size: Size, rng, device: str):
    x = torch.from_numpy(rng.standard_normal((size.T, size.N, size.D), dtype=np.float32))
    x = x.to(device).requires_grad_()
    dout = torch.from_numpy(rng.standard_normal((size.T, size.N, size.H), dtype=np.float32))
    dout = dout.to(device)

    def step():
        for p in module.parameters():
            p.grad = None
        x.grad = None
        output, _ = module(x)
        output.backward(dout)
    return step


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
    """name -> callable, for one cell type at one size."""
    rng = np.random.default_rng(0)
    reference = getattr(torch.nn, kind)(size.D, size.H).to(device)
    mine = getattr(ctorch, kind)(size.D, size.H).to(device)
    mine.load_state_dict(reference.state_dict())
    entries = {"torch.nn": torch_contestant(reference, size, rng, device),
               "course_rnn.torch": torch_contestant(mine, size, rng, device)}
    if with_numpy:
        entries["course_rnn.numpy"] = numpy_contestant(kind, size, rng)
        entries["GEMM floor"] = gemm_floor(kind, size, rng)
    return entries


def measure(kind: str, size: Size, repeats: int, device: str = "cpu") -> dict[str, list[float]]:
    """Seconds per forward + backward of every contestant in every repeat, timed interleaved."""
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    return interleaved_samples(contestants(kind, size, device, with_numpy=device == "cpu"),
                               repeats, sync=sync)
