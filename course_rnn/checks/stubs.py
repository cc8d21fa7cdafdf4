"""One clear line, instead of a traceback, when a notebook cell stops at an unwritten function.

An exercise's stub raises ``NotImplementedError("<what to write>")``. Called from a cell, or
from deep inside the package (training calls the student's ``rnn_forward``), it would print a
traceback of several frames, and every later cell that uses a result of that cell would stop
with a ``NameError``. Importing :mod:`course_rnn.checks` in IPython (Jupyter, the book's
build) registers :func:`one_line_handler` for these two exceptions, so that

- a stub prints ``NotImplementedError: this cell waits for rnn_forward, which is not written
  yet: loop over time, calling rnn_step_forward.``;
- a ``NameError`` after a stub stopped a cell says which function the missing name waits for.

The cell still fails (the book's build and its tests see the error); only its text is shorter.
Every other exception, a NotImplementedError raised in a library, and a NameError when no stub
has stopped a cell show as usual.
"""

from __future__ import annotations

import traceback

from course_rnn.checks.safe_call import is_library

_stopped_by: list[str] = []  # functions whose stubs stopped a cell in this session, latest last


def raised_by_student(tb) -> bool:
    """True when the traceback ends in the student's code (a notebook cell), not in a library:
    a NotImplementedError of the package itself keeps its traceback."""
    frames = traceback.extract_tb(tb)
    return bool(frames) and not is_library(frames[-1].filename)


def stub_function(tb) -> str | None:
    """The name of the function whose ``raise`` the traceback ends in; None at a cell's top
    level (a cell that is itself the stub)."""
    name = traceback.extract_tb(tb)[-1].name
    return None if name.startswith("<") else name


def stub_message(error: NotImplementedError, function: str | None) -> str:
    """The one line shown for a stub that stopped a cell."""
    task = str(error).strip() or "write your solution"
    if function is None:
        return f"NotImplementedError: this cell is yours to write: {task}."
    return (f"NotImplementedError: this cell waits for {function}, which is not written yet: "
            f"{task}.")


def waiting_message(error: NameError) -> str:
    """The one line shown for a name that a cell stopped by a stub did not define."""
    return (f"NameError: {error}. An earlier cell stopped because {_stopped_by[-1]} is not "
            "written yet; once it is, run the cells from there again.")


def one_line_handler(shell, etype, value, tb, tb_offset=None):
    """IPython's custom exception handler (see ``InteractiveShell.set_custom_exc``)."""
    if issubclass(etype, NotImplementedError) and raised_by_student(tb):
        function = stub_function(tb)
        if function:
            _stopped_by.append(function)
        shell._showtraceback(etype, value, [stub_message(value, function)])
    elif issubclass(etype, NameError) and _stopped_by:
        shell._showtraceback(etype, value, [waiting_message(value)])
    else:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)


def install() -> bool:
    """Register :func:`one_line_handler` in the running IPython, with no stub remembered yet;
    False outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: tracebacks stay as they are
        return False
    shell = get_ipython()
    if shell is None:
        return False
    _stopped_by.clear()
    shell.set_custom_exc((NotImplementedError, NameError), one_line_handler)
    return True
