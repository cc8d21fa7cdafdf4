"""The character-model checks accept right answers written any way and name typical mistakes.

Each wrong implementation is written the way a student would write it (not with the checks'
own simulations), together with words its feedback must contain.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_rnn.checks import (
    check_clip_gradients,
    check_gradient_check,
    check_loss_and_gradients,
    check_output_backward,
    check_output_forward,
    check_softmax_cross_entropy,
    check_train_one_pass,
    progress,
)
from course_rnn.checks import output_mistakes as out
from course_rnn.checks.clip_checks import CLIP_MISTAKES, clip_cases, mistaken_clip
from course_rnn.checks.outputs import close
from course_rnn.checks.progress import reset
from course_rnn.checks.training_checks import CHUNK_MISTAKES, PASS_MISTAKES
from course_rnn.checks.training_mistakes import (
    chunk_cases,
    clipped,
    mistaken_chunk,
    mistaken_pass,
    pass_cases,
)
from course_rnn.data.tokens import one_hot
from course_rnn.numpy import rnn_backward, rnn_forward
from course_rnn.numpy.losses import softmax_cross_entropy
from tests.test_checks_rnn import run_check
from tests.test_checks_safety import loops_forever, not_implemented, raises

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


def test_a_wrong_output_forward_is_blamed_not_its_consistent_backward(capsys):
    def forward_without_c(h, V, c):
        return output_forward(h, V, 0 * c)

    consistent = wrong_backward(dc=lambda dz, h, V: np.zeros(len(V)))
    result, printed = run_check(capsys, check_output_backward, forward_without_c, consistent)
    assert result is False and "your output_forward is wrong" in printed
    assert "does match numerical gradients of your own forward" in printed
    _, printed = run_check(capsys, check_output_backward, forward_without_c, output_backward)
    assert "disagrees with numerical gradients of your own forward in dc," in printed


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


# ---------------------------------------------------------------- every check, every answer

RIGHT = [  # (check, the right functions it also takes, right answers written differently)
    (check_output_forward, (), [output_forward, output_einsum, output_steps, output_float32]),
    (check_output_backward, (output_forward,), [output_backward, backward_einsum,
                                                backward_loop]),
    (check_softmax_cross_entropy, (), [cross_entropy, cross_entropy_take, cross_entropy_loops,
                                       cross_entropy_float32, softmax_cross_entropy]),
    (check_gradient_check, (), [gradient_check, gradient_check_in_place,
                                gradient_check_elementwise]),
    (check_clip_gradients, (), [clip_gradients, clip_concatenated, clip_package]),
    (check_loss_and_gradients, (), [loss_and_gradients, chunk_targets_transposed]),
    (check_train_one_pass, (), [train_one_pass, train_split]),
]


MISTAKES = [  # (check, the right functions it also takes, {name: (wrong function, hint)})
    (check_output_forward, (), WRONG_OUTPUT_FORWARD),
    (check_output_backward, (output_forward,), WRONG_OUTPUT_BACKWARD),
    (check_softmax_cross_entropy, (), WRONG_LOSS),
    (check_gradient_check, (), WRONG_GRADIENT_CHECK),
    (check_clip_gradients, (), WRONG_CLIP),
    (check_loss_and_gradients, (), WRONG_CHUNK),
    (check_train_one_pass, (), WRONG_PASS),
]

VERDICTS = [  # (check, its arguments, whether it must pass, words its feedback must contain)
    *[pytest.param(check, (*right, fn), True, "", id=f"{check.__name__}: {fn.__name__}")
      for check, right, answers in RIGHT for fn in answers],
    *[pytest.param(check, (*right, wrong), False, hint, id=f"{check.__name__}: {name}")
      for check, right, table in MISTAKES for name, (wrong, hint) in table.items()],
]


@pytest.mark.parametrize("check,functions,passes,words", VERDICTS)
def test_right_answers_pass_and_each_mistake_gets_its_hint(capsys, check, functions, passes,
                                                           words):
    result, printed = run_check(capsys, check, *functions)
    mark = "✓" if passes else "✗"
    assert result is passes, printed
    assert printed.startswith(f"{mark} {check.__name__.removeprefix('check_')}:")
    assert words in printed, printed


def test_at_least_six_mistakes_per_check():
    assert all(len(table) >= 6 for _, _, table in MISTAKES)


# ---------------------------------------------------------------- the checks' own simulations

SIMULATIONS = [  # (cases, the right outputs of a case, simulate, its typical mistakes)
    (out.output_cases, lambda case: case.reference()[:1], out.mistaken_output_forward,
     out.OUTPUT_FORWARD_MISTAKES),
    (lambda: out.output_cases()[:4], lambda case: case.reference()[1],
     out.mistaken_output_backward, out.OUTPUT_BACKWARD_MISTAKES),
    (out.loss_cases, lambda case: case.reference(), out.mistaken_loss, out.LOSS_MISTAKES),
    (clip_cases, lambda case: case.reference(), mistaken_clip, CLIP_MISTAKES),
    (chunk_cases, lambda case: case.reference(), mistaken_chunk, CHUNK_MISTAKES),
    (pass_cases, lambda case: case.reference(), mistaken_pass, PASS_MISTAKES),
]


@pytest.mark.parametrize("cases,reference,simulate,mistakes", SIMULATIONS,
                         ids=[simulate.__name__ for _, _, simulate, _ in SIMULATIONS])
def test_simulations_are_right_by_default_and_each_mistake_shows(cases, reference, simulate,
                                                                 mistakes):
    cases = cases()
    for case in cases:
        assert all(close(s, r) for s, r in zip(simulate(case), reference(case), strict=True))
    for mistake in mistakes:  # else a right answer could be blamed on it
        differs = []
        for case in cases:
            try:
                differs.append(not all(close(s, r) for s, r in zip(
                    simulate(case, **mistake.switches), reference(case))))
            except ValueError:
                continue
        assert any(differs), mistake.message


# ---------------------------------------------------------------- safety and progress

PATHOLOGICAL = {
    "raises": (raises, "raised KeyError: 'missing key' (line"),
    "not implemented": (not_implemented, "is not implemented yet"),
    "infinite loop": (loops_forever, "did not finish within 0.2 s"),
    "returns None": (lambda *args: None, "returned None"),
}


@pytest.mark.parametrize("pathology", PATHOLOGICAL)
@pytest.mark.parametrize("check,right", [(check, right) for check, right, _ in MISTAKES],
                         ids=[check.__name__ for check, _, _ in MISTAKES])
def test_checks_survive_pathological_functions(capsys, check, right, pathology):
    bad, expected = PATHOLOGICAL[pathology]
    assert check(*right, bad, time_limit=0.2) is False
    printed = " ".join(capsys.readouterr().out.split())
    assert printed.startswith("✗ ") and "bug in course_rnn" not in printed
    assert expected in printed, printed


def test_a_broken_output_forward_is_named_by_the_backward_check(capsys):
    result, printed = run_check(capsys, check_output_backward, not_implemented, output_backward)
    assert result is False and "your output_forward is not implemented yet" in printed


def test_progress_lists_the_char_model_checks(capsys):
    reset()
    check_clip_gradients(clip_gradients)
    rows = progress("05_char_model")
    assert [row.name for row in rows] == [
        "output_forward", "output_backward", "softmax_cross_entropy", "gradient_check",
        "clip_gradients", "loss_and_gradients", "train_one_pass"]
    assert [row.passed for row in rows] == [None] * 4 + [True, None, None]
    reset()
