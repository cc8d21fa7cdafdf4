"""course_rnn: reference implementations for a course on recurrent neural networks.

Two backends mirror each other:

- ``course_rnn.numpy``: explicit forward passes and hand-written backward passes (BPTT).
  Imports without torch.
- ``course_rnn.torch``: ``nn.Module`` versions written from scratch on top of autograd.

Both keep torch.nn's constructor arguments, return values, parameter names and layouts, so
weights move freely between them and ``torch.nn.RNN`` / ``LSTM`` / ``GRU``. Their recurrent
layers live in files of the same names (``rnn.py``, ``lstm.py``, ``gru.py``).

Beside them, ``course_rnn.data`` makes the data sets; above them, ``course_rnn.models`` holds the
course's models and experiments; below everything, ``course_rnn.shapes`` holds the input checks.
"""

__version__ = "0.1.0"
