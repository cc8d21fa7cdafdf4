"""The parts chapter 5's models share: the recurrence from a given state, and the read-out."""

import numpy as np
import pytest

from course_rnn.gradcheck import gradient_errors, random_upstream
from course_rnn.models.readout import Readout
from course_rnn.models.recurrence import Recurrence


@pytest.mark.parametrize("input_size", [0, 3])
def test_the_recurrence_is_its_equation_step_by_step(input_size):
    rnn = Recurrence(input_size, 4, rng=0)
    rng = np.random.default_rng(1)
    x, s_init = rng.standard_normal((5, 2, input_size)), rng.standard_normal((2, 4))
    U, W = rnn.params["weight_ih"], rnn.params["weight_hh"]
    b = rnn.params["bias_ih"] + rnn.params["bias_hh"]
    s, expected = s_init, []
    for x_t in x:
        s = np.tanh(x_t @ U.T + s @ W.T + b)  # s_t = tanh(U x_t + W s_{t-1} + b)
        expected.append(s)
    np.testing.assert_allclose(rnn(x, s_init), np.stack(expected), rtol=1e-12)


def test_the_recurrence_returns_the_gradient_at_its_initial_state():
    rnn = Recurrence(2, 3, rng=0)
    rng = np.random.default_rng(2)
    x, s_init = rng.standard_normal((4, 2, 2)), rng.standard_normal((2, 3))
    upstream = random_upstream(rnn(x, s_init), np.random.default_rng(3))
    dx, ds_init = rnn.backward(upstream[0])
    arrays = {"x": x, "s_init": s_init, **rnn.params}
    errors = gradient_errors(lambda: rnn(x, s_init), arrays,
                             {"x": dx, "s_init": ds_init, **rnn.grads}, upstream)
    assert max(errors.values()) < 1e-7, errors


def test_the_readout_gives_batch_first_logits_and_time_major_gradients():
    head = Readout(3, 5, rng=0)
    s = np.random.default_rng(4).standard_normal((4, 2, 3))  # (T, N, H)
    logits = head(s)
    assert logits.shape == (2, 4, 5)
    np.testing.assert_allclose(logits[1, 2], head.params["weight"] @ s[2, 1] + head.params["bias"])
    upstream = random_upstream(logits, np.random.default_rng(5))
    ds = head.backward(upstream[0])
    errors = gradient_errors(lambda: head(s), {"s": s, **head.params},
                             {"s": ds, **head.grads}, upstream)
    assert max(errors.values()) < 1e-7, errors


def test_clear_errors():
    with pytest.raises(RuntimeError, match="call forward first"):
        Recurrence(2, 3).backward(np.zeros((1, 1, 3)))
    with pytest.raises(ValueError, match="input_size: expected an integer >= 0, got -1"):
        Recurrence(-1, 3)
    with pytest.raises(ValueError, match=r"x: expected shape \(T, N, D=2\)"):
        Recurrence(2, 3)(np.zeros((4, 1, 3)), np.zeros((1, 3)))
    head = Readout(3, 5)
    with pytest.raises(RuntimeError, match="call forward first"):
        head.backward(np.zeros((2, 4, 5)))
    with pytest.raises(ValueError, match=r"s: expected shape \(T, N, H=3\), got \(2, 3\)"):
        head(np.zeros((2, 3)))
    head(np.zeros((4, 2, 3)))
    with pytest.raises(ValueError, match=r"dlogits: expected the shape of logits, \(2, 4, 5\)"):
        head.backward(np.zeros((4, 2, 5)))
