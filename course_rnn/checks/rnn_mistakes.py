"""Typical wrong RNN implementations, simulated, so that a check can name the mistake it sees.

``mistaken_forward`` and ``mistaken_backward`` compute the RNN with switches that reproduce one
common mistake each (a missing term, an untransposed weight, the wrong nonlinearity, time walked
the wrong way, a gradient not accumulated...). With every switch at its default they compute
the right answer. A check compares the student's output with each ``Mistake``: when one
reproduces it, its message says what the student probably wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course_rnn.checks.rnn_cases import Case
from course_rnn.numpy.activations import relu, sigmoid

NONLINEARITIES = {"tanh": np.tanh, "sigmoid": sigmoid, "relu": relu, "none": lambda a: a}


def mistaken_forward(case: Case, *, f="tanh", W_ih_T=True, W_hh_T=True, recurrent=True,
                     b_ih=True, b_hh=True, bias_outside=False, f_each_term=False,
                     f_input_only=None, carry=True, use_h_init=True, reverse=False,
                     shift=False):
    """Hidden states (T, N, H) computed with the given mistakes; raises ValueError when a
    mistake makes the shapes incompatible (then the student would have seen an error).

    ``f_input_only`` is ``"x"`` for ``f(x W_ih^T) + h_prev W_hh^T + b_ih + b_hh`` and
    ``"x + b_ih"`` for ``f(x W_ih^T + b_ih) + h_prev W_hh^T + b_hh``.
    """
    f = NONLINEARITIES[f]
    T, N, _, H = case.sizes
    h_init = case.h_init if use_h_init else np.zeros_like(case.h_init)
    h_prev, h = h_init, np.empty((T, N, H))
    for t in reversed(range(T)) if reverse else range(T):
        input_term = case.x[t] @ (case.W_ih.T if W_ih_T else case.W_ih)
        recurrent_term = h_prev @ (case.W_hh.T if W_hh_T else case.W_hh) * recurrent
        bias = case.b_ih * b_ih + case.b_hh * b_hh
        if f_each_term:
            h[t] = f(input_term) + f(recurrent_term) + f(bias)
        elif f_input_only == "x":
            h[t] = f(input_term) + recurrent_term + bias
        elif f_input_only == "x + b_ih":
            h[t] = f(input_term + case.b_ih) + recurrent_term + case.b_hh * b_hh
        elif bias_outside:
            h[t] = f(input_term + recurrent_term) + bias
        else:
            h[t] = f(input_term + recurrent_term + bias)
        if carry:
            h_prev = h[t]
    return np.concatenate([h_init[None], h[:-1]]) if shift else h


def mistaken_backward(case: Case, *, states=None, derivative="1 - h**2", dx_T=False,
                      dh_prev_T=False, dW_ih_T=False, dW_hh_T=False, dW_hh_state="h_prev",
                      db="sum", db_hh=True, accumulate="all", add_loss=True, carry=True,
                      carry_after_derivative=False, cache_offset=0, reverse=True,
                      dh_prev_derivative=True, dh_init_zero=False):
    """(dx, dh_init, dW_ih, dW_hh, db_ih, db_hh) of the whole sequence, with the given mistakes.

    ``states`` (T, N, H) replaces the right hidden states: the right formulas applied to what
    a student's forward computed. ``cache_offset=-1`` makes step t read the cache of step t-1
    (``cache[t - 1]``, which is the last step's at t = 0).
    """
    W_ih, W_hh = case.W_ih, case.W_hh
    T, N, _, H = case.sizes
    h = case.reference()[0] if states is None else states
    a = np.arctanh(np.clip(h, -1 + 1e-15, 1 - 1e-15))  # the pre-activations
    h_prev = np.concatenate([case.h_init[None], h[:-1]])
    read = [(t + cache_offset) % T for t in range(T)]  # the step whose cache step t reads
    h, a, h_prev, x = h[read], a[read], h_prev[read], case.x[read]
    derivative_of = {"1 - h**2": lambda t: 1 - h[t] ** 2, "1 - h": lambda t: 1 - h[t],
                     "1 - a**2": lambda t: 1 - a[t] ** 2, "none": lambda t: 1.0,
                     "1 - tanh(h)**2": lambda t: 1 - np.tanh(h[t]) ** 2,
                     "1 - h_prev**2": lambda t: 1 - h_prev[t] ** 2,
                     "(1 - h)**2": lambda t: (1 - h[t]) ** 2}[derivative]
    da, g = np.zeros((T, N, H)), np.zeros((T, N, H))
    dh_next = np.zeros((N, H))
    for t in reversed(range(T)) if reverse else range(T):
        loss_part = case.dh[t] if add_loss or t == T - 1 else 0.0
        g[t] = loss_part + dh_next * carry
        if carry_after_derivative:
            da[t] = loss_part * derivative_of(t) + dh_next * carry
        else:
            da[t] = g[t] * derivative_of(t)
        dh_next = (da[t] if dh_prev_derivative else g[t]) @ (W_hh.T if dh_prev_T else W_hh)
    steps = {"all": slice(None), "first": slice(0, 1), "last": slice(T - 1, T)}[accumulate]
    rows = da[steps].reshape(-1, H)
    states = (h_prev if dW_hh_state == "h_prev" else h)[steps].reshape(-1, H)
    dW_ih = rows.T @ x[steps].reshape(len(rows), -1)
    dW_hh = rows.T @ states
    bias = rows.sum(axis=0) / (N if db == "mean" else 1)
    dh_init = np.zeros((N, H)) if dh_init_zero else dh_next
    return (da @ (W_ih.T if dx_T else W_ih), dh_init, dW_ih.T if dW_ih_T else dW_ih,
            dW_hh.T if dW_hh_T else dW_hh, bias, bias if db_hh else np.zeros(H))


@dataclass(frozen=True)
class Mistake:
    """One typical mistake: the switches that reproduce it and what to tell the student."""

    message: str
    switches: dict = field(default_factory=dict)
    sequence_only: bool = False


_TERM = "in row-major code every weight is used transposed"

FORWARD_MISTAKES = [
    Mistake("the recurrent term is missing: h_next must depend on h_prev through "
            "h_prev @ W_hh.T.", {"recurrent": False}),
    Mistake("you multiply by W_hh where W_hh.T is needed (h_prev @ W_hh.T): W_hh is square, "
            f"so the shapes cannot catch it; {_TERM}.", {"W_hh_T": False}),
    Mistake(f"you multiply by W_ih where W_ih.T is needed (x @ W_ih.T); {_TERM}.",
            {"W_ih_T": False}),
    Mistake("both weights are used untransposed: write x @ W_ih.T and h_prev @ W_hh.T.",
            {"W_ih_T": False, "W_hh_T": False}),
    Mistake("the bias b_ih is missing: torch keeps two biases and both are added.",
            {"b_ih": False}),
    Mistake("the bias b_hh is missing: torch keeps two biases and both are added.",
            {"b_hh": False}),
    Mistake("both biases b_ih and b_hh are missing.", {"b_ih": False, "b_hh": False}),
    Mistake("you apply sigmoid where the RNN uses tanh.", {"f": "sigmoid"}),
    Mistake("you apply relu where this RNN uses tanh.", {"f": "relu"}),
    Mistake("no nonlinearity is applied: h_next = tanh(a), not a.", {"f": "none"}),
    Mistake("the biases are added after the tanh; they belong inside it: "
            "tanh(x W_ih^T + h_prev W_hh^T + b_ih + b_hh).", {"bias_outside": True}),
    Mistake("tanh is applied to each term separately; apply it once, to the sum of all terms.",
            {"f_each_term": True}),
    Mistake("tanh wraps the input term only; the recurrent term and the biases belong inside "
            "it too: tanh(x W_ih^T + h_prev W_hh^T + b_ih + b_hh).", {"f_input_only": "x"}),
    Mistake("tanh wraps the input term and b_ih only; the recurrent term and b_hh belong "
            "inside it too: tanh(x W_ih^T + h_prev W_hh^T + b_ih + b_hh).",
            {"f_input_only": "x + b_ih"}),
    Mistake("the state is not carried from step to step: every step starts from h_init. "
            "After step t the previous state for step t+1 is h[t].", {"carry": False}, True),
    Mistake("h_init is ignored: the first step must start from the given h_init, not from zeros "
            "(watch out for h[t - 1] at t = 0, which reads h[-1]).", {"use_h_init": False}, True),
    Mistake("time is walked backwards: the loop must run t = 0, 1, ..., T-1.",
            {"reverse": True}, True),
    Mistake("your states are shifted by one step: h[t] must be the state *after* reading "
            "x[t], and h_init is not part of the output.", {"shift": True}, True),
]

BACKWARD_MISTAKES = [
    Mistake("the tanh derivative is wrong: you use 1 - h where it is 1 - h**2.",
            {"derivative": "1 - h"}),
    Mistake("the tanh derivative is taken of the wrong thing: 1 - a**2 with the "
            "pre-activation a; it is 1 - h**2 with h = tanh(a).", {"derivative": "1 - a**2"}),
    Mistake("the tanh derivative is missing: da = dh * (1 - h**2) before any weight "
            "gradient.", {"derivative": "none"}),
    Mistake("tanh is applied twice: h_next is already tanh(a), so the derivative is "
            "1 - h_next**2, not 1 - np.tanh(h_next)**2.", {"derivative": "1 - tanh(h)**2"}),
    Mistake("the tanh derivative uses the state the step started from: it is 1 - h_next**2, "
            "with the state that this step's tanh produced, not 1 - h_prev**2.",
            {"derivative": "1 - h_prev**2"}),
    Mistake("the tanh derivative is misplaced: it is 1 - h**2 (square h, then subtract), not "
            "(1 - h)**2.", {"derivative": "(1 - h)**2"}),
    Mistake("dx uses W_ih.T where it needs W_ih: dx = da @ W_ih.", {"dx_T": True}),
    Mistake("dh_prev uses W_hh.T where it needs W_hh: dh_prev = da @ W_hh.", {"dh_prev_T": True}),
    Mistake("dW_ih is transposed: dW_ih = da.T @ x has W_ih's shape (H, D).", {"dW_ih_T": True}),
    Mistake("dW_hh is transposed: dW_hh = da.T @ h_prev (W_hh is square, so the shape "
            "cannot catch this).", {"dW_hh_T": True}),
    Mistake("dW_hh multiplies da by the new state h_next; it needs the state the step started "
            "from, h_prev (h_init at the first step).", {"dW_hh_state": "h_next"}),
    Mistake("the bias gradient is averaged over the batch; it is the sum: "
            "db = da.sum(axis=0).", {"db": "mean"}),
    Mistake("db_hh is zero: b_hh enters the pre-activation just like b_ih, so db_hh = db_ih.",
            {"db_hh": False}),
    Mistake("dh_prev misses the tanh derivative: dh_prev = (dh_next * (1 - h**2)) @ W_hh.",
            {"dh_prev_derivative": False}),
    Mistake("dh_init is zero: it is the gradient that leaves the first step, dh_prev of t = 0.",
            {"dh_init_zero": True}, True),
    Mistake("the weight gradients are not accumulated over time: only the first step's "
            "contribution is kept (`dW = ...` inside the loop overwrites; use `dW += ...`).",
            {"accumulate": "first"}, True),
    Mistake("the weight gradients are not accumulated over time: only the last step's "
            "contribution is kept; every step uses the same weights, so add all T of them.",
            {"accumulate": "last"}, True),
    Mistake("the gradient from the loss, dh[t], is not added at each step: the gradient "
            "reaching h_t is dh[t] + dh_next.", {"add_loss": False}, True),
    Mistake("the gradient is not carried back through time: the gradient reaching h_t is "
            "dh[t] plus dh_prev from step t+1.", {"carry": False}, True),
    Mistake("time is walked forwards: backpropagation through time runs t = T-1, ..., 0, "
            "since step t needs the gradient from step t+1.", {"reverse": False}, True),
    Mistake("step t reads the cache of step t - 1 (cache[t - 1], which at t = 0 is the last "
            "step's): step t's backward needs cache[t].", {"cache_offset": -1}, True),
    Mistake("the carried gradient is added after the tanh derivative: add dh[t] and the "
            "gradient from step t+1 first, then multiply the sum by 1 - h[t]**2.",
            {"carry_after_derivative": True}, True),
]


def mistakes_for(table: list[Mistake], sequence: bool) -> list[Mistake]:
    """The mistakes that can occur in a step function (``sequence=False``) or a sequence one."""
    return [m for m in table if sequence or not m.sequence_only]
