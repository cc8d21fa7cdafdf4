"""Answers to the clockwork exercise as students write them: right ones written in different
ways (a per-unit mask and np.where, a loop over the modules, float32 with np.kron, h_next alone
or with a cache), and wrong ones, each with words its check's feedback must contain.
Used by tests/test_checks_beyond_lstm.py.
"""

from __future__ import annotations

import numpy as np


def clockwork_step_forward(x, h_prev, t, W_ih, W_hh, b, periods, *, schedule=None,
                           pattern=None, order=1, idle=None, W_hh_T=True):
    """The solution, with hooks where students go wrong; returns h_next alone."""
    H, g = W_hh.shape[0], len(periods)
    period = np.repeat(np.asarray(periods)[::order], H // g)
    active = t % period == 0 if schedule is None else schedule(t, period, np.arange(H) // (H // g))
    M = period[None, :] >= period[:, None] if pattern is None else pattern(period)
    W = M * W_hh
    c = np.tanh(x @ W_ih.T + h_prev @ (W.T if W_hh_T else W) + b)
    return np.where(active, c, h_prev if idle is None else idle(h_prev, b))


def step_module_loop(x, h_prev, t, W_ih, W_hh, b, periods):
    """One module at a time, reading only its own and the slower modules; a tuple with a cache."""
    k = W_hh.shape[0] // len(periods)
    h_next = h_prev.copy()
    for i, T in enumerate(periods):
        rows = slice(i * k, (i + 1) * k)
        if t % T == 0:
            recurrent = h_prev[:, i * k:] @ W_hh[rows, i * k:].T
            h_next[:, rows] = np.tanh(x @ W_ih[rows].T + recurrent + b[rows])
    return h_next, {"x": x, "h_prev": h_prev, "t": t}


def step_kron_float32(x, h_prev, t, W_ih, W_hh, b, periods):
    """Block masks from np.kron, in float32; the active units as a float mask."""
    x, h_prev, W_ih, W_hh, b = (a.astype(np.float32) for a in (x, h_prev, W_ih, W_hh, b))
    g, k = len(periods), W_hh.shape[0] // len(periods)
    blocks = np.triu(np.ones((g, g), np.float32))
    mask = np.kron(blocks, np.ones((k, k), np.float32))
    on = np.kron(np.array([t % T == 0 for T in periods], np.float32), np.ones(k, np.float32))
    c = np.tanh(x @ W_ih.T + h_prev @ (W_hh * mask).T + b)
    return on * c + (1 - on) * h_prev, (c, on)


def _with(**hooks):
    def wrong(*args):
        return clockwork_step_forward(*args, **hooks)
    return wrong


def _updates_every_module(x, h_prev, t, W_ih, W_hh, b, periods):
    return clockwork_step_forward(x, h_prev, 0, W_ih, W_hh, b, periods)


def _modifies_h_prev(x, h_prev, t, W_ih, W_hh, b, periods):
    h_next = clockwork_step_forward(x, h_prev, t, W_ih, W_hh, b, periods)
    h_prev[:] = h_next
    return h_prev


WRONG = {
    "period test inverted": (_with(schedule=lambda t, p, i: t % p != 0),
                             "the period test is inverted"),
    "counted from 1": (_with(schedule=lambda t, p, i: (t + 1) % p == 0),
                       "the steps are counted from 1"),
    "module index as period": (_with(schedule=lambda t, p, i: t % (i + 1) == 0),
                               "uses the module's index"),
    "every module updates": (_updates_every_module, "every module updates at every step"),
    "periods reversed": (_with(order=-1), "periods in reverse order"),
    "slow modules read fast ones": (_with(pattern=lambda p: p[None, :] <= p[:, None]),
                                    "so slow modules read fast ones"),
    "W_hh unmasked": (_with(pattern=lambda p: np.ones((len(p), len(p)))),
                      "the block-triangular mask is not applied"),
    "diagonal blocks left out": (_with(pattern=lambda p: p[None, :] > p[:, None]),
                                 "leaves out the diagonal blocks"),
    "W_hh untransposed": (_with(W_hh_T=False), "W_hh is used untransposed"),
    "idle modules reset to 0": (_with(idle=lambda h, b: 0.0), "the idle modules are reset to 0"),
    "bias added to idle modules": (_with(idle=lambda h, b: h + b),
                                   "the bias is added to the idle modules"),
    "h_prev changed in place": (_modifies_h_prev, "changed its argument h_prev in place"),
    "one module's units": (lambda x, h, t, *rest: clockwork_step_forward(x, h, t, *rest)[:, :2],
                           "that is one module's units"),
}
