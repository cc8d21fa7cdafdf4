"""PyTorch backend: recurrent ``nn.Module``s written from scratch, trained by autograd.

Each class is a drop-in for its torch.nn namesake: the same constructor arguments, the same
parameter names, shapes and order (so ``load_state_dict`` works both ways), the same return
values. Each step is a plain function of tensors (``rnn_step``, ``lstm_step``, ``gru_step``)
and the time loop is explicit Python; autograd differentiates it, which is backpropagation
through time without a hand-written backward pass (compare ``course_rnn.numpy``).

One gradient is the exception: with ``fused_weight_hh_grad=True`` (the default of ``RNN`` and
``LSTM``) dL/dW_hh, the sum over time sum_t delta_t^T h_{t-1}, is formed by hand as one matrix
product over all T*N rows after the loop (``weight_gradient.py``), because one large product
runs faster than the T thin ones autograd would form. ``fused_weight_hh_grad=False`` leaves
every gradient to autograd and is the path that also gives second derivatives.

Attention for chapter 10: ``AdditiveAttention`` (Bahdanau et al.) and ``DotAttention`` (Luong
et al.'s dot and general scores), ``forward(query, keys, mask=None) -> (context, weights)``.

Chapter 11: ``ClockworkRNN`` (Koutnik et al. 2014), ``forward(input, hx=None) -> (output, h_n)``,
and ``CausalSelfAttention``, ``forward(x) -> (y, weights)``.
"""

from course_rnn.torch.additive_attention import AdditiveAttention
from course_rnn.torch.causal_self_attention import CausalSelfAttention
from course_rnn.torch.clockwork import ClockworkRNN
from course_rnn.torch.direction_merge import merge_directions
from course_rnn.torch.dot_attention import DotAttention
from course_rnn.torch.gru import GRU, GRUCell
from course_rnn.torch.lstm import LSTM, LSTMCell
from course_rnn.torch.rnn import RNN, RNNCell

__all__ = ["RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell", "AdditiveAttention",
           "DotAttention", "merge_directions", "ClockworkRNN", "CausalSelfAttention"]
