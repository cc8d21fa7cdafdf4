"""Answers to the LSTM step exercise as students write them: right ones written in different
ways (loops, einsum, float32, the column layout, caches of other types), and wrong ones, each
with words its check's feedback must contain. Used by tests/test_checks_gated.py.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


# ---------------------------------------------------------------- forward


def lstm_step_forward(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh, *, blocks="ifgo",
                      candidate=np.tanh, output_gate=sigmoid,
                      cell=lambda i, f, g, c_prev: f * c_prev + i * g,
                      hidden=lambda o, c_next, c_prev: o * np.tanh(c_next)):
    """The solution's step, with hooks where students go wrong; a tuple cache."""
    a = x @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh
    parts = dict(zip(blocks, np.split(a, 4, axis=1)))
    i = sigmoid(parts["i"])
    f = sigmoid(parts["f"])
    g = candidate(parts["g"])
    o = output_gate(parts["o"])
    c_next = cell(i, f, g, c_prev)
    h_next = hidden(o, c_next, c_prev)
    return h_next, c_next, (x, h_prev, c_prev, i, f, g, o, c_next, W_ih, W_hh)


Saved = namedtuple("Saved", "x h_prev c_prev gates c_next W_ih W_hh")


def forward_namedtuple_slices(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
    H = h_prev.shape[1]
    a = x @ W_ih.T + h_prev @ W_hh.T + (b_ih + b_hh)
    gates = np.concatenate([sigmoid(a[:, :2 * H]), np.tanh(a[:, 2 * H:3 * H]),
                            sigmoid(a[:, 3 * H:])], axis=1)
    c_next = gates[:, H:2 * H] * c_prev + gates[:, :H] * gates[:, 2 * H:3 * H]
    return gates[:, 3 * H:] * np.tanh(c_next), c_next, Saved(x, h_prev, c_prev, gates, c_next,
                                                             W_ih, W_hh)


def forward_loops(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
    N, H = h_prev.shape
    h_next, c_next = np.zeros((N, H)), np.zeros((N, H))
    for n in range(N):
        for j in range(H):
            a = [W_ih[k * H + j] @ x[n] + W_hh[k * H + j] @ h_prev[n] + b_ih[k * H + j]
                 + b_hh[k * H + j] for k in range(4)]
            c_next[n, j] = sigmoid(a[1]) * c_prev[n, j] + sigmoid(a[0]) * np.tanh(a[2])
            h_next[n, j] = sigmoid(a[3]) * np.tanh(c_next[n, j])
    return h_next, c_next, {"x": x, "h_prev": h_prev, "c_prev": c_prev, "W_ih": W_ih,
                            "W_hh": W_hh, "b_ih": b_ih, "b_hh": b_hh}


def forward_einsum_float32(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
    x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh = (
        v.astype(np.float32) for v in (x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh))
    a = np.einsum("nd,gd->ng", x, W_ih) + np.einsum("nk,gk->ng", h_prev, W_hh) + b_ih + b_hh
    i, f, g, o = np.split(a, 4, axis=1)
    c_next = sigmoid(f) * c_prev + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c_next), c_next, None


def forward_columns(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
    # the column-vector equations of the text, one column per example
    a = W_ih @ x.T + W_hh @ h_prev.T + (b_ih + b_hh)[:, None]
    i, f, g, o = np.split(a, 4, axis=0)
    c_next = sigmoid(f) * c_prev.T + sigmoid(i) * np.tanh(g)
    return (sigmoid(o) * np.tanh(c_next)).T, c_next.T, []


def _with(**hook):
    return lambda *args: lstm_step_forward(*args, **hook)


def _forward_in_place(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
    i, f, g, o = np.split(x @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh, 4, axis=1)
    i, f, g, o = sigmoid(i), sigmoid(f), np.tanh(g), sigmoid(o)
    c_prev *= f                                  # the cell update written in place
    c_prev += i * g
    return o * np.tanh(c_prev), c_prev, None


def _cs231n_order(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
    H = h_prev.shape[1]
    a = x @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh
    i = sigmoid(a[:, :H])
    f = sigmoid(a[:, H:2 * H])
    o = sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    c_next = f * c_prev + i * g
    return o * np.tanh(c_next), c_next, None


WRONG_FORWARD = {
    "gate order i, f, o, g": (_cs231n_order, "i, f, o, g (CS231n's layout)"),
    "gate order i, g, f, o": (_with(blocks="igfo"), "TensorFlow 1's LSTMCell"),
    "i and f swapped": (_with(blocks="figo"), "input and forget gates are swapped"),
    "sigmoid candidate": (_with(candidate=sigmoid), "g uses sigmoid where the LSTM uses tanh"),
    "tanh output gate": (_with(output_gate=np.tanh), "output gate uses tanh"),
    "no c_prev": (_with(cell=lambda i, f, g, c: i * g), "c_prev is missing"),
    "no forget gate": (_with(cell=lambda i, f, g, c: c + i * g), "1997 LSTM"),
    "no input gate": (_with(cell=lambda i, f, g, c: f * c + g), "input gate is missing"),
    "coupled gates": (_with(cell=lambda i, f, g, c: f * c + (1 - f) * g), "replaced by 1 - f"),
    "tanh on the cell": (_with(cell=lambda i, f, g, c: np.tanh(f * c + i * g)),
                         "tanh is applied to the cell update"),
    "o * c": (_with(hidden=lambda o, c_next, c: o * c_next), "instead of tanh(c_next)"),
    "tanh(o * c)": (_with(hidden=lambda o, c_next, c: np.tanh(o * c_next)),
                    "tanh wraps the product"),
    "old cell state": (_with(hidden=lambda o, c_next, c: o * np.tanh(c)), "old cell state"),
    "no output gate": (_with(hidden=lambda o, c_next, c: np.tanh(c_next)),
                       "output gate is missing"),
    "no b_hh": (lambda x, h, c, Wi, Wh, bi, bh: lstm_step_forward(x, h, c, Wi, Wh, bi, 0 * bh),
                "b_hh is missing"),
    "no recurrent term": (lambda x, h, c, *w: lstm_step_forward(x, 0 * h, c, *w),
                          "recurrent term is missing"),
    "states swapped": (lambda *args: (lambda h, c, cache: (c, h, cache))(
        *lstm_step_forward(*args)), "wrong order"),
    "squeezed batch": (lambda *args: (lambda h, c, cache: (h.squeeze(), c.squeeze(), cache))(
        *lstm_step_forward(*args)), "batch axis is missing"),
    "pre-activations returned": (lambda x, h, c, Wi, Wh, bi, bh: (
        x @ Wi.T + h @ Wh.T + bi + bh, c, None), "width of all 4 gate blocks"),
    "c_prev changed in place": (_forward_in_place, "changed its argument c_prev in place"),
}

# ---------------------------------------------------------------- backward


def lstm_step_backward(dh_next, dc_next, cache, *, do=lambda dh, c: dh * np.tanh(c),
                       dc=lambda dh, dc_next, o, c: dc_next + dh * o * (1 - np.tanh(c) ** 2),
                       forget=lambda dc, dc_next, f: dc * f, df_by=lambda c_prev, c: c_prev,
                       gate=lambda s: s * (1 - s), tanh_prime=lambda y: 1 - y ** 2,
                       blocks="ifgo", db=lambda da: da.sum(axis=0), db_hh=True,
                       dW_hh_by=lambda h_prev, h_next: h_prev, dW_ih=lambda da, x: da.T @ x):
    """The solution's backward over a tuple cache, with hooks where students go wrong."""
    x, h_prev, c_prev, i, f, g, o, c_next, W_ih, W_hh = cache
    do_ = do(dh_next, c_next)
    dc_ = dc(dh_next, dc_next, o, c_next)
    dc_prev = forget(dc_, dc_next, f)
    da = {"i": dc_ * g * gate(i), "f": dc_ * df_by(c_prev, c_next) * gate(f),
          "g": dc_ * i * tanh_prime(g), "o": do_ * gate(o)}
    da = np.concatenate([da[k] for k in blocks], axis=1)
    state = dW_hh_by(h_prev, o * np.tanh(c_next))
    bias = db(da)
    return (da @ W_ih, da @ W_hh, dc_prev, dW_ih(da, x), da.T @ state, bias,
            bias.copy() if db_hh else np.zeros_like(bias))


def backward_namedtuple(dh_next, dc_next, cache):
    H = cache.h_prev.shape[1]
    i, f, g, o = np.split(cache.gates, 4, axis=1)
    tanh_c = np.tanh(cache.c_next)
    dc = dc_next + dh_next * o * (1 - tanh_c ** 2)
    da = np.hstack([dc * g * i * (1 - i), dc * cache.c_prev * f * (1 - f), dc * i * (1 - g ** 2),
                    dh_next * tanh_c * o * (1 - o)])
    assert da.shape[1] == 4 * H
    db = np.einsum("ng->g", da)
    return (da @ cache.W_ih, da @ cache.W_hh, dc * f, np.einsum("ng,nd->gd", da, cache.x),
            np.einsum("ng,nk->gk", da, cache.h_prev), db, db)


def backward_recomputed(dh_next, dc_next, cache):
    """Over a dict cache holding only the inputs: the gates are computed again."""
    x, h_prev, c_prev = cache["x"], cache["h_prev"], cache["c_prev"]
    W_ih, W_hh = cache["W_ih"], cache["W_hh"]
    _, _, saved = lstm_step_forward(x, h_prev, c_prev, W_ih, W_hh, cache["b_ih"], cache["b_hh"])
    grads = [np.zeros_like(v) for v in (x, h_prev, c_prev, W_ih, W_hh)]
    db = np.zeros(len(W_ih))
    for n in range(len(x)):  # one example at a time
        one = tuple(v[n:n + 1] if k < 8 else v for k, v in enumerate(saved))
        dx, dh, dc, dWi, dWh, dbi, _ = lstm_step_backward(dh_next[n:n + 1], dc_next[n:n + 1],
                                                          one)
        grads[0][n], grads[1][n], grads[2][n] = dx[0], dh[0], dc[0]
        grads[3] += dWi
        grads[4] += dWh
        db += dbi
    return (*grads, db, db.astype(np.float32))


def _back(**hook):
    return lambda dh, dc, cache: lstm_step_backward(dh, dc, cache, **hook)



def _backward_in_place(dh_next, dc_next, cache):
    x, h_prev, c_prev, i, f, g, o, c_next, W_ih, W_hh = cache
    dc_next += dh_next * o * (1 - np.tanh(c_next) ** 2)   # dc accumulated into the argument
    return lstm_step_backward(dh_next, dc_next, cache, dc=lambda dh, d, o, c: d)


WRONG_BACKWARD = {
    "do with c_next": (_back(do=lambda dh, c: dh * c), "do uses c_next"),
    "no tanh derivative": (_back(dc=lambda dh, dcn, o, c: dcn + dh * o),
                           "derivative through tanh(c_next) is missing"),
    "1 - c**2": (_back(dc=lambda dh, dcn, o, c: dcn + dh * o * (1 - c ** 2)),
                 "not 1 - c_next**2"),
    "dc_next not added": (_back(dc=lambda dh, dcn, o, c: dh * o * (1 - np.tanh(c) ** 2)),
                          "dc_next is not added"),
    "no dh contribution": (_back(dc=lambda dh, dcn, o, c: dcn),
                           "gradient from h_next does not reach the cell state"),
    "dc_prev without f": (_back(forget=lambda dc, dcn, f: dc), "misses the forget gate"),
    "dc_prev from dc_next": (_back(forget=lambda dc, dcn, f: dcn * f),
                             "dc_prev uses dc_next"),
    "df with c_next": (_back(df_by=lambda c_prev, c: c), "df multiplies dc by c_next"),
    "tanh' for the gates": (_back(gate=lambda s: 1 - s ** 2), "gates' derivative is tanh's"),
    "sigmoid' for g": (_back(tanh_prime=lambda y: y * (1 - y)),
                       "candidate's derivative is sigmoid's"),
    "da in order i, f, o, g": (_back(blocks="ifog"), "da stacks the blocks in the order"),
    "db averaged": (_back(db=lambda da: da.mean(axis=0)), "averaged over the batch"),
    "db_hh zero": (_back(db_hh=False), "db_hh is zero"),
    "dW_hh with h_next": (_back(dW_hh_by=lambda h_prev, h_next: h_next),
                          "dW_hh = da.T @ h_prev"),
    "db not summed": (_back(db=lambda da: da), "sum over the batch (axis 0)"),
    "dW_hh transposed": (lambda dh, dc, cache: (lambda g: (*g[:4], g[4].T, *g[5:]))(
        lstm_step_backward(dh, dc, cache)), "dW_hh has shape (5, 20), expected (20, 5): it "
                                            "looks transposed"),
    "dW_ih per example": (_back(dW_ih=lambda da, x: da[:, :, None] * x[:, None, :]),
                          "one gradient per example"),
    "dc_next changed in place": (_backward_in_place, "changed its argument dc_next in place"),
    "da otherwise wrong": (_back(dc=lambda dh, dcn, o, c: dcn + 2 * dh * o),
                           "All seven gradients are wrong"),
}
