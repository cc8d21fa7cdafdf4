"""The three taggers (position-wise, window, RNN) on the pattern-tagging task."""

import numpy as np
import pytest

from course_rnn.data.positions import margins_by_start, pattern_task, tagging_scores
from course_rnn.models.classifier import fit
from course_rnn.models.taggers import PositionwiseTagger, RNNTagger, WindowTagger
from tests.model_gradients import assert_model_gradients


def test_taggers_give_per_step_logits_and_the_window_tagger_is_a_convolution():
    task = pattern_task(6, [1], seq_len=5, vocab_size=3)
    for model in (PositionwiseTagger(3, 5, rng=0), WindowTagger(3, rng=0), RNNTagger(3, 4, rng=0)):
        assert model.forward(task.tokens).shape == (6, 5, 2)
    window = WindowTagger(3, width=2, rng=0)
    w = window.windows(task.tokens)  # (N, T, 2V): step 0 sees a zero vector before it
    assert np.all(w[:, 0, :3] == 0)
    np.testing.assert_array_equal(w[:, 1:, :3], w[:, :-1, 3:])
    with pytest.raises(ValueError, match="T = 5 positions, got sequences of length 6"):
        PositionwiseTagger(3, 5).forward(np.zeros((2, 6), dtype=int))


@pytest.mark.parametrize("make", [lambda: PositionwiseTagger(3, 4, rng=0),
                                  lambda: WindowTagger(3, rng=0),
                                  lambda: RNNTagger(3, 2, rng=0)])
def test_backward_matches_finite_differences(make):
    model = make()
    task = pattern_task(4, [0, 1], seq_len=4, vocab_size=3, seed=2)
    assert_model_gradients(model, task.tokens, task.tags)


def test_only_the_shared_taggers_find_the_pattern_at_unseen_positions():
    train = pattern_task(600, range(0, 3), seq_len=8, seed=0)
    unseen = pattern_task(400, range(3, 7), seq_len=8, seed=1)
    models = {"positionwise": PositionwiseTagger(5, 8, rng=0), "window": WindowTagger(5, rng=0),
              "rnn": RNNTagger(5, 6, rng=0)}
    for model in models.values():
        losses = fit(model, train.tokens, train.tags, epochs=15, lr=0.02)["loss"]
        assert losses[-1] < losses[0]
        assert tagging_scores(model, train)["found"] > 0.95
    assert tagging_scores(models["positionwise"], unseen)["found"] < 0.2
    assert tagging_scores(models["window"], unseen)["found"] > 0.95
    assert tagging_scores(models["rnn"], unseen)["found"] > 0.9
    margins = margins_by_start(models["positionwise"], range(7), 8, 5)
    assert (margins[:3] > 0).all() and (margins[3:] < 0).all()
