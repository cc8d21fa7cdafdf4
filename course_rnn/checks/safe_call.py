"""Call a student's function so that nothing it does can crash the check that called it.

A check must survive whatever it is given: a function that raises, loops forever, prints a
thousand lines, returns garbage or writes into its inputs. :func:`call_student` turns each of
these into a sentence a student can act on and never lets an exception escape.

The time limit uses ``SIGALRM`` (interval timer) where it can: in the main thread on Unix, which
is where a Jupyter kernel runs cells. Elsewhere (Windows, a worker thread) the call runs in a
daemon thread that is abandoned when it overruns; the check still returns on time.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import site
import sysconfig
import threading
import traceback
import warnings
from dataclasses import dataclass, field

import numpy as np

import course_rnn


class TimeLimitExceeded(BaseException):
    """Raised inside a student's function when it overruns (BaseException: `except
    Exception` in the student's code must not swallow it)."""


@dataclass
class Call:
    """What happened when a student's function was called."""

    value: object = None
    problem: str | None = None            # a sentence for the student; None when it returned
    not_implemented: bool = False
    printed_lines: int = 0
    mutated: list[str] = field(default_factory=list)


def _library_dirs() -> tuple[str, ...]:
    dirs = [os.path.dirname(course_rnn.__file__), os.path.dirname(np.__file__),
            sysconfig.get_paths()["stdlib"], *getattr(site, "getsitepackages", list)()]
    return tuple(os.path.realpath(d) + os.sep for d in dirs)


_LIBRARY_DIRS = _library_dirs()


def is_library(filename: str) -> bool:
    """True for a file of the package, NumPy, the standard library or site-packages."""
    return filename.startswith("<frozen") or os.path.realpath(filename).startswith(_LIBRARY_DIRS)


def where_in_student_code(tb) -> str:
    """' (line 4 of your code: `h = x @ W_ih`)' for the innermost frame outside libraries."""
    for frame in reversed(traceback.extract_tb(tb)):
        if not is_library(frame.filename):
            code = f": `{frame.line.strip()}`" if frame.line else ""
            return f" (line {frame.lineno} of your code, in {frame.name}{code})"
    return ""


def _run_with_alarm(fn, args, seconds):
    def on_alarm(signum, frame):
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _run_in_thread(fn, args, seconds):
    box = {}

    def target():
        try:
            box["value"] = fn(*args)
        except BaseException as error:  # handed to the caller below
            box["error"] = error

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeLimitExceeded
    if "error" in box:
        raise box["error"]
    return box["value"]


def _run_limited(fn, args, seconds):
    alarm_works = (hasattr(signal, "setitimer")
                   and threading.current_thread() is threading.main_thread())
    return (_run_with_alarm if alarm_works else _run_in_thread)(fn, args, seconds)


def call_student(fn, args: list[tuple[str, object]], label: str, time_limit: float) -> Call:
    """Call ``fn(*values)`` on copies of the arrays in ``args``; never raises.

    Parameters
    ----------
    fn : the student's function.
    args : (name, value) pairs in call order; NumPy arrays are copied, and the copies compared
        with the originals afterwards to catch in-place changes.
    label : the function's name in messages, e.g. ``"rnn_step_forward"``.
    time_limit : seconds before the call is abandoned.
    """
    given = [v.copy() if isinstance(v, np.ndarray) else v for _, v in args]
    call = Call()
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), warnings.catch_warnings(), \
                np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            call.value = _run_limited(fn, given, time_limit)
    except TimeLimitExceeded:
        call.problem = (f"{label} did not finish within {time_limit:g} s on a tiny input: "
                        "look for a loop that never ends (a `while` whose condition never "
                        "changes, or a loop over the wrong range).")
    except NotImplementedError as error:
        call.not_implemented = True
        call.problem = f"{label} is not implemented yet (it raises NotImplementedError: {error})."
    except BaseException as error:  # the student's code may raise anything at all
        if isinstance(error, KeyboardInterrupt):
            raise
        message = str(error).strip().splitlines()[0] if str(error).strip() else ""
        call.problem = (f"{label} raised {type(error).__name__}: {message}"
                        f"{where_in_student_code(error.__traceback__)}.")
        if isinstance(error, TypeError) and "argument" in message:
            call.problem += (" The check calls it with the exercise's parameters, in order; "
                             "keep the parameter list as given.")
        if any(word in message for word in ("matmul", "not aligned", "broadcast")):
            call.problem += (" Sizes that do not fit in a product or a sum usually mean a "
                             "factor needs transposing (.T) or an axis is missing: print the "
                             "shapes of both operands.")
    call.printed_lines = len(printed.getvalue().splitlines())
    call.mutated = [name for (name, original), passed in zip(args, given)
                    if isinstance(original, np.ndarray) and not _same(original, passed)]
    return call


def _same(original: np.ndarray, passed) -> bool:
    return (isinstance(passed, np.ndarray) and passed.shape == original.shape
            and np.array_equal(original, passed, equal_nan=True))
