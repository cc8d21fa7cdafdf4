"""The chapters' run settings: the full-runs flag, one torch thread, and the stopwatch."""

import time

import pytest
import torch

from course_rnn.full_runs import FLAG
from course_rnn.models.runs import Stopwatch, experiment_settings


@pytest.fixture
def threads():
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


@pytest.mark.parametrize("value, full", [(None, False), ("0", False), ("1", True)])
def test_the_flag_is_read_from_the_environment(monkeypatch, threads, value, full):
    if value is None:
        monkeypatch.delenv(FLAG, raising=False)
    else:
        monkeypatch.setenv(FLAG, value)
    assert experiment_settings() is full
    assert torch.get_num_threads() == 1



def test_the_stopwatch_measures_its_block():
    clock = Stopwatch()
    assert clock.seconds is None
    with clock:
        time.sleep(0.05)
    assert 0.05 <= clock.seconds < 5
