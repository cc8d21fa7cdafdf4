"""course_rnn.source shows the package's own code, unchanged."""

import inspect

from course_rnn.numpy import rnn_step_forward
from course_rnn.source import show_source, source_of


def test_source_of_is_the_function_text():
    text = source_of(rnn_step_forward)
    assert text.startswith("def rnn_step_forward(")
    assert text == inspect.getsource(rnn_step_forward)


def test_show_source_is_a_python_block():
    shown = show_source(rnn_step_forward).data
    assert shown.startswith("```python\ndef rnn_step_forward(")
    assert shown.endswith("```")
