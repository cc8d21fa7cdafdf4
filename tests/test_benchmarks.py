"""The benchmark runs end to end at tiny sizes (its numbers are for `make bench`, not asserted)."""

from __future__ import annotations

import pytest
import torch

from benchmarks.__main__ import main
from benchmarks.plain_loop import gate_weights, plain_loop
from benchmarks.recurrent import (
    FLOOR,
    FUSED,
    IMPLEMENTATIONS,
    PLAIN,
    PLAIN_LOOP,
    STEP_LOOP,
    Size,
    cells_side_by_side,
    flops,
)
from benchmarks.timing import interleaved_samples, median_ratio, spread


def test_quick_benchmark_prints_every_row(capsys):
    main(["--quick"])
    report = capsys.readouterr().out
    torch_rows = {"RNN": [FUSED, PLAIN], "LSTM": [FUSED, PLAIN], "GRU": ["course_rnn.torch"]}
    for kind, torch_names in torch_rows.items():
        for name in ["torch.nn", *torch_names, PLAIN_LOOP, "course_rnn.numpy", STEP_LOOP, FLOOR]:
            assert any(line.split()[:1] == [kind] and f" {name} " in line
                       for line in report.splitlines()), (kind, name)
    assert "x floor" in report.splitlines()[4]
    assert "as T grows" in report and "as H grows" in report


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_plain_loop_does_the_layers_arithmetic(kind):
    """The d2l-style contestant is a working recurrent layer: shapes, and gradients for all."""
    weights = gate_weights(kind, 3, 5)
    x = torch.randn(4, 2, 3, requires_grad=True)
    output = plain_loop(kind, x, weights)
    assert output.shape == (4, 2, 5)
    output.sum().backward()
    assert x.grad is not None and all(w.grad is not None for gate in weights for w in gate)


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
    """Six products of T*N rows by G*H columns, three over D and three over H, 2 flops a
    multiply-add: 6*T*N*G*H*(D+H)."""
    size = Size(T=2, N=3, D=4, H=5)
    assert flops("LSTM", size) == 6 * 2 * 3 * (4 * 5) * (4 + 5)


def test_cells_side_by_side_times_every_cell_in_every_implementation():
    times = cells_side_by_side(["LSTM", "GRU"], Size(T=3, N=2, D=4, H=5), repeats=2)
    assert list(times) == [(name, kind) for kind in ("LSTM", "GRU") for name in IMPLEMENTATIONS]
    assert all(len(samples) == 2 and min(samples) > 0 for samples in times.values())
