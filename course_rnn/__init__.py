"""course_rnn: reference implementations for a course on recurrent neural networks.

Two backends mirror each other file for file:

- ``course_rnn.numpy``: explicit forward passes and hand-written backward passes (BPTT).
  Imports without torch.
- ``course_rnn.torch``: ``nn.Module`` versions written from scratch on top of autograd.

Both keep torch.nn's constructor arguments, return values, parameter names and layouts, so
weights move freely between them and ``torch.nn.RNN`` / ``LSTM`` / ``GRU``.
"""

__version__ = "0.1.0"
