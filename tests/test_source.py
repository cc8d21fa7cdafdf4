"""course_rnn.source shows the package's own code, unchanged, and the step functions it shows
read like their equations: validation sits in one decorator line, outside the body."""

import inspect

import pytest

from course_rnn.numpy import (
    additive_attention,
    causal_self_attention,
    clockwork,
    dot_attention,
    gru,
    gru_reset_before,
    lstm,
    lstm_peephole,
    rnn,
    rnn_step_forward,
)
from course_rnn.source import show_source, source_of

STEP_FUNCTIONS = [getattr(module, f"{name}_step_{direction}")
                  for module, name in ((rnn, "rnn"), (lstm, "lstm"), (gru, "gru"),
                                       (lstm_peephole, "lstm_peephole"),
                                       (gru_reset_before, "gru_reset_before"),
                                       (clockwork, "clockwork"))
                  for direction in ("forward", "backward")]
STEP_FUNCTIONS += [getattr(module, f"{module.__name__.rsplit('.', 1)[-1]}_{direction}")
                   for module in (additive_attention, dot_attention, causal_self_attention)
                   for direction in ("forward", "backward")]


def test_source_of_is_the_function_text():
    text = source_of(rnn_step_forward)
    assert text.startswith("@validated(cell_arguments(gates=1))\ndef rnn_step_forward(")
    assert text == inspect.getsource(rnn_step_forward)


def test_show_source_is_a_python_block():
    shown = show_source(rnn_step_forward).data
    assert shown.startswith("```python\n@validated(")
    assert shown.endswith("```")


@pytest.mark.parametrize("function", STEP_FUNCTIONS, ids=lambda f: f.__name__)
def test_a_step_shows_its_math_and_one_line_of_checks(function):
    plain = inspect.unwrap(function)
    assert plain is not function and not hasattr(plain, "__wrapped__")
    lines = source_of(function).splitlines()
    assert lines[0].startswith("@validated(") and lines[1].startswith("def ")
    body = source_of(plain).split('"""')[-1]  # after the docstring
    for word in ("expect_", "check_", "out=", "raise", "validated"):
        assert word not in body, f"{function.__name__} body has {word!r}"
    # no if statements (checks); a conditional expression may pick between two equations, as
    # the dot score's u_n = q_n or W^T q_n
    assert not any(line.strip().startswith("if ") for line in body.splitlines()), \
        f"{function.__name__} body has an if statement"
