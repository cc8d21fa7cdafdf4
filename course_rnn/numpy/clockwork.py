r"""The clockwork RNN (Koutnik, Greff, Gomez and Schmidhuber 2014) in NumPy, forward and backward.

The H hidden units are split into g modules of H/g units, module i with clock period T_i,
the periods increasing (fast modules first, e.g. T = (1, 2, 4, 8)). At step t (the first step
is t = 0) module i is *active* when t mod T_i = 0: it computes a plain RNN update; an idle
module keeps its state unchanged. Recurrent connections run only from slower modules (or the
module itself) into faster ones: row block i of W_hh reads column block j only when T_j >= T_i,
a block-upper-triangular pattern M (the paper's W_H is block-upper triangular in this order):

    m_t      = [t mod T_i == 0 for the module i of each unit]      (H,) active units
    a_t      = x_t W_ih^T + h_{t-1} (M * W_hh)^T + b
    c_t      = tanh(a_t)                                           candidate
    h_t      = m_t * c_t + (1 - m_t) * h_{t-1}                      (np.where(m_t, c_t, h_{t-1}))

Every module is active at t = 0 (0 mod T = 0). We count from 0 as the rule t mod T_i = 0
suggests; the indexed text of the paper we could read does not say whether its t starts at 0
or 1 (counting from 1 would shift every slow module's updates by one step).

Backward, given dh_t (all that reaches h_t):

    da_t      = m_t * dh_t * (1 - c_t^2)            0 at the idle units
    dx_t      = da_t W_ih
    dh_{t-1}  = da_t (M * W_hh) + (1 - m_t) * dh_t  an idle unit passes its gradient straight back
    dW_ih    += da_t^T x_t
    dW_hh    += M * (da_t^T h_{t-1})                0 outside the pattern
    db       += sum over the batch of da_t

Shapes: N batch, T time, D input features, H hidden units, g modules. W_ih (H, D),
W_hh (H, H), b (H,), periods a tuple of g ints.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.numpy.module import Module
from course_rnn.numpy.recurrent import recurrent_uniform
from course_rnn.shapes import (
    expect_input,
    expect_like,
    expect_periods,
    expect_positive_ints,
    expect_same_dtype,
    expect_step_index,
    expect_time_steps,
    gradients_like,
    validated,
)


def module_periods(periods: tuple[int, ...], H: int) -> np.ndarray:
    """(H,) the clock period of every hidden unit: module i's H/g units all carry T_i."""
    return np.repeat(np.asarray(periods), H // len(periods))


def active_units(t: int, periods: tuple[int, ...], H: int) -> np.ndarray:
    """(H,) bool: True at the units of the modules that update at step t (t mod T_i == 0)."""
    return t % module_periods(periods, H) == 0


def block_triangular_mask(periods: tuple[int, ...], H: int) -> np.ndarray:
    """(H, H) bool: entry (k, l) is True when unit k may read unit l, i.e. T_l >= T_k.

    With the periods increasing, the pattern is block-upper triangular: a module reads itself
    and the slower modules, never a faster one.
    """
    unit_periods = module_periods(periods, H)
    return unit_periods[None, :] >= unit_periods[:, None]


class ClockworkStepCache(NamedTuple):
    """What one step's backward needs from its forward."""

    x: np.ndarray        # (N, D)
    h_prev: np.ndarray   # (N, H)
    h_next: np.ndarray   # (N, H)
    c: np.ndarray        # (N, H) candidate tanh(a)
    m: np.ndarray        # (H,) bool, active units
    M: np.ndarray        # (H, H) bool, block-triangular pattern
    W_ih: np.ndarray     # (H, D)
    W_hh: np.ndarray     # (H, H) as given (masked in the step)


def clockwork_arguments(x, h_prev, t, W_ih, W_hh, b, periods):
    """``prepare`` for :func:`validated`: check a clockwork step's arguments."""
    expect_input("W_hh", W_hh, ("H", "H"), (None, None))
    H = W_hh.shape[0]
    expect_input("W_hh", W_hh, ("H", "H"), (H, H), "W_hh is square: state to state")
    expect_input("W_ih", W_ih, ("H", "D"), (H, None),
                 "torch layout puts the input features on the second axis")
    expect_input("b", b, ("H",), (H,))
    expect_input("x", x, ("N", "D"), (None, W_ih.shape[1]))
    expect_input("h_prev", h_prev, ("N", "H"), (x.shape[0], H))
    expect_same_dtype(x=x, h_prev=h_prev, W_ih=W_ih, W_hh=W_hh, b=b)
    expect_step_index(t)
    return dict(x=x, h_prev=h_prev, t=int(t), W_ih=W_ih, W_hh=W_hh, b=b,
                periods=expect_periods(periods, H))


@validated(clockwork_arguments)
def clockwork_step_forward(x, h_prev, t, W_ih, W_hh, b, periods):
    """One step of a clockwork RNN.

    Parameters
    ----------
    x : (N, D) inputs at this step.   h_prev : (N, H) previous state.
    t : the step index, an int >= 0 (the first step is t = 0).
    W_ih : (H, D).   W_hh : (H, H), used only inside the block-triangular pattern.   b : (H,).
    periods : g strictly increasing positive ints, g dividing H.

    Returns
    -------
    h_next : (N, H), equal to h_prev at the idle modules' units.
    cache : ClockworkStepCache for :func:`clockwork_step_backward`.
    """
    H = W_hh.shape[0]
    m = active_units(t, periods, H)
    M = block_triangular_mask(periods, H)
    a = x @ W_ih.T + h_prev @ (M * W_hh).T + b
    c = np.tanh(a)
    h_next = np.where(m, c, h_prev)           # active units take c_t, idle ones keep h_{t-1}
    return h_next, ClockworkStepCache(x, h_prev, h_next, c, m, M, W_ih, W_hh)


@validated(gradients_like(dh_next="h_next"))
def clockwork_step_backward(dh_next, cache: ClockworkStepCache):
    """Backward pass of :func:`clockwork_step_forward`.

    Parameters
    ----------
    dh_next : (N, H) total gradient at h_next.   cache : what the forward step returned.

    Returns
    -------
    dx (N, D), dh_prev (N, H), dW_ih (H, D), dW_hh (H, H) (0 outside the pattern), db (H,).
    """
    x, h_prev, _, c, m, M, W_ih, W_hh = cache
    da = np.where(m, dh_next * (1 - c**2), 0)
    dx = da @ W_ih
    dh_prev = da @ (M * W_hh) + np.where(m, 0, dh_next)
    dW_ih = da.T @ x
    dW_hh = M * (da.T @ h_prev)
    db = da.sum(axis=0)
    return dx, dh_prev, dW_ih, dW_hh, db


class ClockworkCache(NamedTuple):
    """What :func:`clockwork_backward` needs: every step's cache."""

    steps: list          # T ClockworkStepCache
    h: np.ndarray        # (T, N, H)


def clockwork_forward(x, h0, W_ih, W_hh, b, periods):
    """Run the clockwork RNN over a time-major sequence, steps t = 0, ..., T-1.

    Parameters
    ----------
    x : (T, N, D).   h0 : (N, H) the state before step 0.   W_ih, W_hh, b, periods : as in
    :func:`clockwork_step_forward`.

    Returns
    -------
    h (T, N, H) and cache (ClockworkCache).
    """
    expect_input("x", x, ("T", "N", "D"), (None, None, None), "Sequence functions are time-major")
    expect_time_steps(x.shape[0])
    expect_input("h0", h0, ("N", "H"), (x.shape[1], None), "The state before step 0")
    h, steps = [], []
    h_t = h0
    for t, x_t in enumerate(x):
        h_t, cache = clockwork_step_forward(x_t, h_t, t, W_ih, W_hh, b, periods)
        h.append(h_t)
        steps.append(cache)
    h = np.stack(h)
    return h, ClockworkCache(steps, h)


def clockwork_backward(dh, cache: ClockworkCache):
    """Backpropagation through time for :func:`clockwork_forward`: the steps in reverse.

    Parameters
    ----------
    dh : (T, N, H) upstream gradient at every state (that of the final state in dh[-1]).
    cache : what :func:`clockwork_forward` returned.

    Returns
    -------
    dx (T, N, D), dh0 (N, H), dW_ih (H, D), dW_hh (H, H), db (H,).
    """
    expect_like("dh", dh, cache.h.shape, "h")
    dx = [None] * len(cache.steps)
    dh_prev = np.zeros_like(dh[0])
    sums = None
    for t in reversed(range(len(cache.steps))):
        dx[t], dh_prev, *grads = clockwork_step_backward(dh[t] + dh_prev, cache.steps[t])
        sums = grads if sums is None else [s + g for s, g in zip(sums, grads)]
    return np.stack(dx), dh_prev, *sums


class ClockworkRNN(Module):
    """A one-layer clockwork RNN with a ``forward`` / ``backward`` pair, time-major.

    Parameters
    ----------
    input_size : D.   hidden_size : H.   periods : g strictly increasing positive ints, g
    dividing H (e.g. (1, 2, 4, 8)).   dtype : np.float64 (default) or np.float32.
    rng : seed or ``np.random.Generator`` for the initial weights.

    Parameters (``params``): ``weight_ih`` (H, D), ``weight_hh`` (H, H), zero outside the
    block-triangular pattern, and ``bias`` (H,), drawn as torch.nn.RNN draws its own,
    U(-1/sqrt(H), 1/sqrt(H)). ``forward(input, hx=None) -> (output (T, N, H), h_n (1, N, H))``
    with ``input`` (T, N, D) and ``hx`` (1, N, H) or None (zeros), the layout of torch.nn.RNN's
    h_0; ``backward(doutput, dhx=None) -> (dx, dhx0)`` fills ``grads``.
    """

    def __init__(self, input_size, hidden_size, periods, *, dtype=np.float64, rng=None):
        super().__init__(dtype)
        expect_positive_ints(input_size=input_size, hidden_size=hidden_size)
        self.periods = expect_periods(periods, hidden_size)
        self.input_size, self.hidden_size = input_size, hidden_size
        rng = np.random.default_rng(rng)
        H = hidden_size
        self.params = {
            "weight_ih": recurrent_uniform((H, input_size), H, rng, self.dtype),
            "weight_hh": recurrent_uniform((H, H), H, rng, self.dtype)
            * block_triangular_mask(self.periods, H),
            "bias": recurrent_uniform((H,), H, rng, self.dtype),
        }
        self._cache = None

    def __repr__(self):
        return (f"ClockworkRNN({self.input_size}, {self.hidden_size}, "
                f"periods={self.periods})")

    def forward(self, input, hx=None):
        """Output (T, N, H) and h_n (1, N, H) of input (T, N, D) from hx (1, N, H) or zeros."""
        expect_input("input", input, ("T", "N", "D"), (None, None, self.input_size),
                     "The clockwork layer is time-major")
        x = np.asarray(input, dtype=self.dtype)
        N, H = x.shape[1], self.hidden_size
        if hx is None:
            hx = np.zeros((1, N, H), self.dtype)
        expect_input("hx", hx, ("num_layers", "N", "H"), (1, N, H))
        h, self._cache = clockwork_forward(x, np.asarray(hx, self.dtype)[0],
                                           *self.params.values(), self.periods)
        return h, h[-1:].copy()

    def backward(self, doutput, dhx=None):
        """Gradients at the input (T, N, D) and at hx (1, N, H); parameter gradients in grads."""
        if self._cache is None:
            raise RuntimeError("backward: call forward first (backward uses its saved values)")
        h = self._cache.h
        expect_like("doutput", doutput, h.shape, "output")
        dh = np.array(doutput, dtype=self.dtype)
        if dhx is not None:
            expect_like("dhx", dhx, (1, *h.shape[1:]), "h_n")
            dh[-1] += dhx[0]
        dx, dh0, *grads = clockwork_backward(dh, self._cache)
        self.grads = dict(zip(self.params, grads))
        return dx, dh0[None]
