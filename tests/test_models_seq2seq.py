"""Chapter 10's torch encoder-decoder: shapes, padding masks, the decoding adapter, learning."""

import numpy as np
import pytest
import torch

from course_rnn.data.transduction import EOS, SOS, VOCAB
from course_rnn.models.decoding import beam_search, greedy_decode
from course_rnn.models.seq2seq import Seq2Seq
from course_rnn.models.seq2seq_training import (
    accuracy_by_length,
    exact_match,
    make_pairs,
    masked_loss,
    train_seq2seq,
)
from course_rnn.torch import AdditiveAttention

V, H = len(VOCAB), 8


def model(attention: bool, seed: int = 0, hidden: int = H) -> Seq2Seq:
    torch.manual_seed(seed)
    return Seq2Seq(V, hidden, 6, attention=AdditiveAttention(hidden, hidden, 5) if attention
                   else None, seed=seed)


@pytest.mark.parametrize("attention", [False, True])
def test_shapes(attention):
    pairs = make_pairs(5, 2, 7, seed=0)
    task = pairs.task
    logits, weights = model(attention)(pairs.source, task.source_lengths, task.decoder_inputs)
    assert logits.shape == (5, 8, V)
    if attention:
        assert weights.shape == (8, 7, 5)
        torch.testing.assert_close(weights.sum(dim=1), torch.ones(8, 5))
    else:
        assert weights is None


@pytest.mark.parametrize("attention", [False, True])
def test_a_padded_batch_equals_its_sequences_one_by_one(attention):
    net = model(attention, seed=1)
    pairs = make_pairs(6, 1, 9, seed=2)
    task = pairs.task
    batch, weights = net(pairs.source, task.source_lengths, task.decoder_inputs)
    for n in range(6):
        S, T = task.source_lengths[n], task.source_lengths[n] + 1
        alone, alone_weights = net(pairs.source[n:n + 1, :S], task.source_lengths[n:n + 1],
                                   task.decoder_inputs[n:n + 1, :T])
        torch.testing.assert_close(batch[n, :T], alone[0], rtol=1e-5, atol=1e-6)
        if attention:  # no weight on the padding; the real positions' weights unchanged
            assert (weights[:, S:, n] == 0).all()
            torch.testing.assert_close(weights[:T, :S, n], alone_weights[:, :, 0],
                                       rtol=1e-5, atol=1e-6)


def test_the_loss_ignores_the_padding():
    pairs = make_pairs(4, 1, 6, seed=3)
    task = pairs.task
    logits, _ = model(False)(pairs.source, task.source_lengths, task.decoder_inputs)
    garbage = logits.detach().clone()
    garbage[~torch.as_tensor(task.target_mask)] = 1e3  # change only the padded positions
    assert masked_loss(logits, task.decoder_targets, task.target_mask).item() == \
        pytest.approx(masked_loss(garbage, task.decoder_targets, task.target_mask).item())


def test_bad_input_is_named():
    net = model(False)
    pairs = make_pairs(3, 2, 4, seed=4)
    with pytest.raises(ValueError, match="one row per source"):
        net(pairs.source, pairs.task.source_lengths, pairs.task.decoder_inputs[:2])
    with pytest.raises(ValueError, match="source_lengths"):
        net(pairs.source, np.array([1, 2, 9]), pairs.task.decoder_inputs)


@pytest.mark.parametrize("attention", [False, True])
def test_the_step_adapter_decodes_as_the_batched_greedy(attention):
    net = model(attention, seed=5)
    pairs = make_pairs(4, 2, 6, seed=5)
    batched = net.greedy(pairs.source, pairs.task.source_lengths, 7)
    for n in range(4):
        step, state = net.decoder_start(pairs.source[n], pairs.task.source_lengths[n])
        tokens, log_prob = greedy_decode(step, state, SOS, EOS, 7)
        assert list(tokens) == batched[n, :len(tokens)].tolist()
        best = beam_search(step, state, SOS, EOS, 3, 7)[0]
        assert best[1] >= log_prob - 1e-9  # a wider search never scores lower than greedy


@pytest.mark.parametrize("attention", [False, True])
def test_greedy_weights_are_those_of_teacher_forcing_on_its_own_outputs(attention):
    net = model(attention, seed=6)
    pairs = make_pairs(4, 2, 6, seed=6)
    lengths = pairs.task.source_lengths
    tokens, weights = net.greedy_with_weights(pairs.source, lengths, 7)
    np.testing.assert_array_equal(tokens, net.greedy(pairs.source, lengths, 7))
    read = np.concatenate([np.full((4, 1), SOS), tokens[:, :-1]], axis=1)
    _, forced = net(pairs.source, lengths, read)  # the same tokens read, with teacher forcing
    if attention:
        assert weights.shape == (7, pairs.source.shape[1], 4)
        np.testing.assert_allclose(weights, forced.detach().numpy(), rtol=1e-5, atol=1e-6)
    else:
        assert weights is None and forced is None


def test_attention_learns_to_copy_quickly():
    torch.set_num_threads(1)
    net = model(True, seed=0, hidden=32)
    losses = train_seq2seq(net, min_len=1, max_len=4, updates=400, seed=0)
    assert losses[-20:].mean() < 0.2 * losses[:20].mean()
    accuracy = accuracy_by_length(net, [2, 4], 50)
    assert (accuracy > 0.7).all(), accuracy
    assert exact_match(net, make_pairs(50, 1, 4, seed=9)).mean() > 0.7
