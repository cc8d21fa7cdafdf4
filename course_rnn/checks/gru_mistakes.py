r"""Typical wrong GRU steps, simulated, so that the GRU checks can name the mistake they see.

:func:`mistaken_gru_forward` and :func:`mistaken_gru_backward` compute one step of the GRU of
:mod:`course_rnn.numpy.gru` (torch's gate order r, z, n, the reset gate applied after the
product with W_hn) with switches that reproduce one common mistake each: z and 1 - z swapped,
the reset gate before W_hn as in Cho et al. 2014, b_hn outside the reset gate (as when the two
biases are summed once), the gate order of another library. A switch names what the mistaken
code computes; with every switch at its default they compute the right answer.

Shapes: N batch, D input features, H hidden units; gi and gh (N, 3H) stack the blocks r, z, n.
"""

from __future__ import annotations

import numpy as np

from course_rnn.checks.cell_cases import CellCase
from course_rnn.checks.rnn_mistakes import Mistake
from course_rnn.numpy.activations import sigmoid
from course_rnn.numpy.gru import gru_step_forward

ACTIVATIONS = {"sigmoid": sigmoid, "tanh": np.tanh}

CANDIDATES = {  # the candidate's pre-activation from gi_n, r, h_prev W_hn^T and b_hn
    "after": lambda gi_n, r, h, W_hn, b_hn: gi_n + r * (h @ W_hn.T + b_hn),  # torch, cuDNN
    "before": lambda gi_n, r, h, W_hn, b_hn: gi_n + (r * h) @ W_hn.T + b_hn,  # Cho et al.
    "b_hn outside": lambda gi_n, r, h, W_hn, b_hn: gi_n + r * (h @ W_hn.T) + b_hn,
    "no reset": lambda gi_n, r, h, W_hn, b_hn: gi_n + h @ W_hn.T + b_hn,
    "whole": lambda gi_n, r, h, W_hn, b_hn: r * (gi_n + h @ W_hn.T + b_hn),
}

UPDATES = {  # h_next from z, n and h_prev
    "(1 - z) * n + z * h_prev": lambda z, n, h_prev: (1 - z) * n + z * h_prev,
    "z * n + (1 - z) * h_prev": lambda z, n, h_prev: z * n + (1 - z) * h_prev,
    "(1 - z) * n": lambda z, n, h_prev: (1 - z) * n,
    "n": lambda z, n, h_prev: n,
}


def mistaken_gru_forward(case: CellCase, *, order="rzn", n_fn="tanh", candidate="after",
                         update="(1 - z) * n + z * h_prev", b_ih=True, b_hh=True,
                         recurrent=True):
    """(h_next,) of one step computed with the given mistakes.

    ``order`` is the order in which the code reads the three blocks, e.g. ``"zrn"``;
    ``candidate`` and ``update`` are keys of :data:`CANDIDATES` and :data:`UPDATES`.
    """
    h_prev = case["h_prev"]
    gi = dict(zip(order, np.split(case["x"] @ case["W_ih"].T + b_ih * case["b_ih"], 3, axis=1)))
    W = dict(zip(order, np.split(case["W_hh"], 3)))                     # (H, H) each
    b = dict(zip(order, np.split(b_hh * case["b_hh"], 3)))
    h_in = recurrent * h_prev                  # what the code multiplies by W_hh
    r = sigmoid(gi["r"] + h_in @ W["r"].T + b["r"])
    z = sigmoid(gi["z"] + h_in @ W["z"].T + b["z"])
    n = ACTIVATIONS[n_fn](CANDIDATES[candidate](gi["n"], r, h_in, W["n"], b["n"]))
    return (UPDATES[update](z, n, h_prev),)


def mistaken_gru_backward(case: CellCase, *, dz="dh_next * (h_prev - n)", direct="dh_next * z",
                          reset="after", dgh_n="da_n * r", gh_n="h_prev W_hn^T + b_hn",
                          dn="dh_next * (1 - z)", n_derivative="1 - n**2",
                          gates="s * (1 - s)", order="rzn", db="sum", db_hh="dgh",
                          dW_hh_state="h_prev"):
    """(dx, dh_prev, dW_ih, dW_hh, db_ih, db_hh) of one step with the given mistakes, at the
    gates of the right forward.

    ``reset="before"`` is the backward of Cho et al.'s candidate, tanh(gi_n + (r * h_prev)
    W_hn^T + b_hn), applied to torch's forward; ``order`` the order in which the code stacks
    the gradient blocks; ``db_hh="dgi"`` gives b_hh the gradient of b_ih.
    """
    _, cache = gru_step_forward(*(value for _, value in case.args))
    x, h_prev, r, z, n, gh_n_value, W_ih, W_hh = cache
    dh = case["dh_next"]
    H = h_prev.shape[1]
    W_rows = np.split(W_hh, 3)                                     # (H, H) each, r, z, n
    gate = {"s * (1 - s)": lambda s: s * (1 - s), "1 - s**2": lambda s: 1 - s**2}[gates]
    dn = {"dh_next * (1 - z)": dh * (1 - z), "dh_next": dh}[dn]
    da_n = dn * {"1 - n**2": 1 - n**2, "1 - n": 1 - n, "1": 1.0}[n_derivative]
    da_z = {"dh_next * (h_prev - n)": dh * (h_prev - n),
            "dh_next * (n - h_prev)": dh * (n - h_prev)}[dz] * gate(z)
    before = reset == "before"
    if before:  # the gradient at r * h_prev, which W_hn multiplies in Cho et al.'s form
        da_r = (da_n @ W_rows[2]) * h_prev * gate(r)
        dgh_n = da_n
    else:
        b_hn = case["b_hh"][2 * H:]
        recurrent_n = {"h_prev W_hn^T + b_hn": gh_n_value, "h_prev W_hn^T": gh_n_value - b_hn}
        da_r = da_n * recurrent_n[gh_n] * gate(r)
        dgh_n = {"da_n * r": da_n * r, "da_n": da_n}[dgh_n]
    dgi = {"r": da_r, "z": da_z, "n": da_n}
    dgh = {"r": da_r, "z": da_z, "n": dgh_n}
    state = {"h_prev": h_prev, "h_next": (1 - z) * n + z * h_prev}[dW_hh_state]
    resets = [r if before and name == "n" else 1.0 for name in order]  # r * h_prev for Cho's
    dgi_rows = np.concatenate([dgi[name] for name in order], axis=1)  # (N, 3H)
    dgh_rows = np.concatenate([dgh[name] for name in order], axis=1)
    dW_hh = np.concatenate([dgh[name].T @ (scale * state) for name, scale in zip(order, resets)])
    direct = {"dh_next * z": dh * z, "0": 0.0, "dh_next * (1 - z)": dh * (1 - z)}[direct]
    dh_prev = direct + sum((dgh[name] @ W) * scale
                           for name, W, scale in zip(order, W_rows, resets))
    db_ih = dgi_rows.sum(axis=0) / (len(dh) if db == "mean" else 1)
    db_hh = {"dgh": dgh_rows.sum(axis=0) / (len(dh) if db == "mean" else 1), "dgi": db_ih}[db_hh]
    return dgi_rows @ W_ih, dh_prev, dgi_rows.T @ x, dW_hh, db_ih, db_hh


_TORCH = "n = tanh(x W_in^T + b_in + r * (h_prev W_hn^T + b_hn))"
_UPDATE = "h_next = (1 - z) * n + z * h_prev"

FORWARD_MISTAKES = [
    Mistake(f"z and 1 - z are swapped: this exercise follows torch, {_UPDATE}, where a z near 1 "
            "keeps the past (some texts write it the other way round).",
            {"update": "z * n + (1 - z) * h_prev"}),
    Mistake(f"the reset gate is applied before W_hn, W_hn (r * h_prev), as in Cho et al. 2014; "
            f"torch (and cuDNN) apply it after the product: {_TORCH}.", {"candidate": "before"}),
    Mistake(f"b_hn is added outside the reset gate (as happens when b_ih + b_hh is summed once "
            f"and added to every block); in the n block the two biases stay apart: {_TORCH}.",
            {"candidate": "b_hn outside"}),
    Mistake(f"the reset gate is missing from the candidate: {_TORCH}.",
            {"candidate": "no reset"}),
    Mistake(f"the reset gate multiplies the whole pre-activation of n; it multiplies only the "
            f"recurrent part: {_TORCH}.", {"candidate": "whole"}),
    Mistake("the gates are read in the order z, r, n (Keras's GRU); torch's weights, and this "
            "exercise's, stack r, z, n.", {"order": "zrn"}),
    Mistake(f"the candidate n uses sigmoid where it needs tanh: {_TORCH}.", {"n_fn": "sigmoid"}),
    Mistake(f"the term z * h_prev is missing: {_UPDATE}.", {"update": "(1 - z) * n"}),
    Mistake(f"the update gate is missing: h_next = n; {_UPDATE}.", {"update": "n"}),
    Mistake("the recurrent term is missing: the gates and the candidate depend on h_prev "
            "through h_prev @ W_hh.T.", {"recurrent": False}),
    Mistake("the bias b_ih is missing: torch keeps two biases and both are added.",
            {"b_ih": False}),
    Mistake("the bias b_hh is missing: torch keeps two biases and both are added.",
            {"b_hh": False}),
    Mistake("both biases b_ih and b_hh are missing.", {"b_ih": False, "b_hh": False}),
]

BACKWARD_MISTAKES = [
    Mistake(f"dz has the wrong sign: {_UPDATE}, so dz = dh_next * (h_prev - n), not dh_next * "
            "(n - h_prev) (which belongs to the convention with z and 1 - z swapped).",
            {"dz": "dh_next * (n - h_prev)"}),
    Mistake(f"dh_prev misses the direct path: {_UPDATE} contains h_prev itself, so dh_prev = "
            "dh_next * z + dgh @ W_hh.", {"direct": "0"}),
    Mistake("the direct path uses 1 - z: h_prev enters h_next as z * h_prev, so that path "
            "gives dh_next * z.", {"direct": "dh_next * (1 - z)"}),
    Mistake(f"this is the backward of the reset gate applied before W_hn (Cho et al.'s form, "
            f"W_hn (r * h_prev)); the forward, torch's, applies it after: {_TORCH}. So da_r = "
            "da_n * (h_prev W_hn^T + b_hn) * r * (1 - r), and the n block of dgh is da_n * r.",
            {"reset": "before"}),
    Mistake("the n block of the recurrent gradient misses r: r multiplies h_prev W_hn^T + b_hn, "
            "so its gradient is da_n * r (in dW_hh, db_hh and dh_prev).", {"dgh_n": "da_n"}),
    Mistake("da_r uses h_prev W_hn^T without b_hn: r multiplies h_prev W_hn^T + b_hn, so da_r = "
            "da_n * (h_prev W_hn^T + b_hn) * r * (1 - r). Keep that sum in the cache.",
            {"gh_n": "h_prev W_hn^T"}),
    Mistake("da_n misses the factor 1 - z: n enters h_next as (1 - z) * n, so da_n = dh_next * "
            "(1 - z) * (1 - n**2).", {"dn": "dh_next"}),
    Mistake("the tanh derivative of n is wrong: 1 - n**2, not 1 - n.", {"n_derivative": "1 - n"}),
    Mistake("the tanh derivative of n is missing: da_n = dh_next * (1 - z) * (1 - n**2).",
            {"n_derivative": "1"}),
    Mistake("the gates' derivative is tanh's, 1 - s**2; a sigmoid gate s has the derivative "
            "s * (1 - s), e.g. da_z = dz * z * (1 - z).", {"gates": "1 - s**2"}),
    Mistake("db_hh equals db_ih, but the two differ in the n block: b_hn sits inside r * (...), "
            "so db_hn = (da_n * r).sum(axis=0) while db_in = da_n.sum(axis=0).",
            {"db_hh": "dgi"}),
    Mistake("the gradient blocks are stacked in the order z, r, n (Keras's GRU); torch's, the "
            "forward's, is r, z, n.", {"order": "zrn"}),
    Mistake("the bias gradients are averaged over the batch; they are sums: db = "
            "dg.sum(axis=0).", {"db": "mean"}),
    Mistake("dW_hh multiplies the gradient by the new state h_next; it needs the state the step "
            "started from: dW_hh = dgh.T @ h_prev.", {"dW_hh_state": "h_next"}),
]
