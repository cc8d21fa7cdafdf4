r"""The adding problem: add the two marked numbers of a long sequence, answered at its end.

Hochreiter and Schmidhuber (1997, "Long short-term memory", Neural Computation 9(8),
1735-1780, experiment 4) gave their LSTM a stream of pairs (value, marker) in which exactly two
markers are set; the target, asked for after the last step, depends only on the two marked
values. The variant generated here is the one later papers use as a benchmark (Le, Jaitly and
Hinton 2015; Arjovsky, Shah and Bengio 2016):

    x_t = (u_t, m_t),   u_t ~ U[0, 1],   m_t = 1 at one step of the first half and at one
    step of the second half of the T steps, 0 elsewhere;     target = sum of the two marked u_t.

The answer needs two values held across up to T - 1 steps while every other step is a
distractor. A model that ignores the inputs does best by always answering E[target] = 1, and
then its mean squared error is Var(u_a + u_b) = 2 * (1/12) = 1/6 = 0.167
(:data:`ADDING_BASELINE_MSE`): a model learned something only when its error falls below that.

Shapes: N sequences, T steps (``length``), 2 input features (value, marker).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.shapes import expect_positive_ints

ADDING_BASELINE_MSE = 2.0 / 12.0
"""The mean squared error of always answering 1: the variance of a sum of two U[0, 1] draws."""


class AddingTask(NamedTuple):
    """A data set of the adding problem.

    inputs : (T, N, 2) float64, time-major; feature 0 the values, feature 1 the markers.
    targets : (N,) float64, the sum of the two marked values.
    """

    inputs: np.ndarray
    targets: np.ndarray


def adding_problem(n_samples: int, length: int, seed: int = 0) -> AddingTask:
    """Sequences of T (value, marker) pairs with one marker in each half, and their targets.

    Parameters
    ----------
    n_samples : N.
    length : T, at least 2 (one step in each half); the first marker is in steps
        0 .. T//2 - 1, the second in T//2 .. T - 1.
    seed : seeds the values and the marker positions; the same arguments give the same data.

    Returns
    -------
    AddingTask with inputs (T, N, 2) and targets (N,).
    """
    expect_positive_ints(n_samples=n_samples, length=length)
    if length < 2:
        raise ValueError(f"length: expected at least 2 steps (one marker in each half), "
                         f"got {length}")
    rng = np.random.default_rng(seed)
    half = length // 2
    values = rng.uniform(0.0, 1.0, size=(length, n_samples))  # (T, N)
    first = rng.integers(0, half, size=n_samples)  # (N,) a step in the first half
    second = rng.integers(half, length, size=n_samples)  # (N,) a step in the second half
    markers = np.zeros((length, n_samples))
    columns = np.arange(n_samples)
    markers[first, columns] = 1.0
    markers[second, columns] = 1.0
    targets = values[first, columns] + values[second, columns]
    return AddingTask(np.stack([values, markers], axis=-1), targets)
