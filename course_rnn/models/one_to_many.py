r"""One to many: a recurrent generator that turns one input vector into a sequence of T outputs.

The input x is a single vector per sequence (a one-hot class label, a start value, image
features); the outputs are T categorical predictions o_0 .. o_{T-1}, one per step, scored by the
cross-entropy of every step. The lecture notes draw two ways for x to enter:

- (a) :class:`InitialStateGenerator`: x enters only at the start. We map it to the initial state,
  s_{-1} = E x + e, and the steps read nothing after that: the state alone must carry what x
  said through all T steps.
- (b) :class:`EveryStepGenerator`: the same x is the input of every step, so each step can read
  it again.

Both keep the course's names: U input to state, W state to state, V state to output, s_t the
state at step t. They share :class:`OneToManyRNN`, which runs the recurrence
(:class:`~course_rnn.models.recurrence.Recurrence`) and the head o_t = V s_t + c
(:class:`~course_rnn.models.readout.Readout`); a variant only says what the steps read and where
the state starts. ``modules`` lists the parts an optimizer
of :mod:`course_rnn.numpy.optim` updates::

    model = EveryStepGenerator(input_size=10, hidden_size=16, output_size=10, steps=5)
    optimizer = Adam(model.modules, lr=0.01)
    loss, dlogits = model.loss(model.forward(x), targets)
    model.backward(dlogits)
    optimizer.step()

Shapes: N sequences, D input features, T output steps, H hidden units, V output classes.
"""

from __future__ import annotations

import numpy as np

from course_rnn.models.readout import Readout
from course_rnn.models.recurrence import Recurrence
from course_rnn.numpy.linear import Linear
from course_rnn.numpy.losses import softmax_cross_entropy
from course_rnn.shapes import expect_input, expect_positive_ints


class OneToManyRNN:
    """What both variants share: the recurrence, the head o_t = V s_t + c, the loss.

    Subclasses set ``x_at_every_step`` and define ``step_inputs(x)`` (T, N, D or 0),
    ``initial_state(x)`` (N, H) and ``initial_state_backward(ds_init)``, which sends the
    gradient at s_{-1} on to whatever produced it.

    Parameters
    ----------
    input_size : D.   hidden_size : H.   output_size : V.   steps : T.
    rng : a ``np.random.Generator`` or a seed, for the initial weights.

    Attributes
    ----------
    rnn : :class:`Recurrence` (U, W, b); U is (H, D) if the steps read x, else (H, 0).
    head : :class:`Readout` H -> V (V, c).
    modules : the parts with parameters, for an optimizer.
    """

    x_at_every_step: bool

    def __init__(self, input_size: int, hidden_size: int, output_size: int, steps: int, *,
                 rng=0):
        expect_positive_ints(input_size=input_size, output_size=output_size, steps=steps)
        rng = np.random.default_rng(rng)
        self.input_size, self.hidden_size, self.steps = input_size, hidden_size, steps
        self.rnn = Recurrence(input_size if self.x_at_every_step else 0, hidden_size, rng=rng)
        self.head = Readout(hidden_size, output_size, rng=rng)
        self.modules = [self.rnn, self.head]

    def forward(self, x) -> np.ndarray:
        """Logits (N, T, V) of all T steps for the inputs x (N, D), one vector per sequence."""
        expect_input("x", x, ("N", "D"), (None, self.input_size),
                     "A one-to-many model reads one input vector per sequence")
        x = np.asarray(x, dtype=np.float64)
        s = self.rnn(self.step_inputs(x), self.initial_state(x))  # (T, N, H): s_0 .. s_{T-1}
        return self.head(s)                                        # o_t = V s_t + c: (N, T, V)

    def backward(self, dlogits) -> None:
        """Backpropagate dL/dlogits (N, T, V) through the head, through time and into x's map."""
        _, ds_init = self.rnn.backward(self.head.backward(dlogits))
        self.initial_state_backward(ds_init)

    @staticmethod
    def loss(logits, targets) -> tuple[float, np.ndarray]:
        """Mean cross-entropy over every step of every sequence, and dL/dlogits (N, T, V).

        ``targets`` are the (N, T) classes the T steps should output.
        """
        return softmax_cross_entropy(logits, targets)

    def predict(self, x) -> np.ndarray:
        """The most likely class of every step, (N, T), for the inputs x (N, D)."""
        return self.forward(x).argmax(axis=-1)


class InitialStateGenerator(OneToManyRNN):
    r"""Variant (a): x enters once, as the initial state; the steps read nothing.

        s_{-1} = E x + e                    (``encode``, a Linear D -> H)
        s_t    = tanh(W s_{t-1} + b)        t = 0 .. T-1
        o_t    = V s_t + c

    Parameters as in :class:`OneToManyRNN`; ``modules`` is ``[rnn, head, encode]``.
    """

    x_at_every_step = False

    def __init__(self, input_size: int, hidden_size: int, output_size: int, steps: int, *,
                 rng=0):
        rng = np.random.default_rng(rng)
        super().__init__(input_size, hidden_size, output_size, steps, rng=rng)
        self.encode = Linear(input_size, hidden_size, rng=rng)
        self.modules.append(self.encode)

    def step_inputs(self, x: np.ndarray) -> np.ndarray:
        return np.zeros((self.steps, len(x), 0))  # (T, N, 0): nothing enters after the start

    def initial_state(self, x: np.ndarray) -> np.ndarray:
        return self.encode(x)  # s_{-1} = E x + e: (N, H)

    def initial_state_backward(self, ds_init: np.ndarray) -> None:
        self.encode.backward(ds_init)


class EveryStepGenerator(OneToManyRNN):
    r"""Variant (b): the same x is the input of every step; the state starts at zero.

        s_{-1} = 0
        s_t    = tanh(U x + W s_{t-1} + b)  t = 0 .. T-1
        o_t    = V s_t + c

    Parameters as in :class:`OneToManyRNN`; ``modules`` is ``[rnn, head]``.
    """

    x_at_every_step = True

    def step_inputs(self, x: np.ndarray) -> np.ndarray:
        return np.broadcast_to(x, (self.steps, *x.shape))  # (T, N, D): x at every step

    def initial_state(self, x: np.ndarray) -> np.ndarray:
        return np.zeros((len(x), self.hidden_size))

    def initial_state_backward(self, ds_init: np.ndarray) -> None:
        """s_{-1} is a constant: its gradient has nowhere to go."""
