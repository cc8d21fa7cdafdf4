"""Exercise 08's last task: an LSTM run by step functions learns the adding problem."""

from __future__ import annotations

import numpy as np
import pytest

from course_rnn.data.adding import ADDING_BASELINE_MSE
from course_rnn.models.adding_steps import train_adding_lstm
from tests import lstm_answers

SHORT = dict(length=10, hidden_size=8, seed=0)


def test_a_short_run_beats_the_baseline_by_far():
    run = train_adding_lstm(steps=400, **SHORT)
    assert run.losses.shape == (400,)
    assert run.test_mse < ADDING_BASELINE_MSE / 10 < run.losses[:20].mean()


def test_it_runs_the_step_functions_it_is_given():
    package = train_adding_lstm(steps=5, **SHORT)
    student = train_adding_lstm(lstm_answers.lstm_step_forward, lstm_answers.lstm_step_backward,
                                steps=5, **SHORT)
    np.testing.assert_allclose(student.losses, package.losses, rtol=1e-10)
    wrong = train_adding_lstm(lstm_answers.lstm_step_forward,
                              lstm_answers.WRONG_BACKWARD["dc_prev without f"][0], steps=5,
                              **SHORT)
    assert not np.allclose(wrong.losses, package.losses, rtol=1e-6)


@pytest.mark.parametrize("arguments,message", [
    (dict(length=0), "length"), (dict(steps=-1), "steps"), (dict(lr=-0.1), "lr")])
def test_bad_settings_are_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        train_adding_lstm(**arguments)
