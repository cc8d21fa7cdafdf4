"""The NumPy character-level language model: training, truncation, sampling, baselines."""

import math

import numpy as np
import pytest

from course_rnn.gradcheck import numerical_gradient, relative_error
from course_rnn.models.char_model import (
    char_loss,
    sample,
    streams,
    train_char_model,
    unigram_loss,
)
from course_rnn.numpy import rnn_backward, rnn_forward
from course_rnn.numpy.losses import softmax_cross_entropy

PERIODIC = "the cat sat. " * 40  # every character is predictable from the one or two before


@pytest.fixture(scope="module")
def trained():
    return train_char_model(PERIODIC, hidden_size=24, seq_len=12, steps=150, lr=0.2,
                            momentum=0.9, batch_size=4)


def test_loss_falls_far_below_uniform_and_result_shapes(trained):
    K = len(trained.model.vocab)
    assert len(trained.losses) == len(trained.grad_norms) == 150
    assert all(isinstance(v, float) for v in trained.losses)
    assert abs(trained.losses[0] - math.log(K)) < 0.3  # starts near the uniform guess
    assert np.mean(trained.losses[-10:]) < 0.3
    assert char_loss(trained.model, PERIODIC[:60]) < 0.5


def test_greedy_sample_continues_the_pattern(trained):
    text = sample(trained.model, "the c", 20, temperature=0.0)
    assert text == PERIODIC[:25]


def test_sample_is_seeded_prefixed_and_temperature_flattens(trained):
    a = sample(trained.model, "the", 50, temperature=1.0, seed=3)
    assert a == sample(trained.model, "the", 50, temperature=1.0, seed=3)
    assert a.startswith("the") and len(a) == 53
    hot = sample(trained.model, "the", 300, temperature=5.0, seed=1)[3:]
    cold = sample(trained.model, "the", 300, temperature=0.3, seed=1)[3:]
    # a hot sample leaves the pattern often; a cold one almost never
    mismatches = [sum(c != p for c, p in zip(s, (PERIODIC * 2)[3:])) for s in (cold, hot)]
    assert mismatches[0] < 10 < mismatches[1]


@pytest.mark.parametrize("kwargs, error, match", [
    ({"prefix": ""}, ValueError, "prefix"),
    ({"temperature": -1.0}, ValueError, "temperature"),
    ({"prefix": "dog"}, KeyError, "'d'"),
    ({"length": 0}, ValueError, "length"),
])
def test_sample_errors(trained, kwargs, error, match):
    args = {"prefix": "the", "length": 5} | kwargs
    with pytest.raises(error, match=match):
        sample(trained.model, **args)


def test_training_is_seeded():
    a = train_char_model(PERIODIC, hidden_size=8, seq_len=5, steps=5, batch_size=2, seed=1)
    b = train_char_model(PERIODIC, hidden_size=8, seq_len=5, steps=5, batch_size=2, seed=1)
    c = train_char_model(PERIODIC, hidden_size=8, seq_len=5, steps=5, batch_size=2, seed=2)
    assert a.losses == b.losses and a.losses != c.losses


def test_streams_are_contiguous_and_targets_shifted():
    ids = np.arange(23)
    inputs, targets = streams(ids, 4)  # 22 usable inputs -> 5 per stream
    assert inputs.shape == targets.shape == (4, 5)  # (N, L), a row per stream
    assert inputs[1].tolist() == [5, 6, 7, 8, 9]
    assert (targets == inputs + 1).all()


def test_state_is_carried_across_chunks_and_reset_at_the_start():
    seen_h_init, seen_dh = [], []

    def forward_fn(x, h_init, *weights):
        seen_h_init.append(h_init.copy())
        return rnn_forward(x, h_init, *weights)

    def backward_fn(dh, cache):
        seen_dh.append(dh.shape)
        return rnn_backward(dh, cache)

    text = PERIODIC[:61]  # 60 inputs -> 2 streams of 30 -> 3 chunks of 10
    result = train_char_model(text, hidden_size=6, seq_len=10, steps=4, lr=0.0, batch_size=2,
                              forward_fn=forward_fn, backward_fn=backward_fn)
    assert seen_dh == [(10, 2, 6)] * 4
    assert not seen_h_init[0].any() and not seen_h_init[3].any()  # a fresh pass starts from zeros
    # with lr = 0 the weights stay fixed, so chunk 2 must start where one pass of 20 ends
    ids = result.model.vocab.encode(text)
    inputs, _ = streams(ids, 2)
    _, h_end = result.model.logits(inputs[:, :20])
    np.testing.assert_allclose(seen_h_init[2], h_end, rtol=1e-12)


def test_one_chunk_gradient_matches_central_differences():
    captured = {}

    def spy(step, model):
        captured["model"] = model

    text = "abcab cabba cab" * 3
    result = train_char_model(text, hidden_size=3, seq_len=6, steps=1, lr=0.0, batch_size=2,
                              callback=spy)
    model = result.model
    inputs, targets = streams(model.vocab.encode(text), 2)

    def loss():
        logits, _ = model.logits(inputs[:, :6])
        return softmax_cross_entropy(logits, targets[:, :6])[0]

    _, dlogits = softmax_cross_entropy(model.logits(inputs[:, :6])[0], targets[:, :6])
    model.backward(dlogits)
    for layer in (model.rnn, model.head):
        for name, param in layer.params.items():
            numeric = numerical_gradient(loss, param, 1.0)
            assert relative_error(layer.grads[name], numeric) < 1e-7, name
    assert captured["model"] is model


def test_a_broken_backward_is_trained_with_and_learns_nothing_recurrent():
    def no_recurrent_grad(dh, cache):
        dx, dh_init, dW_ih, dW_hh, db_ih, db_hh = rnn_backward(dh, cache)
        return dx, dh_init, dW_ih, np.zeros_like(dW_hh), db_ih, db_hh

    fixed = train_char_model(PERIODIC, hidden_size=8, seq_len=5, steps=3, batch_size=2,
                             backward_fn=no_recurrent_grad)
    ref = train_char_model(PERIODIC, hidden_size=8, seq_len=5, steps=1, batch_size=2,
                           lr=0.0)
    np.testing.assert_array_equal(fixed.model.rnn.params["weight_hh"],
                                  ref.model.rnn.params["weight_hh"])


def test_gradients_are_clipped_to_max_norm():
    result = train_char_model(PERIODIC, hidden_size=8, seq_len=5, steps=2, batch_size=2,
                              max_norm=1e-3)
    assert result.grad_norms[0] > 1e-3  # the norm is recorded before clipping
    grads = [g for m in (result.model.rnn, result.model.head) for g in m.grads.values()]
    assert math.sqrt(sum(float((g * g).sum()) for g in grads)) == pytest.approx(1e-3, rel=1e-4)


def test_unigram_baseline():
    from course_rnn.data.corpus import CharVocab

    vocab = CharVocab.from_text("ab")
    assert unigram_loss("ab" * 50, "ab", vocab) == pytest.approx(math.log(2))
    assert unigram_loss("a" * 98, "a", vocab) == pytest.approx(-math.log(99 / 100))


@pytest.mark.parametrize("kwargs, match", [
    ({"hidden_size": 0}, "hidden_size"),
    ({"lr": -0.1}, "lr"),
    ({"seq_len": 1000}, "at least"),
])
def test_training_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        train_char_model(PERIODIC, **({"steps": 1} | kwargs))


def test_char_loss_needs_two_characters(trained):
    with pytest.raises(ValueError, match="two"):
        char_loss(trained.model, "t")


def test_one_blas_thread_limits_blas_where_threadpoolctl_exists():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from course_rnn.models.char_model import one_blas_thread

    with one_blas_thread():
        blas = [p for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
        assert blas and all(p["num_threads"] == 1 for p in blas)
