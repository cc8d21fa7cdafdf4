"""Sequence classifiers and their training loop: gradients, order (in)sensitivity, learning."""

import numpy as np
import pytest

from course_rnn.data.order import order_task, swap_markers
from course_rnn.gradcheck import gradient_errors, random_upstream
from course_rnn.models.classifier import BagOfWordsClassifier, RNNClassifier, accuracy, fit
from course_rnn.numpy.linear import Linear


def all_params(model) -> dict[str, np.ndarray]:
    return {f"{i}.{name}": p for i, m in enumerate(model.modules) for name, p in m.params.items()}


def all_grads(model) -> dict[str, np.ndarray]:
    return {f"{i}.{name}": g for i, m in enumerate(model.modules) for name, g in m.grads.items()}


@pytest.mark.parametrize("make", [lambda: RNNClassifier(5, 4, 3, rng=0),
                                  lambda: BagOfWordsClassifier(5, 3, rng=0)])
def test_backward_matches_numerical_gradients(make):
    model = make()
    tokens = np.random.default_rng(1).integers(0, 5, size=(3, 4))  # (N, T)
    upstream = random_upstream(model.forward(tokens), np.random.default_rng(2))
    model.backward(upstream[0])
    errors = gradient_errors(lambda: model.forward(tokens), all_params(model), all_grads(model),
                             upstream)
    assert max(errors.values()) < 1e-7, errors


def test_bag_of_words_model_gives_twins_the_same_logits_and_the_rnn_does_not():
    tokens = order_task(20, seq_len=6, seed=0).tokens
    bag, rnn = BagOfWordsClassifier(8, rng=0), RNNClassifier(8, 4, rng=0)
    np.testing.assert_array_equal(bag.forward(tokens), bag.forward(swap_markers(tokens)))
    assert not np.allclose(rnn.forward(tokens), rnn.forward(swap_markers(tokens)))


def test_rnn_learns_the_order_task_and_the_baseline_cannot():
    train, test = order_task(400, seq_len=8, seed=0), order_task(200, seq_len=8, seed=1)
    rnn = RNNClassifier(8, 8, rng=0)
    history = fit(rnn, train.tokens, train.labels, epochs=12, lr=0.01, batch_size=25,
                  validation=(test.tokens, test.labels))
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert history["val_accuracy"][-1] == accuracy(rnn, test.tokens, test.labels) > 0.9
    bag = BagOfWordsClassifier(8, rng=0)
    history = fit(bag, train.tokens, train.labels, epochs=5, validation=(test.tokens, test.labels))
    assert history["train_accuracy"] == [0.5] * 5 and history["val_accuracy"] == [0.5] * 5


def test_fit_is_deterministic_and_returns_one_entry_per_epoch():
    task = order_task(60, seq_len=5, seed=3)
    runs = [fit(RNNClassifier(8, 3, rng=1), task.tokens, task.labels, epochs=3, seed=4)
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert set(runs[0]) == {"loss", "train_accuracy"}
    assert all(len(values) == 3 for values in runs[0].values())


def test_clear_errors():
    model = RNNClassifier(4, 2, rng=0)
    tokens = np.zeros((3, 5), dtype=np.int64)
    with pytest.raises(RuntimeError, match="forward first"):
        model.backward(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"labels: expected shape \(3,\) .* or \(3, 5\)"):
        fit(model, tokens, np.zeros(4, dtype=np.int64))
    with pytest.raises(TypeError, match="integer classes"):
        accuracy(model, tokens, np.zeros(3))
    with pytest.raises(IndexError, match=r"range \[0, 3\]"):
        fit(model, tokens + 4, np.zeros(3, dtype=np.int64))
    with pytest.raises(ValueError, match="epochs"):
        fit(model, tokens, np.zeros(3, dtype=np.int64), epochs=0)


class LastTokenTagger:
    """A per-step model for the test: logits_t = V onehot(token_t) + c, shape (N, T, K)."""

    def __init__(self, vocab_size):
        self.vocab_size, self.head = vocab_size, Linear(vocab_size, vocab_size, rng=0)
        self.modules = [self.head]

    def forward(self, tokens):
        return self.head(np.eye(self.vocab_size)[tokens])  # (N, T, K)

    def backward(self, dlogits):
        self.head.backward(dlogits)


def test_fit_and_accuracy_take_one_label_per_step():
    tokens = np.random.default_rng(0).integers(0, 4, size=(40, 6))
    model = LastTokenTagger(4)
    history = fit(model, tokens, tokens, epochs=30, lr=0.1)  # learn to copy each token
    assert history["train_accuracy"][-1] == accuracy(model, tokens, tokens) == 1.0
