"""The latching task: only the first steps set the label, both classes, shapes over T, seeds."""

import numpy as np
import pytest

from course_rnn.data.latching import latching_label, latching_task


@pytest.mark.parametrize("span", [2, 5, 20, 50, 100])
def test_shapes_for_several_spans(span):
    task = latching_task(30, span=span, seed=1)
    assert task.inputs.shape == (span, 30, 1) and task.inputs.dtype == np.float64
    assert task.labels.shape == (30,) and task.labels.dtype == np.int64


def test_the_first_steps_carry_the_class_and_the_rest_is_noise():
    task = latching_task(2000, span=40, n_informative=3, noise_std=0.5, seed=2)
    sign = 2.0 * task.labels - 1.0  # (N,)
    np.testing.assert_array_equal(task.inputs[:3, :, 0], np.broadcast_to(sign, (3, 2000)))
    noise = task.inputs[3:, :, 0]  # (T - L, N)
    assert abs(noise.mean()) < 0.01 and 0.49 < noise.std() < 0.51
    # the noise says nothing about the class
    for label in (0, 1):
        assert abs(noise[:, task.labels == label].mean()) < 0.02


def test_the_generator_makes_both_classes_balanced():
    for n in (2, 7, 100):
        labels = latching_task(n, span=3, seed=3).labels
        assert set(labels) == {0, 1} and abs(2 * labels.sum() - n) <= 1


def test_the_label_is_read_from_the_first_steps_only():
    task = latching_task(200, span=25, n_informative=2, seed=4)
    np.testing.assert_array_equal(latching_label(task.inputs, 2), task.labels)
    changed = task.inputs.copy()
    changed[2:] = np.random.default_rng(0).normal(0, 10.0, size=changed[2:].shape)
    np.testing.assert_array_equal(latching_label(changed, 2), task.labels)
    flipped = task.inputs.copy()
    flipped[:2] *= -1  # changing the informative steps does change the label
    np.testing.assert_array_equal(latching_label(flipped, 2), 1 - task.labels)


def test_without_noise_every_later_step_is_zero():
    task = latching_task(10, span=6, noise_std=0.0, seed=5)
    assert not task.inputs[1:].any()


def test_same_seed_same_data_other_seed_other_data():
    first, again, other = (latching_task(20, span=10, seed=s) for s in (6, 6, 7))
    np.testing.assert_array_equal(first.inputs, again.inputs)
    np.testing.assert_array_equal(first.labels, again.labels)
    assert not np.array_equal(first.inputs, other.inputs)


@pytest.mark.parametrize("kwargs, words", [
    ({"n_samples": 4, "span": 1}, "span: expected more than n_informative = 1"),
    ({"n_samples": 4, "span": 3, "n_informative": 3}, "span: expected more than"),
    ({"n_samples": 4, "span": 0}, "span: expected a positive integer"),
    ({"n_samples": 0, "span": 5}, "n_samples: expected a positive integer"),
    ({"n_samples": 4, "span": 5, "noise_std": -0.1}, "noise_std: expected a non-negative"),
])
def test_bad_arguments_are_rejected(kwargs, words):
    with pytest.raises(ValueError, match=words):
        latching_task(**kwargs)


def test_latching_label_rejects_bad_inputs():
    with pytest.raises(ValueError, match=r"inputs: expected shape \(T, N, D=1\)"):
        latching_label(np.zeros((5, 3)))
    with pytest.raises(ValueError, match="at least n_informative = 4 steps, got T=2"):
        latching_label(np.zeros((2, 3, 1)), 4)
    with pytest.raises(TypeError, match="floating-point"):
        latching_label(np.zeros((2, 3, 1), dtype=np.int64))
