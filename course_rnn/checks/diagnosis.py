"""Explain a failure: which outputs are off, which typical mistake reproduces them, and
whether a backward at least fits the student's own forward.

The checks of the character-model exercise share one way of grading: each runs the student's
function on a few cases, keeps every returned array beside the package's reference
(:class:`Outcome`), and :func:`report_outcomes` says which output is wrong and by how much,
which cases it gets right, and which typical mistake reproduces the student's numbers on every
case. A typical mistake is a :class:`~course_rnn.checks.rnn_mistakes.Mistake` whose
``switches`` are passed to a simulation of the right computation with that one thing done
wrong. The RNN checks use the same :func:`matching_mistake`, :func:`scale_hint`,
:func:`own_forward_agreement`, :func:`mistakes_per_gradient` (the mistake behind each wrong
gradient of a backward) and :func:`ablation_finding` (what the probes that come out right have
in common), through :mod:`~course_rnn.checks.backward_diagnosis` and
:mod:`~course_rnn.checks.forward_blame`; the LSTM, GRU and attention checks use them all
through :mod:`~course_rnn.checks.paired_checks`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from course_rnn.checks.outputs import Mismatch, Problem, close, mismatch, precision_note
from course_rnn.checks.report import Report, call_and_unpack
from course_rnn.checks.results import Verdict
from course_rnn.checks.rnn_mistakes import Mistake
from course_rnn.gradcheck import numerical_gradient, relative_error


@dataclass(eq=False)
class Outcome:
    """What the student's function returned on one case, beside the reference.

    ``got`` and ``want`` hold one array per output name; ``case`` has a ``title`` and a
    ``label`` for messages.
    """

    case: object
    names: tuple[str, ...]
    got: tuple[np.ndarray, ...]
    want: tuple[np.ndarray, ...]

    @property
    def mismatches(self) -> list[Mismatch]:
        return [mismatch(g, w) for g, w in zip(self.got, self.want)]

    @property
    def ok(self) -> bool:
        return all(m.ok for m in self.mismatches)

    def wrong(self) -> list[tuple[str, Mismatch]]:
        """(name, Mismatch) of every output that is off."""
        return [(n, m) for n, m in zip(self.names, self.mismatches) if not m.ok]


def matching_mistake(observed: Sequence[tuple[object, tuple]], mistakes: Sequence[Mistake],
                     simulate: Callable) -> str | None:
    """The message of the first mistake whose simulation reproduces every output on every case.

    ``observed`` holds (case, the student's outputs) pairs; ``simulate(case, **switches)``
    returns the outputs in the same order, and may raise ValueError where the mistake would not
    run on a case's shapes (the case is skipped).
    """
    for mistake in mistakes:
        explained = 0
        for case, got in observed:
            try:
                simulated = simulate(case, **mistake.switches)
            except ValueError:
                continue
            if not all(close(g, s) for g, s in zip(got, simulated)):
                break
            explained += 1
        else:
            if explained:
                return mistake.message
    return None


def ablation_finding(ok: Mapping[object, bool],
                     rules: Sequence[tuple[Callable[[object], bool], str]]) -> str | None:
    """What the pattern of right and wrong probes says: the message of the first rule whose
    cases (``applies(case)``) all came out right while some other case did not.

    ``ok`` maps every case to whether the student's function got it right. A function that is
    right whenever ``h_prev = 0`` and wrong otherwise gets the recurrent term wrong.
    """
    for applies, message in rules:
        probes = [case for case in ok if applies(case)]
        others = [case for case in ok if not applies(case)]
        if probes and all(ok[case] for case in probes) and not all(ok[case] for case in others):
            return message
    return None


def batch_of_one_rule(what: str) -> tuple[Callable[[object], bool], str]:
    """The rule for a function right on a batch of one only; ``what`` begins the message,
    e.g. "Your h_next is". (The sizes of every case end in N, D, H.)"""
    return (lambda case: case.sizes[-3] == 1,
            f"{what} right for a batch of one but not for larger batches: each row of x is "
            "a separate example; every operation must work row by row (x @ W_ih.T does) and "
            "keep the batch axis first.")


def scale_hint(name: str, got: np.ndarray, want: np.ndarray) -> str | None:
    """A sentence when ``got`` is all zeros or a constant multiple of ``want``, else None."""
    if not np.any(got):
        return f"{name} is all zeros: is it computed at all, or overwritten at the end?"
    factor = float(np.vdot(got, want) / max(np.vdot(want, want), 1e-300))
    if close(got, factor * want):
        return (f"{name} is {factor:.3g} times the right value everywhere: a constant factor "
                "is wrong (an average instead of a sum? a stray factor of 2?).")
    return None


def mistakes_per_gradient(case, got, want, grad_names, mistakes, simulate,
                          all_wrong: str) -> list[str]:
    """The typical mistake that reproduces every gradient in ``got``, if one does; else, for
    every gradient that differs from ``want``, the first mistake whose simulation reproduces
    it (and differs from the right one), or a sentence on its scale; ``all_wrong`` when every
    gradient is wrong and no mistake explains any.

    ``simulate(case, **switches)`` returns the gradients in the order of ``grad_names``; it
    may raise ValueError where a mistake would not run on the case's shapes.
    """
    def simulated(mistake):
        try:
            return simulate(case, **mistake.switches)
        except ValueError:  # the student would have seen an error
            return None

    guesses = [(mistake, simulated(mistake)) for mistake in mistakes]
    for mistake, grads in guesses:  # one mistake that explains everything says the most
        if grads is not None and all(close(g, s) for g, s in zip(got, grads)):
            return [f"Most likely {mistake.message}"]
    found = []
    explained = False
    wrong = [not close(g, w) for g, w in zip(got, want)]
    for i, name in enumerate(grad_names):
        if not wrong[i]:
            continue
        message = next((f"Most likely {mistake.message}" for mistake, grads in guesses
                        if grads is not None and close(got[i], grads[i])
                        and not close(grads[i], want[i])), None)
        explained |= message is not None
        message = message or scale_hint(name, got[i], want[i])
        if message and message not in found:
            found.append(message)
    if not explained and all(wrong):
        found.append(all_wrong)
    return found


def report_outcomes(report: Report, outcomes: Sequence[Outcome], summary: str,
                    mistakes: Sequence[Mistake] = (), simulate: Callable | None = None,
                    fallback: Sequence[str | None] = (), returned: Sequence = (),
                    extra: Sequence[str] = ()) -> Verdict:
    """Print the pass line, or what is wrong and the likely cause; return the Verdict.

    ``fallback`` holds sentences for a failure that no typical mistake explains (None entries
    are skipped); ``extra`` sentences close a failure. ``returned`` holds the arrays as the
    student's function returned them: a pass line says when they were float32 (accepted
    within ``RTOL``).
    """
    failing = [outcome for outcome in outcomes if not outcome.ok]
    if not failing:
        return report.passed(summary + precision_note(returned))
    first = failing[0]
    wrong = first.wrong()
    details = [f"On the test '{first.case.title}', "
               + "; ".join(m.describe(n) for n, m in wrong[:3]) + "."]
    right = [outcome.case.label for outcome in outcomes if outcome.ok]
    if right:
        details.append(f"Right on: {', '.join(right)}; wrong on: "
                       f"{', '.join(outcome.case.label for outcome in failing)}.")
    observed = [(outcome.case, outcome.got) for outcome in outcomes]
    mistake = matching_mistake(observed, mistakes, simulate) if simulate else None
    if mistake:
        details.append(f"Most likely {mistake}")
    else:
        details += [hint for hint in fallback if hint]
    details += extra
    names = sorted({n for outcome in failing for n, _ in outcome.wrong()},
                   key=first.names.index)
    verb = "is" if len(names) == 1 else "are"
    if len(names) > 3:
        names = [*names[:2], f"{len(names) - 2} more"]
    return report.failed(f"{', '.join(names)} {verb} wrong on {len(failing)} of "
                         f"{len(outcomes)} tests.", *details)


NUMERICAL_BUDGET_S = 20.0  # central differences call the forward twice per input entry

ALSO_DISAGREES = ("Your backward also disagrees with numerical gradients of your own forward in "
                  "{off}, so the backward needs work too once the forward is fixed.")


def own_forward_agreement(forward_fn, args: list[tuple[str, np.ndarray]], grads: dict,
                          upstream, time_limit: float, *, outputs: Sequence[str] = ("output",),
                          precise: bool = True, budget_s: float | None = None,
                          disagrees: str = ALSO_DISAGREES) -> str:
    """Whether a backward's gradients match central differences of the student's own forward.

    Used when the forward is wrong, so that a backward is judged against the forward it
    belongs to. ``args`` are the forward's (name, value) arguments; ``grads`` maps the name of
    each argument to differentiate to the backward's gradient for it. The forward returns
    ``(*outputs, cache)``; the scalar differentiated is the sum over its outputs of
    sum(output * upstream), with ``upstream`` an array or a tuple of one array per output.
    ``precise=False`` (a float32 forward) widens the step and the tolerance. ``budget_s``
    (default :data:`NUMERICAL_BUDGET_S`, read at the call) bounds the seconds spent;
    ``disagrees`` is the sentence for gradients that disagree, with ``{off}`` for their names.
    An input the forward does not use at all (its numerical gradient is exactly zero) is not
    compared but named. Returns a sentence for the student.
    """
    budget_s = NUMERICAL_BUDGET_S if budget_s is None else budget_s
    arrays = [(name, np.array(value, dtype=np.float64) if name in grads else value)
              for name, value in args]  # the others (a boolean mask, None) stay as they are
    probe = Report("numerical gradient")  # collects printed lines; never shown

    def forward():
        values = call_and_unpack(probe, forward_fn, arrays, "your forward", (*outputs, "cache"),
                                 time_limit)
        return tuple(np.asarray(value, dtype=np.float64) for value in values[:-1])

    named = dict(arrays)
    calls = 2 * sum(named[name].size for name in grads)
    eps, limit = (1e-6, 1e-5) if precise else (1e-3, 1e-2)
    try:
        started = time.perf_counter()
        forward()
        seconds = calls * (time.perf_counter() - started)
        if seconds > budget_s:
            return (f"(Numerical gradients of your forward were skipped: {calls} calls would "
                    f"take about {seconds:.0f} s.)")
        numerical = {name: numerical_gradient(forward, named[name], upstream, eps=eps)
                     for name in grads}
    except Problem as problem:
        return f"(Numerical gradients of your forward could not be computed: {problem})"
    unused = [name for name, grad in grads.items() if not np.any(numerical[name])
              and np.any(grad)]
    off = [f"d{name}" for name, grad in grads.items()
           if name not in unused and relative_error(grad, numerical[name]) > limit]
    note = (f" Your forward does not use {', '.join(unused)} at all (its numerical gradient is "
            "zero), so that gradient was not compared." if unused else "")
    if not off:
        return ("Your backward does match numerical gradients of your own forward, so it is "
                "consistent with it: fix the forward, then check again." + note)
    return disagrees.format(off=", ".join(off)) + note
