"""Answers to the GRU step exercise as students write them: right ones written in different
ways (loops, einsum, float32, caches of other types), and wrong ones, each with words its
check's feedback must contain. Used by tests/test_checks_gated.py.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from tests.lstm_answers import sigmoid

# ---------------------------------------------------------------- forward


def gru_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh, *, order=(0, 1, 2), candidate=np.tanh,
                     reset=lambda r, gh_n: r * gh_n,
                     update=lambda z, n, h_prev: (1 - z) * n + z * h_prev):
    """The solution's step, with hooks where students go wrong; a tuple cache."""
    H = h_prev.shape[1]
    gi = x @ W_ih.T + b_ih
    gh = h_prev @ W_hh.T + b_hh
    r_rows, z_rows, n_rows = (slice(k * H, (k + 1) * H) for k in order)
    r = sigmoid(gi[:, r_rows] + gh[:, r_rows])
    z = sigmoid(gi[:, z_rows] + gh[:, z_rows])
    n = candidate(gi[:, n_rows] + reset(r, gh[:, n_rows]))
    h_next = update(z, n, h_prev)
    return h_next, (x, h_prev, r, z, n, gh[:, n_rows], W_ih, W_hh)


class Saved(NamedTuple):
    x: np.ndarray
    h_prev: np.ndarray
    gates: np.ndarray    # r, z, n side by side
    gh_n: np.ndarray
    W_ih: np.ndarray
    W_hh: np.ndarray


def forward_namedtuple(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    W_ir, W_iz, W_in = np.split(W_ih, 3)
    W_hr, W_hz, W_hn = np.split(W_hh, 3)
    b_ir, b_iz, b_in = np.split(b_ih, 3)
    b_hr, b_hz, b_hn = np.split(b_hh, 3)
    r = sigmoid(x @ W_ir.T + b_ir + h_prev @ W_hr.T + b_hr)
    z = sigmoid(x @ W_iz.T + b_iz + h_prev @ W_hz.T + b_hz)
    gh_n = h_prev @ W_hn.T + b_hn
    n = np.tanh(x @ W_in.T + b_in + r * gh_n)
    h_next = n + z * (h_prev - n)
    return h_next, Saved(x, h_prev, np.hstack([r, z, n]), gh_n, W_ih, W_hh)


def forward_loops_float32(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    N, H = h_prev.shape
    x, h_prev, W_ih, W_hh, b_ih, b_hh = (
        v.astype(np.float32) for v in (x, h_prev, W_ih, W_hh, b_ih, b_hh))
    h_next = np.zeros((N, H), np.float32)
    for n in range(N):
        gi, gh = W_ih @ x[n] + b_ih, W_hh @ h_prev[n] + b_hh
        r = sigmoid(gi[:H] + gh[:H])
        z = sigmoid(gi[H:2 * H] + gh[H:2 * H])
        cand = np.tanh(gi[2 * H:] + r * gh[2 * H:])
        h_next[n] = (1 - z) * cand + z * h_prev[n]
    return h_next, {"x": x, "h_prev": h_prev, "W_ih": W_ih, "W_hh": W_hh, "b_ih": b_ih,
                    "b_hh": b_hh}


def _cho(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """Cho et al.'s candidate: the reset gate before W_hn."""
    H = h_prev.shape[1]
    gi = x @ W_ih.T + b_ih
    r = sigmoid(gi[:, :H] + h_prev @ W_hh[:H].T + b_hh[:H])
    z = sigmoid(gi[:, H:2 * H] + h_prev @ W_hh[H:2 * H].T + b_hh[H:2 * H])
    n = np.tanh(gi[:, 2 * H:] + (r * h_prev) @ W_hh[2 * H:].T + b_hh[2 * H:])
    return (1 - z) * n + z * h_prev, (x, h_prev, r, z, n, W_ih, W_hh)


def _biases_summed(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    H = h_prev.shape[1]
    gi = x @ W_ih.T + (b_ih + b_hh)          # one bias for all three blocks
    gh = h_prev @ W_hh.T
    r = sigmoid(gi[:, :H] + gh[:, :H])
    z = sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
    n = np.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
    return (1 - z) * n + z * h_prev, None


def _reset_everything(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    H = h_prev.shape[1]
    a = x @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh
    r, z = sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H])
    n = np.tanh(r * a[:, 2 * H:])
    return (1 - z) * n + z * h_prev, None


def _with(**hook):
    return lambda *args: gru_step_forward(*args, **hook)


WRONG_FORWARD = {
    "z and 1 - z swapped": (_with(update=lambda z, n, h: z * n + (1 - z) * h),
                            "z and 1 - z are swapped"),
    "reset before W_hn (Cho)": (_cho, "reset gate is applied before W_hn"),
    "biases summed": (_biases_summed, "b_hn is added outside the reset gate"),
    "no reset gate": (_with(reset=lambda r, gh_n: gh_n), "reset gate is missing"),
    "reset on everything": (_reset_everything, "multiplies the whole pre-activation"),
    "gate order z, r, n": (_with(order=(1, 0, 2)), "order z, r, n (Keras's GRU)"),
    "sigmoid candidate": (_with(candidate=sigmoid), "n uses sigmoid"),
    "no z * h_prev": (_with(update=lambda z, n, h: (1 - z) * n), "z * h_prev is missing"),
    "no update gate": (_with(update=lambda z, n, h: n), "update gate is missing"),
    "no b_ih": (lambda x, h, Wi, Wh, bi, bh: gru_step_forward(x, h, Wi, Wh, 0 * bi, bh),
                "b_ih is missing"),
    "no b_hh": (lambda x, h, Wi, Wh, bi, bh: gru_step_forward(x, h, Wi, Wh, bi, 0 * bh),
                "b_hh is missing"),
    "h_next as a column": (lambda *args: (gru_step_forward(*args)[0].T, None),
                           "column-vector layout"),
}

# ---------------------------------------------------------------- backward


def gru_step_backward(dh_next, cache, *, dz=lambda dh, h_prev, n: dh * (h_prev - n),
                      direct=lambda dh, z: dh * z, dn=lambda dh, z: dh * (1 - z),
                      tanh_prime=lambda n: 1 - n ** 2, gate=lambda s: s * (1 - s),
                      reset_n=lambda da_n, r: da_n * r, same_bias_grads=False, order="rzn",
                      db=lambda g: g.sum(axis=0), dW_hh_by=lambda h_prev, h_next: h_prev):
    """The solution's backward over a tuple cache, with hooks where students go wrong."""
    x, h_prev, r, z, n, gh_n, W_ih, W_hh = cache
    da_n = dn(dh_next, z) * tanh_prime(n)
    da_z = dz(dh_next, h_prev, n) * gate(z)
    da_r = da_n * gh_n * gate(r)
    dgi = {"r": da_r, "z": da_z, "n": da_n}
    dgh = {"r": da_r, "z": da_z, "n": reset_n(da_n, r)}
    dgi = np.concatenate([dgi[k] for k in order], axis=1)
    dgh = np.concatenate([dgh[k] for k in order], axis=1)
    state = dW_hh_by(h_prev, (1 - z) * n + z * h_prev)
    db_ih = db(dgi)
    return (dgi @ W_ih, direct(dh_next, z) + dgh @ W_hh, dgi.T @ x, dgh.T @ state, db_ih,
            db_ih if same_bias_grads else db(dgh))


def backward_namedtuple(dh_next, cache):
    r, z, n = np.split(cache.gates, 3, axis=1)
    da_n = dh_next * (1 - z) * (1 - n * n)
    da_z = dh_next * (cache.h_prev - n) * z * (1 - z)
    da_r = da_n * cache.gh_n * r * (1 - r)
    dgi = np.hstack([da_r, da_z, da_n])
    dgh = np.hstack([da_r, da_z, da_n * r])
    return (np.einsum("ng,gd->nd", dgi, cache.W_ih), dh_next * z + dgh @ cache.W_hh,
            np.einsum("ng,nd->gd", dgi, cache.x), np.einsum("ng,nk->gk", dgh, cache.h_prev),
            dgi.sum(axis=0), dgh.sum(axis=0))


def backward_recomputed_float32(dh_next, cache):
    """Over forward_loops_float32's dict cache of float32 inputs: the gates computed again."""
    _, saved = gru_step_forward(*(cache[k] for k in ("x", "h_prev", "W_ih", "W_hh", "b_ih",
                                                    "b_hh")))
    return gru_step_backward(dh_next.astype(np.float32), saved)


def forward_without_gh_n(*args):
    """The right forward with Cho et al.'s cache, which has no gh_n."""
    h_next, (x, h_prev, r, z, n, _, W_ih, W_hh) = gru_step_forward(*args)
    return h_next, (x, h_prev, r, z, n, W_ih, W_hh)


def forward_storing_hW_n(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """The right forward whose cache keeps h_prev W_hn^T without b_hn."""
    h_next, (x, h_prev, r, z, n, gh_n, W_ih, W_hh) = gru_step_forward(x, h_prev, W_ih, W_hh,
                                                                      b_ih, b_hh)
    return h_next, (x, h_prev, r, z, n, gh_n - np.split(b_hh, 3)[2], W_ih, W_hh)


def _cho_backward(dh_next, cache):
    """Right for Cho et al.'s candidate, tanh(gi_n + (r * h_prev) W_hn^T + b_hn)."""
    x, h_prev, r, z, n, W_ih, W_hh = cache
    H = h_prev.shape[1]
    W_hr, W_hz, W_hn = np.split(W_hh, 3)
    da_n = dh_next * (1 - z) * (1 - n ** 2)
    da_z = dh_next * (h_prev - n) * z * (1 - z)
    d_reset_h = da_n @ W_hn                       # at r * h_prev
    da_r = d_reset_h * h_prev * r * (1 - r)
    dgi = np.hstack([da_r, da_z, da_n])
    dW_hh = np.vstack([da_r.T @ h_prev, da_z.T @ h_prev, da_n.T @ (r * h_prev)])
    dh_prev = dh_next * z + da_r @ W_hr + da_z @ W_hz + d_reset_h * r
    assert dgi.shape[1] == 3 * H
    return dgi @ W_ih, dh_prev, dgi.T @ x, dW_hh, dgi.sum(axis=0), dgi.sum(axis=0)


def _back(**hook):
    return lambda dh, cache: gru_step_backward(dh, cache, **hook)


WRONG_BACKWARD = {
    "dz with the wrong sign": (_back(dz=lambda dh, h, n: dh * (n - h)), "dz has the wrong sign"),
    "no direct path": (_back(direct=lambda dh, z: 0), "misses the direct path"),
    "direct path with 1 - z": (_back(direct=lambda dh, z: dh * (1 - z)),
                               "direct path uses 1 - z"),
    "no r in the n block": (_back(reset_n=lambda da_n, r: da_n), "misses r"),
    "no 1 - z in da_n": (_back(dn=lambda dh, z: dh), "misses the factor 1 - z"),
    "1 - n": (_back(tanh_prime=lambda n: 1 - n), "not 1 - n"),
    "no tanh derivative": (_back(tanh_prime=lambda n: 1), "tanh derivative of n is missing"),
    "tanh' for the gates": (_back(gate=lambda s: 1 - s ** 2), "gates' derivative is tanh's"),
    "db_hh = db_ih": (_back(same_bias_grads=True), "db_hh equals db_ih"),
    "blocks z, r, n": (_back(order="zrn"), "order z, r, n"),
    "db averaged": (_back(db=lambda g: g.mean(axis=0)), "averaged over the batch"),
    "dW_hh with h_next": (_back(dW_hh_by=lambda h_prev, h_next: h_next),
                          "dW_hh = dgh.T @ h_prev"),
    "dW_ih transposed": (lambda dh, cache: (lambda g: (*g[:2], g[2].T, *g[3:]))(
        gru_step_backward(dh, cache)), "dW_ih has shape (4, 15), expected (15, 4): it looks "
                                       "transposed"),
    "da otherwise wrong": (_back(dn=lambda dh, z: dh * (1 - z) * 2, dz=lambda dh, h, n: 2 * dh),
                           "All six gradients are wrong"),
}
