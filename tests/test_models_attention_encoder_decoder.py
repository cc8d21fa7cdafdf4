"""The encoder-decoder with additive attention: gradients, masking of the source padding, the
exposed alignment, the step adapter for decoding (both encoder-decoders), and training."""

import numpy as np
import pytest

from course_rnn.data.transduction import EOS, SOS, transduction_task
from course_rnn.gradcheck import gradient_errors, random_upstream
from course_rnn.models.attention_encoder_decoder import AttentionEncoderDecoder
from course_rnn.models.encoder_decoder import EncoderDecoder
from course_rnn.numpy.losses import log_softmax
from course_rnn.numpy.optim import Adam
from tests.test_models_encoder_decoder import all_grads, all_params


def small_model() -> AttentionEncoderDecoder:
    return AttentionEncoderDecoder(source_vocab_size=4, target_vocab_size=5, hidden_size=3,
                                   attention_size=2, rng=0)


def padded_pairs(seed: int):
    """Three sources padded to 5 tokens (lengths 5, 3, 1) and decoder inputs of 4 tokens."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 4, size=(3, 5)), rng.integers(0, 5, size=(3, 4)), np.array([5, 3, 1])


def test_backward_matches_finite_differences_for_every_parameter():
    model = small_model()
    sources, decoder_inputs, lengths = padded_pairs(1)

    def forward():
        return model.forward(sources, decoder_inputs, lengths)

    upstream = random_upstream(forward(), np.random.default_rng(2))
    model.backward(upstream[0])
    params = all_params(model)
    assert set(params) == set(all_grads(model)) and len(params) == 4 + 4 + 2 + 3
    errors = gradient_errors(forward, params, all_grads(model), upstream)
    assert max(errors.values()) < 1e-7, errors


def test_padded_pairs_equal_each_pair_alone_and_the_alignment_skips_padding():
    model = small_model()
    sources, decoder_inputs, lengths = padded_pairs(3)
    logits = model.forward(sources, decoder_inputs, lengths)
    alignment = model.alignment
    assert alignment.shape == (3, 4, 5)                      # (N, T', T)
    np.testing.assert_allclose(alignment.sum(axis=2), 1.0, rtol=1e-14)
    padded = np.arange(5)[None, :] >= lengths[:, None]       # (N, T) source padding
    assert np.all(alignment.transpose(0, 2, 1)[padded] == 0)
    repadded = np.where(padded, 3 - sources, sources)        # other tokens in the padding
    np.testing.assert_array_equal(model.forward(repadded, decoder_inputs, lengths), logits)
    for n, length in enumerate(lengths):
        alone = model.forward(sources[n:n + 1, :length], decoder_inputs[n:n + 1])
        np.testing.assert_allclose(alone[0], logits[n], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(model.alignment[0], alignment[n, :, :length], rtol=1e-12)


@pytest.mark.parametrize("model", [
    EncoderDecoder(4, 5, 3, context_every_step=True, rng=0), small_model()],
    ids=["fixed-context", "attention"])
def test_the_decoding_step_reproduces_the_teacher_forced_log_probabilities(model):
    sources, decoder_inputs, lengths = padded_pairs(4)
    expected = log_softmax(model.forward(sources, decoder_inputs, lengths))   # (N, T', K)
    step, state = model.decoder_start(sources[1], lengths[1])
    for t, token in enumerate(decoder_inputs[1]):
        log_probs, state = step(state, int(token))
        assert log_probs.shape == (5,)
        np.testing.assert_allclose(log_probs, expected[1, t], rtol=1e-12, atol=1e-14)


def test_it_learns_to_reverse_digit_strings():
    """Chapter 5's reverse task, sources of 1 to 6 digits: about 2 s of training."""
    data, test = (transduction_task(n, 1, 6, "reverse", seed=seed)
                  for n, seed in ((3000, 0), (300, 1)))
    model = AttentionEncoderDecoder(13, 13, 32, rng=0)
    optimizer = Adam(model.modules, lr=0.01)
    batches = np.random.default_rng(1)
    for _ in range(400):
        b = batches.integers(0, len(data.source), size=50)
        logits = model.forward(data.source[b], data.decoder_inputs[b], data.source_lengths[b])
        _, dlogits = model.loss(logits, data.decoder_targets[b], data.target_mask[b])
        model.backward(dlogits)
        optimizer.step()
    decoded = model.greedy_decode(test.source, SOS, EOS, 7, test.source_lengths)
    width = decoded.shape[1]
    mask = test.target_mask[:, :width]
    correct = (decoded == test.decoder_targets[:, :width]) & mask
    assert correct.sum() / test.target_mask.sum() > 0.95   # chance is about 0.1 per token


def test_clear_errors():
    with pytest.raises(ValueError, match="attention_size: expected a positive integer, got 0"):
        AttentionEncoderDecoder(4, 5, 3, attention_size=0)
    model = small_model()
    sources, decoder_inputs, lengths = padded_pairs(5)
    with pytest.raises(RuntimeError, match="call forward first"):
        model.backward(np.zeros((3, 4, 5)))
    with pytest.raises(ValueError, match="decoder_inputs: expected one row per source, N=3"):
        model.forward(sources, decoder_inputs[:2], lengths)
    logits = model.forward(sources, decoder_inputs, lengths)
    with pytest.raises(ValueError, match=r"dlogits: expected the shape of logits, \(3, 4, 5\)"):
        model.backward(np.zeros((4, 3, 5)))
    model.greedy_decode(sources, 0, 1, max_len=2, source_lengths=lengths)
    with pytest.raises(RuntimeError, match="call forward first"):
        model.backward(np.zeros_like(logits))
