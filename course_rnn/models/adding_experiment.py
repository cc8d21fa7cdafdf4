r"""A recurrent regressor trained on the adding problem, and its test error over lengths and seeds.

The adding problem (:func:`~course_rnn.data.adding.adding_problem`) asks for the sum of two
marked values of a T-step sequence, after its last step. :class:`AddingRegressor` reads the
sequence with one recurrent layer of the torch backend and answers with a Linear head on the
last hidden state,

    h_0 .. h_{T-1} = layer(x_0 .. x_{T-1}),       y = w h_{T-1} + b,

and :func:`train_adding` fits it to the squared error with Adam, clipping the gradient's norm
(gated or not, a recurrent net can still meet a gradient spike). Every update draws a fresh
minibatch, so the model cannot memorise a training set; the test error on one fixed test set
is measured as training goes. Answering 1 whatever the input scores
:data:`~course_rnn.data.adding.ADDING_BASELINE_MSE` = 1/6: a run learned something only below it.

The layer is named by ``cell`` (:data:`CELLS`: the torch backend's RNN, LSTM or GRU) or given as
a factory ``(input_size, hidden_size) -> module`` for any other layer with torch.nn's calling
convention (``module(x) -> (output, state)``, x time-major). :func:`adding_over_lengths` repeats
a run over lengths and seeds.

Shapes: T steps (``length``), N sequences, 2 input features (value, marker), H hidden units,
E evaluations of the test error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from course_rnn.data.adding import adding_problem
from course_rnn.shapes import expect_choice, expect_non_negative, expect_positive_ints
from course_rnn.torch import GRU, LSTM, RNN

CELLS = ("rnn", "lstm", "gru")
"""The recurrent layers :class:`AddingRegressor` builds by name."""

_LAYERS = {"rnn": RNN, "lstm": LSTM, "gru": GRU}
_TEST_SEED_OFFSET = 1_000_003  # the test set's seed: far from any training batch's


def recurrent_layer(cell, input_size: int, hidden_size: int, **options) -> nn.Module:
    """The torch backend's layer named ``cell`` (``options`` go to it), or ``cell(input_size,
    hidden_size, **options)`` when ``cell`` is a factory."""
    if callable(cell):
        return cell(input_size, hidden_size, **options)
    expect_choice("cell", cell, CELLS)
    return _LAYERS[cell](input_size, hidden_size, **options)


class AddingRegressor(nn.Module):
    """One recurrent layer (2 -> H) and a Linear head (H -> 1) on its last hidden state.

    Parameters
    ----------
    cell : ``"rnn"``, ``"lstm"``, ``"gru"`` or a layer factory (see :func:`recurrent_layer`).
    hidden_size : H.
    layer_options : keyword arguments of the layer, e.g. ``forget_bias=1.0`` for the LSTM.
    """

    def __init__(self, cell="lstm", hidden_size: int = 32, **layer_options):
        super().__init__()
        expect_positive_ints(hidden_size=hidden_size)
        self.layer = recurrent_layer(cell, 2, hidden_size, **layer_options)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        """Predictions (N,) for inputs (T, N, 2)."""
        states, _ = self.layer(inputs)  # (T, N, H)
        return self.head(states[-1]).squeeze(-1)


class AddingRun(NamedTuple):
    """What :func:`train_adding` returns.

    updates : (E,) the number of updates made when the test error was measured (0 first).
    test_mse : (E,) the test mean squared error at those points.
    final_mse : the test error after the last update (``test_mse[-1]``).
    model : the trained :class:`AddingRegressor`.
    grad_norms : (updates,) the gradient's global norm at every update, before clipping.
    """

    updates: np.ndarray
    test_mse: np.ndarray
    final_mse: float
    model: AddingRegressor
    grad_norms: np.ndarray


def _as_tensors(task) -> tuple[torch.Tensor, torch.Tensor]:
    return (torch.as_tensor(task.inputs, dtype=torch.float32),
            torch.as_tensor(task.targets, dtype=torch.float32))


def mse_on(model: AddingRegressor, inputs: torch.Tensor, targets: torch.Tensor) -> float:
    """Mean squared error of ``model`` on inputs (T, N, 2) against targets (N,)."""
    with torch.no_grad():
        return float(((model(inputs) - targets) ** 2).mean())


def train_adding(cell="lstm", length: int = 50, seed: int = 0, *, hidden_size: int = 32,
                 updates: int = 500, batch_size: int = 64, lr: float = 1e-2,
                 max_norm: float = 1.0, eval_every: int = 50, n_test: int = 512,
                 **layer_options) -> AddingRun:
    """Train an :class:`AddingRegressor` on fresh minibatches of the adding problem.

    Parameters
    ----------
    cell : ``"rnn"``, ``"lstm"``, ``"gru"`` or a layer factory.
    length : T.
    seed : seeds the weights (``torch.manual_seed``), the minibatches and the test set.
    hidden_size : H.
    updates, batch_size : Adam updates, each on a fresh minibatch of ``batch_size`` sequences.
    lr : Adam's learning rate.
    max_norm : the gradient's norm is clipped to this before each update (``inf``: never).
    eval_every : the test error is measured before the first update, every ``eval_every``
        updates and after the last.
    n_test : sequences in the test set.
    layer_options : keyword arguments of the layer (e.g. ``forget_bias=1.0``).

    Returns
    -------
    AddingRun.
    """
    expect_positive_ints(length=length, updates=updates, batch_size=batch_size,
                         eval_every=eval_every, n_test=n_test)
    expect_non_negative(lr=lr, max_norm=max_norm)
    test_inputs, test_targets = _as_tensors(
        adding_problem(n_test, length, seed=seed + _TEST_SEED_OFFSET))
    torch.manual_seed(seed)
    model = AddingRegressor(cell, hidden_size, **layer_options)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    batch_seeds = np.random.default_rng(seed).integers(0, 2**31, size=updates)
    measured, errors = [0], [mse_on(model, test_inputs, test_targets)]
    norms = []
    for update, batch_seed in enumerate(batch_seeds, start=1):
        inputs, targets = _as_tensors(adding_problem(batch_size, length, seed=int(batch_seed)))
        loss = ((model(inputs) - targets) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        norms.append(float(nn.utils.clip_grad_norm_(model.parameters(), max_norm)))
        optimizer.step()
        if update % eval_every == 0 or update == updates:
            measured.append(update)
            errors.append(mse_on(model, test_inputs, test_targets))
    return AddingRun(np.array(measured), np.array(errors), errors[-1], model, np.array(norms))


class AddingSweep(NamedTuple):
    """What :func:`adding_over_lengths` returns.

    lengths : (L,) the sequence lengths.   seeds : (S,) the seeds.
    updates : (E,) the update counts of the curves.
    test_mse : (L, S, E) every run's test-error curve.
    final_mse : (L, S) every run's final test error.
    runs : L lists of S :class:`AddingRun`, with the trained models and gradient norms.
    """

    lengths: np.ndarray
    seeds: np.ndarray
    updates: np.ndarray
    test_mse: np.ndarray
    final_mse: np.ndarray
    runs: list


def adding_over_lengths(cell, lengths: Sequence[int], seeds: Sequence[int],
                        **train_options) -> AddingSweep:
    """Run :func:`train_adding` once per length and seed with the same ``train_options``."""
    if "seed" in train_options or "length" in train_options:
        raise TypeError("adding_over_lengths: give `lengths` and `seeds`, not `length`/`seed`")
    if len(lengths) == 0 or len(seeds) == 0:
        raise ValueError(f"adding_over_lengths: expected at least one length and one seed, "
                         f"got {len(lengths)} lengths and {len(seeds)} seeds")
    runs = [[train_adding(cell, length, seed, **train_options) for seed in seeds]
            for length in lengths]
    return AddingSweep(np.array(lengths), np.array(seeds), runs[0][0].updates,
                       np.array([[run.test_mse for run in row] for row in runs]),
                       np.array([[run.final_mse for run in row] for row in runs]), runs)
