"""Elman's temporal XOR: the XOR structure, the prediction pairs, positions, seeds, errors."""

import numpy as np
import pytest

from course_rnn.data.temporal_xor import target_positions, temporal_xor


def test_every_third_bit_is_the_xor_of_the_two_before():
    bits = temporal_xor(20, 50, seed=1).bits
    assert bits.shape == (20, 150) and bits.dtype == np.int64
    np.testing.assert_array_equal(bits[:, 2::3], bits[:, 0::3] ^ bits[:, 1::3])
    assert set(np.unique(bits)) == {0, 1}


def test_the_first_two_bits_of_a_triple_are_random_not_fixed():
    bits = temporal_xor(200, 30, seed=2).bits
    for position in (0, 1):
        assert 0.45 < bits[:, position::3].mean() < 0.55
    # a and b independent: all four combinations occur about equally often
    combos = np.bincount((2 * bits[:, 0::3] + bits[:, 1::3]).ravel(), minlength=4)
    assert combos.min() > 0.22 * combos.sum()


def test_inputs_are_the_stream_and_targets_the_next_bit_time_major():
    task = temporal_xor(3, 4, seed=3)
    assert task.inputs.shape == task.targets.shape == (11, 3, 1)
    assert task.inputs.dtype == task.targets.dtype == np.float64
    np.testing.assert_array_equal(task.inputs[:, :, 0], task.bits[:, :-1].T)
    np.testing.assert_array_equal(task.targets[:, :, 0], task.bits[:, 1:].T)
    np.testing.assert_array_equal(task.targets[:-1], task.inputs[1:])


def test_positions_mark_the_xor_bits_as_two():
    np.testing.assert_array_equal(target_positions(7), [1, 2, 0, 1, 2, 0, 1])
    task = temporal_xor(5, 10, seed=4)
    positions = target_positions(len(task.targets))
    xor_targets = task.targets[positions == 2, :, 0]  # (10, N): bits 2, 5, 8, ...
    np.testing.assert_array_equal(xor_targets, task.bits[:, 2::3].T)
    # the bit before an XOR target is b, and the one before that a
    a, b = task.inputs[positions == 1, :, 0], task.inputs[positions == 2, :, 0]
    np.testing.assert_array_equal(xor_targets, np.logical_xor(a, b))


def test_same_seed_same_streams_other_seed_other_streams():
    first, again, other = (temporal_xor(4, 20, seed=s) for s in (7, 7, 8))
    np.testing.assert_array_equal(first.bits, again.bits)
    np.testing.assert_array_equal(first.inputs, again.inputs)
    assert not np.array_equal(first.bits, other.bits)


@pytest.mark.parametrize("kwargs, words", [
    ({"n_streams": 1, "n_triples": 0}, "n_triples: expected a positive integer, got 0"),
    ({"n_streams": 1, "n_triples": 2.5}, "n_triples: expected a positive integer"),
    ({"n_streams": 0, "n_triples": 3}, "n_streams: expected a positive integer"),
    ({"n_streams": 2, "n_triples": -1}, "n_triples"),
])
def test_bad_lengths_are_rejected(kwargs, words):
    with pytest.raises(ValueError, match=words):
        temporal_xor(**kwargs)


@pytest.mark.parametrize("n_steps", [0, -3, 2.0, True])
def test_target_positions_rejects_bad_lengths(n_steps):
    with pytest.raises(ValueError, match="n_steps: expected a positive integer"):
        target_positions(n_steps)
