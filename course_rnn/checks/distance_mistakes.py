r"""Test cases for exercise 7's gradient norms by distance, their reference, and typical mistakes.

The student writes ``gradient_norms_by_distance(rnn, x, upstream) -> norms`` for a one-layer
tanh ``RNN``, time-major inputs ``x`` (T, N, D) and the gradient ``upstream`` (N, H) of a loss
at the last state h_{T-1} alone. ``norms`` (T + 1,) holds, at entry d, the mean over the N
sequences of ||dL/dh_{T-1-d}||: entry 0 is the norm of ``upstream`` itself and entry T that of
the gradient at the initial state h_{-1} (zeros, the layer's default).

The reference is chapter 4's :func:`~course_rnn.models.gradient_flow.state_gradient_norms`,
which walks the step backward from the last state; the cases hand the student unit rows, the
directions that function normalises to, so its numbers are the right ones however the student
reaches them. The simulation below computes what a student who uses the layer computes: for
each distance d it runs the layer on the last d steps from the state the full run reached
d steps back and backpropagates the upstream gradient from the last step, so that
``rnn.backward``'s gradient at ``hx`` is dL/dh_{T-1-d}. One switch flipped makes one typical
mistake; at their defaults the switches give the reference.

Shapes: T time, N batch, D input features, H hidden units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_rnn.models.gradient_flow import state_gradient_norms
from course_rnn.numpy.init import random_orthogonal
from course_rnn.numpy.rnn import RNN

WEIGHTS = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")


@dataclass(frozen=True, eq=False)
class DistanceCase:
    """One test: a label, the sizes, a seed for the weights, inputs and upstream directions,
    the spectral norm of W_hh (None: the layer's own random draw), the inputs' scale and
    whether the biases keep their random values (False: zeros)."""

    label: str
    T: int
    N: int
    D: int
    H: int
    seed: int
    recurrent_scale: float | None = None
    input_scale: float = 1.0
    biases: bool = True

    @property
    def title(self) -> str:
        return f"{self.label} (T={self.T}, N={self.N}, D={self.D}, H={self.H})"

    def layer(self) -> RNN:
        """A fresh RNN with this case's weights (the same ones at every call)."""
        rng = np.random.default_rng(self.seed)
        rnn = RNN(self.D, self.H, rng=rng)
        if self.recurrent_scale is not None:
            rnn.params["weight_hh_l0"][...] = (self.recurrent_scale
                                               * random_orthogonal(self.H, self.H, rng))
        if not self.biases:
            rnn.params["bias_ih_l0"][...] = rnn.params["bias_hh_l0"][...] = 0.0
        return rnn

    def inputs(self) -> np.ndarray:
        rng = np.random.default_rng(self.seed + 1)
        return self.input_scale * rng.standard_normal((self.T, self.N, self.D))

    def upstream(self) -> np.ndarray:
        """(N, H) rows of norm 1: dL/dh_{T-1} of one loss per sequence at the last step."""
        g = np.random.default_rng(self.seed + 2).standard_normal((self.N, self.H))
        return g / np.linalg.norm(g, axis=1, keepdims=True)

    def args(self) -> list[tuple[str, object]]:
        return [("rnn", self.layer()), ("x", self.inputs()), ("upstream", self.upstream())]

    def reference(self) -> np.ndarray:
        """(T + 1,) from chapter 4's state_gradient_norms, walking the step backward."""
        params = self.layer().params
        return state_gradient_norms(self.inputs(), np.zeros((self.N, self.H)),
                                    *(params[name] for name in WEIGHTS),
                                    upstream=self.upstream())


def distance_cases() -> list[DistanceCase]:
    """The layer's random weights (norms that decay); ||W_hh|| = 1.5 with small inputs and no
    biases, so that tanh stays almost linear and the norms grow like 1.5^d; a batch of one,
    where every norm over the batch agrees; one step."""
    return [DistanceCase("the layer's random weights", 6, 4, 3, 5, seed=71),
            DistanceCase("growing norms", 5, 3, 2, 4, seed=72, recurrent_scale=1.5,
                         input_scale=0.01, biases=False),
            DistanceCase("a batch of one", 4, 1, 2, 3, seed=73),
            DistanceCase("one step", 1, 3, 2, 4, seed=74)]


BATCH_NORMS = {
    "mean": lambda g: np.linalg.norm(g, axis=1).mean(),   # right: the mean of the N norms
    "whole": np.linalg.norm,                              # the norm of the (N, H) matrix
    "sum": lambda g: np.linalg.norm(g, axis=1).sum(),     # the N norms summed
    "of_mean": lambda g: np.linalg.norm(g.mean(axis=0)),  # the norm of the mean gradient
}


def mistaken_norms(case: DistanceCase, *, upstream_at="last", start="reached", of="states",
                   batch="mean", order="distance") -> np.ndarray:
    """norms (T + 1,) with the given mistakes.

    ``upstream_at``: "last" (right), "every" (the upstream gradient at every step of each
    run), "every_total" (as a step loop adds it at every step, h_{T-1-d}'s own included).
    ``start``: each run starts from the state "reached" there (right) or from "zero".
    ``of``: the gradient at the "states" (right) or at the "inputs", the run's first dx.
    ``batch``: a key of BATCH_NORMS. ``order``: "distance" (right) or "time" (reversed).
    """
    rnn, x, upstream = case.layer(), case.inputs(), case.upstream()
    output, _ = rnn(x)
    T = len(x)
    grads = [upstream]
    for d in range(1, T + 1):
        k = T - 1 - d  # the state d steps back; k = -1 is the initial state
        hx = output[k][None] if k >= 0 and start == "reached" else None
        run, _ = rnn(x[k + 1:], hx)
        doutput = np.zeros_like(run)
        if upstream_at == "last":
            doutput[-1] = upstream
        else:
            doutput[:] = upstream
        dx, dhx = rnn.backward(doutput)
        grad = dhx[0] if of == "states" else dx[0]
        grads.append(grad + upstream if upstream_at == "every_total" else grad)
    norms = np.array([BATCH_NORMS[batch](g) for g in grads])
    return norms if order == "distance" else norms[::-1]
