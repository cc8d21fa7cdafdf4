"""Checks for training the character model: one chunk's loss and gradients, and a pass of TBPTT.

``check_loss_and_gradients`` grades ``loss_and_gradients(params, inputs, targets, h_init) ->
(loss, grads, h_last)``: the student's model (their output layer and loss on top of a recurrent
layer) on one chunk, against the package's ``CharModel``. ``check_train_one_pass`` grades
``train_one_pass(params, inputs, targets, seq_len, lr, max_norm) -> losses``: truncated BPTT
over the streams, with clipping and SGD, against the package's ``train_steps``. The cases, the
reference and the simulated mistakes are in :mod:`~course_rnn.checks.training_mistakes`.
"""

from __future__ import annotations

import numpy as np

from course_rnn.checks.diagnosis import Outcome, report_outcomes
from course_rnn.checks.outputs import Problem, as_array, as_array_dict
from course_rnn.checks.report import (
    Report,
    call_and_unpack,
    call_checked,
    never_raises,
    report_problem,
)
from course_rnn.checks.results import Verdict
from course_rnn.checks.rnn_mistakes import Mistake
from course_rnn.checks.training_mistakes import (
    PARAM_NAMES,
    chunk_cases,
    mistaken_chunk,
    mistaken_pass,
    param_shapes,
    pass_cases,
)

_CARRY = ("carry the state across chunks: each chunk starts from the h_last of the chunk "
          "before (zeros only for the first)")

CHUNK_MISTAKES = [
    Mistake("h_init is ignored: the chunk must start from h_init, the state carried over from "
            f"the previous chunk; that is how training can {_CARRY}.", {"use_h_init": False}),
    Mistake("h_last is the state after the first step; return h[-1], the state after the "
            "chunk's last step, which the next chunk starts from.", {"h_last": "first"}),
    Mistake("h_last is h_init handed back unchanged; return h[-1], the state after the "
            "chunk's last step.", {"h_last": "init"}),
    Mistake("z is reshaped to (N, T, K) where it must be transposed: reshape keeps the "
            "order of the numbers, so scores land beside the wrong targets. Use "
            "z.transpose(1, 0, 2), and the same to bring dlogits back to (T, N, K).",
            {"to_loss": "reshape", "from_loss": "reshape"}),
    Mistake("dlogits is reshaped back to (T, N, K) where it must be transposed: reshape keeps "
            "the order of the numbers, so each gradient reaches the wrong position. Use "
            "dlogits.transpose(1, 0, 2).", {"from_loss": "reshape"}),
    Mistake("the recurrent layer's gradients are zero: pass dh, the gradient output_backward "
            "returns at every state, into rnn_backward and keep its weight and bias gradients.",
            {"rnn_grads": False}),
]

PASS_MISTAKES = [
    Mistake(f"the state is not carried: every chunk starts from zeros. {_CARRY[0].upper()}"
            f"{_CARRY[1:]}; check that loss_and_gradients starts from its h_init, and that the "
            "loop passes h_last on.", {"carry": False}),
    Mistake("the gradient is not stopped at the chunk boundaries: each step trains on "
            "everything read so far, backpropagating from the start of the streams. Truncated "
            "BPTT runs the chunk alone, from the carried state, and backpropagates through it "
            "only (the gradient at h_init is dropped), so every update costs the same.",
            {"truncate": False}),
    Mistake("the gradients are not clipped (or the clipped ones are not used): update with "
            "the gradients that clip_gradients returns.", {"clip": False}),
    Mistake("the parameters move up the gradient: gradient descent subtracts, "
            "params[name] -= lr * grads[name].", {"sign": 1.0}),
    Mistake("every step reads the first chunk again: chunk k covers the steps "
            "k * seq_len to (k + 1) * seq_len - 1 of the streams.", {"advance": False}),
    Mistake("the losses are right but the parameters in params did not change: update its "
            "arrays in place, params[name] -= lr * grads[name] (a new dict bound to the local "
            "name params leaves the caller's as it was).", {"in_place": False}),
]


@never_raises
def check_loss_and_gradients(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``loss_and_gradients(params, inputs, targets, h_init) -> (loss, grads,
    h_last)`` for one chunk ((N, T) ids, h_init (N, H)); print a pass line or hints. Never
    raises."""
    report = Report("loss_and_gradients")
    outcomes, returned = [], []
    for case in chunk_cases():
        H, K = case.params["W_ih"].shape
        try:
            loss, grads, h_last = call_and_unpack(report, fn, case.args(), "loss_and_gradients",
                                                  ("loss", "grads", "h_last"), time_limit)
            got = (as_array(loss, "loss", ()),
                   *as_array_dict(grads, "grads", param_shapes(H, K)).values(),
                   as_array(h_last, "h_last", case.h_init.shape, {
                       (case.inputs.shape[1], *case.h_init.shape):
                           "that is every state; return only the last, h[-1]."}))
        except Problem as problem:
            return report_problem(report, problem, case.title)
        returned += [loss, *grads.values(), h_last]
        names = ("loss", *(f"grads['{name}']" for name in PARAM_NAMES), "h_last")
        outcomes.append(Outcome(case, names, got, case.reference()))
    return report_outcomes(report, outcomes, f"loss, the six gradients and h_last correct on "
                           f"{len(outcomes)} tests (N ≠ T and N = T, h_init zero or not, one "
                           "step).", CHUNK_MISTAKES, mistaken_chunk, returned=returned)


@never_raises
def check_train_one_pass(fn, *, time_limit: float = 10.0) -> Verdict:
    """Check a student's ``train_one_pass(params, inputs, targets, seq_len, lr, max_norm) ->
    losses``, which updates ``params`` in place; print a pass line or hints. Never raises."""
    report = Report("train_one_pass")
    outcomes = []
    for case in pass_cases():
        args = case.args()
        try:
            losses = _losses(call_checked(report, fn, args, "train_one_pass", time_limit), case)
            params = as_array_dict(args[0][1], "params after the pass",
                                   {name: p.shape for name, p in case.params.items()})
        except Problem as problem:
            return report_problem(report, problem, case.title)
        names = ("losses", *(f"params['{name}']" for name in PARAM_NAMES))
        outcomes.append(Outcome(case, names, (losses, *params.values()), case.reference()))
    return report_outcomes(report, outcomes, f"the losses and the trained parameters match the "
                           f"package's truncated BPTT on {len(outcomes)} tests (with and without "
                           "clipping, one chunk and three).", PASS_MISTAKES, mistaken_pass)


def _losses(value, case) -> np.ndarray:
    """The returned losses as an array of one loss per chunk, or Problem."""
    if value is None:
        raise Problem("train_one_pass returned None: is the `return losses` missing?")
    L = case.inputs.shape[1]
    return as_array(value, "losses", (L // case.seq_len,), {
        (L,): "that is one loss per step; record one per chunk, the chunk's mean loss.",
        (L - case.seq_len + 1,): "chunks overlap: move on by seq_len steps, not by one."})
