"""The encoder-decoder, both variants: gradients, padding, masks, greedy decoding, training."""

import numpy as np
import pytest

from course_rnn.gradcheck import gradient_errors, random_upstream
from course_rnn.models.encoder_decoder import EncoderDecoder
from course_rnn.numpy.optim import Adam

START, END = 10, 11  # target vocabulary: the digits 0-9, then the start and the end token


def all_params(model) -> dict[str, np.ndarray]:
    return {f"{i}.{name}": p for i, m in enumerate(model.modules) for name, p in m.params.items()}


def all_grads(model) -> dict[str, np.ndarray]:
    return {f"{i}.{name}": g for i, m in enumerate(model.modules) for name, g in m.grads.items()}


def reverse_task(count: int, length: int, seed: int):
    """Digit strings, their reverse followed by the end token, and the teacher-forced inputs."""
    sources = np.random.default_rng(seed).integers(0, 10, size=(count, length))
    targets = np.concatenate([sources[:, ::-1], np.full((count, 1), END)], axis=1)
    decoder_inputs = np.concatenate([np.full((count, 1), START), targets[:, :-1]], axis=1)
    return sources, decoder_inputs, targets


def small_model(context_every_step: bool) -> EncoderDecoder:
    return EncoderDecoder(source_vocab_size=4, target_vocab_size=5, hidden_size=3,
                          context_every_step=context_every_step, rng=0)


@pytest.mark.parametrize("context_every_step", [False, True])
def test_backward_matches_finite_differences_for_every_parameter(context_every_step):
    model = small_model(context_every_step)
    rng = np.random.default_rng(1)
    sources, decoder_inputs = rng.integers(0, 4, size=(3, 4)), rng.integers(0, 5, size=(3, 3))
    lengths = np.array([4, 2, 1])  # padded sources: c is read at three different steps

    def forward():
        return model.forward(sources, decoder_inputs, lengths)

    upstream = random_upstream(forward(), np.random.default_rng(2))
    model.backward(upstream[0])
    params = all_params(model)
    assert set(params) == set(all_grads(model))
    errors = gradient_errors(forward, params, all_grads(model), upstream)
    assert max(errors.values()) < 1e-7, errors


def test_shapes_and_where_the_context_enters():
    first, every = small_model(False), small_model(True)
    assert first.decoder.params["weight_ih"].shape == (3, 5)      # U' reads y_{t-1}
    assert every.decoder.params["weight_ih"].shape == (3, 5 + 3)  # U' reads [y_{t-1}; c]
    sources, decoder_inputs = np.zeros((2, 6), dtype=int), np.zeros((2, 4), dtype=int)
    for model in (first, every):
        assert model.forward(sources, decoder_inputs).shape == (2, 4, 5)
        assert model.encode(sources).shape == (2, 3)


@pytest.mark.parametrize("context_every_step", [False, True])
def test_the_context_is_the_state_after_each_sources_last_token(context_every_step):
    model = small_model(context_every_step)
    rng = np.random.default_rng(3)
    sources, decoder_inputs = rng.integers(0, 4, size=(3, 5)), rng.integers(0, 5, size=(3, 2))
    lengths = np.array([5, 3, 1])
    repadded = sources.copy()
    repadded[1, 3:], repadded[2, 1:] = 0, 3  # change only tokens after each source's end
    np.testing.assert_array_equal(model.forward(sources, decoder_inputs, lengths),
                                  model.forward(repadded, decoder_inputs, lengths))
    # sequence 1 alone, cut to its 3 tokens: the same context
    np.testing.assert_allclose(model.encode(sources[1:2, :3]), model.encode(sources, lengths)[1:2])


def test_the_masked_loss_ignores_padded_targets():
    model = small_model(True)
    rng = np.random.default_rng(4)
    logits = model.forward(rng.integers(0, 4, size=(2, 3)), rng.integers(0, 5, size=(2, 4)))
    targets = rng.integers(0, 5, size=(2, 4))
    mask = np.array([[True, True, True, True], [True, True, False, False]])
    loss, dlogits = model.loss(logits, targets, mask)
    changed = targets.copy()
    changed[1, 2:] = (targets[1, 2:] + 1) % 5  # a different padding token
    loss_changed, dlogits_changed = model.loss(logits, changed, mask)
    assert loss == loss_changed
    np.testing.assert_array_equal(dlogits, dlogits_changed)
    assert np.all(dlogits[1, 2:] == 0)
    changed[1, 1] = (targets[1, 1] + 1) % 5  # a counted token does change the loss
    assert model.loss(logits, changed, mask)[0] != loss


@pytest.mark.parametrize("context_every_step", [False, True])
def test_greedy_decoding_stops_at_the_end_token(context_every_step):
    model = EncoderDecoder(10, 12, 4, context_every_step=context_every_step, rng=0)
    sources = np.random.default_rng(5).integers(0, 10, size=(3, 4))
    model.head.params["bias"][END] = 100.0  # the end token wins at the first step
    np.testing.assert_array_equal(model.greedy_decode(sources, START, END, max_len=7),
                                  np.full((3, 1), END))
    model.head.params["bias"][END] = -100.0  # the end token never wins: run to max_len
    model.head.params["bias"][7] = 100.0
    np.testing.assert_array_equal(model.greedy_decode(sources, START, END, max_len=7),
                                  np.full((3, 7), 7))


@pytest.mark.parametrize("context_every_step", [False, True])
def test_both_variants_learn_to_reverse_three_digits(context_every_step):
    sources, decoder_inputs, targets = reverse_task(2000, length=3, seed=0)
    model = EncoderDecoder(10, 12, 32, context_every_step=context_every_step, rng=0)
    optimizer = Adam(model.modules, lr=0.01)
    batches = np.random.default_rng(1)
    for _ in range(300):
        batch = batches.integers(0, len(sources), size=50)
        loss, dlogits = model.loss(model.forward(sources[batch], decoder_inputs[batch]),
                                   targets[batch])
        model.backward(dlogits)
        optimizer.step()
    test_sources, _, test_targets = reverse_task(300, length=3, seed=1)
    decoded = model.greedy_decode(test_sources, START, END, max_len=8)
    assert decoded.shape == test_targets.shape  # every sequence stopped after its end token
    assert np.mean(decoded == test_targets) > 0.9  # chance is about 0.1 per digit


def test_clear_errors():
    model = small_model(False)
    sources, decoder_inputs = np.zeros((2, 3), dtype=int), np.zeros((2, 4), dtype=int)
    with pytest.raises(RuntimeError, match="call forward first"):
        model.backward(np.zeros((2, 4, 5)))
    with pytest.raises(TypeError, match="sources: expected integer ids, got dtype float64"):
        model.forward(np.array([[0.0, np.nan, 1.0]] * 2), decoder_inputs)
    with pytest.raises(ValueError, match=r"sources: expected shape \(N, T\), got \(3,\)"):
        model.forward(np.zeros(3, dtype=int), decoder_inputs)
    with pytest.raises(IndexError, match=r"decoder_inputs: ids must lie in the range \[0, 4\], "
                                         r"found 5 at index \(1, 0\)"):
        model.forward(sources, np.array([[0, 0], [5, 0]]))
    with pytest.raises(ValueError, match="decoder_inputs: expected one row per source, N=2"):
        model.forward(sources, np.zeros((3, 4), dtype=int))
    with pytest.raises(ValueError, match=r"source_lengths: expected lengths in \[1, 3\] .* "
                                         r"found 0 at index 1"):
        model.forward(sources, decoder_inputs, np.array([3, 0]))
    with pytest.raises(ValueError, match=r"source_lengths: expected shape \(2,\)"):
        model.forward(sources, decoder_inputs, np.array([3]))
    with pytest.raises(TypeError, match="source_lengths: expected integer lengths"):
        model.forward(sources, decoder_inputs, np.array([3.0, 2.0]))
    logits = model.forward(sources, decoder_inputs)
    with pytest.raises(ValueError, match=r"dlogits: expected the shape of logits, \(2, 4, 5\)"):
        model.backward(np.zeros((4, 2, 5)))
    with pytest.raises(ValueError, match="dlogits: expected finite values, found nan"):
        model.backward(np.full((2, 4, 5), np.nan))
    with pytest.raises(ValueError, match=r"mask: expected shape \(2, 4\)"):
        model.loss(logits, decoder_inputs, mask=np.ones((2, 3), dtype=bool))
    with pytest.raises(ValueError, match="mask: expected finite values"):
        model.loss(logits, decoder_inputs, mask=np.full((2, 4), np.nan))
    with pytest.raises(IndexError, match=r"end_id: ids must lie in the range \[0, 4\]"):
        model.greedy_decode(sources, 0, 5, max_len=3)
    with pytest.raises(ValueError, match="max_len: expected a positive integer, got 0"):
        model.greedy_decode(sources, 0, 1, max_len=0)
    with pytest.raises(TypeError, match="context_every_step: expected a bool"):
        EncoderDecoder(4, 5, 3, context_every_step=1)
    model.greedy_decode(sources, 0, 1, max_len=2)  # its own forward passes replace the saved one
    with pytest.raises(RuntimeError, match="call forward first"):
        model.backward(np.zeros((2, 4, 5)))
