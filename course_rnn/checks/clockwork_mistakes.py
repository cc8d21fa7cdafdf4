r"""Typical wrong clockwork steps, simulated, so that the clockwork check can name them.

:func:`mistaken_clockwork_step` computes one step of a clockwork RNN (Koutnik et al. 2014)
with switches that reproduce one common mistake each: the period test inverted or counted from
1, a module's index in place of its period, the modules' periods in reverse order, the
recurrent pattern transposed, left out or without its diagonal blocks, idle modules reset to 0,
updated anyway or given the bias. With every switch at its default it computes the right step:

    period[k] = T_i of the module i of unit k        (H,)
    active[k] = t mod period[k] == 0                 (H,)
    M[k, l]   = period[l] >= period[k]               (H, H) unit k reads unit l
    c = tanh(x W_ih^T + h_prev (M * W_hh)^T + b)
    h_next = c at the active units, h_prev at the idle ones

Shapes: N batch, D input features, H hidden units, g modules.
"""

from __future__ import annotations

import numpy as np

from course_rnn.checks.clockwork_cases import ClockworkCase
from course_rnn.checks.rnn_mistakes import Mistake

SCHEDULES = {
    "t % T == 0": lambda t, period, index: t % period == 0,
    "t % T != 0": lambda t, period, index: t % period != 0,
    "(t + 1) % T == 0": lambda t, period, index: (t + 1) % period == 0,
    "t % (i + 1) == 0": lambda t, period, index: t % (index + 1) == 0,
    "always": lambda t, period, index: np.ones_like(period, dtype=bool),
}
PATTERNS = {
    "T_l >= T_k": lambda rows, cols: cols >= rows,
    "T_l <= T_k": lambda rows, cols: cols <= rows,
    "T_l > T_k": lambda rows, cols: cols > rows,
    "all": lambda rows, cols: np.ones(np.broadcast_shapes(rows.shape, cols.shape), bool),
}


def mistaken_clockwork_step(case: ClockworkCase, *, schedule="t % T == 0", order="increasing",
                            pattern="T_l >= T_k", W_hh_T=True, idle="keep"):
    """(h_next,) (N, H) computed with the given mistakes.

    ``schedule`` is the test of a module's update; ``order`` "reversed" gives the first module
    the longest period; ``pattern`` which unit may read which; ``idle`` what an idle unit
    holds: "keep" (h_prev), "zero" or "keep + b".
    """
    x, h_prev, t, W_ih, W_hh, b, periods = (case[name] for name in
                                            ("x", "h_prev", "t", "W_ih", "W_hh", "b", "periods"))
    H, g = W_hh.shape[0], len(periods)
    ordered = periods[::-1] if order == "reversed" else periods
    period = np.repeat(np.asarray(ordered), H // g)                   # (H,)
    index = np.repeat(np.arange(g), H // g)                           # (H,)
    active = SCHEDULES[schedule](t, period, index)
    M = PATTERNS[pattern](period[:, None], period[None, :])
    W = M * W_hh
    c = np.tanh(x @ W_ih.T + h_prev @ (W.T if W_hh_T else W) + b)
    kept = {"keep": h_prev, "zero": np.zeros_like(h_prev), "keep + b": h_prev + b}[idle]
    return (np.where(active, c, kept),)


_RULE = ("module i updates at step t when t % T_i == 0 (t = 0, 1, 2, ...) and keeps its state "
         "otherwise")
_PATTERN = ("unit k reads unit l only when period[l] >= period[k]: a module reads itself and "
            "the slower modules, so M * W_hh is block-upper triangular with the fast modules "
            "first")

FORWARD_MISTAKES = [
    Mistake(f"the period test is inverted: the modules update when t % T_i != 0; {_RULE}.",
            {"schedule": "t % T != 0"}),
    Mistake(f"the steps are counted from 1 ((t + 1) % T_i == 0): the first step is t = 0, "
            f"where every module updates; {_RULE}.", {"schedule": "(t + 1) % T == 0"}),
    Mistake(f"the test uses the module's index (t % (i + 1)) where its period belongs; {_RULE}.",
            {"schedule": "t % (i + 1) == 0"}),
    Mistake("every module updates at every step: an idle module must keep h_prev, not take the "
            f"new candidate tanh(...); {_RULE}.", {"schedule": "always"}),
    Mistake("the modules get their periods in reverse order: the first H/g units belong to the "
            "fastest module, T_1 = periods[0] (np.repeat(periods, H // g)).",
            {"order": "reversed"}),
    Mistake(f"the recurrent pattern is transposed, so slow modules read fast ones; {_PATTERN}.",
            {"pattern": "T_l <= T_k"}),
    Mistake(f"W_hh is used whole: the block-triangular mask is not applied; {_PATTERN}.",
            {"pattern": "all"}),
    Mistake(f"the pattern leaves out the diagonal blocks, so a module does not read its own "
            f"state; {_PATTERN} (>=, not >).", {"pattern": "T_l > T_k"}),
    Mistake("W_hh is used untransposed: with the states as rows, the recurrent term is "
            "h_prev @ (M * W_hh).T (W_hh is square, so the shapes cannot catch it).",
            {"W_hh_T": False}),
    Mistake("the idle modules are reset to 0 (h_next = active * c): they keep their state, "
            "h_next = np.where(active, c, h_prev).", {"idle": "zero"}),
    Mistake("the bias is added to the idle modules: an idle module's state is h_prev exactly, "
            "h_next = np.where(active, c, h_prev).", {"idle": "keep + b"}),
]
