r"""The parameter count of every model of the course, taken from the package's own layers.

Chapter 11 closes the course with one table of its models. The counts in it are not typed
from formulas: :func:`course_parameter_counts` builds each model from the package at one size
and adds up its parameter arrays, so the table and the code cannot disagree.

At input size D and hidden size H, in torch.nn's layout (two bias vectors per recurrent layer,
except the clockwork RNN, which has one, and the self-attention layer, which has none):
the recurrent layers are counted without a read-out; the encoder-decoders are whole models
(source and target vocabularies of D tokens, the read-out included); the clockwork RNN counts
only the entries of W_hh inside its block-triangular pattern, the rest being never used; the
self-attention layer has A = M = H.

Sizes: D input features, H hidden units, g clockwork modules.
"""

from __future__ import annotations

import course_rnn.numpy as cnp
import course_rnn.torch as ctorch
from course_rnn.models.attention_encoder_decoder import AttentionEncoderDecoder
from course_rnn.models.encoder_decoder import EncoderDecoder
from course_rnn.numpy.clockwork import block_triangular_mask
from course_rnn.shapes import expect_periods, expect_positive_ints


def _arrays(layer) -> int:
    return sum(weight.size for weight in layer.state_dict().values())


def _model(model) -> int:
    return sum(weight.size for module in model.modules for weight in module.params.values())


def course_parameter_counts(D: int = 10, H: int = 16,
                            periods: tuple[int, ...] = (1, 2, 4, 8)) -> dict[str, int]:
    """``{model name: parameters}`` for every model of the course at input D, hidden H.

    ``periods`` are the clockwork RNN's (g of them, g dividing H).
    """
    expect_positive_ints(D=D, H=H)
    periods = expect_periods(periods, H)
    clockwork = cnp.ClockworkRNN(D, H, periods)
    unused = int((~block_triangular_mask(periods, H)).sum())
    attention = ctorch.CausalSelfAttention(D, H, H)
    return {
        "RNN": _arrays(cnp.RNN(D, H)),
        "deep RNN (2 layers)": _arrays(cnp.RNN(D, H, num_layers=2)),
        "bidirectional RNN": _arrays(cnp.RNN(D, H, bidirectional=True)),
        "encoder-decoder": _model(EncoderDecoder(D, D, H)),
        "encoder-decoder with attention": _model(AttentionEncoderDecoder(D, D, H)),
        "LSTM": _arrays(cnp.LSTM(D, H)),
        "peephole LSTM": _arrays(cnp.LSTM(D, H, peephole=True)),
        "GRU": _arrays(cnp.GRU(D, H)),
        "clockwork RNN": _arrays(clockwork) - unused,
        "causal self-attention": sum(p.numel() for p in attention.parameters()),
    }
