r"""Gradient clipping in NumPy, the standard guard against exploding gradients in BPTT.

Backpropagation through time multiplies the gradient by the recurrent Jacobian once per step;
when its largest singular value exceeds 1 the gradient can grow exponentially with the sequence
length, and one huge step can throw the weights far off (Pascanu et al. 2013, "On the difficulty
of training recurrent neural networks"). Clipping bounds the step without changing its
direction:

    norm clipping:   n = sqrt(sum over all gradients of ||g||^2)
                     g <- g * max_norm / (n + 1e-6)   for every g, if n > max_norm
    value clipping:  g <- min(max(g, -c), c)          elementwise (changes the direction)

Both act in place on ``module.grads`` of every module given, after ``backward`` and before the
optimizer's ``step``, exactly as ``torch.nn.utils.clip_grad_norm_`` / ``clip_grad_value_``.
The norm is global: one factor for all parameters of all modules (e.g. an RNN and its head).
"""

from __future__ import annotations

import math

import numpy as np

from course_rnn.numpy.optim import as_modules
from course_rnn.shapes import expect_non_negative


def all_grads(modules) -> list[np.ndarray]:
    """Every gradient array of every module (the live arrays, so they can be changed in place)."""
    return [g for m in as_modules(modules) for g in m.grads.values()]


def clip_grad_norm(modules, max_norm: float) -> float:
    """Scale all gradients so that their global L2 norm is at most ``max_norm``; in place.

    Parameters
    ----------
    modules : a Module or a list of Modules whose ``grads`` are clipped together.
    max_norm : the largest allowed global norm.

    Returns
    -------
    total_norm : the global norm *before* clipping (worth logging: it shows when gradients
        explode).
    """
    expect_non_negative(max_norm=max_norm)
    grads = all_grads(modules)
    total = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
    # the 1e-6 keeps a zero gradient from dividing by zero; torch adds the same
    coef = max_norm / (total + 1e-6)
    if coef < 1.0:
        for g in grads:
            g *= coef
    return total


def clip_grad_value(modules, clip_value: float) -> None:
    """Clip every gradient element to [-clip_value, clip_value]; in place.

    Parameters
    ----------
    modules : a Module or a list of Modules.
    clip_value : the largest allowed absolute value of a gradient element.
    """
    expect_non_negative(clip_value=clip_value)
    for g in all_grads(modules):
        np.clip(g, -clip_value, clip_value, out=g)
