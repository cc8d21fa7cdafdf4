"""One-to-many tasks: each input maps to its own sequence, both input layouts, noise, seeds."""

import numpy as np
import pytest

from course_rnn.data.one_to_many import class_pattern_task, counting_task


def test_each_label_maps_to_its_own_distinct_pattern():
    task = class_pattern_task(300, num_classes=5, seq_len=6, vocab_size=3, seed=1)
    assert len(np.unique(task.patterns, axis=0)) == 5
    np.testing.assert_array_equal(task.targets, task.patterns[task.labels])
    assert set(task.labels) == set(range(5))
    assert task.targets.min() >= 0 and task.targets.max() < 3


def test_patterns_differ_even_when_few_sequences_exist():
    # V**T = 4 sequences for K = 4 classes: every sequence must be used exactly once
    task = class_pattern_task(50, num_classes=4, seq_len=2, vocab_size=2, seed=0)
    assert sorted(map(tuple, task.patterns)) == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_counting_continues_the_start_value_modulo_m():
    task = counting_task(40, modulus=10, seq_len=5, seed=2)
    np.testing.assert_array_equal(task.patterns[7], [8, 9, 0, 1, 2])
    expected = (task.labels[:, None] + 1 + np.arange(5)) % 10
    np.testing.assert_array_equal(task.targets, expected)


@pytest.mark.parametrize("make", [
    lambda: class_pattern_task(12, num_classes=3, seq_len=4, vocab_size=5, seed=3),
    lambda: counting_task(12, modulus=3, seq_len=4, seed=3),
])
def test_shapes_and_both_input_layouts_carry_the_same_label(make):
    task = make()
    N, T, K = 12, 4, 3
    assert task.labels.shape == (N,) and task.targets.shape == (N, T)
    assert task.patterns.shape == (K, T) and task.label_vectors.shape == (N, K)
    assert task.first_step_inputs.shape == task.every_step_inputs.shape == (T, N, K)
    assert task.targets.dtype == task.labels.dtype == np.int64
    np.testing.assert_array_equal(task.label_vectors.argmax(axis=1), task.labels)
    np.testing.assert_array_equal(task.label_vectors.sum(axis=1), np.ones(N))
    np.testing.assert_array_equal(task.first_step_inputs[0], task.label_vectors)
    assert not task.first_step_inputs[1:].any()
    for t in range(T):
        np.testing.assert_array_equal(task.every_step_inputs[t], task.label_vectors)


def test_noise_replaces_about_that_fraction_of_tokens_always_by_another():
    task = class_pattern_task(2000, num_classes=4, seq_len=10, vocab_size=6, noise=0.2, seed=4)
    changed = task.targets != task.patterns[task.labels]
    assert 0.18 < changed.mean() < 0.22
    assert task.targets.min() >= 0 and task.targets.max() < 6
    clean = counting_task(100, noise=0.0, seed=4)
    np.testing.assert_array_equal(clean.targets, clean.patterns[clean.labels])


def test_same_seed_same_data_other_seed_other_data():
    first, again, other = (class_pattern_task(30, noise=0.1, seed=s) for s in (5, 5, 6))
    for field in ("labels", "targets", "patterns"):
        np.testing.assert_array_equal(getattr(first, field), getattr(again, field))
    assert not np.array_equal(first.patterns, other.patterns)
    np.testing.assert_array_equal(counting_task(9, seed=1).targets,
                                  counting_task(9, seed=1).targets)


@pytest.mark.parametrize("make, words", [
    (lambda: class_pattern_task(0), "n_samples: expected a positive integer"),
    (lambda: class_pattern_task(5, vocab_size=1), "vocab_size: expected at least 2"),
    (lambda: class_pattern_task(5, num_classes=9, seq_len=3, vocab_size=2),
     r"num_classes: expected at most vocab_size\*\*seq_len = 8"),
    (lambda: class_pattern_task(5, noise=1.5), r"noise: expected a probability in \[0, 1\]"),
    (lambda: counting_task(5, modulus=1), "modulus: expected at least 2"),
    (lambda: counting_task(5, seq_len=0), "seq_len: expected a positive integer"),
])
def test_bad_arguments_are_rejected(make, words):
    with pytest.raises(ValueError, match=words):
        make()
