"""Chapter 11's models: the waveform generators, the echo state network, positional
self-attention as a tagger layer, and the memory measurements."""

from functools import partial

import numpy as np
import pytest
import torch

from course_rnn.data.waveform import multiscale_waveform, normalised_mse
from course_rnn.models.echo_state import fit_echo_state, reservoir_states
from course_rnn.models.memory_by_length import self_attention_peak, streaming_rnn_peak
from course_rnn.models.positional_attention import PositionalSelfAttention
from course_rnn.models.shifted_tagger import train_shift_tagger
from course_rnn.models.waveform_generation import (
    WaveformGenerator,
    best_learning_rate,
    parameter_count,
    train_generator,
)


def test_waveform_spans_minus_one_to_one_and_is_seeded():
    y = multiscale_waveform(100, seed=3)
    assert y.shape == (100,) and y.min() == -1 and y.max() == 1
    np.testing.assert_array_equal(y, multiscale_waveform(100, seed=3))
    assert not np.array_equal(y, multiscale_waveform(100, seed=4))


@pytest.mark.parametrize("periods", [(), (2, 0.5), [[4, 8]]])
def test_bad_periods_are_named(periods):
    with pytest.raises(ValueError, match="periods: expected a non-empty list"):
        multiscale_waveform(50, periods)


def test_nmse_is_zero_for_the_target_and_one_for_its_mean():
    y = multiscale_waveform(80)
    assert normalised_mse(y, y) == 0
    assert normalised_mse(np.full_like(y, y.mean()), y) == pytest.approx(1)
    with pytest.raises(ValueError, match=r"expected the target's shape \(80,\)"):
        normalised_mse(y[:-1], y)


def test_clockwork_count_leaves_out_the_unused_recurrent_weights():
    model = WaveformGenerator("clockwork", 6, periods=(1, 2, 4))
    # W_ih 6 + b 6 + pattern (2 x 2 blocks: 6 of 9 blocks) 24 + head 7
    assert parameter_count(model) == 6 + 6 + 24 + 7
    assert parameter_count(WaveformGenerator("rnn", 4)) == 4 + 16 + 8 + 5


def test_generator_is_driven_by_no_input_and_training_lowers_the_error():
    y = multiscale_waveform(40, periods=(5, 13))
    untrained = WaveformGenerator("clockwork", 8, periods=(1, 2, 4, 8))
    assert untrained(40).shape == (40,)
    start = normalised_mse(untrained(40).detach().numpy(), y)
    run = train_generator(y, "clockwork", 8, periods=(1, 2, 4, 8), updates=40)
    assert run.nmse < start and run.output.shape == (40,)
    with pytest.raises(ValueError, match="kind"):
        WaveformGenerator("gru", 4)


def test_best_learning_rate_is_the_rate_with_the_lowest_error():
    y = multiscale_waveform(30, periods=(5, 13))
    options, rates = dict(kind="lstm", hidden_size=3), (0.0, 0.03)
    errors = [train_generator(y, **options, seed=4, updates=20, lr=lr).nmse for lr in rates]
    assert errors[0] != errors[1]
    chosen = best_learning_rate(y, options, rates, seed=4, updates=20)
    assert chosen == rates[int(np.argmin(errors))]
    with pytest.raises(ValueError, match="rates"):
        best_learning_rate(y, options, ())


def test_echo_state_fits_only_the_readout_and_interpolates_with_enough_units():
    y = multiscale_waveform(30)
    assert reservoir_states(5, 30).shape == (30, 5)
    small, large = fit_echo_state(y, 5), fit_echo_state(y, 40)
    assert small.fitted == 6 and small.nmse > 0.1
    assert large.nmse < 1e-10  # more units than steps: least squares interpolates
    with pytest.raises(ValueError, match="target"):
        fit_echo_state(np.zeros((3, 2)), 5)


def test_positional_attention_is_causal_and_solves_a_long_delay():
    layer = PositionalSelfAttention(3, 4, max_len=6)
    x = torch.randn(2, 5, 3)
    later = x.clone()
    later[:, 4] += 1.0
    torch.testing.assert_close(layer(x)[0][:, :4], layer(later)[0][:, :4])
    with pytest.raises(ValueError, match="at most max_len=6"):
        layer(torch.randn(1, 7, 3))
    run = train_shift_tagger(-9, seq_len=12, cell=partial(PositionalSelfAttention, max_len=12))
    assert run.accuracy > 0.95


def test_streaming_rnn_memory_stays_flat_and_attention_grows():
    rnn = [streaming_rnn_peak(T) for T in (64, 256)]
    attention = [self_attention_peak(T) for T in (64, 256)]
    assert rnn[1] <= 1.1 * rnn[0]
    assert attention[1] > 10 * attention[0]


def test_course_counts_match_the_formulas_of_the_chapters():
    from course_rnn.models.course_summary import course_parameter_counts

    D, H = 3, 4
    counts = course_parameter_counts(D, H, periods=(1, 2))
    assert counts["RNN"] == H * (D + H + 2)
    assert counts["LSTM"] == 4 * H * (D + H + 2)
    assert counts["peephole LSTM"] == counts["LSTM"] + 3 * H
    assert counts["bidirectional RNN"] == 2 * counts["RNN"]
    assert counts["clockwork RNN"] == H * D + 3 * (H // 2) ** 2 + H  # 3 of 4 blocks of W_hh
    assert counts["causal self-attention"] == 3 * H * D
    with pytest.raises(ValueError, match="periods"):
        course_parameter_counts(D, H, periods=(2, 1))


def test_peak_bytes_sees_an_allocation_and_needs_a_second_run():
    from course_rnn.models.memory_by_length import peak_bytes

    assert peak_bytes(np.ones, 100_000) >= 800_000
    with pytest.raises(ValueError, match="repeats: expected an int of at least 2"):
        peak_bytes(np.ones, 10, repeats=1)
