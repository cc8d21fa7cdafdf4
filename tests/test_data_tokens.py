"""one_hot: (N, T) token ids in, the (T, N, V) inputs of a time-major recurrent layer out.

Bad token ids are tested with the order task's (tests/test_data_order.py), which share the check.
"""

import numpy as np
import pytest

from course_rnn.data.tokens import one_hot
from course_rnn.numpy import RNN


def test_one_hot_turns_batch_major_ids_into_time_major_inputs():
    x = one_hot(np.array([[0, 2], [1, 1], [2, 0]]), 3)  # N=3, T=2
    assert x.shape == (2, 3, 3) and x.dtype == np.float64
    np.testing.assert_array_equal(x[0, 1], [0, 1, 0])  # step 0 of sequence 1 is token 1
    np.testing.assert_array_equal(x[1, 0], [0, 0, 1])  # step 1 of sequence 0 is token 2
    np.testing.assert_array_equal(x.sum(axis=2), np.ones((2, 3)))


def test_a_one_hot_input_picks_a_column_of_the_input_weights():
    tokens = np.array([[3, 0, 2]])  # N=1, T=3
    rnn = RNN(4, 5, bias=False, rng=0)
    W_ih = rnn.params["weight_ih_l0"]  # (H, V)
    np.testing.assert_array_equal(one_hot(tokens, 4) @ W_ih.T, W_ih.T[tokens.T])


def test_the_vocabulary_size_must_be_positive():
    with pytest.raises(ValueError, match="vocab_size: expected a positive integer"):
        one_hot(np.zeros((2, 3), dtype=np.int64), 0)
