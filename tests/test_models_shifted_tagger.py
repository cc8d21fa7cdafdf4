"""The shifted-target tagger: shapes for every merge, steps without a target skipped, and the
chapter's claim in small: a one-way RNN stays at chance for k > 0, a bidirectional one does not."""

import numpy as np
import pytest
import torch

from course_rnn.data.delayed_target import IGNORE, delayed_target_task
from course_rnn.models.shifted_tagger import (
    ShiftTagger,
    accuracy_by_shift,
    shift_accuracy,
    shift_loss,
    train_shift_tagger,
)


@pytest.mark.parametrize("options", [{}, {"bidirectional": True},
                                     {"bidirectional": True, "merge": "sum", "num_layers": 2}])
def test_logits_have_one_row_per_step_and_class(options):
    torch.manual_seed(0)
    model = ShiftTagger(5, 3, **options)
    H = 6 if options.get("bidirectional") and "merge" not in options else 3
    assert model.head.in_features == H
    assert model(np.zeros((2, 7), dtype=np.int64)).shape == (2, 7, 5)


def test_steps_without_a_target_count_in_neither_loss_nor_accuracy():
    torch.manual_seed(0)
    model = ShiftTagger(4, 3)
    task = delayed_target_task(8, 3, seq_len=6, seed=1)
    assert (task.targets[:, -3:] == IGNORE).all()
    accuracy = shift_accuracy(model, task)
    with torch.no_grad():
        predicted = model(task.tokens).argmax(-1).numpy()[:, :3]
    assert accuracy == pytest.approx(np.mean(predicted == task.targets[:, :3]))
    with torch.no_grad():
        scored = model(task.tokens)[:, :3].reshape(-1, 4)
        expected = torch.nn.functional.cross_entropy(
            scored, torch.as_tensor(task.targets[:, :3]).reshape(-1))
        assert shift_loss(model, task).item() == pytest.approx(expected.item())


def test_tokens_out_of_range_are_refused():
    with pytest.raises(IndexError, match="tokens"):
        ShiftTagger(4, 3)(np.full((1, 3), 4))


def test_one_way_stays_at_chance_for_a_future_target_bidirectional_solves_it():
    one_way = train_shift_tagger(2, seed=0, updates=120)
    both = train_shift_tagger(2, seed=0, updates=120, bidirectional=True)
    assert abs(one_way.accuracy - 0.25) < 0.05
    assert both.accuracy > 0.95
    assert train_shift_tagger(-2, seed=0, updates=120).accuracy > 0.95  # the past: one way works


def test_accuracy_by_shift_is_seeds_by_shifts():
    grid = accuracy_by_shift([0, 1], [0, 1, 2], updates=2, n_test=8)
    assert grid.shape == (3, 2) and ((grid >= 0) & (grid <= 1)).all()


def test_training_runs_on_one_thread_and_restores_the_count(monkeypatch):
    seen = []

    def counting_loss(model, task):
        seen.append(torch.get_num_threads())
        return shift_loss(model, task)

    monkeypatch.setattr("course_rnn.models.shifted_tagger.shift_loss", counting_loss)
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        train_shift_tagger(1, updates=2, n_test=4)
        assert seen == [1, 1] and torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
