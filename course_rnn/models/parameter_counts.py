r"""How many parameters the networks of the parameter-sharing chapter have, as formulas.

Parameter counts (one bias per layer, as in the text's equations; torch.nn.RNN stores two
biases, b_ih and b_hh, so its count is H larger):

    RNN, any length                    H (D + H + 1) + K (H + 1)
    the same net unrolled, no sharing  T [H (D + H + 1) + K (H + 1)] - H^2
                                                         (no W_0: it would only multiply h_{-1} = 0)
    position-wise tagger               T K (T D + 1)     (a classifier per step, each reading all
                                                          T inputs; the chapter's baseline)
    one recurrent layer, torch.nn's    G H (D + H + 2)   (G blocks of H rows in W_ih, W_hh,
    layout (two biases)                                    b_ih, b_hh: G = 1 RNN, 3 GRU, 4 LSTM)

The figures of :mod:`course_rnn.viz.params` and the counting exercises' checks use these.

Sizes: D input features (vocabulary for one-hot inputs), H hidden units, K outputs, T steps,
G gate blocks.
"""

from __future__ import annotations

from course_rnn.shapes import expect_choice, expect_positive_ints


def rnn_parameter_count(D: int, H: int, K: int) -> int:
    """H(D + H + 1) + K(H + 1): U (H, D), W (H, H), b (H,), V (K, H), c (K,). No T in it."""
    expect_positive_ints(D=D, H=H, K=K)
    return H * (D + H + 1) + K * (H + 1)


def unshared_parameter_count(D: int, H: int, K: int, T: int) -> int:
    """T [H(D + H + 1) + K(H + 1)] - H^2: the unrolled network with its own weights per step.

    Every step t has its own U_t, b_t, V_t, c_t; steps t >= 1 also have their own W_t. Step 0
    gets no W_0, which would only ever multiply h_{-1} = 0.
    """
    expect_positive_ints(T=T)
    return T * rnn_parameter_count(D, H, K) - H * H


def positionwise_parameter_count(D: int, K: int, T: int) -> int:
    """T K (T D + 1): one linear classifier per step over the flattened (T D) input."""
    expect_positive_ints(D=D, K=K, T=T)
    return T * K * (T * D + 1)


GATE_BLOCKS = {"RNN": 1, "GRU": 3, "LSTM": 4}
"""How many blocks of H rows each layer stacks in its weights: the gates and the candidate."""


def recurrent_layer_parameter_count(kind: str, D: int, H: int) -> int:
    """G H (D + H + 2): W_ih (G H, D), W_hh (G H, H), b_ih and b_hh (G H,) of one layer of
    ``kind`` ("RNN", "GRU" or "LSTM"), one direction, as torch.nn stores them."""
    expect_choice("kind", kind, tuple(GATE_BLOCKS))
    expect_positive_ints(D=D, H=H)
    return GATE_BLOCKS[kind] * H * (D + H + 2)
