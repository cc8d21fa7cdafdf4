r"""Losses in NumPy that return their gradient together with their value.

A loss is the last node of the graph: its backward needs no upstream gradient (dL/dL = 1) and
only the values its forward already holds (the probabilities, the residuals). Returning
``(loss, dlogits)`` from one call therefore saves a cache and a second function, and the
training loop reads naturally::

    loss, dlogits = softmax_cross_entropy(head(output), targets)
    layer.backward(head.backward(dlogits))

Softmax cross-entropy over V classes at every position p (e.g. every (t, n) of a sequence):

    log p_p = z_p - max(z_p) - log sum_v exp(z_pv - max(z_p))     (stable log-softmax)
    l_p     = -log p_p[y_p]
    dl_p / dz_p = softmax(z_p) - onehot(y_p)

Reductions, with a weight w_p per position (0 where y_p = ignore_index, else ``mask[p]``, else 1):

    'mean':  L = sum_p w_p l_p / sum_p w_p        dL/dz_p = w_p (softmax(z_p) - onehot(y_p)) / sum w
    'sum':   L = sum_p w_p l_p                    dL/dz_p = w_p (softmax(z_p) - onehot(y_p))
    'none':  l_p * w_p for every p; the gradient row p is that of position p's own loss (each loss
             depends on its own row of logits only, so one array holds every per-position gradient)

'mean' divides by the number of counted positions, not by the number of positions, exactly as
``torch.nn.functional.cross_entropy(..., ignore_index=...)``; if nothing counts, the mean is NaN
(0 / 0) and the gradient zero, again as in torch.

Shapes: ``...`` any leading axes (e.g. (T, N)), V vocabulary / classes; logits (..., V) keep the
classes on the *last* axis (torch's cross_entropy wants them on axis 1; move them with
``logits.permute(1, 2, 0)`` for (T, N, V) -> (N, V, T) when comparing).
"""

from __future__ import annotations

import numpy as np

from course_rnn.shapes import (
    check_indices,
    expect_choice,
    expect_finite,
    expect_float,
    expect_same_shape,
)

REDUCTIONS = ("mean", "sum", "none")


def log_softmax(z: np.ndarray) -> np.ndarray:
    """log softmax over the last axis, shifted by the maximum so that exp never overflows."""
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def position_weights(targets: np.ndarray, ignore_index: int, mask, dtype) -> np.ndarray:
    """w_p: 0 at ignored targets, else mask[p] (or 1 without a mask). Shape (...,)."""
    weights = (targets != ignore_index).astype(dtype)
    if mask is not None:
        mask = np.asarray(mask)
        if mask.dtype != np.bool_:
            expect_float("mask", mask)
            expect_finite("mask", mask)
        expect_same_shape("mask", mask, "targets", targets.shape)
        if (mask < 0).any():
            raise ValueError("mask: expected non-negative weights, found a negative one")
        weights *= mask
    return weights


def reduce_loss(losses: np.ndarray, grad: np.ndarray, weights: np.ndarray, reduction: str):
    """Apply the reduction to the weighted per-position ``losses`` (...,) and their ``grad``.

    ``grad`` (..., K) holds each position's unweighted gradient; the weights and the mean's
    denominator are applied here, so both losses share one definition of 'mean'.
    """
    grad *= weights[..., None]
    if reduction == "none":
        return losses * weights, grad
    total = float(np.sum(losses * weights))
    if reduction == "sum":
        return total, grad
    count = float(weights.sum())
    if count == 0.0:  # nothing counted: torch's NaN mean and zero gradient
        return float("nan"), grad
    return total / count, grad / count


def softmax_cross_entropy(logits, targets, *, ignore_index: int = -100, mask=None,
                          reduction: str = "mean"):
    """Cross-entropy of integer class targets under softmax(logits), with its gradient.

    Parameters
    ----------
    logits : (..., V) unnormalised scores, e.g. (T, N, V) from a Linear head over a sequence.
    targets : (...,) integer classes in [0, V), or ``ignore_index`` at positions to skip
        (padding).
    ignore_index : the target value that marks a position as not counted.
    mask : (...,) float or bool weight per position, or None. With 'mean' the loss is
        sum(mask * l) / sum(mask) (ignored positions count as mask 0).
    reduction : 'mean' (default), 'sum' or 'none'.

    Returns
    -------
    loss : a float ('mean', 'sum') or an array (...,) ('none').
    dlogits : (..., V) gradient of ``loss`` with respect to ``logits`` (see the module notes
        for 'none').
    """
    expect_choice("reduction", reduction, REDUCTIONS)
    expect_float("logits", logits)
    if np.ndim(logits) < 1:
        raise ValueError("logits: expected shape (..., V) with the classes last, got a scalar")
    logits = np.asarray(logits)
    expect_finite("logits", logits)
    targets = np.asarray(targets)
    if not np.issubdtype(targets.dtype, np.integer):
        raise TypeError(f"targets: expected integer class indices, got dtype {targets.dtype} "
                        "(class probabilities are not supported)")
    expect_same_shape("targets", targets, "logits without the class axis", logits.shape[:-1])
    V = logits.shape[-1]
    check_indices("targets", targets, V, allowed=(ignore_index,))
    weights = position_weights(targets, ignore_index, mask, logits.dtype)
    log_p = log_softmax(logits)  # (..., V)
    # ignored positions may hold any id (e.g. -100); read class 0 there, its weight is 0
    safe = np.where(targets == ignore_index, 0, targets)[..., None]  # (..., 1)
    losses = -np.take_along_axis(log_p, safe, axis=-1)[..., 0]  # (...,)
    grad = np.exp(log_p)  # softmax
    np.put_along_axis(grad, safe, np.take_along_axis(grad, safe, axis=-1) - 1.0, axis=-1)
    return reduce_loss(losses, grad, weights, reduction)


def mse_loss(pred, target, *, reduction: str = "mean"):
    """Mean squared error with its gradient, as ``torch.nn.functional.mse_loss``.

        'mean': L = sum (pred - target)^2 / numel      dL/dpred = 2 (pred - target) / numel
        'sum':  L = sum (pred - target)^2              dL/dpred = 2 (pred - target)
        'none': (pred - target)^2 elementwise           gradient of each element's own loss

    Parameters
    ----------
    pred : any shape, e.g. (T, N, V) regression outputs.
    target : exactly the shape of ``pred`` (no broadcasting: a (T, N) target against (T, N, 1)
        predictions would silently compare every pair).
    reduction : 'mean' (default), 'sum' or 'none'.

    Returns
    -------
    loss : a float, or an array shaped like ``pred`` for 'none'.
    dpred : gradient of ``loss`` with respect to ``pred``, shaped like ``pred``.
    """
    expect_choice("reduction", reduction, REDUCTIONS)
    for name, array in (("pred", pred), ("target", target)):
        expect_float(name, array)
        expect_finite(name, np.asarray(array))
    expect_same_shape("target", target, "pred", np.shape(pred))
    diff = np.asarray(pred) - np.asarray(target)
    ones = np.ones(diff.shape, dtype=diff.dtype)
    # every element is a position with weight 1; the trailing axis of length 1 fits reduce_loss
    loss, grad = reduce_loss(diff**2, (2 * diff)[..., None], ones, reduction)
    return loss, grad[..., 0]
