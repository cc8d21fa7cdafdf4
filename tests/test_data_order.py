"""The order task: the property that defeats every order-blind model, determinism, errors."""

from collections import Counter

import numpy as np
import pytest

from course_rnn.data.order import (
    A,
    B,
    bag_of_words,
    decode,
    order_task,
    swap_markers,
    vocabulary,
)
from course_rnn.data.tokens import one_hot


def test_shapes_dtypes_and_vocabulary():
    task = order_task(40, seq_len=7, n_distractors=3, seed=5)
    assert task.tokens.shape == (40, 7) and task.tokens.dtype == np.int64
    assert task.labels.shape == (40,) and task.labels.dtype == np.int64
    assert task.vocab == ("A", "B", "c", "d", "e")
    assert task.tokens.min() >= 0 and task.tokens.max() < len(task.vocab)


def test_each_sequence_has_one_a_one_b_and_the_label_says_which_comes_first():
    task = order_task(200, seq_len=9, n_distractors=4, seed=1)
    assert ((task.tokens == A).sum(axis=1) == 1).all()
    assert ((task.tokens == B).sum(axis=1) == 1).all()
    a_first = (task.tokens == A).argmax(axis=1) < (task.tokens == B).argmax(axis=1)
    np.testing.assert_array_equal(task.labels, a_first.astype(np.int64))


def test_labels_are_balanced_exactly():
    labels = order_task(300, seed=2).labels
    assert labels.sum() == 150


def test_every_bag_occurs_equally_often_with_both_labels():
    # the property that holds any order-blind classifier to exactly one half
    task = order_task(400, seq_len=6, n_distractors=2, seed=3)
    counts = Counter()
    for bag, label in zip(map(tuple, bag_of_words(task.tokens, len(task.vocab))), task.labels):
        counts[bag] += 1 if label else -1
    assert set(counts.values()) == {0}


def test_a_bag_only_rule_scores_exactly_one_half():
    task = order_task(500, seq_len=8, seed=4)
    bags = bag_of_words(task.tokens, len(task.vocab))
    rule = bags[:, 2] > bags[:, 3]  # any function of the bag would do
    assert np.mean(rule == task.labels) == 0.5


def test_same_seed_same_data_other_seed_other_data():
    first, again, other = order_task(50, seed=7), order_task(50, seed=7), order_task(50, seed=8)
    np.testing.assert_array_equal(first.tokens, again.tokens)
    np.testing.assert_array_equal(first.labels, again.labels)
    assert not np.array_equal(first.tokens, other.tokens)


def test_shortest_sequences_hold_just_the_markers():
    task = order_task(10, seq_len=2, seed=0)
    assert set(map(tuple, task.tokens)) <= {(A, B), (B, A)}


def test_swap_markers_gives_the_twin_and_leaves_its_input_alone():
    tokens = np.array([[2, 0, 3, 1], [1, 1, 4, 0]], dtype=np.int32)
    twins = swap_markers(tokens)
    np.testing.assert_array_equal(twins, [[2, 1, 3, 0], [0, 0, 4, 1]])
    assert tokens[0, 1] == 0
    np.testing.assert_array_equal(swap_markers(twins), tokens)


def test_bag_of_words_counts_repeats_and_ignores_order():
    tokens = np.array([[0, 2, 2, 1], [2, 1, 2, 0]])
    counts = bag_of_words(tokens, 4)
    np.testing.assert_array_equal(counts, [[1, 1, 2, 0], [1, 1, 2, 0]])
    assert counts.dtype == np.float64


def test_decode_names_the_tokens():
    assert decode(np.array([[2, 0, 1]]), vocabulary(1)) == ["c A B"]


@pytest.mark.parametrize("kwargs, error, words", [
    ({"n_samples": 7}, ValueError, "even"),
    ({"n_samples": 0}, ValueError, "positive integer"),
    ({"n_samples": 4, "seq_len": 1}, ValueError, "at least 2"),
    ({"n_samples": 4, "n_distractors": 0}, ValueError, "n_distractors"),
    ({"n_samples": 4, "n_distractors": 25}, ValueError, "at most 24"),
])
def test_order_task_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        order_task(**kwargs)


@pytest.mark.parametrize("tokens, error, words", [
    (np.array([0, 1, 2]), ValueError, r"\(N, T\)"),
    (np.array([[0.0, 1.0]]), TypeError, "integer"),
    (np.array([[0, 5]]), IndexError, r"range \[0, 3\], found 5"),
    (np.array([[-1, 0]]), IndexError, "found -1"),
])
def test_bad_tokens_get_clear_errors(tokens, error, words):
    for fn in (bag_of_words, one_hot):
        with pytest.raises(error, match=words):
            fn(tokens, 4)


def test_swap_markers_rejects_float_tokens():
    with pytest.raises(TypeError, match="integer"):
        swap_markers(np.zeros((2, 3)))
