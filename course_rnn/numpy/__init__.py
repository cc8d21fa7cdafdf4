"""NumPy backend: explicit forward passes and hand-written backward passes (BPTT).

Functional API (time-major, torch's weight layout; caches are NamedTuples):
``rnn_step_forward`` / ``rnn_step_backward`` / ``rnn_forward`` / ``rnn_backward`` and the same
for ``lstm_`` and ``gru_``.

Layers with torch.nn's interface plus ``backward``: ``RNN``, ``LSTM``, ``GRU``, ``RNNCell``,
``LSTMCell``, ``GRUCell``.
"""

from course_rnn.numpy.cells import GRUCell, LSTMCell, RNNCell
from course_rnn.numpy.gru import (
    GRU,
    gru_backward,
    gru_forward,
    gru_step_backward,
    gru_step_forward,
)
from course_rnn.numpy.lstm import (
    LSTM,
    lstm_backward,
    lstm_forward,
    lstm_step_backward,
    lstm_step_forward,
)
from course_rnn.numpy.module import Module
from course_rnn.numpy.rnn import (
    RNN,
    rnn_backward,
    rnn_forward,
    rnn_step_backward,
    rnn_step_forward,
)

__all__ = [
    "GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNCell", "Module",
    "gru_backward", "gru_forward", "gru_step_backward", "gru_step_forward",
    "lstm_backward", "lstm_forward", "lstm_step_backward", "lstm_step_forward",
    "rnn_backward", "rnn_forward", "rnn_step_backward", "rnn_step_forward",
]
