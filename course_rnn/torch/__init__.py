"""PyTorch backend: recurrent ``nn.Module``s written from scratch, trained by autograd.

Each class is a drop-in for its torch.nn namesake: the same constructor arguments, the same
parameter names, shapes and order (so ``load_state_dict`` works both ways), the same return
values. The time loop is explicit Python; autograd differentiates it, which is backpropagation
through time without a hand-written backward (compare ``course_rnn.numpy``).
"""

from course_rnn.torch.gru import GRU, GRUCell
from course_rnn.torch.lstm import LSTM, LSTMCell
from course_rnn.torch.rnn import RNN, RNNCell

__all__ = ["RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"]
