"""Training the character model over several seeds and summarising each run."""

import numpy as np
import pytest

from course_rnn.models.char_experiments import runs_over_seeds, spread
from course_rnn.models.char_model import char_loss, train_char_model

TEXT = "the cat sat. " * 40
SETTINGS = dict(hidden_size=8, seq_len=6, steps=20, lr=0.2, batch_size=4)


def test_one_summary_per_seed_matching_a_plain_run():
    runs = runs_over_seeds(TEXT, TEXT[:60], (0, 3), last=5, **SETTINGS)
    assert [run.seed for run in runs] == [0, 3]
    plain = train_char_model(TEXT, seed=3, **SETTINGS)
    run = runs[1]
    np.testing.assert_array_equal(run.losses, plain.losses)
    np.testing.assert_array_equal(run.grad_norms, plain.grad_norms)
    assert run.final_loss == pytest.approx(np.mean(plain.losses[-5:]))
    assert run.held_out == pytest.approx(char_loss(plain.model, TEXT[:60]))
    assert run.clipped == np.mean(np.array(plain.grad_norms) > 5.0)


def test_clipped_fraction_uses_the_run_threshold():
    (run,) = runs_over_seeds(TEXT, TEXT[:60], (0,), max_norm=1e-6, **SETTINGS)
    assert run.clipped == 1.0


def test_spread_is_min_and_max_and_seed_is_not_a_setting():
    runs = runs_over_seeds(TEXT, TEXT[:60], (0, 1, 2), **SETTINGS)
    values = [run.held_out for run in runs]
    assert spread(runs) == (min(values), max(values))
    with pytest.raises(TypeError, match="seeds"):
        runs_over_seeds(TEXT, TEXT[:60], (0,), seed=1, **SETTINGS)
