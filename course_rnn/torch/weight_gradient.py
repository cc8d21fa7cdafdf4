"""dL/dW_hh of a whole sequence as one matrix product, for the torch layers' time loop.

Left to itself, autograd differentiates h_{t-1} W_hh^T at every step: T products of N rows
each, whose results it then adds up. The same sum is one product over all T*N rows,

    dL/dW_hh = sum_t da_t^T h_{t-1} = dA^T H_prev        dA (T*N, G*H), H_prev (T*N, H)

which a CPU computes several times faster than T thin ones. The NumPy backend does the same
in its hand-written backward; here it is the only piece of backward the torch layers write.
"""

from __future__ import annotations

import torch
from torch.autograd.function import once_differentiable


class RecurrentWeightGradient(torch.autograd.Function):
    """Identity on the input projections gi (T, N, G*H) whose backward also gives dL/dW_hh.

    For a step a_t = gi_t + h_{t-1} W_hh^T, dL/dW_hh = sum_t da_t^T h_{t-1} = dgi^T H_prev with
    all T*N rows stacked: one large matrix product instead of T small ones. ``slot`` is a
    list the loop fills with H_prev (T, N, H) once it has computed the states.
    """

    @staticmethod
    def forward(ctx, gi, W_hh, slot):
        ctx.slot = slot
        return gi.view_as(gi)

    @staticmethod
    @once_differentiable  # the weight gradient is formed from detached states: first order only
    def backward(ctx, dgi):
        (h_prev,) = ctx.slot
        T, N, GH = dgi.shape
        dW_hh = dgi.reshape(T * N, GH).t().mm(h_prev.reshape(T * N, h_prev.shape[2]))  # (G*H, H)
        return dgi, dW_hh, None
