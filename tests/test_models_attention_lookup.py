"""Exercise 11's last task: additive attention run by given functions learns the lookup."""

from __future__ import annotations

import numpy as np
import pytest

from course_rnn.data.lookup import weight_on_match
from course_rnn.models.attention_lookup import train_attention_lookup
from tests import attention_answers


def test_a_short_run_puts_the_weight_on_the_asked_symbol():
    run = train_attention_lookup(steps=300)
    even = run.test.mask / run.test.mask.sum(axis=0)
    assert run.losses.shape == (300,)
    assert weight_on_match(even, run.test).mean() < 0.6
    assert run.on_match.mean() > 0.99 and run.on_match.min() > 0.9
    np.testing.assert_allclose(run.test_weights.sum(axis=0), 1.0)
    assert (run.test_weights[~run.test.mask] == 0).all()


def test_it_runs_the_functions_it_is_given():
    package = train_attention_lookup(steps=5)
    student = train_attention_lookup(attention_answers.additive_attention_forward,
                                     attention_answers.additive_attention_backward, steps=5)
    np.testing.assert_allclose(student.losses, package.losses, rtol=1e-10)
    wrong = train_attention_lookup(attention_answers.additive_attention_forward,
                                   attention_answers.WRONG_BACKWARD["no tanh derivative"][0],
                                   steps=5)
    assert not np.allclose(wrong.losses, package.losses, rtol=1e-6)


@pytest.mark.parametrize("arguments,message", [
    (dict(length=0), "length"), (dict(steps=-1), "steps"), (dict(lr=-0.1), "lr")])
def test_bad_settings_are_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        train_attention_lookup(**arguments)
