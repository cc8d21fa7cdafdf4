"""Answers to the clipping and training tasks of exercise 5, as students write them: right
ones written in different ways, and wrong ones, each with words its check's feedback must
contain. Used by tests/test_checks_char.py.
"""

from __future__ import annotations

import numpy as np

from course_rnn.checks.training_mistakes import clipped
from course_rnn.data.tokens import one_hot
from course_rnn.numpy import rnn_backward, rnn_forward
from course_rnn.numpy.losses import softmax_cross_entropy
from tests.char_answers_output import cross_entropy_take, output_backward, output_forward

# ---------------------------------------------------------------- clipping

def global_norm(grads):
    return np.sqrt(sum(np.sum(g**2) for g in grads.values()))


def clip_gradients(grads, max_norm):
    n = global_norm(grads)
    factor = max_norm / n if n > max_norm else 1.0
    return {name: g * factor for name, g in grads.items()}, n


def clip_concatenated(grads, max_norm):
    n = float(np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()])))
    return {name: g * min(1.0, max_norm / (n + 1e-6)) for name, g in grads.items()}, n


def clip_package(grads, max_norm):
    return clipped(grads, max_norm), global_norm(grads)


def clip_each(grads, max_norm):
    return {name: g * min(1.0, max_norm / (np.linalg.norm(g) + 1e-12))
            for name, g in grads.items()}, global_norm(grads)


def clip_always(grads, max_norm, tiny=0.0):
    n = global_norm(grads)
    return {name: g * max_norm / (n + tiny) for name, g in grads.items()}, n


def clip_in_place(grads, max_norm):
    n = global_norm(grads)
    for g in grads.values():
        g *= min(1.0, max_norm / n)
    return grads, n


def clip_with(norm):
    def clip(grads, max_norm):
        n = norm(grads)
        return {name: g * (max_norm / n if n > max_norm else 1.0)
                for name, g in grads.items()}, n
    return clip


WRONG_CLIP = {
    "each array by its own norm": (clip_each, "each array is clipped by its own norm"),
    "always scales": (lambda g, m: clip_always(g, m, 1e-6), "even when their norm is below"),
    "always scales, zero norm": (clip_always, "Scale only when n > max_norm"),
    "by value": (lambda g, m: ({k: np.clip(v, -m, m) for k, v in g.items()}, global_norm(g)),
                 "clipping by value"),
    "no square root": (clip_with(lambda g: global_norm(g) ** 2), "missing its square root"),
    "sum of norms": (clip_with(lambda g: sum(np.linalg.norm(v) for v in g.values())),
                     "sum of the arrays' norms"),
    "norm after clipping": (lambda g, m: (clip_gradients(g, m)[0],
                                          global_norm(clip_gradients(g, m)[0])),
                            "measured after clipping"),
    "in place": (clip_in_place, "changed grads in place"),
}


# ---------------------------------------------------------------- one chunk

def loss_and_gradients(params, inputs, targets, h_init, start=None, last=lambda h, h0: h[-1],
                       to_loss=lambda z: z.transpose(1, 0, 2),
                       from_loss=lambda d: d.transpose(1, 0, 2), rnn_grads=True):
    K = params["V"].shape[0]
    h, cache = rnn_forward(one_hot(inputs, K), h_init if start is None else start(h_init),
                           params["W_ih"], params["W_hh"], params["b_ih"], params["b_hh"])
    z, out_cache = output_forward(h, params["V"], params["c"])
    loss, dlogits = softmax_cross_entropy(to_loss(z), targets)
    dh, dV, dc = output_backward(from_loss(dlogits), out_cache)
    grads = dict(zip(("W_ih", "W_hh", "b_ih", "b_hh"), rnn_backward(dh, cache)[2:]))
    if not rnn_grads:
        grads = {name: np.zeros_like(g) for name, g in grads.items()}
    return loss, {**grads, "V": dV, "c": dc}, last(h, h_init)


def chunk_targets_transposed(params, inputs, targets, h_init):
    """The loss on time-major scores against transposed targets: the same positions."""
    K = params["V"].shape[0]
    h, cache = rnn_forward(one_hot(inputs, K), h_init, params["W_ih"], params["W_hh"],
                           params["b_ih"], params["b_hh"])
    z = np.einsum("tnh,kh->tnk", h, params["V"]) + params["c"]
    loss, dz = cross_entropy_take(z.transpose(1, 0, 2), targets)
    dz = dz.transpose(1, 0, 2)
    _, _, dW_ih, dW_hh, db_ih, db_hh = rnn_backward(dz @ params["V"], cache)
    grads = {"c": dz.sum(axis=(0, 1)), "V": np.einsum("tnk,tnh->kh", dz, h), "W_ih": dW_ih,
             "W_hh": dW_hh, "b_ih": db_ih, "b_hh": db_hh}  # another key order
    return float(loss), grads, h[-1].copy()


def wrong_chunk(**mistake):
    return lambda *args: loss_and_gradients(*args, **mistake)


def reshaped(array):
    A, B, K = array.shape
    return array.reshape(B, A, K)


WRONG_CHUNK = {
    "h_init ignored": (wrong_chunk(start=np.zeros_like), "h_init is ignored"),
    "h_last of the first step": (wrong_chunk(last=lambda h, h0: h[0]),
                                 "state after the first step"),
    "h_init handed back": (wrong_chunk(last=lambda h, h0: h0), "h_init handed back"),
    "every state returned": (wrong_chunk(last=lambda h, h0: h), "that is every state"),
    "reshape, not transpose": (wrong_chunk(to_loss=reshaped, from_loss=reshaped),
                               "reshaped to (N, T, K) where it must be transposed"),
    "dlogits reshaped back": (wrong_chunk(from_loss=reshaped), "reshaped back"),
    "no RNN gradients": (wrong_chunk(rnn_grads=False), "pass dh"),
    "a gradient missing": (lambda *a: (lambda loss, g, h: (loss, {k: g[k] for k in list(g)[:5]},
                                                           h))(*loss_and_gradients(*a)),
                           "it should have exactly"),
}


# ---------------------------------------------------------------- a pass of truncated BPTT

def train_one_pass(params, inputs, targets, seq_len, lr, max_norm, carry=True,
                   window=lambda start, end: slice(start, end), restart=False, clip=True,
                   sign=-1.0):
    N, L = inputs.shape
    h = np.zeros((N, params["W_hh"].shape[0]))
    losses = []
    for start in range(0, L, seq_len):
        cols = window(start, start + seq_len)
        from_state = np.zeros_like(h) if restart else h
        loss, grads, h_last = loss_and_gradients(params, inputs[:, cols], targets[:, cols],
                                                 from_state)
        if clip:
            grads, _ = clip_gradients(grads, max_norm)
        for name in params:
            params[name] += sign * lr * grads[name]
        losses.append(loss)
        h = h_last if carry else np.zeros_like(h)
    return losses


def train_split(params, inputs, targets, seq_len, lr, max_norm):
    h, losses = None, []
    for x, y in zip(np.split(inputs, inputs.shape[1] // seq_len, axis=1),
                    np.split(targets, targets.shape[1] // seq_len, axis=1)):
        h = np.zeros((len(x), params["W_hh"].shape[0])) if h is None else h
        loss, grads, h = chunk_targets_transposed(params, x, y, h)
        grads, _ = clip_concatenated(grads, max_norm)
        params.update({name: params[name] - lr * grads[name] for name in params})
        losses.append(loss)
    return np.array(losses)


def wrong_pass(**mistake):
    return lambda *args: train_one_pass(*args, **mistake)


def train_a_copy(params, *args):
    return train_one_pass({name: p.copy() for name, p in params.items()}, *args)


def train_every_step(params, inputs, targets, seq_len, lr, max_norm):
    return [loss for loss in train_one_pass(params, inputs, targets, seq_len, lr, max_norm)
            for _ in range(seq_len)]


def train_overlapping(params, inputs, targets, seq_len, lr, max_norm):
    return [train_one_pass(params, inputs[:, s:s + seq_len], targets[:, s:s + seq_len],
                           seq_len, lr, max_norm)[0] for s in range(inputs.shape[1] - seq_len + 1)]


WRONG_PASS = {
    "state not carried": (wrong_pass(carry=False), "the state is not carried"),
    "gradient not stopped": (wrong_pass(window=lambda start, end: slice(0, end), restart=True),
                             "the gradient is not stopped"),
    "no clipping": (wrong_pass(clip=False), "not clipped"),
    "gradient ascent": (wrong_pass(sign=1.0), "move up the gradient"),
    "the first chunk every time": (wrong_pass(window=lambda start, end: slice(0, end - start)),
                                   "reads the first chunk again"),
    "a copy trained": (train_a_copy, "parameters in params did not change"),
    "a loss per step": (train_every_step, "one loss per step"),
    "overlapping chunks": (train_overlapping, "chunks overlap"),
}
