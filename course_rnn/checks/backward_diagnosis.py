"""What is wrong in a backward pass whose forward is right: the tutor's part of the checks.

Given one failing run (the student's six gradients and the reference), it names the typical
mistake that reproduces each wrong gradient (simulated in
:mod:`~course_rnn.checks.rnn_mistakes`), a constant factor or an all-zero gradient
(:func:`~course_rnn.checks.diagnosis.scale_hint`), or, when all six are wrong and nothing
reproduces them, ``da``, from which all six are computed. Across runs, it says which probes
(a batch of one, a single step) come out right.
"""

from __future__ import annotations

from course_rnn.checks.diagnosis import scale_hint
from course_rnn.checks.outputs import close
from course_rnn.checks.rnn_cases import step_grads
from course_rnn.checks.rnn_mistakes import BACKWARD_MISTAKES, mistaken_backward, mistakes_for


def likely_mistakes(run, grad_names) -> list[str]:
    """For every wrong gradient of ``run``, the typical mistake that reproduces it (or its
    scale); then, if all six are wrong and no mistake explains them, the shared cause."""
    simulated = {}
    found = []
    explained = False
    for i, name in enumerate(grad_names):
        if run.backward[i].ok:
            continue
        message = None
        for mistake in mistakes_for(BACKWARD_MISTAKES, run.sequence):
            if mistake.message not in simulated:
                simulated[mistake.message] = simulate(run.case, mistake, run.sequence)
            grads = simulated[mistake.message]
            guess = None if grads is None else grads[i]
            if guess is not None and close(run.grads[i], guess) \
                    and not close(guess, run.want[i]):
                message = f"Most likely {mistake.message}"
                explained = True
                break
        message = message or scale_hint(name, run.grads[i], run.want[i])
        if message and message not in found:
            found.append(message)
    if not explained and not any(m.ok for m in run.backward):
        found.append(_da_is_wrong(run.sequence))
    return found


def _da_is_wrong(sequence: bool) -> str:
    formula = ("(dh[t] + dh_next) * (1 - h[t]**2), with the total gradient reaching h[t]"
               if sequence else "dh_next * (1 - h_next**2)")
    return ("All six gradients are wrong, and every one of them is computed from "
            f"da = {formula}: da itself is most likely wrong. Print it for a batch of one and "
            "compare with the formula, factor by factor.")


def simulate(case, mistake, sequence: bool):
    """The six gradients ``mistake`` produces on ``case``, shaped for a step or a sequence;
    None when its shapes do not fit (the student would have seen an error)."""
    try:
        grads = mistaken_backward(case, **mistake.switches)
    except ValueError:
        return None
    return grads if sequence else step_grads(grads)


def probe_findings(runs, sequence: bool) -> list[str]:
    """What the runs that came out right have in common (a batch of one, a single step)."""
    def all_right(pick):
        chosen = [run for run in runs if pick(run.case)]
        others = [run for run in runs if not pick(run.case)]
        return chosen and all(r.ok for r in chosen) and not all(r.ok for r in others)

    if all_right(lambda c: c.sizes[1] == 1):
        return ["Your gradients are right for a batch of one but not for larger batches: the "
                "weight and bias gradients sum over the batch, and every other gradient is "
                "computed row by row."]
    if sequence and all_right(lambda c: c.sizes[0] == 1):
        return ["Your gradients are right for one time step but not for longer sequences: "
                "look at what flows between steps (dh_next into step t - 1, added to dh[t - 1]) "
                "and at the sums over time of the weight gradients."]
    return []
