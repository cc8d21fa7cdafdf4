"""Elementwise nonlinearities and their derivatives, written in terms of the *output*.

Backward passes keep only the activations, not the pre-activations, because for every function
here the derivative is a cheap expression of the output y = f(a):

    tanh:     f'(a) = 1 - y**2
    sigmoid:  f'(a) = y * (1 - y)
    relu:     f'(a) = 1 if y > 0 else 0
"""

from __future__ import annotations

import numpy as np


def sigmoid(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Logistic function 1 / (1 + exp(-a)), computed as (1 + tanh(a / 2)) / 2.

    The tanh form never overflows, unlike exp(-a) for very negative a.
    """
    out = np.multiply(a, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


def relu(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """max(a, 0)."""
    return np.maximum(a, 0.0, out=out)


def tanh(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Hyperbolic tangent."""
    return np.tanh(a, out=out)


def tanh_grad(y: np.ndarray) -> np.ndarray:
    """d tanh(a) / da given y = tanh(a)."""
    return 1.0 - y * y


def sigmoid_grad(y: np.ndarray) -> np.ndarray:
    """d sigmoid(a) / da given y = sigmoid(a)."""
    return y * (1.0 - y)


def relu_grad(y: np.ndarray) -> np.ndarray:
    """d relu(a) / da given y = relu(a) (0 at a = 0, as in torch)."""
    return (y > 0).astype(y.dtype)


NONLINEARITIES = {"tanh": (tanh, tanh_grad), "relu": (relu, relu_grad)}
