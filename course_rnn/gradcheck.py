"""Numerical gradient checking by central differences, for any NumPy forward function.

The scalar being differentiated is L = sum(output * upstream) for a fixed random ``upstream``:
a random projection exercises every output element with a different weight, so a backward pass
that mixes up two outputs or drops one cannot pass by symmetry, as it could with L = sum(output).

    dL/dtheta_k  ~  (L(theta_k + eps) - L(theta_k - eps)) / (2 eps)

Central differences are accurate to O(eps^2); in float64 with eps = 1e-6 the truncation and
rounding errors are both near 1e-10, far below the 1e-7 that a correct backward pass meets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np


def _as_tuple(value) -> tuple:
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def projected_loss(outputs, upstream) -> float:
    """L = sum over outputs of sum(output * upstream); ``None`` outputs are skipped."""
    outputs, upstream = _as_tuple(outputs), _as_tuple(upstream)
    if len(outputs) != len(upstream):  # a missing upstream would leave an output unchecked
        raise ValueError(f"projected_loss: {len(outputs)} outputs but {len(upstream)} "
                         "upstream gradients")
    return float(sum(np.sum(o * u) for o, u in zip(outputs, upstream) if o is not None))


def random_upstream(outputs, rng: np.random.Generator) -> tuple:
    """A standard-normal upstream gradient shaped like each output (None stays None)."""
    return tuple(None if o is None else rng.standard_normal(np.shape(o))
                 for o in _as_tuple(outputs))


def numerical_gradient(forward: Callable[[], object], array: np.ndarray, upstream,
                       eps: float = 1e-6) -> np.ndarray:
    """dL/d array by central differences, where L = projected_loss(forward(), upstream).

    ``forward`` takes no arguments and must read ``array`` (which is perturbed in place, one
    element at a time, and restored afterwards). Shape: the same as ``array``.
    """
    if array.dtype != np.float64:
        raise TypeError(f"numerical_gradient: expected a float64 array, got {array.dtype}; "
                        "finite differences in lower precision are dominated by rounding")
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        original = array[index]
        array[index] = original + eps
        plus = projected_loss(forward(), upstream)
        array[index] = original - eps
        minus = projected_loss(forward(), upstream)
        array[index] = original
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def relative_error(analytic: np.ndarray, numerical: np.ndarray) -> float:
    """||a - n|| / max(||a|| + ||n||, tiny).

    0 when equal, 1 when opposite or when one of them is zero, about 0.7 for two unrelated
    (orthogonal) gradients of equal size; a correct float64 backward pass gives about 1e-10.
    """
    analytic, numerical = np.asarray(analytic), np.asarray(numerical)
    if analytic.shape != numerical.shape:
        raise ValueError(f"relative_error: shapes differ, analytic {analytic.shape} vs "
                         f"numerical {numerical.shape}")
    scale = np.linalg.norm(analytic) + np.linalg.norm(numerical)
    return float(np.linalg.norm(analytic - numerical) / max(scale, 1e-300))


def gradient_errors(forward: Callable[[], object], arrays: Mapping[str, np.ndarray],
                    analytic: Mapping[str, np.ndarray], upstream,
                    eps: float = 1e-6) -> dict[str, float]:
    """Relative error of each analytic gradient against central differences.

    Parameters
    ----------
    forward : no-argument function returning the output(s); reads the arrays in ``arrays``.
    arrays : name -> float64 array to differentiate with respect to (perturbed in place).
    analytic : name -> the backward pass's gradient for the same names.
    upstream : the upstream gradient(s) the backward pass was given, shaped like the outputs.

    Returns
    -------
    name -> relative error (see :func:`relative_error`).
    """
    missing = set(arrays) - set(analytic)
    if missing:
        raise KeyError(f"gradient_errors: no analytic gradient for {sorted(missing)}")
    return {name: relative_error(analytic[name], numerical_gradient(forward, array, upstream, eps))
            for name, array in arrays.items()}
