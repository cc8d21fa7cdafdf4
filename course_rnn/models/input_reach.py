r"""How far back a model's answer still depends on its input: ||dy/dx_k|| against the distance.

A model that reads x_0 .. x_{T-1} and answers y after the last step (the adding problem's
regressor, :class:`~course_rnn.models.adding_experiment.AddingRegressor`) can only learn from an
input whose influence on y survives the steps in between. BPTT carries that influence back as

    dy/dx_k = (dh_k/dx_k)^T (dh_{k+1}/dh_k)^T ... (dh_{T-1}/dh_{T-2})^T dy/dh_{T-1},

a product of T - 1 - k state Jacobians, the same product that chapter 6 bounds. For a gated
cell the Jacobians hold the gates: in a GRU, dh_t/dh_{t-1} contains diag(z), so the gradient
survives where the update gate stays near one and fades where it does not.
:func:`input_gradient_norms` measures ||dy/dx_k|| with autograd for every step k of a batch,
so it can be read for a freshly initialised model, a trained one, or one with scaled weights.

Shapes: T time, N batch, D input features.
"""

from __future__ import annotations

import numpy as np
import torch

from course_rnn.shapes import expect_input


def input_gradient_norms(model: torch.nn.Module, inputs) -> np.ndarray:
    """Batch mean of ||dy_n/dx_k[n]|| for every step k, ordered by distance from the end.

    Parameters
    ----------
    model : maps time-major inputs (T, N, D) to one answer per sequence, (N,) (or (N, K),
        whose entries are summed): every answer depends on its own sequence only.
    inputs : (T, N, D) array or tensor; converted to the model's dtype.

    Returns
    -------
    norms : (T,) float64 where ``norms[d]`` belongs to the input d steps before the last,
        x_{T-1-d}; ``norms[0]`` is the last step's.
    """
    expect_input("inputs", inputs, ("T", "N", "D"), (None, None, None))
    dtype = next(model.parameters()).dtype
    x = torch.as_tensor(np.asarray(inputs), dtype=dtype).requires_grad_()
    # the sequences are independent, so one gradient of the sum holds every dy_n/dx_n; the
    # parameters' .grad stay untouched
    (dx,) = torch.autograd.grad(model(x).sum(), x)
    norms = dx.norm(dim=2).mean(dim=1)  # (T,)
    return norms.flip(0).double().numpy()
