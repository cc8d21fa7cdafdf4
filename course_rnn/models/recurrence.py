r"""One tanh recurrence over a whole sequence from a given state: the part chapter 5's models share.

    s_t = tanh(U x_t + W s_{t-1} + b),   t = 0 .. T-1,   s_{-1} given

The generators of :mod:`course_rnn.models.one_to_many` and the encoder and decoder of
:mod:`course_rnn.models.encoder_decoder` each run one. They hand it an initial state (the
encoded input, or the context vector c) and read back the gradient at that state, which is how
the gradient reaches what produced it. :class:`Recurrence` is the package's
:func:`~course_rnn.numpy.rnn_forward` / :func:`~course_rnn.numpy.rnn_backward` (the BPTT of
chapter 4) kept as a :class:`~course_rnn.numpy.module.Module`, so the optimizers update it.

Its input may have zero features (D = 0): a generator whose steps read nothing runs
s_t = tanh(W s_{t-1} + b), and U is then an (H, 0) matrix with nothing to learn.

Shapes: N batch, T time, D input features (0 allowed), H hidden units. Weights use torch's
names and layout: weight_ih = U (H, D), weight_hh = W (H, H), bias_ih and bias_hh (H,) (their
sum is b).
"""

from __future__ import annotations

import numpy as np

from course_rnn.numpy.module import Module
from course_rnn.numpy.recurrent import WEIGHT_NAMES, cell_params
from course_rnn.numpy.rnn import rnn_backward, rnn_forward
from course_rnn.shapes import expect_nonnegative_ints, expect_positive_ints


class Recurrence(Module):
    """s_t = tanh(U x_t + W s_{t-1} + b) over all T steps, from the state it is given.

    Parameters
    ----------
    input_size : D (0 for steps that read nothing).   hidden_size : H.
    rng : a ``np.random.Generator`` or a seed, for the initial weights.

    Attributes
    ----------
    params : ``weight_ih`` (H, D), ``weight_hh`` (H, H), ``bias_ih`` (H,), ``bias_hh`` (H,),
        drawn from U(-1/sqrt(H), 1/sqrt(H)) as torch.nn.RNN does.
    grads : the same keys, filled by :meth:`backward`.
    """

    def __init__(self, input_size: int, hidden_size: int, *, rng=None):
        super().__init__(np.float64)
        expect_nonnegative_ints(input_size=input_size)
        expect_positive_ints(hidden_size=hidden_size)
        self.input_size, self.hidden_size = input_size, hidden_size
        self.params = cell_params(input_size, hidden_size, gates=1, bias=True, suffix="",
                                  rng=np.random.default_rng(rng), dtype=np.float64)
        self._cache = None

    def forward(self, x: np.ndarray, s_init: np.ndarray) -> np.ndarray:
        """(T, N, D) inputs and the (N, H) state s_{-1} -> (T, N, H) states s_0 .. s_{T-1}."""
        p = self.params
        s, self._cache = rnn_forward(x, s_init, p["weight_ih"], p["weight_hh"], p["bias_ih"],
                                     p["bias_hh"])
        return s

    def backward(self, ds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(T, N, H) gradient at every state -> (dx (T, N, D), ds_init (N, H)); fills ``grads``."""
        if self._cache is None:
            raise RuntimeError("backward: call forward first (backward uses its saved states)")
        dx, ds_init, *grads = rnn_backward(ds, self._cache)
        self.grads = dict(zip(WEIGHT_NAMES, grads, strict=True))
        return dx, ds_init
