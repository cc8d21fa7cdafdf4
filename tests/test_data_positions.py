"""The pattern-tagging task: planted patterns, their tags, seeds and bad arguments."""

import numpy as np
import pytest

from course_rnn.data.positions import PATTERN, pattern_task


def _pattern_ends(tokens):
    a, b = PATTERN
    ends = np.zeros_like(tokens)
    ends[:, 1:] = (tokens[:, :-1] == a) & (tokens[:, 1:] == b)
    return ends


def test_tags_mark_exactly_the_planted_patterns():
    task = pattern_task(400, starts=[2, 5], seq_len=9, vocab_size=4, seed=1)
    np.testing.assert_array_equal(_pattern_ends(task.tokens), task.tags)
    assert task.tags.sum() == 200
    with_pattern = task.starts >= 0
    assert with_pattern.sum() == 200 and set(task.starts[with_pattern]) == {2, 5}
    rows = np.flatnonzero(with_pattern)
    assert (task.tags[rows, task.starts[rows] + 1] == 1).all()
    # a and b also occur alone, so a single token does not give the tag away
    assert (task.tokens[~with_pattern] == PATTERN[0]).any()
    assert (task.tokens[~with_pattern] == PATTERN[1]).any()
    assert task.vocab == ("a", "b", "c", "d")


def test_same_seed_same_data_and_bad_arguments_are_refused():
    one, two = pattern_task(10, [0], seed=3), pattern_task(10, [0], seed=3)
    np.testing.assert_array_equal(one.tokens, two.tokens)
    with pytest.raises(ValueError, match="even"):
        pattern_task(9, [0])
    with pytest.raises(ValueError, match=r"starts: expected one or more positions in \[0, 11\)"):
        pattern_task(10, [11])
    with pytest.raises(ValueError, match="vocab_size"):
        pattern_task(10, [0], vocab_size=2)
