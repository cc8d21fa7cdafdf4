"""The chapters' run settings: the full-runs flag, one torch thread, and the stopwatch."""

import time

import pytest
import torch

from course_rnn.models.runs import FULL_RUNS_VARIABLE, Stopwatch, experiment_settings


@pytest.fixture
def threads():
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


@pytest.mark.parametrize("value, full", [(None, False), ("0", False), ("1", True)])
def test_the_flag_is_read_from_the_environment(monkeypatch, threads, value, full):
    if value is None:
        monkeypatch.delenv(FULL_RUNS_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(FULL_RUNS_VARIABLE, value)
    assert experiment_settings() is full
    assert torch.get_num_threads() == 1


def test_a_value_that_is_neither_0_nor_1_is_named(monkeypatch, threads):
    monkeypatch.setenv(FULL_RUNS_VARIABLE, "yes")
    with pytest.raises(ValueError, match="COURSE_RNN_FULL_RUNS: expected 1 .* got 'yes'"):
        experiment_settings()


def test_the_stopwatch_measures_its_block():
    clock = Stopwatch()
    assert clock.seconds is None
    with clock:
        time.sleep(0.05)
    assert 0.05 <= clock.seconds < 5
