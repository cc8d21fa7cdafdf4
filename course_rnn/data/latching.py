r"""The latching task: remember one bit, given at the start, across a span of T steps of noise.

Bengio, Simard and Frasconi (1994, "Learning long-term dependencies with gradient descent is
difficult", IEEE Transactions on Neural Networks 5(2), 157-166) built their experiments on a
task whose dependency has a length one can set. A sequence of T inputs belongs to one of two
classes; only its first L inputs say which, every later input is Gaussian noise, and the
target comes once, at the end. To answer, a network must store ("latch") the bit for T - L
steps while the noise keeps pushing its state around. In their smallest version a single
recurrent unit learned even the values of the first inputs; its targets at the end were
+-0.8. Trained by gradient descent, it succeeded less and less often as T grew: the gradient
that would teach it to keep the bit shrinks with the span. Chapter 6 reproduces that trend with
this generator (success rate over seeds against T), and chapter 7's LSTM meets the same task.

Here the informative inputs are fixed rather than learned, and the noise never touches them:

    x_t = +1 (class 1) or -1 (class 0)     for t < L
    x_t ~ N(0, noise_std^2)                for L <= t < T

so :func:`latching_label`, the class read from the first L steps alone, is the label. The two
classes are balanced (their counts differ by at most one).

Shapes: N sequences, T steps (``span``), L informative steps (``n_informative``), D = 1.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_rnn.shapes import expect_input, expect_non_negative, expect_positive_ints


class LatchingTask(NamedTuple):
    """A data set of the latching task.

    inputs : (T, N, 1) float64, time-major as a recurrent layer reads them.
    labels : (N,) int64, the class (0 or 1), to be answered after the last step.
    """

    inputs: np.ndarray
    labels: np.ndarray


def latching_task(n_samples: int, span: int, n_informative: int = 1, noise_std: float = 0.2,
                  seed: int = 0) -> LatchingTask:
    """Sequences whose class is set by their first L inputs and followed by noise up to T.

    Parameters
    ----------
    n_samples : N.
    span : T, the length of every sequence: the target at the end depends on an input T steps
        back. At least ``n_informative + 1`` (one noise step or more); 2 to 50 and beyond.
    n_informative : L, the leading steps that carry the class.
    noise_std : standard deviation of the Gaussian noise on steps L..T-1 (>= 0).
    seed : seeds the labels and the noise; the same arguments give the same data.

    Returns
    -------
    LatchingTask with inputs (T, N, 1) and labels (N,).
    """
    expect_positive_ints(n_samples=n_samples, span=span, n_informative=n_informative)
    expect_non_negative(noise_std=noise_std)
    if span <= n_informative:
        raise ValueError(f"span: expected more than n_informative = {n_informative} steps "
                         f"(at least one step of noise to bridge), got {span}")
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n_samples) % 2).astype(np.int64)  # (N,), balanced
    inputs = rng.normal(0.0, noise_std, size=(span, n_samples, 1))  # (T, N, 1)
    inputs[:n_informative] = (2.0 * labels - 1.0)[:, None]  # +1 or -1 on the first L steps
    return LatchingTask(inputs, labels)


def latching_label(inputs, n_informative: int = 1) -> np.ndarray:
    """The class the first L steps carry: 1 where their inputs sum to more than 0, else 0.

    On data from :func:`latching_task` this is the label; it never looks at steps L..T-1.

    Parameters
    ----------
    inputs : (T, N, 1) float, with T >= L.   n_informative : L.

    Returns
    -------
    labels : (N,) int64.
    """
    expect_positive_ints(n_informative=n_informative)
    expect_input("inputs", inputs, ("T", "N", "D"), (None, None, 1),
                 "The latching task is time-major with one input feature")
    if len(inputs) < n_informative:
        raise ValueError(f"inputs: expected at least n_informative = {n_informative} steps, "
                         f"got T={len(inputs)}")
    return (inputs[:n_informative, :, 0].sum(axis=0) > 0).astype(np.int64)
