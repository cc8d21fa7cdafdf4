"""Transduction pairs: reverse and sort, the decoder's framing with SOS and EOS, padding, masks."""

import numpy as np
import pytest

from course_rnn.data.transduction import (
    EOS,
    PAD,
    SOS,
    VOCAB,
    decode,
    reverse_sources,
    transduction_task,
)


@pytest.mark.parametrize("transform, rewrite", [
    ("reverse", lambda s: s[::-1]),
    ("sort", lambda s: "".join(sorted(s))),
    ("copy", lambda s: s),
])
def test_targets_are_the_transformed_sources(transform, rewrite):
    task = transduction_task(300, min_len=1, max_len=7, transform=transform, seed=1)
    sources, targets = decode(task.source), decode(task.decoder_targets)
    assert [rewrite(s) for s in sources] == targets
    assert decode(task.decoder_inputs) == targets  # the same digits, after SOS
    assert all(len(s) == n for s, n in zip(sources, task.source_lengths))


def test_a_hand_checked_pair():
    task = transduction_task(50, min_len=5, max_len=5, seed=2)
    source = decode(task.source[:1])[0]
    row = [VOCAB.index(d) for d in source]
    assert task.decoder_inputs[0].tolist() == [SOS, *row[::-1]]
    assert task.decoder_targets[0].tolist() == [*row[::-1], EOS]


def test_eos_ends_each_target_and_the_decoder_inputs_are_the_targets_shifted():
    task = transduction_task(200, min_len=2, max_len=9, seed=3)
    rows = np.arange(200)
    assert (task.decoder_targets[rows, task.source_lengths] == EOS).all()
    assert ((task.decoder_targets == EOS).sum(axis=1) == 1).all()
    assert (task.decoder_inputs[:, 0] == SOS).all() and (task.decoder_inputs != EOS).all()
    # teacher forcing: the input at step t + 1 is the target of step t, on every digit
    digits = task.source_mask  # (N, S): where step t's target is a digit
    np.testing.assert_array_equal(task.decoder_inputs[:, 1:][digits],
                                  task.decoder_targets[:, :-1][digits])


def test_padding_and_masks_agree_with_the_lengths():
    task = transduction_task(150, min_len=1, max_len=6, seed=4)
    assert task.source.shape == task.source_mask.shape == (150, 6)
    assert task.decoder_inputs.shape == task.decoder_targets.shape == (150, 7)
    lengths = task.source_lengths[:, None]
    np.testing.assert_array_equal(task.source_mask, np.arange(6) < lengths)
    np.testing.assert_array_equal(task.target_mask, np.arange(7) <= lengths)
    np.testing.assert_array_equal(task.source == PAD, ~task.source_mask)
    np.testing.assert_array_equal(task.decoder_targets == PAD, ~task.target_mask)
    np.testing.assert_array_equal(task.decoder_inputs == PAD, np.arange(7) > lengths)
    assert task.source_mask.dtype == task.target_mask.dtype == np.bool_
    assert task.source.dtype == task.decoder_targets.dtype == np.int64


@pytest.mark.parametrize("min_len, max_len", [(1, 1), (3, 5), (12, 12), (2, 20)])
def test_lengths_are_controllable_and_reach_both_ends(min_len, max_len):
    task = transduction_task(400, min_len=min_len, max_len=max_len, seed=5)
    assert task.source_lengths.min() == min_len and task.source_lengths.max() == max_len
    assert task.source.shape[1] == max_len  # fixed by max_len, not by the longest drawn


def test_same_seed_same_pairs_other_seed_other_pairs():
    first, again, other = (transduction_task(40, seed=s) for s in (6, 6, 7))
    np.testing.assert_array_equal(first.source, again.source)
    np.testing.assert_array_equal(first.decoder_targets, again.decoder_targets)
    assert not np.array_equal(first.source, other.source)


def test_decode_reads_up_to_eos_and_keeps_a_stray_sos_visible():
    digit = {d: VOCAB.index(str(d)) for d in range(10)}
    ids = np.array([[SOS, digit[4], digit[2], EOS, digit[7]],
                    [digit[9], SOS, digit[0], PAD, PAD],
                    [digit[1], digit[2], digit[3], digit[4], digit[5]]])
    assert decode(ids) == ["42", "9<sos>0", "12345"]


@pytest.mark.parametrize("kwargs, words", [
    ({"n_samples": 0}, "n_samples: expected a positive integer"),
    ({"n_samples": 5, "min_len": 0}, "min_len: expected a positive integer"),
    ({"n_samples": 5, "min_len": 6, "max_len": 4}, "min_len: expected at most max_len = 4"),
    ({"n_samples": 5, "transform": "shuffle"}, "transform: expected 'reverse' or 'sort'"),
])
def test_bad_arguments_are_rejected(kwargs, words):
    with pytest.raises(ValueError, match=words):
        transduction_task(**kwargs)


def test_decode_rejects_bad_ids():
    with pytest.raises(IndexError, match=r"range \[0, 12\], found 13"):
        decode(np.array([[3, 13]]))
    with pytest.raises(TypeError, match="integer"):
        decode(np.array([[3.0, 4.0]]))


def test_reverse_sources_reverses_the_digits_and_keeps_the_padding():
    task = transduction_task(100, min_len=1, max_len=6, seed=5)
    backwards = reverse_sources(task.source, task.source_lengths)
    assert decode(backwards) == [s[::-1] for s in decode(task.source)]
    np.testing.assert_array_equal(backwards == PAD, task.source == PAD)
    np.testing.assert_array_equal(reverse_sources(backwards, task.source_lengths), task.source)


def test_reverse_sources_rejects_lengths_past_the_padding():
    task = transduction_task(3, min_len=2, max_len=4, seed=6)
    with pytest.raises(ValueError, match=r"lengths in \[1, 4\]"):
        reverse_sources(task.source, np.array([1, 2, 5]))
