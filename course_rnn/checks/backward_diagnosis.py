"""What is wrong in a backward pass whose forward is right: the tutor's part of the checks.

Given one failing run (the student's six gradients and the reference), it names the typical
mistake that reproduces each wrong gradient (simulated in
:mod:`~course_rnn.checks.rnn_mistakes`), a constant factor or an all-zero gradient
(:func:`~course_rnn.checks.diagnosis.scale_hint`), or, when all six are wrong and nothing
reproduces them, ``da``, from which all six are computed. Across runs, it says which probes
(a batch of one, a single step) come out right.
"""

from __future__ import annotations

from course_rnn.checks.diagnosis import (
    ablation_finding,
    batch_of_one_rule,
    mistakes_per_gradient,
)
from course_rnn.checks.rnn_cases import step_grads
from course_rnn.checks.rnn_mistakes import BACKWARD_MISTAKES, mistaken_backward, mistakes_for


def likely_mistakes(run, grad_names) -> list[str]:
    """For every wrong gradient of ``run``, the typical mistake that reproduces it (or its
    scale); then, if all six are wrong and no mistake explains them, the shared cause."""
    def simulate(case, **switches):
        grads = mistaken_backward(case, **switches)
        return grads if run.sequence else step_grads(grads)

    return mistakes_per_gradient(run.case, run.grads, run.want, grad_names,
                                 mistakes_for(BACKWARD_MISTAKES, run.sequence), simulate,
                                 _da_is_wrong(run.sequence))


def _da_is_wrong(sequence: bool) -> str:
    formula = ("(dh[t] + dh_next) * (1 - h[t]**2), with the total gradient reaching h[t]"
               if sequence else "dh_next * (1 - h_next**2)")
    return ("All six gradients are wrong, and every one of them is computed from "
            f"da = {formula}: da itself is most likely wrong. Print it for a batch of one and "
            "compare with the formula, factor by factor.")


def probe_findings(runs, sequence: bool) -> list[str]:
    """What the runs that came out right have in common (a batch of one, a single step)."""
    rules = [batch_of_one_rule("Your gradients are")]
    if sequence:
        rules.append((lambda c: c.sizes[0] == 1,
                      "Your gradients are right for one time step but not for longer "
                      "sequences: look at what flows between steps (dh_next into step t - 1, "
                      "added to dh[t - 1]) and at the sums over time of the weight gradients."))
    finding = ablation_finding({run.case: run.ok for run in runs}, rules)
    return [finding] if finding else []
