"""In IPython, a cell stopped by a stub prints one line, later cells say what they wait for,
and a check cell shows its message without a True or False under it."""

from __future__ import annotations

import pytest
from IPython.core.formatters import DisplayFormatter
from IPython.core.interactiveshell import InteractiveShell

from course_rnn.checks import check_rnn_step_forward
from course_rnn.checks.stubs import install

STUB = '''
def rnn_forward(x):
    raise NotImplementedError("loop over time, calling rnn_step_forward")


def train(forward):
    return forward(0)
'''


@pytest.fixture
def shell():
    shell = InteractiveShell.instance()
    assert install()
    shell.run_cell(STUB)
    yield shell
    shell.set_custom_exc((), None)
    InteractiveShell.clear_instance()


def run(shell, capsys, source):
    """(the exception the cell stopped with, what it printed)."""
    result = shell.run_cell(source)
    return result.error_in_exec, capsys.readouterr().out.strip()


def test_a_stub_deep_in_a_call_prints_one_line_and_still_fails_the_cell(shell, capsys):
    error, printed = run(shell, capsys, "result = train(rnn_forward)")
    assert isinstance(error, NotImplementedError)  # the book's build and its tests see the error
    assert printed == ("NotImplementedError: this cell waits for rnn_forward, which is not "
                       "written yet: loop over time, calling rnn_step_forward.")


def test_a_later_cell_says_which_function_it_waits_for(shell, capsys):
    run(shell, capsys, "result = train(rnn_forward)")
    error, printed = run(shell, capsys, "print(result)")
    assert isinstance(error, NameError) and len(printed.splitlines()) == 1
    assert printed.startswith("NameError: name 'result' is not defined. An earlier cell "
                              "stopped because rnn_forward is not written yet")


def test_other_errors_keep_their_traceback(shell, capsys):
    error, printed = run(shell, capsys, "undefined_before_any_stub")
    assert isinstance(error, NameError) and "Traceback" in printed
    error, printed = run(shell, capsys, "train(lambda x: 1 / x)")
    assert isinstance(error, ZeroDivisionError) and "Traceback" in printed
    # a library's own NotImplementedError is not a stub of the student's
    error, printed = run(shell, capsys, "import logging\nlogging.Handler().emit(None)")
    assert isinstance(error, NotImplementedError) and "Traceback" in printed


def test_a_cell_that_is_itself_the_stub(shell, capsys):
    error, printed = run(shell, capsys, 'raise NotImplementedError("count the parameters")')
    assert printed == "NotImplementedError: this cell is yours to write: count the parameters."


def test_outside_ipython_nothing_is_installed():
    InteractiveShell.clear_instance()
    assert install() is False


def test_a_check_shows_its_message_and_no_return_value(capsys):
    verdict = check_rnn_step_forward(lambda *args: None)
    assert "✗ rnn_step_forward" in capsys.readouterr().out
    assert DisplayFormatter().format(verdict) == ({}, {})
    assert not verdict and repr(verdict) == "Verdict('rnn_step_forward', passed=False)"
