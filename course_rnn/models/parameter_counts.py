r"""How many parameters the networks of the parameter-sharing chapter have, as formulas.

Parameter counts (one bias per layer, as in the text's equations; torch.nn.RNN stores two
biases, b_ih and b_hh, so its count is H larger):

    RNN, any length                    H (D + H + 1) + K (H + 1)
    the same net unrolled, no sharing  T [H (D + H + 1) + K (H + 1)] - H^2
                                                         (no W_0: it would only multiply h_{-1} = 0)
    position-wise tagger               T K (T D + 1)     (a classifier per step, each reading all
                                                          T inputs; the chapter's baseline)

The figures of :mod:`course_rnn.viz.params` and the counting exercises' checks use these.

Sizes: D input features (vocabulary for one-hot inputs), H hidden units, K outputs, T steps.
"""

from __future__ import annotations

from course_rnn.shapes import expect_positive_ints


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
