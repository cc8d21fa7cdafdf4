"""NumPy backend: explicit forward passes and hand-written backward passes (BPTT).

Functional API (time-major, torch's weight layout; caches are NamedTuples):
``rnn_step_forward`` / ``rnn_step_backward`` / ``rnn_forward`` / ``rnn_backward`` and the same
for ``lstm_``, ``lstm_peephole_``, ``gru_`` and ``gru_reset_before_`` (Cho et al.'s GRU). A step
function's body is its equations (a decorator checks the arguments); a sequence function equals
a loop of steps (``step_loop.forward_steps`` / ``backward_steps``) and is faster, its
optimisations commented (the peephole LSTM's and the reset-before GRU's are that loop).

Layers with torch.nn's interface plus ``backward``: ``RNN``, ``LSTM``, ``GRU``, ``RNNCell``,
``LSTMCell``, ``GRUCell``; a bidirectional layer joins its two directions by ``merge``
(``merge_directions`` / ``merge_directions_backward``: concat, sum or mean).

Attention over time-major keys with a padding mask (chapter 10), forward and backward:
``additive_attention_forward`` / ``additive_attention_backward`` (Bahdanau et al.) and
``dot_attention_forward`` / ``dot_attention_backward`` (Luong et al.'s dot and general scores),
sharing ``masked_softmax``.

Beyond the LSTM (chapter 11): the clockwork RNN (Koutnik et al. 2014),
``clockwork_step_forward`` / ``clockwork_step_backward`` / ``clockwork_forward`` /
``clockwork_backward`` and the layer ``ClockworkRNN``; one head of causal self-attention,
``causal_self_attention_forward`` / ``causal_self_attention_backward``.

Training pieces, each with a hand-written backward where it has one: ``Linear``, ``Embedding``,
``softmax_cross_entropy``, ``mse_loss``, the optimizers ``SGD``, ``Adagrad``, ``Adam``,
``clip_grad_norm``, ``clip_grad_value``, the initialisers in ``course_rnn.numpy.init`` and
truncated BPTT (``TruncatedBPTT``, ``chunks``).
"""

from course_rnn.numpy.additive_attention import (
    additive_attention_backward,
    additive_attention_forward,
)
from course_rnn.numpy.causal_self_attention import (
    causal_self_attention_backward,
    causal_self_attention_forward,
)
from course_rnn.numpy.cells import GRUCell, LSTMCell, RNNCell
from course_rnn.numpy.clipping import clip_grad_norm, clip_grad_value
from course_rnn.numpy.clockwork import (
    ClockworkRNN,
    clockwork_backward,
    clockwork_forward,
    clockwork_step_backward,
    clockwork_step_forward,
)
from course_rnn.numpy.direction_merge import merge_directions, merge_directions_backward
from course_rnn.numpy.dot_attention import dot_attention_backward, dot_attention_forward
from course_rnn.numpy.embedding import Embedding
from course_rnn.numpy.gru import (
    GRU,
    gru_backward,
    gru_forward,
    gru_step_backward,
    gru_step_forward,
)
from course_rnn.numpy.gru_reset_before import (
    gru_reset_before_backward,
    gru_reset_before_forward,
    gru_reset_before_step_backward,
    gru_reset_before_step_forward,
)
from course_rnn.numpy.init import (
    forget_gate_bias_,
    identity_recurrent_,
    orthogonal_,
    torch_default_,
    xavier_uniform_,
)
from course_rnn.numpy.linear import Linear
from course_rnn.numpy.losses import mse_loss, softmax_cross_entropy
from course_rnn.numpy.lstm import (
    LSTM,
    lstm_backward,
    lstm_forward,
    lstm_step_backward,
    lstm_step_forward,
)
from course_rnn.numpy.lstm_peephole import (
    lstm_peephole_backward,
    lstm_peephole_forward,
    lstm_peephole_step_backward,
    lstm_peephole_step_forward,
)
from course_rnn.numpy.masked_softmax import masked_softmax, masked_softmax_backward
from course_rnn.numpy.module import Module
from course_rnn.numpy.optim import SGD, Adagrad, Adam, Optimizer
from course_rnn.numpy.rnn import (
    RNN,
    rnn_backward,
    rnn_forward,
    rnn_step_backward,
    rnn_step_forward,
)
from course_rnn.numpy.tbptt import TruncatedBPTT, chunks

__all__ = [
    "GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNCell", "Module",
    "gru_backward", "gru_forward", "gru_step_backward", "gru_step_forward",
    "gru_reset_before_backward", "gru_reset_before_forward", "gru_reset_before_step_backward",
    "gru_reset_before_step_forward",
    "lstm_backward", "lstm_forward", "lstm_step_backward", "lstm_step_forward",
    "lstm_peephole_backward", "lstm_peephole_forward", "lstm_peephole_step_backward",
    "lstm_peephole_step_forward",
    "rnn_backward", "rnn_forward", "rnn_step_backward", "rnn_step_forward",
    "Linear", "Embedding", "softmax_cross_entropy", "mse_loss",
    "Optimizer", "SGD", "Adagrad", "Adam", "clip_grad_norm", "clip_grad_value",
    "torch_default_", "xavier_uniform_", "orthogonal_", "identity_recurrent_",
    "forget_gate_bias_", "TruncatedBPTT", "chunks",
    "additive_attention_forward", "additive_attention_backward",
    "dot_attention_forward", "dot_attention_backward", "masked_softmax", "masked_softmax_backward",
    "merge_directions", "merge_directions_backward",
    "ClockworkRNN", "clockwork_step_forward", "clockwork_step_backward", "clockwork_forward",
    "clockwork_backward", "causal_self_attention_forward", "causal_self_attention_backward",
]
