"""One-to-many generators, both variants: gradients, shapes, errors and a tiny training run."""

import numpy as np
import pytest

from course_rnn.gradcheck import gradient_errors, random_upstream
from course_rnn.models.one_to_many import EveryStepGenerator, InitialStateGenerator
from course_rnn.numpy.optim import Adam

VARIANTS = [InitialStateGenerator, EveryStepGenerator]


def all_params(model) -> dict[str, np.ndarray]:
    return {f"{i}.{name}": p for i, m in enumerate(model.modules) for name, p in m.params.items()}


def all_grads(model) -> dict[str, np.ndarray]:
    return {f"{i}.{name}": g for i, m in enumerate(model.modules) for name, g in m.grads.items()}


def counting_task(vocab_size: int, steps: int):
    """Start digit k (one-hot) -> k, k+2, k+4, ... (mod vocab_size): one sequence per start."""
    start = np.arange(vocab_size)
    return np.eye(vocab_size)[start], (start[:, None] + 2 * np.arange(steps)) % vocab_size


@pytest.mark.parametrize("variant", VARIANTS)
def test_backward_matches_finite_differences_for_every_parameter(variant):
    model = variant(input_size=3, hidden_size=4, output_size=5, steps=4, rng=0)
    x = np.random.default_rng(1).standard_normal((2, 3))
    upstream = random_upstream(model.forward(x), np.random.default_rng(2))
    model.backward(upstream[0])
    params = all_params(model)
    assert set(params) == set(all_grads(model))
    errors = gradient_errors(lambda: model.forward(x), params, all_grads(model), upstream)
    assert max(errors.values()) < 1e-7, errors


def test_the_variants_differ_in_where_x_enters():
    first = InitialStateGenerator(input_size=3, hidden_size=4, output_size=5, steps=6, rng=0)
    every = EveryStepGenerator(input_size=3, hidden_size=4, output_size=5, steps=6, rng=0)
    assert first.rnn.params["weight_ih"].shape == (4, 0)  # U: the steps read nothing
    assert first.encode.params["weight"].shape == (4, 3)  # E: x becomes s_{-1}
    assert every.rnn.params["weight_ih"].shape == (4, 3)  # U reads x at every step
    assert len(first.modules) == 3 and len(every.modules) == 2
    x = np.random.default_rng(0).standard_normal((7, 3))
    for model in (first, every):
        assert model.forward(x).shape == (7, 6, 5)
        assert model.predict(x).shape == (7, 6)
    # (a): with E = 0 and e = 0 the state starts at zero whatever x is, so x is ignored
    first.encode.params["weight"][:] = 0.0
    first.encode.params["bias"][:] = 0.0
    np.testing.assert_array_equal(first.forward(x), first.forward(2 * x))
    assert not np.allclose(every.forward(x), every.forward(2 * x))


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_seed_fixes_the_weights(variant):
    x = np.eye(3)
    same = [variant(3, 4, 5, 2, rng=7).forward(x) for _ in range(2)]
    np.testing.assert_array_equal(same[0], same[1])
    assert not np.allclose(same[0], variant(3, 4, 5, 2, rng=8).forward(x))


@pytest.mark.parametrize("variant", VARIANTS)
def test_both_variants_learn_to_count_from_a_start_digit(variant):
    x, targets = counting_task(vocab_size=10, steps=6)
    model = variant(input_size=10, hidden_size=16, output_size=10, steps=6, rng=0)
    optimizer = Adam(model.modules, lr=0.03)
    first_loss = model.loss(model.forward(x), targets)[0]
    for _ in range(200):
        loss, dlogits = model.loss(model.forward(x), targets)
        model.backward(dlogits)
        optimizer.step()
    assert loss < 0.05 * first_loss
    assert np.mean(model.predict(x) == targets) > 0.95  # chance is 0.1


@pytest.mark.parametrize("variant", VARIANTS)
def test_clear_errors(variant):
    model = variant(input_size=3, hidden_size=4, output_size=5, steps=2, rng=0)
    with pytest.raises(RuntimeError, match="call forward first"):
        model.backward(np.zeros((1, 2, 5)))
    with pytest.raises(ValueError, match=r"x: expected shape \(N, D=3\), got \(2, 4\)"):
        model.forward(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"x: expected shape \(N, D=3\), got \(2, 2, 3\)"):
        model.forward(np.zeros((2, 2, 3)))
    with pytest.raises(TypeError, match="x: expected a floating-point array, got dtype int64"):
        model.forward(np.zeros((2, 3), dtype=np.int64))
    with pytest.raises(ValueError, match=r"x: expected finite values, found nan at index \(1, 0\)"):
        model.forward(np.array([[0.0, 0, 0], [np.nan, 0, 0]]))
    logits = model.forward(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"dlogits: expected the shape of logits, \(2, 2, 5\)"):
        model.backward(np.zeros((2, 5, 2)))
    with pytest.raises(ValueError, match="dlogits: expected finite values"):
        model.backward(np.full((2, 2, 5), np.inf))
    with pytest.raises(ValueError, match=r"targets: expected shape \(2, 2\)"):
        model.loss(logits, np.zeros((2, 3), dtype=np.int64))
    with pytest.raises(ValueError, match="steps: expected a positive integer, got 0"):
        variant(input_size=3, hidden_size=4, output_size=5, steps=0)
    with pytest.raises(ValueError, match="hidden_size: expected a positive integer"):
        variant(input_size=3, hidden_size=0, output_size=5, steps=2)
