"""The opt-in flag for the chapters' longer experiments."""

import pytest

from course_rnn.full_runs import FLAG, full_runs


@pytest.mark.parametrize("value, expected", [("1", True), ("0", False), ("", False)])
def test_full_runs_reads_the_flag(monkeypatch, value, expected):
    monkeypatch.setenv(FLAG, value)
    assert full_runs() is expected


def test_full_runs_is_off_without_the_flag(monkeypatch):
    monkeypatch.delenv(FLAG, raising=False)
    assert full_runs() is False


def test_a_value_that_is_neither_0_nor_1_is_named(monkeypatch):
    monkeypatch.setenv(FLAG, "yes")
    with pytest.raises(ValueError, match="COURSE_RNN_FULL_RUNS: expected 1 .* got 'yes'"):
        full_runs()
