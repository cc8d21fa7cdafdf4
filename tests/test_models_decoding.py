"""Greedy decoding, beam search and exhaustive search on small random next-token models."""

import itertools

import numpy as np
import pytest

from course_rnn.checks.decoding_cases import RandomModel
from course_rnn.models import beam_search, greedy_decode
from course_rnn.models.decoding import exhaustive_search, sequence_log_prob

BOS, EOS = 3, 0  # V = 4 tokens: 0 is the end, 3 the start (a model may also emit it)
MODELS = [RandomModel(4, seed, eos=EOS, temperature=temperature, eos_bias=bias)
          for seed, temperature, bias in [(0, 1.0, 0.0), (1, 0.5, 0.0), (2, 2.0, 1.0),
                                          (3, 1.0, -2.0)]]


def decode_all(decoder, model, *args):
    return decoder(model, model.first_state(), BOS, EOS, *args)


def by_brute_force(model, max_len):
    """Every token string of length 1..max_len that a decoder can output, scored directly."""
    outputs = []
    for length in range(1, max_len + 1):
        for tokens in itertools.product(range(model.vocab_size), repeat=length):
            ends = [i for i, token in enumerate(tokens) if token == EOS]
            if ends and ends[0] != length - 1 or not ends and length < max_len:
                continue  # the eos must come last, and only outputs of max_len may lack one
            state, log_prob = model.first_state(), 0.0
            for previous, token in zip((BOS, *tokens), tokens):
                log_probs, state = model(state, previous)
                log_prob += log_probs[token]
            outputs.append((list(tokens), log_prob))
    return sorted(outputs, key=lambda h: -h[1])


def assert_same_hypotheses(found, expected):
    assert [tokens for tokens, _ in found] == [tokens for tokens, _ in expected]
    np.testing.assert_allclose([s for _, s in found], [s for _, s in expected], rtol=1e-12)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("max_len", [1, 3, 4])
def test_exhaustive_search_scores_every_possible_output(model, max_len):
    assert_same_hypotheses(decode_all(exhaustive_search, model, max_len),
                           by_brute_force(model, max_len))


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("max_len", [1, 3, 4])
def test_a_beam_that_keeps_every_hypothesis_is_exhaustive_search(model, max_len):
    exact = decode_all(exhaustive_search, model, max_len)
    for width in (len(exact), len(exact) + 5):
        assert_same_hypotheses(decode_all(beam_search, model, width, max_len), exact)


@pytest.mark.parametrize("model", MODELS)
def test_sequence_log_prob_gives_the_score_of_every_output(model):
    for tokens, log_prob in by_brute_force(model, 3):
        assert sequence_log_prob(model, model.first_state(), BOS, tokens) == \
            pytest.approx(log_prob, rel=1e-12)


@pytest.mark.parametrize("tokens, message", [
    ([], "at least one token id"),
    ([1, 4], r"ids in \[0, V=4\), got 4"),
    ([-1], r"ids in \[0, V=4\), got -1"),
])
def test_sequence_log_prob_names_bad_tokens(tokens, message):
    with pytest.raises(ValueError, match=message):
        sequence_log_prob(MODELS[0], MODELS[0].first_state(), BOS, tokens)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("max_len", [1, 3, 6])
def test_beam_width_one_is_greedy_decoding(model, max_len):
    tokens, log_prob = decode_all(greedy_decode, model, max_len)
    [(beam_tokens, beam_log_prob)] = decode_all(beam_search, model, 1, max_len)
    assert beam_tokens == tokens and beam_log_prob == pytest.approx(log_prob, rel=1e-12)
    assert len(tokens) == max_len or tokens[-1] == EOS
    assert EOS not in tokens[:-1] and len(tokens) <= max_len


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("width", [2, 3, 7])
def test_beam_search_returns_finished_hypotheses_best_first(model, width):
    max_len = 5
    found = decode_all(beam_search, model, width, max_len)
    exact = dict((tuple(tokens), s) for tokens, s in decode_all(exhaustive_search, model, max_len))
    scores = [s for _, s in found]
    assert len(found) == width and scores == sorted(scores, reverse=True)
    for tokens, log_prob in found:  # each one a possible output, with its own score
        assert log_prob == pytest.approx(exact[tuple(tokens)], rel=1e-12)
    assert found[0][1] <= max(exact.values())  # no better than the exact best
    assert found[0][1] >= decode_all(greedy_decode, model, max_len)[1] - 1e-12


def test_a_wider_beam_finds_a_better_output_than_greedy_somewhere():
    gains = [decode_all(beam_search, model, 3, 5)[0][1] - decode_all(greedy_decode, model, 5)[1]
             for model in MODELS]
    assert max(gains) > 1e-3, gains


def test_a_length_penalty_ranks_by_the_mean_log_probability():
    model, max_len = MODELS[0], 4
    exact = decode_all(exhaustive_search, model, max_len)
    found = beam_search(model, model.first_state(), BOS, EOS, len(exact), max_len,
                        length_penalty=1.0)
    means = [s / len(tokens) for tokens, s in found]
    assert means == sorted(means, reverse=True)
    assert sorted(found) == sorted(exact)  # the plain sums are returned


def test_ties_keep_the_order_of_the_tokens_and_never_compare_states():
    model = RandomModel(3, 0, eos=EOS, tied=True)
    found = decode_all(beam_search, model, 4, 2)
    assert [tokens for tokens, _ in found] == [[0], [1, 0], [1, 1], [1, 2]]
    assert decode_all(greedy_decode, model, 2)[0] == [0]


def log_softmax_step(logits_of):
    def step(state, token):
        return logits_of(state), state
    return step


@pytest.mark.parametrize("output, message", [
    (np.zeros((1, 4)), r"log_probs of shape \(V,\), got \(1, 4\)"),
    (np.full(4, 0.25), r"exp sums to 5\.1.*log_softmax"),
    (np.array([0.0, np.nan, -1, -1]), "without NaN"),
    (np.zeros(4, dtype=int), "floating-point log_probs"),
])
def test_a_step_that_returns_no_log_probabilities_is_an_error(output, message):
    step = log_softmax_step(lambda state: output)
    for decode in (lambda: greedy_decode(step, None, BOS, EOS, 3),
                   lambda: beam_search(step, None, BOS, EOS, 2, 3)):
        with pytest.raises((ValueError, TypeError), match=message):
            decode()


def test_a_step_whose_vocabulary_changes_is_an_error():
    sizes = iter([4, 5])
    step = log_softmax_step(lambda state: np.full(next(sizes), -np.log(4)))
    with pytest.raises(ValueError, match=r"shape \(V=4,\), got \(5,\)"):
        greedy_decode(step, None, 1, 2, 3)


@pytest.mark.parametrize("kwargs, message", [
    ({"beam_width": 0}, "beam_width: expected a positive integer, got 0"),
    ({"beam_width": 1.5}, "beam_width: expected a positive integer"),
    ({"max_len": 0}, "max_len: expected a positive integer, got 0"),
    ({"eos": -1}, "eos: expected a token id"),
    ({"bos": 2.0}, "bos: expected a token id"),
    ({"eos": 4}, "eos: expected a token id below V=4, got 4"),
])
def test_bad_arguments_are_errors_that_name_them(kwargs, message):
    arguments = {"bos": BOS, "eos": EOS, "beam_width": 2, "max_len": 3, **kwargs}
    with pytest.raises(ValueError, match=message):
        beam_search(MODELS[0], MODELS[0].first_state(), **arguments)


def test_a_step_that_is_not_a_function_is_an_error():
    with pytest.raises(TypeError, match="step: expected a function"):
        greedy_decode(np.zeros(4), None, BOS, EOS, 3)
