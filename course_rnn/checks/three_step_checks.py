"""Check for exercise 04's ``three_step_gradients(x, h, g, W) -> (dU, dW, db)``.

The student writes the recursion of a three-step tanh RNN (column vectors, started from
h_{-1} = 0) with 1-D arrays:

    delta_2 = (1 - h_2^2) * g_2
    delta_t = (1 - h_t^2) * (g_t + W^T delta_{t+1})         for t = 1, 0
    dU = sum_t delta_t x_t^T,  dW = sum_t delta_t h_{t-1}^T,  db = sum_t delta_t

The check compares with the package's ``rnn_backward`` on a few random sequences (H != D, W
not symmetric, so that a transpose cannot hide), and matches the student's numbers with
typical slips of the derivation, simulated by :func:`three_step`.
"""

from __future__ import annotations

import numpy as np

from course_rnn.checks.diagnosis import matching_mistake
from course_rnn.checks.outputs import Problem, as_array, close, mismatch
from course_rnn.checks.report import Report, call_and_unpack, never_raises, report_problem
from course_rnn.checks.results import Verdict
from course_rnn.checks.rnn_mistakes import Mistake
from course_rnn.numpy import rnn_backward, rnn_forward


def three_step(x, h, g, W, *, losses="all", W_T=True, carried_slope=True, carry=True,
               state="h_prev", slope="1 - h**2"):
    """(dU, dW, db) of the three-step RNN, with the given slips; right with the defaults.

    ``losses="last"`` keeps only g_2; ``W_T=False`` carries with W instead of W^T;
    ``carried_slope=False`` leaves the tanh slope off the carried part; ``carry=False`` drops
    it; ``state="h"`` pairs delta_t with h_t in dW; ``slope`` is the tanh slope used.
    """
    g = g * np.array([0.0, 0.0, 1.0])[:, None] if losses == "last" else g
    slopes = {"1 - h**2": 1 - h**2, "1 - tanh(h)**2": 1 - np.tanh(h) ** 2}[slope]
    back = W.T if W_T else W
    deltas = [None, None, slopes[2] * g[2]]
    for t in (1, 0):
        carried = back @ deltas[t + 1] if carry else 0.0
        deltas[t] = slopes[t] * (g[t] + carried) if carried_slope \
            else slopes[t] * g[t] + carried
    before = np.concatenate([np.zeros((1, h.shape[1])), h[:-1]])  # h_{t-1}, h_{-1} = 0
    paired = h if state == "h" else before
    dU = sum(np.outer(deltas[t], x[t]) for t in range(3))
    dW = sum(np.outer(deltas[t], paired[t]) for t in range(3))
    return dU, dW, sum(deltas)


MISTAKES = [
    Mistake("only the last step's loss is used: every step has its own loss, so delta_1 and "
            "delta_0 start from g_1 and g_0 plus what comes back.", {"losses": "last"}),
    Mistake("the carried gradient uses W where it needs W^T: delta_t = (1 - h_t^2) * (g_t + "
            "W^T delta_{t+1}); `W.T @ delta`.", {"W_T": False}),
    Mistake("the tanh slope is missing on the carried part: it multiplies the whole bracket, "
            "(1 - h_t^2) * (g_t + W^T delta_{t+1}).", {"carried_slope": False}),
    Mistake("nothing is carried back: the total gradient at h_t is g_t plus W^T delta_{t+1} from "
            "the step after it.", {"carry": False}),
    Mistake("dW pairs delta_t with h_t; W multiplies the previous state, so the term is "
            "delta_t h_{t-1}^T (and h_{-1} = 0).", {"state": "h"}),
    Mistake("tanh is applied twice: h_t is already tanh(a_t), so the slope is 1 - h_t^2.",
            {"slope": "1 - tanh(h)**2"}),
]

NAMES = ("dU", "dW", "db")


def _three_step_on(args, **switches):
    """:func:`three_step` on the named arguments ``args`` of one case."""
    return three_step(*(value for _, value in args), **switches)


def cases() -> list[tuple[np.ndarray, ...]]:
    """(x, h, g, W, reference gradients) for the notebook's sizes and two larger ones."""
    result = []
    for seed, D, H in [(1, 1, 2), (2, 2, 3), (3, 3, 4)]:
        rng = np.random.default_rng(seed)
        U, W = rng.standard_normal((H, D)), rng.standard_normal((H, H)) / np.sqrt(H)
        b, x, g = rng.standard_normal(H) * 0.5, rng.standard_normal((3, D)), \
            rng.standard_normal((3, H))
        states, cache = rnn_forward(x[:, None, :], np.zeros((1, H)), U, W, b, np.zeros(H))
        _, _, dU, dW, db, _ = rnn_backward(g[:, None, :], cache)
        result.append((x, states[:, 0, :], g, W, (dU, dW, db)))
    return result


@never_raises
def check_three_step_gradients(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``three_step_gradients(x, h, g, W) -> (dU, dW, db)`` against the
    package's rnn_backward; print a pass line or the likely slip. Never raises."""
    report = Report("three_step_gradients")
    runs = []
    for x, h, g, W, want in cases():
        title = f"H = {h.shape[1]}, D = {x.shape[1]}"
        args = [("x", x), ("h", h), ("g", g), ("W", W)]
        try:
            got = call_and_unpack(report, fn, args, "three_step_gradients", NAMES, time_limit)
            got = [as_array(a, n, w.shape) for a, n, w in zip(got, NAMES, want)]
        except Problem as problem:
            return report_problem(report, problem, title)
        runs.append((title, args, got, want))
    wrong = [(title, n, mismatch(a, w)) for title, _, got, want in runs
             for a, n, w in zip(got, NAMES, want) if not close(a, w)]
    if not wrong:
        return report.passed(f"dU, dW and db agree with rnn_backward on {len(runs)} "
                             "sequences (H = 2 to 4, D = 1 to 3).")
    title = wrong[0][0]
    names = [n for t, n, _ in wrong if t == title]
    details = [f"On the sequence with {title}:",
               *[f"{m.describe(n)}." for t, n, m in wrong if t == title]]
    observed = [(args, got) for _, args, got, _ in runs]
    mistake = matching_mistake(observed, MISTAKES, _three_step_on)
    if mistake:
        details.append(f"Most likely {mistake}")
    return report.failed(f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} wrong.",
                         *details)
