"""The lookup task: shapes, one-hot keys and query, padding at the end, the query among the
real symbols, seeds, and the weight on the match."""

import numpy as np
import pytest

from course_rnn.data.lookup import symbol_lookup, weight_on_match


@pytest.mark.parametrize("length,min_length", [(1, 1), (6, 1), (9, 4)])
def test_shapes_one_hot_and_padding_at_the_end(length, min_length):
    task = symbol_lookup(300, length, 5, min_length=min_length, seed=1)
    assert task.query.shape == (300, 5) and task.keys.shape == (length, 300, 5)
    assert task.mask.shape == task.symbols.shape == (length, 300) and task.mask.dtype == bool
    np.testing.assert_array_equal(task.keys.sum(axis=2), 1.0)
    np.testing.assert_array_equal(task.keys.argmax(axis=2), task.symbols)
    np.testing.assert_array_equal(task.query.sum(axis=1), 1.0)
    lengths = task.mask.sum(axis=0)
    assert lengths.min() == min_length and lengths.max() == length
    np.testing.assert_array_equal(task.mask, np.arange(length)[:, None] < lengths)


def test_the_query_names_a_real_symbol():
    task = symbol_lookup(500, 6, 8, seed=2)
    asked = task.query.argmax(axis=1)
    assert (((task.symbols == asked) & task.mask).any(axis=0)).all()


def test_weight_on_match_is_one_for_a_perfect_lookup_and_less_when_spread():
    task = symbol_lookup(200, 6, 6, seed=3)
    asked = task.query.argmax(axis=1)
    match = (task.symbols == asked) & task.mask
    perfect = match / match.sum(axis=0)
    np.testing.assert_allclose(weight_on_match(perfect, task), 1.0)
    even = task.mask / task.mask.sum(axis=0)
    assert (weight_on_match(even, task) <= 1.0 + 1e-12).all()
    assert weight_on_match(even, task).mean() < 0.8


def test_seeds_repeat_and_differ():
    a, b, c = (symbol_lookup(20, 6, 4, seed=s) for s in (5, 5, 6))
    np.testing.assert_array_equal(a.symbols, b.symbols)
    assert not np.array_equal(a.symbols, c.symbols)


@pytest.mark.parametrize("arguments,message", [
    (dict(n_samples=0, length=3, vocab_size=2), "n_samples"),
    (dict(n_samples=2, length=3, vocab_size=2, min_length=4), "min_length")])
def test_bad_settings_are_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        symbol_lookup(**arguments)
