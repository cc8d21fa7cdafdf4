"""The adding problem: shapes, one marker in each half, targets, seeds, the 1/6 baseline."""

import numpy as np
import pytest

from course_rnn.data.adding import ADDING_BASELINE_MSE, adding_problem


@pytest.mark.parametrize("length", [2, 3, 50, 201])
def test_shapes_and_dtypes(length):
    task = adding_problem(40, length, seed=1)
    assert task.inputs.shape == (length, 40, 2) and task.inputs.dtype == np.float64
    assert task.targets.shape == (40,) and task.targets.dtype == np.float64


@pytest.mark.parametrize("length", [2, 7, 100])
def test_one_marker_in_each_half_and_the_target_is_their_sum(length):
    values, markers = np.moveaxis(adding_problem(500, length, seed=2).inputs, -1, 0)
    half = length // 2
    np.testing.assert_array_equal(markers[:half].sum(axis=0), 1.0)
    np.testing.assert_array_equal(markers[half:].sum(axis=0), 1.0)
    assert set(np.unique(markers)) <= {0.0, 1.0}
    assert values.min() >= 0.0 and values.max() < 1.0
    np.testing.assert_allclose(adding_problem(500, length, seed=2).targets,
                               (values * markers).sum(axis=0))


def test_always_answering_one_scores_the_baseline():
    targets = adding_problem(200_000, 10, seed=3).targets
    assert ADDING_BASELINE_MSE == pytest.approx(1 / 6)
    assert np.mean((targets - 1.0) ** 2) == pytest.approx(ADDING_BASELINE_MSE, rel=0.01)


def test_markers_fall_anywhere_in_their_half():
    markers = adding_problem(5000, 10, seed=4).inputs[..., 1]  # (T, N)
    assert (markers.sum(axis=1) > 0).all()  # every step is marked in some sequence


def test_seeds_repeat_and_differ():
    a, b, c = (adding_problem(20, 30, seed=s) for s in (5, 5, 6))
    np.testing.assert_array_equal(a.inputs, b.inputs)
    assert not np.array_equal(a.inputs, c.inputs)


@pytest.mark.parametrize("kwargs, message", [
    ({"n_samples": 0, "length": 5}, "n_samples"),
    ({"n_samples": 3, "length": 1}, "length: expected at least 2"),
    ({"n_samples": 3, "length": 2.5}, "length"),
])
def test_bad_arguments_say_what_was_expected(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        adding_problem(**kwargs)
