"""The shifted-target task: y_t = x_{t+k} where t+k is inside, IGNORE elsewhere; bad input."""

import numpy as np
import pytest

from course_rnn.data.delayed_target import IGNORE, delayed_target_task


@pytest.mark.parametrize("shift", [-3, -1, 0, 1, 4])
def test_every_target_is_the_token_k_steps_away(shift):
    task = delayed_target_task(50, shift, seq_len=9, vocab_size=5, seed=1)
    assert task.tokens.shape == task.targets.shape == (50, 9)
    assert task.tokens.dtype == task.targets.dtype == np.int64
    for t in range(9):
        if 0 <= t + shift < 9:
            np.testing.assert_array_equal(task.targets[:, t], task.tokens[:, t + shift])
        else:
            assert (task.targets[:, t] == IGNORE).all()


def test_tokens_are_uniform_so_chance_is_one_over_v():
    tokens = delayed_target_task(4000, 2, seq_len=10, vocab_size=4, seed=2).tokens
    counts = np.bincount(tokens.ravel(), minlength=4) / tokens.size
    np.testing.assert_allclose(counts, 0.25, atol=0.01)


def test_seed_fixes_the_data_and_shift_does_not_change_the_tokens():
    a = delayed_target_task(20, 1, seed=3)
    b = delayed_target_task(20, -2, seed=3)
    np.testing.assert_array_equal(a.tokens, b.tokens)
    assert not np.array_equal(a.tokens, delayed_target_task(20, 1, seed=4).tokens)


def test_bad_arguments_say_what_was_expected():
    with pytest.raises(ValueError, match=r"\|shift\| < seq_len = 5"):
        delayed_target_task(10, -5, seq_len=5)
    with pytest.raises(TypeError, match="shift: expected an integer"):
        delayed_target_task(10, 1.5)
    with pytest.raises(ValueError, match="at least 2 symbols"):
        delayed_target_task(10, 1, vocab_size=1)
    with pytest.raises(ValueError, match="n_samples"):
        delayed_target_task(0, 1)
