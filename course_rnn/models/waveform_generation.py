r"""Generating one waveform from no input: a simple RNN, an LSTM and a clockwork RNN compared.

Koutnik, Greff, Gomez and Schmidhuber (2014) train networks that receive no input to produce
a fixed target waveform y_0 .. y_{T-1} at their output, and compare their normalised mean
squared errors at equal parameter budgets. :class:`WaveformGenerator` is one recurrent layer
and a linear read-out, run from h_{-1} = 0 on an all-zero input of one feature:

    h_t = layer(0, h_{t-1})             (a tanh RNN, an LSTM or a clockwork RNN)
    o_t = V h_t + c                     the generated sample, trained towards y_t

Only the layer's own dynamics (its biases, its recurrent weights and, in the clockwork RNN,
its clocks) can make o_t vary with t. :func:`train_generator` fits one model with Adam on the
mean squared error over the whole sequence (full BPTT, one sequence per update);
:func:`nmse_over_seeds` repeats that over seeds, on one thread (the networks are tiny), and
:func:`best_learning_rate` picks each model's Adam step size from a few on a separate seed.

Baselines use ``torch.nn.RNN`` / ``torch.nn.LSTM``, which the course's parity tests prove equal
to the package's layers and which run faster; the clockwork layer is the package's
(``course_rnn.torch.ClockworkRNN``).

Parameter counts (:func:`parameter_count`) are the entries training can change: all of every
parameter, except the clockwork layer's W_hh, of which only the block-triangular pattern is
used (``pattern.sum()`` entries). The all-zero input makes W_ih useless in every model; it is
counted anyway, as torch stores it.

Shapes: T time steps, H hidden units.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from course_rnn.data.waveform import normalised_mse
from course_rnn.shapes import expect_choice, expect_input, expect_positive_ints
from course_rnn.torch.clockwork import ClockworkRNN
from course_rnn.torch.threads import one_thread

KINDS = ("rnn", "lstm", "clockwork")
"""The layers :class:`WaveformGenerator` can be built with."""


def generator_layer(kind: str, hidden_size: int, periods: Sequence[int] = ()) -> nn.Module:
    """A one-feature-input recurrent layer of ``kind`` (see :data:`KINDS`); ``periods`` for
    the clockwork layer only."""
    expect_choice("kind", kind, KINDS)
    if kind == "clockwork":
        return ClockworkRNN(1, hidden_size, tuple(periods))
    if kind == "lstm":
        return nn.LSTM(1, hidden_size)
    return nn.RNN(1, hidden_size)


class WaveformGenerator(nn.Module):
    """A recurrent layer read out by one linear unit at every step, driven by no input.

    Parameters
    ----------
    kind : one of :data:`KINDS`.   hidden_size : H.
    periods : the clockwork layer's periods (g ints dividing H), ignored by the others.
    """

    def __init__(self, kind: str, hidden_size: int, periods: Sequence[int] = ()):
        super().__init__()
        expect_positive_ints(hidden_size=hidden_size)
        self.kind = kind
        self.layer = generator_layer(kind, hidden_size, periods)
        self.head = nn.Linear(hidden_size, 1)

    def states(self, seq_len: int) -> torch.Tensor:
        """h_0 .. h_{T-1} (T, H) from h_{-1} = 0 and an all-zero input."""
        expect_positive_ints(seq_len=seq_len)
        silence = self.head.weight.new_zeros(seq_len, 1, 1)  # (T, N = 1, D = 1)
        return self.layer(silence)[0][:, 0]

    def forward(self, seq_len: int) -> torch.Tensor:
        """The generated waveform o_0 .. o_{T-1}, (T,)."""
        return self.head(self.states(seq_len))[:, 0]


def parameter_count(model: WaveformGenerator) -> int:
    """The entries training can change: every parameter, the clockwork W_hh within its pattern."""
    total = sum(p.numel() for p in model.parameters())
    if isinstance(model.layer, ClockworkRNN):
        total -= int((~model.layer.pattern).sum())
    return total


class GenerationRun(NamedTuple):
    """One trained generator: its NMSE, output (T,), parameter count and training seconds."""

    nmse: float
    output: np.ndarray
    parameters: int
    seconds: float
    model: WaveformGenerator


def train_generator(target, kind: str, hidden_size: int, *, periods: Sequence[int] = (),
                    seed: int = 0, updates: int = 300, lr: float = 0.01) -> GenerationRun:
    """Fit a :class:`WaveformGenerator` to ``target`` (T,) with Adam on the MSE; score by NMSE.

    ``seed`` seeds the initial weights; each update is one forward and full BPTT pass over the
    whole sequence.
    """
    expect_input("target", target, ("T",), (None,))
    expect_positive_ints(updates=updates)
    y = torch.as_tensor(np.asarray(target), dtype=torch.float32)
    torch.manual_seed(seed)
    model = WaveformGenerator(kind, hidden_size, periods)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    start = time.perf_counter()
    for _ in range(updates):
        loss = torch.mean((model(len(y)) - y) ** 2)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    with torch.no_grad():
        output = model(len(y)).numpy().astype(np.float64)
    return GenerationRun(normalised_mse(output, target), output, parameter_count(model),
                         time.perf_counter() - start, model)


def nmse_over_seeds(target, models: dict, seeds: Sequence[int], **training) -> dict:
    """``{name: [GenerationRun per seed]}`` for ``models = {name: dict(kind=..., hidden_size=...,
    periods=...)}``; ``training`` (updates, lr) goes to :func:`train_generator`."""
    with one_thread():
        return {name: [train_generator(target, **options, seed=seed, **training)
                       for seed in seeds]
                for name, options in models.items()}


def best_learning_rate(target, options: dict, rates: Sequence[float], *, seed: int = 0,
                       updates: int = 300) -> float:
    """The rate of ``rates`` whose run of ``options`` (one model, as in :func:`nmse_over_seeds`)
    on ``seed`` ends with the lowest NMSE; pick a seed the comparison itself does not use."""
    if len(rates) == 0:
        raise ValueError("rates: expected at least one learning rate, got none")
    with one_thread():
        scores = [train_generator(target, **options, seed=seed, updates=updates, lr=lr).nmse
                  for lr in rates]
    return rates[int(np.argmin(scores))]
