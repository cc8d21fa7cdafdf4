"""Test inputs for the RNN checks: random cases plus ablations that switch single terms off.

Every case is a whole sequence ``x (T, N, D)``; a step check uses ``T = 1`` and hands the
student ``x[0]`` and ``h_prev = h_init``. Besides random inputs of a few shapes (``D != H`` so
that a transposed ``W_ih`` fails loudly, ``D == H`` so that it can also fail silently, a batch
of one), the ablations set one term of

    a_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh

to zero. Which of them a student's function gets right tells which term it gets wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_rnn.numpy import rnn_backward, rnn_forward


@dataclass(frozen=True, eq=False)
class Case:
    """Inputs of one test, time-major, float64."""

    label: str          # what is special about it, e.g. "h_prev = 0"
    x: np.ndarray       # (T, N, D)
    h_init: np.ndarray  # (N, H)
    W_ih: np.ndarray    # (H, D)
    W_hh: np.ndarray    # (H, H)
    b_ih: np.ndarray    # (H,)
    b_hh: np.ndarray    # (H,)
    dh: np.ndarray      # (T, N, H) upstream gradient for the backward checks
    zero: frozenset[str]

    @property
    def title(self) -> str:
        """The label with the sizes, for messages."""
        return "{} (T={}, N={}, D={}, H={})".format(self.label, *self.sizes)

    @property
    def sizes(self) -> tuple[int, int, int, int]:
        """(T, N, D, H)."""
        T, N, D = self.x.shape
        return T, N, D, self.W_hh.shape[0]

    @property
    def params(self) -> tuple[np.ndarray, ...]:
        return self.W_ih, self.W_hh, self.b_ih, self.b_hh

    def step_args(self) -> list[tuple[str, np.ndarray]]:
        """Named arguments of ``rnn_step_forward``."""
        return [("x", self.x[0]), ("h_prev", self.h_init), *zip(PARAM_NAMES, self.params)]

    def sequence_args(self) -> list[tuple[str, np.ndarray]]:
        """Named arguments of ``rnn_forward``."""
        return [("x", self.x), ("h_init", self.h_init), *zip(PARAM_NAMES, self.params)]

    def reference(self):
        """The package's ``(h, grads)`` for this case: h (T, N, H) and the six gradients of
        ``rnn_backward`` given ``dh``."""
        h, cache = rnn_forward(*(value for _, value in self.sequence_args()))
        return np.array(h), rnn_backward(self.dh, cache)


PARAM_NAMES = ("W_ih", "W_hh", "b_ih", "b_hh")


def step_grads(grads) -> tuple:
    """The six gradients of a one-step sequence as a step check sees them: dx (1, N, D) loses
    its time axis; the others have the same shapes for a step and a sequence."""
    return (grads[0][0], *grads[1:])


def make_case(seed: int, T: int, N: int, D: int, H: int, zero=(),
              label: str = "random inputs") -> Case:
    """Random inputs of the given sizes with the terms named in ``zero`` set to zero.

    ``zero`` names some of "x", "h_init", "b_ih", "b_hh", "W_hh" ("h_init" is h_prev in the
    step checks).

    Weights are scaled by 1/sqrt(fan-in) so that pre-activations are of order one: tanh then
    works in its curved region, where a wrong nonlinearity or derivative shows clearly.
    """
    rng = np.random.default_rng(seed)
    zero = frozenset(zero)

    def draw(name, shape, scale=1.0):
        return np.zeros(shape) if name in zero else scale * rng.standard_normal(shape)

    return Case(
        label=label,
        x=draw("x", (T, N, D)), h_init=draw("h_init", (N, H)),
        W_ih=rng.standard_normal((H, D)) / np.sqrt(D),
        W_hh=draw("W_hh", (H, H), 1.0 / np.sqrt(H)),
        b_ih=draw("b_ih", (H,), 0.5), b_hh=draw("b_hh", (H,), 0.5),
        dh=rng.standard_normal((T, N, H)), zero=zero)


def step_cases() -> list[Case]:
    """Cases for the single-step checks (T = 1)."""
    return [
        make_case(1, 1, 3, 4, 5),
        make_case(2, 1, 2, 3, 3, label="D = H"),
        make_case(3, 1, 1, 4, 5, label="batch of one"),
        make_case(4, 1, 3, 4, 5, zero={"h_init"}, label="h_prev = 0"),
        make_case(5, 1, 3, 4, 5, zero={"b_ih", "b_hh"}, label="biases = 0"),
        make_case(6, 1, 3, 4, 5, zero={"h_init", "b_ih", "b_hh"}, label="only the input term"),
        make_case(7, 1, 3, 4, 5, zero={"x", "b_ih", "b_hh"}, label="only the recurrent term"),
        make_case(8, 1, 3, 4, 5, zero={"x", "h_init", "b_hh"}, label="only b_ih"),
        make_case(9, 1, 3, 4, 5, zero={"x", "h_init", "b_ih"}, label="only b_hh"),
    ]


def sequence_cases() -> list[Case]:
    """Cases for the whole-sequence checks."""
    return [
        make_case(11, 4, 3, 4, 5),
        make_case(12, 3, 2, 3, 3, label="D = H"),
        make_case(13, 4, 1, 4, 5, label="batch of one"),
        make_case(14, 1, 3, 4, 5, label="one time step"),
        make_case(15, 4, 3, 4, 5, zero={"h_init"}, label="h_init = 0"),
        make_case(16, 4, 3, 4, 5, zero={"W_hh"}, label="W_hh = 0"),
        make_case(17, 4, 3, 4, 5, zero={"b_ih", "b_hh"}, label="biases = 0"),
    ]
