r"""dL/dW_hh of a whole sequence as one matrix product: the one gradient the torch layers assemble.

Chapter 4 derives the gradient of the recurrent weights as a sum over time,

    dL/dW_hh = sum_t delta_t^T h_{t-1}          delta_t = dL/da_t (N, G*H), h_{t-1} (N, H)

where a_t is the step's pre-activation. Plain autograd forms exactly that sum, one term per
step: T products with N rows each, added up as they arrive. Stacking the T*N rows turns the
sum into a single product, dL/dW_hh = Delta^T H_prev, which a CPU computes faster than T thin
ones (``python -m benchmarks`` measures how much, as the "fused" and "plain" rows).

This works where the step adds h_{t-1} W_hh^T straight to the input term x_proj_t (the RNN and
the LSTM): the gradient autograd delivers to x_proj_t is then delta_t itself. The GRU's reset
gate multiplies part of h_{t-1} W_hh^T, so it always takes the plain path.

Shapes: N batch, T time, H hidden, G gates (1 RNN, 4 LSTM).
"""

from __future__ import annotations

import torch

SECOND_ORDER_MESSAGE = (
    "second derivatives (create_graph=True, gradgradcheck) cannot pass through the fused "
    "dL/dW_hh, which is formed from detached states; build the layer with "
    "fused_weight_hh_grad=False to let autograd differentiate the loop plainly")


class RecurrentWeightGradient(torch.autograd.Function):
    """Identity on the loop's inputs whose backward also returns dL/dW_hh as one product.

    ``apply(W_hh, h_prev, x_proj, *others)`` returns views of x_proj (T, N, G*H) and of
    ``others``: every other tensor the loop reads (initial states, peepholes). The loop must
    use a detached W_hh, so that autograd does not also form the T small products;
    ``h_prev`` is a list the loop fills with the stacked states H_prev (T, N, H) once it has
    computed them (this forward runs before the loop). Routing every input through this one
    node means no gradient can leave the layer without passing the check in ``backward``.
    """

    @staticmethod
    def forward(ctx, W_hh, h_prev, x_proj, *others):
        ctx.h_prev = h_prev
        return (x_proj.view_as(x_proj), *(t.view_as(t) for t in others))

    @staticmethod
    def backward(ctx, delta, *d_others):
        # the loop's own backward ran with the detached W_hh, so a graph of any gradient
        # leaving the layer would lack every term through W_hh: refuse, never be silently wrong
        if torch.is_grad_enabled():
            raise RuntimeError(SECOND_ORDER_MESSAGE)
        (h_prev,) = ctx.h_prev
        T, N, GH = delta.shape
        H = h_prev.shape[2]
        dW_hh = delta.reshape(T * N, GH).t().mm(h_prev.reshape(T * N, H))  # (G*H, H)
        # one gradient per forward argument: W_hh, the list, then x_proj and the others,
        # on which this node is the identity
        return dW_hh, None, delta, *d_others
