"""The negation task: the label rule, the bag-of-words twins, padding, seeds and bad input."""

import numpy as np
import pytest

from course_rnn.data.negation import (
    MAX_WORDS,
    PAD,
    VOCAB,
    decode,
    encode,
    negation_task,
    sentence_label,
)
from course_rnn.data.order import bag_of_words


@pytest.mark.parametrize("sentence, label", [
    ("good", 1), ("bad", 0), ("not good", 0), ("never bad", 1),
    ("not at all bad", 1), ("not really good", 0), ("very awful", 0), ("not not good", 1),
    ("not good , really bad", 0), ("good , not really bad", 1),
    ("never nice , very dull", 0), ("nice , never very dull", 1),
])
def test_the_label_rule_on_hand_written_sentences(sentence, label):
    assert sentence_label(sentence) == label


@pytest.mark.parametrize("sentence, words", [
    ("good , bad", "agree in polarity"),
    ("good not", "end in its one adjective"),
    ("good bad", "end in its one adjective"),
    ("not , good", "end in its one adjective"),
    ("not excellent", "expected one or more words from"),
    ("<pad> good", "expected one or more words from"),
    ("", "expected one or more words from"),
])
def test_the_rule_rejects_what_it_cannot_label(sentence, words):
    with pytest.raises(ValueError, match=words):
        sentence_label(sentence)


def test_generated_labels_follow_the_rule_and_both_occur():
    task = negation_task(400, seed=1)
    sentences = decode(task.tokens)
    assert [sentence_label(s) for s in sentences] == task.labels.tolist()
    assert 0.4 < task.labels.mean() < 0.6
    assert any("at all" in s for s in sentences) and any("," in s for s in sentences)


def test_twins_have_identical_bags_and_different_labels():
    task = negation_task(300, pair_fraction=0.6, seed=2)
    assert task.pairs.shape == (90, 2)
    assert len(np.unique(task.pairs)) == 180  # every twin belongs to one pair only
    bags = bag_of_words(task.tokens, len(VOCAB))
    first, second = task.pairs.T
    np.testing.assert_array_equal(bags[first], bags[second])
    assert (task.labels[first] != task.labels[second]).all()
    # so any function of the bag is right on exactly half of the twins
    rule = bags[:, VOCAB.index("not")] > 0
    twins = task.pairs.ravel()
    assert np.mean(rule[twins] == task.labels[twins]) == 0.5


def test_only_where_the_negator_sits_tells_twins_apart():
    task = negation_task(100, pair_fraction=1.0, seed=3)
    sentences = decode(task.tokens)
    for i, j in task.pairs:
        a, b = sentences[i].split(" , "), sentences[j].split(" , ")
        negated_a = [clause.split()[0] in ("not", "never") for clause in a]
        negated_b = [clause.split()[0] in ("not", "never") for clause in b]
        assert sorted(negated_a) == [False, True] and negated_b == negated_a[::-1]


def test_padding_is_on_the_left_and_lengths_count_the_words():
    task = negation_task(200, seq_len=9, seed=4)
    assert task.tokens.shape == (200, 9) and task.tokens.dtype == np.int64
    steps = np.arange(9)
    is_pad = steps < 9 - task.lengths[:, None]  # (N, T)
    np.testing.assert_array_equal(task.tokens == PAD, is_pad)
    assert task.lengths.min() >= 1 and task.lengths.max() == MAX_WORDS
    words = [len(s.split()) for s in decode(task.tokens)]
    np.testing.assert_array_equal(words, task.lengths)


def test_encode_and_decode_round_trip():
    tokens, lengths = encode(["not at all bad", "good , not really bad"], seq_len=7)
    assert tokens[0].tolist() == [PAD, PAD, PAD] + [VOCAB.index(w) for w in
                                                    ("not", "at", "all", "bad")]
    assert lengths.tolist() == [4, 5]
    assert decode(tokens) == ["not at all bad", "good , not really bad"]


def test_same_seed_same_data_other_seed_other_data():
    first, again, other = (negation_task(60, seed=s) for s in (5, 5, 6))
    np.testing.assert_array_equal(first.tokens, again.tokens)
    np.testing.assert_array_equal(first.pairs, again.pairs)
    assert not np.array_equal(first.tokens, other.tokens)


@pytest.mark.parametrize("call, words", [
    (lambda: negation_task(0), "n_samples: expected a positive integer"),
    (lambda: negation_task(10, seq_len=5), "seq_len: expected at least MAX_WORDS = 6"),
    (lambda: negation_task(10, pair_fraction=2.0), "pair_fraction: expected a probability"),
    (lambda: encode(["not really good"], seq_len=2), "seq_len: expected at least 3"),
    (lambda: encode(["so good"]), "expected one or more words from"),
])
def test_bad_arguments_are_rejected(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_decode_rejects_ids_outside_the_vocabulary():
    with pytest.raises(IndexError, match=r"range \[0, 15\], found 16"):
        decode(np.array([[0, 16]]))
