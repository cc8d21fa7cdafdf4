"""Answers to the output-layer, loss and gradient-check tasks of exercise 5, as students write
them: right ones written in different ways, and wrong ones, each with words its check's
feedback must contain. Used by tests/test_checks_char.py.
"""

from __future__ import annotations

import numpy as np

# ---------------------------------------------------------------- output layer

def output_forward(h, V, c, f=lambda z: z):
    return f(h @ V.T + c), (h, V)


def output_einsum(h, V, c):
    return np.einsum("tnh,kh->tnk", h, V) + c, {"h": h, "V": V}


def output_steps(h, V, c):
    return np.stack([V @ h_t.T + c[:, None] for h_t in h]).transpose(0, 2, 1), (h, V)


def output_float32(h, V, c):
    return output_forward(h.astype(np.float32), V.astype(np.float32), c.astype(np.float32))


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


WRONG_OUTPUT_FORWARD = {
    "V untransposed": (lambda h, V, c: (h @ V + c, None), "transposing"),
    "no c": (lambda h, V, c: output_forward(h, V, 0 * c), "c is missing"),
    "softmax": (lambda h, V, c: output_forward(h, V, c, softmax), "belongs to the loss"),
    "tanh": (lambda h, V, c: output_forward(h, V, c, np.tanh), "apply tanh"),
    "sigmoid": (lambda h, V, c: output_forward(h, V, c, lambda z: 1 / (1 + np.exp(-z))),
                "sigmoid"),
    "last step only": (lambda h, V, c: (h[-1] @ V.T + c, None), "that is one step"),
    "batch first": (lambda h, V, c: (output_forward(h, V, c)[0].transpose(1, 0, 2), None),
                    "batch and time are swapped"),
}


def output_backward(dz, cache, dV=None, dc=None, dh=None):
    h, V = cache
    K, H = V.shape
    rows = dz.reshape(-1, K)
    return ((dh or (lambda: dz @ V))(), (dV or (lambda: rows.T @ h.reshape(-1, H)))(),
            (dc or (lambda: rows.sum(axis=0)))())


def backward_einsum(dz, cache):
    h, V = cache
    return np.einsum("tnk,kh->tnh", dz, V), np.einsum("tnk,tnh->kh", dz, h), dz.sum(axis=(0, 1))


def backward_loop(dz, cache):
    h, V = cache
    dV, dc = np.zeros_like(V), np.zeros(len(V))
    for t in range(len(dz)):
        dV += dz[t].T @ h[t]
        dc += dz[t].sum(axis=0)
    return dz @ V, dV, dc


def backward_overwrites(dz, cache):  # dV = inside the loop keeps the last step
    h, V = cache
    for t in range(len(dz)):
        dV = dz[t].T @ h[t]
    return dz @ V, dV, dz.sum(axis=(0, 1))


def wrong_backward(**parts):
    return lambda dz, cache: output_backward(dz, cache, **{
        name: (lambda make=make: make(dz, *cache)) for name, make in parts.items()})


WRONG_OUTPUT_BACKWARD = {
    "dV transposed": (wrong_backward(dV=lambda dz, h, V: np.einsum("tnk,tnh->hk", dz, h)),
                      "it looks transposed"),
    "dh with V.T": (wrong_backward(dh=lambda dz, h, V: dz @ V.T), "transposing"),
    "dc over the batch only": (wrong_backward(dc=lambda dz, h, V: dz.sum(axis=1)),
                               "sum over time as well"),
    "dc not summed": (wrong_backward(dc=lambda dz, h, V: dz), "sum dz over time and the batch"),
    "dc averaged": (wrong_backward(dc=lambda dz, h, V: dz.mean(axis=(0, 1))), "averaged"),
    "dV of the last step": (backward_overwrites, "keeps only the last step"),
    "dV divided by N*T": (wrong_backward(dV=lambda dz, h, V: np.einsum(
        "tnk,tnh->kh", dz, h) / (dz.shape[0] * dz.shape[1])), "divided by N*T"),
    "dc zero": (wrong_backward(dc=lambda dz, h, V: np.zeros(len(V))), "dc is all zeros"),
}


# ---------------------------------------------------------------- loss

def positions(N, T, K):
    return N * T


def cross_entropy(logits, targets, shift=True, loss_by=positions, grad_by=positions,
                  subtract=lambda y, targets: y, sign=1.0):
    N, T, K = logits.shape
    z = logits - logits.max(axis=-1, keepdims=True) if shift else logits
    log_o = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    y = np.eye(K)[targets]
    loss = -np.sum(y * log_o) / loss_by(N, T, K)
    return loss, sign * (np.exp(log_o) - subtract(y, targets)) / grad_by(N, T, K)


def cross_entropy_take(logits, targets):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_o = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_o, targets[..., None], axis=-1)  # (N, T, 1)
    grad = np.exp(log_o)
    np.put_along_axis(grad, targets[..., None], np.exp(picked) - 1, axis=-1)
    return -picked.mean(), grad / targets.size


def cross_entropy_loops(logits, targets):
    N, T, K = logits.shape
    loss, grad = 0.0, np.zeros_like(logits)
    for n in range(N):
        for t in range(T):
            z = logits[n, t] - logits[n, t].max()
            log_o = z - np.log(np.sum(np.exp(z)))
            loss -= log_o[targets[n, t]]
            grad[n, t] = np.exp(log_o)
            grad[n, t, targets[n, t]] -= 1
    return loss / (N * T), grad / (N * T)


def cross_entropy_log_of_softmax(logits, targets):
    N, T, K = logits.shape
    o = softmax(logits)
    y = np.eye(K)[targets]
    return -np.sum(y * np.log(o)) / (N * T), (o - y) / (N * T)


def cross_entropy_float32(logits, targets):
    loss, grad = cross_entropy(logits.astype(np.float32), targets)
    return np.float32(loss), grad.astype(np.float32)


def wrong_loss(**mistake):
    return lambda logits, targets: cross_entropy(logits, targets, **mistake)


def one(N, T, K):
    return 1


WRONG_LOSS = {
    "no max subtraction": (wrong_loss(shift=False), "Subtract each position's largest score"),
    "log of the softmax": (cross_entropy_log_of_softmax, "underflowed to 0"),
    "sum": (wrong_loss(loss_by=one, grad_by=one), "divide both by N*T"),
    "divide by N": (wrong_loss(loss_by=lambda N, T, K: N, grad_by=lambda N, T, K: N),
                    "batch size N only"),
    "divide by T": (wrong_loss(loss_by=lambda N, T, K: T, grad_by=lambda N, T, K: T),
                    "number of steps T only"),
    "np.mean over (N, T, K)": (wrong_loss(loss_by=lambda N, T, K: N * T * K),
                               "also divides by K"),
    "gradient not divided": (wrong_loss(grad_by=one), "N*T times too large"),
    "integer ids subtracted": (wrong_loss(subtract=lambda y, targets: targets[..., None]),
                               "subtracted from the probabilities as they are"),
    "nothing subtracted": (wrong_loss(subtract=lambda y, targets: 0.0), "nothing is subtracted"),
    "sign flipped": (wrong_loss(sign=-1.0), "sign of dlogits is flipped"),
}


# ---------------------------------------------------------------- gradient check

def relative(a, n):
    return np.linalg.norm(a - n) / max(np.linalg.norm(a) + np.linalg.norm(n), 1e-300)


def numerical(f, x, eps, step=lambda f, x, i, eps: (f(plus(x, i, eps)) - f(plus(x, i, -eps)))
              / (2 * eps), indices=None):
    n = np.zeros_like(x)
    for i in (indices or np.ndindex)(x.shape):
        n[i] = step(f, x, i, eps)
    return n


def plus(x, i, eps):
    moved = x.copy()
    moved[i] += eps
    return moved


def gradient_check(f, x, analytic, eps=1e-5):
    return relative(analytic, numerical(f, x, eps))


def gradient_check_in_place(f, x, analytic, eps=1e-6):
    n = np.zeros_like(x)
    for i in range(x.size):
        saved = x.flat[i]
        x.flat[i] = saved + eps
        up = f(x)
        x.flat[i] = saved - eps
        down = f(x)
        x.flat[i] = saved  # restored exactly
        n.flat[i] = (up - down) / (2 * eps)
    return relative(analytic, n)


def gradient_check_elementwise(f, x, analytic, eps=1e-5):
    n = numerical(f, x, eps)
    return np.max(np.abs(analytic - n) / np.maximum(np.abs(analytic) + np.abs(n), 1e-300))


def one_sided(f, x, i, eps):
    return (f(plus(x, i, eps)) - f(x)) / eps


def rows_only(shape):  # x[i] of a 2-D array is a whole row
    return [(i,) for i in range(shape[0])]


def perturbs_without_restoring(f, x, analytic, eps=1e-5):
    n = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += eps
        up = f(x)
        x[i] -= 2 * eps
        n[i] = (up - f(x)) / (2 * eps)
    return relative(analytic, n)


WRONG_GRADIENT_CHECK = {
    "one-sided": (lambda f, x, a, eps=1e-5: relative(a, numerical(f, x, eps, one_sided)),
                  "sided differences (f(x + eps) - f(x)) / eps"),
    "eps too large": (lambda f, x, a, eps=1e-2: gradient_check(f, x, a, eps), "eps is too large"),
    "divides by eps": (lambda f, x, a, eps=1e-5: relative(a, 2 * numerical(f, x, eps)),
                       "divide the difference by 2 eps"),
    "sign flipped": (lambda f, x, a, eps=1e-5: relative(a, -numerical(f, x, eps)),
                     "wrong sign"),
    "perturbs rows": (lambda f, x, a, eps=1e-5: relative(a, numerical(
        f, x, eps, indices=rows_only)), "perturb one entry at a time"),
    "absolute error": (lambda f, x, a, eps=1e-5: np.max(np.abs(a - numerical(f, x, eps))),
                       "the error must be relative"),
    "np.allclose": (lambda f, x, a, eps=1e-5: float(not np.allclose(a, numerical(f, x, eps))),
                    "divide by the size of the gradients"),
    "first row only": (lambda f, x, a, eps=1e-5: relative(np.atleast_2d(a)[0], np.atleast_2d(
        numerical(f, x, eps))[0]), "does it compare every entry"),
    "returns the numerical gradient": (lambda f, x, a, eps=1e-5: numerical(f, x, eps),
                                       "return one number"),
    "changes x": (perturbs_without_restoring, "changed its argument x in place"),
}
