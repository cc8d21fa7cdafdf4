"""The benchmark runs end to end at tiny sizes (its numbers are for `make bench`, not asserted)."""

from __future__ import annotations

from benchmarks.__main__ import main
from benchmarks.recurrent import Size, flops
from benchmarks.timing import interleaved_samples, median_ratio, spread


def test_quick_benchmark_prints_every_row(capsys):
    main(["--quick"])
    report = capsys.readouterr().out
    for kind in ("RNN", "LSTM", "GRU"):
        for name in ("torch.nn", "course_rnn.torch", "course_rnn.numpy", "GEMM floor"):
            assert any(line.split()[:1] == [kind] and f" {name} " in line
                       for line in report.splitlines()), (kind, name)
    assert "as T grows" in report and "as H grows" in report


def test_interleaved_samples_time_every_contestant_each_repeat():
    calls = []
    times = interleaved_samples({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")},
                                repeats=3, settle=1)
    assert calls == ["a", "a", "b", "b"] * 3
    assert {k: len(v) for k, v in times.items()} == {"a": 3, "b": 3}


def test_ratio_and_spread_summaries():
    assert median_ratio([2.0, 4.0, 9.0], [1.0, 2.0, 3.0]) == 2.0
    assert spread([1.0]) == 0.0
    assert spread([1.0, 1.0, 1.0, 1.0]) == 0.0 < spread([1.0, 2.0, 3.0, 4.0])


def test_flops_count_six_products():
    size = Size(T=2, N=3, D=4, H=5)
    assert flops("LSTM", size) == 6 * 2 * 2 * 3 * (4 * 5) * (4 + 5)
