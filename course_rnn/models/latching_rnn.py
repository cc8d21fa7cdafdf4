r"""A recurrent network trained on the latching task, and its success rate against the span.

Chapter 6 reproduces the trend of Bengio, Simard and Frasconi (1994): trained by gradient
descent, a recurrent network learns to keep one bit across T steps less and less often as T
grows. :class:`LatchingRNN` reads a sequence of :func:`~course_rnn.data.latching.latching_task`
and classifies it from its last state,

    h_t = f(W_ih x_t + W_hh h_{t-1} + b),     logits = V h_{T-1} + c,

trained with the cross-entropy of that one answer and BPTT. The recurrent layer is the plain
RNN above by default; ``cell="lstm"`` or ``"gru"`` puts the NumPy LSTM or GRU in its place
(chapters 7 and 8 compare them with chapter 6's RNN). :func:`train_latching` trains one
seed (optionally with clipping, weight decay or another initial W_hh) and stops as soon as the
loss is not finite any more, which is how an exploding run ends; :func:`latching_success`
repeats it over spans and seeds and says which runs solved the task.

Shapes: T steps (the span), N sequences, H hidden units, 2 classes.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from course_rnn.data.latching import latching_task
from course_rnn.numpy.clipping import clip_grad_norm, clip_grad_value
from course_rnn.numpy.gru import GRU
from course_rnn.numpy.init import identity_recurrent_, random_orthogonal
from course_rnn.numpy.linear import Linear
from course_rnn.numpy.losses import softmax_cross_entropy
from course_rnn.numpy.lstm import LSTM
from course_rnn.numpy.optim import SGD, Adam
from course_rnn.numpy.rnn import RNN
from course_rnn.shapes import expect_choice, expect_non_negative, expect_positive_ints

CLIPPING = (None, "norm", "value")
RECURRENT_INITS = ("uniform", "orthogonal", "identity")
CELLS = ("rnn", "lstm", "gru")
OPTIMIZERS = {"sgd": SGD, "adam": Adam}
"""How :func:`train_latching` may clip the gradient (not at all, by its norm, elementwise), how
:class:`LatchingRNN` may start its recurrent matrix, which recurrent layers it may use, and
which optimizer may update it."""


class LatchingRNN:
    """One recurrent layer (1 -> H) and a Linear head (H -> 2) on its last state.

    Parameters
    ----------
    hidden_size : H.
    cell : the recurrent layer, ``"rnn"`` (the plain RNN), ``"lstm"`` or ``"gru"``.
    nonlinearity : ``"tanh"`` or ``"relu"`` (the plain RNN's; the gated cells have their own).
    recurrent_init : how the plain RNN's W_hh starts: ``"uniform"`` (torch's draw,
        U(-1/sqrt(H), 1/sqrt(H)), the only start of the gated cells), ``"orthogonal"``
        (s * Q with Q a random orthogonal matrix: every singular value is s) or ``"identity"``
        (s * I with zero biases, Le, Jaitly and Hinton 2015's IRNN).
    recurrent_scale : s, for the orthogonal and identity starts.
    forget_bias : the LSTM's initial forget-gate bias (None: torch's draw; ``cell="lstm"`` only).
    rng : seed or ``np.random.Generator`` for the initial weights.

    The recurrent layer is the attribute ``rnn`` whatever its cell.
    """

    def __init__(self, hidden_size: int = 4, *, cell: str = "rnn", nonlinearity: str = "tanh",
                 recurrent_init: str = "uniform", recurrent_scale: float = 1.0,
                 forget_bias: float | None = None, rng=None):
        expect_choice("cell", cell, CELLS)
        expect_choice("recurrent_init", recurrent_init, RECURRENT_INITS)
        expect_non_negative(recurrent_scale=recurrent_scale)
        _expect_plain_rnn_options(cell, nonlinearity, recurrent_init, forget_bias)
        rng = np.random.default_rng(rng)
        if cell == "rnn":
            self.rnn = RNN(1, hidden_size, nonlinearity=nonlinearity, rng=rng)
        elif cell == "lstm":
            self.rnn = LSTM(1, hidden_size, forget_bias=forget_bias, rng=rng)
        else:
            self.rnn = GRU(1, hidden_size, rng=rng)
        self.head = Linear(hidden_size, 2, rng=rng)
        self.modules = [self.rnn, self.head]
        if recurrent_init == "orthogonal":
            self.rnn.params["weight_hh_l0"][...] = recurrent_scale * random_orthogonal(
                hidden_size, hidden_size, rng)
        elif recurrent_init == "identity":
            identity_recurrent_(self.rnn, recurrent_scale)
        self._states_shape = None

    def forward(self, inputs) -> np.ndarray:
        """Logits (N, 2) for inputs (T, N, 1).

        Raises FloatingPointError when the last state is not finite (the weights blew up).
        """
        states, _ = self.rnn(inputs)  # (T, N, H)
        if not np.isfinite(states[-1]).all():
            raise FloatingPointError("the last state overflowed to inf or nan")
        self._states_shape = states.shape
        return self.head(states[-1])

    def backward(self, dlogits) -> None:
        """BPTT from dL/dlogits (N, 2); fills every module's ``grads``."""
        if self._states_shape is None:
            raise RuntimeError("backward: call forward first")
        dstates = np.zeros(self._states_shape)  # only the last state feeds the head
        dstates[-1] = self.head.backward(dlogits)
        self.rnn.backward(dstates)

    def accuracy(self, inputs, labels) -> float:
        """Fraction of sequences whose larger logit is their class."""
        return float((self.forward(inputs).argmax(axis=1) == labels).mean())


def _expect_plain_rnn_options(cell, nonlinearity, recurrent_init, forget_bias) -> None:
    """The nonlinearity and the special starts belong to the plain RNN, forget_bias to the LSTM."""
    if cell != "rnn" and (nonlinearity != "tanh" or recurrent_init != "uniform"):
        raise ValueError(f"nonlinearity, recurrent_init: options of cell='rnn'; the {cell} "
                         f"takes the defaults ('tanh', 'uniform'), got {nonlinearity!r}, "
                         f"{recurrent_init!r}")
    if cell != "lstm" and forget_bias is not None:
        raise ValueError(f"forget_bias: an option of cell='lstm', got cell={cell!r}")


class LatchingRun(NamedTuple):
    """What :func:`train_latching` returns.

    losses : the training loss before each update; a run that blew up ends in inf or nan.
    grad_norms : the global gradient norm of each update, before any clipping.
    accuracy : accuracy on fresh test sequences after training (nan if the run blew up).
    model : the trained :class:`LatchingRNN`.
    """

    losses: np.ndarray
    grad_norms: np.ndarray
    accuracy: float
    model: LatchingRNN


def train_latching(span: int, seed: int = 0, *, hidden_size: int = 4, updates: int = 300,
                   lr: float = 0.1, n_train: int = 64, n_test: int = 256,
                   noise_std: float = 0.2, clip: str | None = None, threshold: float = 1.0,
                   weight_decay: float = 0.0, cell: str = "rnn", nonlinearity: str = "tanh",
                   recurrent_init: str = "uniform", recurrent_scale: float = 1.0,
                   forget_bias: float | None = None, optimizer: str = "sgd") -> LatchingRun:
    """Train a :class:`LatchingRNN` by full-batch gradient descent on one latching set.

    Parameters
    ----------
    span : T, the steps between the informative first input and the answer.
    seed : seeds the weights, the training set (``seed``) and the test set (another seed).
    hidden_size, cell, nonlinearity, recurrent_init, recurrent_scale, forget_bias : as in
        :class:`LatchingRNN`.
    updates, lr, n_train, n_test, noise_std : the training budget and the data.
    clip : None, ``"norm"`` (rescale the whole gradient to norm ``threshold`` when it is
        larger) or ``"value"`` (clip each element to [-threshold, threshold]).
    weight_decay : L2 penalty coefficient of the update.
    optimizer : ``"sgd"`` (plain gradient descent) or ``"adam"``, both full-batch.

    Returns
    -------
    LatchingRun. Training stops at the first loss that is not finite.
    """
    expect_positive_ints(span=span, updates=updates, n_train=n_train, n_test=n_test)
    expect_choice("clip", clip, CLIPPING)
    expect_choice("optimizer", optimizer, tuple(OPTIMIZERS))
    train = latching_task(n_train, span, noise_std=noise_std, seed=seed)
    test = latching_task(n_test, span, noise_std=noise_std, seed=seed + 10_000)
    model = LatchingRNN(hidden_size, cell=cell, nonlinearity=nonlinearity,
                        recurrent_init=recurrent_init, recurrent_scale=recurrent_scale,
                        forget_bias=forget_bias, rng=seed)
    step = OPTIMIZERS[optimizer](model.modules, lr=lr, weight_decay=weight_decay).step
    losses, grad_norms = [], []
    with np.errstate(over="ignore", invalid="ignore"):  # a blown-up run overflows on purpose
        for _ in range(updates):
            try:
                logits = model.forward(train.inputs)
            except FloatingPointError:  # the weights have blown up, and the loss with them
                losses.append(math.inf)
                break
            if not np.isfinite(logits).all():
                losses.append(math.nan)
                break
            loss, dlogits = softmax_cross_entropy(logits, train.labels)
            losses.append(loss)
            model.backward(dlogits)
            if clip == "value":
                grad_norms.append(clip_grad_norm(model.modules, math.inf))
                clip_grad_value(model.modules, threshold)
            else:
                grad_norms.append(clip_grad_norm(model.modules,
                                                 threshold if clip == "norm" else math.inf))
            step()
        blown_up = not np.isfinite(losses[-1])
        accuracy = math.nan if blown_up else model.accuracy(test.inputs, test.labels)
    return LatchingRun(np.array(losses), np.array(grad_norms), accuracy, model)


def latching_success(spans, seeds, *, success_accuracy: float = 0.95, **train_options
                     ) -> np.ndarray:
    """Which runs solve the task: (len(spans), len(seeds)) booleans.

    A run succeeds when its test accuracy reaches ``success_accuracy``; ``train_options`` go
    to :func:`train_latching`. The success rate at each span is the mean over a row.
    """
    return np.array([[train_latching(span, seed, **train_options).accuracy >= success_accuracy
                      for seed in seeds] for span in spans])
