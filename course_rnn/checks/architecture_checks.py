"""Checks for exercise 6: a many-to-one classifier and a one-to-many generator wired from layers.

``check_classifier_forward`` and ``check_classifier_loss`` grade the classifier against the
package's ``RNNClassifier``; ``check_generator_forward`` and ``check_generator_loss`` grade the
generator, its label fed at every step, against the package's ``EveryStepGenerator``. Each
test hands the student's function a fresh ``RNN`` and ``Linear`` with fixed weights; a loss
function is graded on the loss it returns and on the gradients it leaves in the two layers'
``grads``. A loss check first runs the student's forward: when that is wrong, it says so
rather than blaming the loss. The cases, references and simulated mistakes are in
:mod:`~course_rnn.checks.architecture_mistakes`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from course_rnn.checks.architecture_mistakes import (
    GRAD_NAMES,
    HEAD_GRADS,
    RNN_GRADS,
    classifier_cases,
    generator_cases,
    layer_grads,
    mistaken_classifier,
    mistaken_generator,
)
from course_rnn.checks.diagnosis import Outcome, report_outcomes
from course_rnn.checks.outputs import Problem, as_array, mismatch
from course_rnn.checks.report import (
    NotImplementedYet,
    Report,
    call_checked,
    never_raises,
    report_forward_problem,
    report_problem,
)
from course_rnn.checks.results import Verdict
from course_rnn.checks.rnn_mistakes import Mistake

CLASSIFIER_FORWARD_MISTAKES = [
    Mistake("the head reads the first state, output[0]: the state after the first step has "
            "seen only a pad or the first word. The sentence ends at the last step, so read "
            "output[-1] (or h_n[0]).", {"read": "first"}),
    Mistake("the head reads the state at step lengths - 1, where a sentence padded on the "
            "right would end. The negation task pads on the LEFT: every sentence ends at the "
            "last step, so the state after its last word is output[-1] for every row; step "
            "lengths - 1 is a pad or a word in the middle.", {"read": "lengths"}),
    Mistake("the head reads the mean of the states over time: a many-to-one classifier reads "
            "the state after the last word, output[-1], which has read the whole sentence.",
            {"read": "mean"}),
    Mistake("the head's bias is missing: apply the layer, head(state) (or add "
            "head.params['bias'] to state @ head.params['weight'].T).", {"bias": False}),
]

CLASSIFIER_LOSS_MISTAKES = [
    Mistake("the head's gradient goes back to the first state, doutput[0]; it belongs where "
            "the head read, the last state: doutput[-1] = head.backward(dlogits), zeros "
            "elsewhere.", {"grad_at": "first"}),
    Mistake("the head's gradient is copied to every state; only the last state feeds the head, "
            "so doutput is zero at every other step: doutput[-1] = head.backward(dlogits).",
            {"grad_at": "all"}),
    Mistake("the loss is summed over the sentences; it is their mean (softmax_cross_entropy's "
            "default reduction), so that the learning rate does not depend on the batch size.",
            {"reduction": "sum"}),
]

GENERATOR_FORWARD_MISTAKES = [
    Mistake("the label enters at step 0 only, with zeros after: that is the other variant. "
            "Here the one-hot label is the input of every step, x[t] = onehot(label) for all "
            "t (np.broadcast_to or np.repeat along a new time axis).", {"label_at": "first"}),
    Mistake("the head's bias is missing: apply the layer, head(output) (or add "
            "head.params['bias']).", {"bias": False}),
    Mistake("the (T, N, V) scores are reshaped to (N, T, V) where they must be transposed: "
            "reshape keeps the order of the numbers, so scores land in the wrong sequence. "
            "Use .transpose(1, 0, 2).", {"layout": "reshape"}),
]

_MEAN_NT = "this exercise's loss is the mean over all N*T positions"

GENERATOR_LOSS_MISTAKES = [
    Mistake(f"the loss is summed over the steps and averaged over the sequences; {_MEAN_NT} "
            "(softmax_cross_entropy on the (N, T, V) logits and (N, T) targets computes it), "
            "so divide by N*T.", {"divide_by": "N"}),
    Mistake(f"the loss is averaged over the steps only; {_MEAN_NT}, so divide by N*T.",
            {"divide_by": "T"}),
    Mistake(f"the loss is summed over every position; {_MEAN_NT}.", {"divide_by": "1"}),
    Mistake("dlogits (N, T, V) is reshaped back to (T, N, V) where it must be transposed: "
            "reshape keeps the order of the numbers, so each gradient reaches the wrong state. "
            "Use dlogits.transpose(1, 0, 2).", {"back": "reshape"}),
]


def _input_size_hint(problem: Problem, function: str, size: str) -> Problem:
    """The problem, with a sentence added when the RNN refused an input of the wrong size or
    an id did not fit a one-hot table (np.eye) that is too small."""
    symptoms = ("input: expected shape (T, N, D=", "is out of bounds for axis")
    if not any(symptom in str(problem) for symptom in symptoms):
        return problem
    return Problem(f"{problem} The one-hot inputs of {function} have {size} entries: "
                   "build them with that size, not one taken from the data of this batch or "
                   "from a constant of the exercise.")


def _read_grads(rnn, head, function: str) -> tuple:
    """The six gradients the student's function left in the layers, or Problem."""
    for name, layer, keys in (("rnn", rnn, RNN_GRADS), ("head", head, HEAD_GRADS)):
        if not layer.grads:
            raise Problem(f"{name}.grads is empty after {function}: call {name}.backward(...) "
                          "with the gradient at its output, after the forward pass.")
        missing = [key for key in keys if key not in layer.grads]
        if missing:
            raise Problem(f"{name}.grads lacks {', '.join(missing)}: fill it with "
                          f"{name}.backward(...), not by hand.")
    return tuple(as_array(g, name, g.shape) for g, name in zip(layer_grads(rnn, head),
                                                               GRAD_NAMES))


def _logits(report, fn, case, function: str, shape, hints, size: str, time_limit: float):
    try:
        value = call_checked(report, fn, case.args(), function, time_limit)
    except NotImplementedYet:
        raise
    except Problem as problem:
        raise _input_size_hint(problem, function, size) from None
    if value is None:
        raise Problem(f"{function} returned None: is the `return logits` missing?")
    if isinstance(value, tuple):
        raise Problem(f"{function} returned a tuple of {len(value)} values; it returns the "
                      f"logits alone, an array of shape {shape}.")
    return as_array(value, "logits", shape, hints)


def _logits_of(simulate):
    """A simulation's logits alone, as a forward check compares them."""
    def outputs(case, **switches):
        return simulate(case, **switches)[:1]
    return outputs


def _loss_and_grads_of(simulate):
    """A simulation's loss and six gradients, as a loss check compares them."""
    def outputs(case, **switches):
        _, loss, grads = simulate(case, **switches)
        return (loss, *grads)
    return outputs


@dataclass(frozen=True)
class Architecture:
    """What the two checks of one model need: its name (``"classifier"``), its test cases,
    how to read its forward's logits, its typical mistakes, their simulation, and the pass
    lines."""

    name: str
    cases: Callable
    read_logits: Callable
    forward_mistakes: Sequence[Mistake]
    loss_mistakes: Sequence[Mistake]
    simulate: Callable
    forward_summary: str
    loss_summary: str


def _grade_forward(model: Architecture, fn, time_limit: float) -> Verdict:
    report = Report(f"{model.name}_forward")
    outcomes = []
    for case in model.cases():
        try:
            logits = model.read_logits(report, fn, case, time_limit)
        except Problem as problem:
            return report_problem(report, problem, case.title)
        outcomes.append(Outcome(case, ("logits",), (logits,), (case.reference()[0],)))
    return report_outcomes(report, outcomes, model.forward_summary, model.forward_mistakes,
                           _logits_of(model.simulate))


def _grade_loss(model: Architecture, forward_fn, loss_fn, time_limit: float) -> Verdict:
    name, forward_name = f"{model.name}_loss", f"{model.name}_forward"
    report = Report(name)
    outcomes = []
    for case in model.cases():
        want_logits, *want = case.reference()
        try:
            logits = model.read_logits(report, forward_fn, case, time_limit)
        except Problem as problem:
            return report_forward_problem(report, problem, forward_name, case.title)
        forward_error = mismatch(logits, want_logits)
        if not forward_error.ok:
            return report.failed(f"your {forward_name} is wrong, so the loss and gradients "
                                 "cannot be right either.",
                                 f"On the test '{case.title}', {forward_error.describe('logits')}. "
                                 f"check_{forward_name}(...) says what is wrong with it.")
        args = case.args(True)
        rnn, head = args[0][1], args[1][1]
        try:
            loss = call_checked(report, loss_fn, args, name, time_limit)
            if loss is None:
                raise Problem(f"{name} returned None: is the `return loss` missing?")
            got = (as_array(loss, "loss", ()), *_read_grads(rnn, head, name))
        except Problem as problem:
            return report_problem(report, problem, case.title)
        outcomes.append(Outcome(case, ("loss", *GRAD_NAMES), got, (want[0], *want[1])))
    return report_outcomes(report, outcomes, model.loss_summary, model.loss_mistakes,
                           _loss_and_grads_of(model.simulate))


def _classifier_logits(report, fn, case, time_limit):
    N, T = case.tokens.shape
    K = case.sizes[2]
    return _logits(report, fn, case, "classifier_forward", (N, K), {
        (T, K): "that is one row per step: the RNN read (N, T, V) one-hot inputs as time-major "
                "and took the sentences for steps. one_hot(tokens, V) is (T, N, V).",
        (T, N, K): "those are the scores of every state; a many-to-one classifier scores only "
                   "the state after the last word, output[-1].",
        (N, T, K): "those are the scores of every state; a many-to-one classifier scores only "
                   "the state after the last word, output[-1].",
        (1, N, K): "that is h_n with its layer axis; take h_n[0] (or output[-1])."},
        "V = rnn.input_size", time_limit)


def _generator_logits(report, fn, case, time_limit):
    N, T = case.targets.shape
    V = case.sizes[2]
    return _logits(report, fn, case, "generator_forward", (N, T, V), {
        (T, N, V): "those are time-major; turn them to one row per sequence with "
                   ".transpose(1, 0, 2).",
        (N, V): "that is one step; the generator scores the state of every step.",
        (T, V): "that is one step per row; feed the label at every one of the T steps and "
                "score every state."},
        "K = rnn.input_size (the number of classes)", time_limit)


CLASSIFIER = Architecture(
    "classifier", classifier_cases, _classifier_logits, CLASSIFIER_FORWARD_MISTAKES,
    CLASSIFIER_LOSS_MISTAKES, mistaken_classifier,
    "logits match the package's RNNClassifier on 4 tests (sentences of 1 to 6 words padded "
    "on the left, N = T, no padding, a batch of one).",
    "the loss and the six gradients match the package's RNNClassifier on 4 tests.")

GENERATOR = Architecture(
    "generator", generator_cases, _generator_logits, GENERATOR_FORWARD_MISTAKES,
    GENERATOR_LOSS_MISTAKES, mistaken_generator,
    "logits match the package's EveryStepGenerator on 4 tests (N = T, a batch without the "
    "last class, one step).",
    "the loss and the six gradients match the package's EveryStepGenerator on 4 tests.")


@never_raises
def check_classifier_forward(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``classifier_forward(rnn, head, tokens) -> logits`` (N, K) for
    left-padded (N, T) token ids; print a pass line or hints. Never raises."""
    return _grade_forward(CLASSIFIER, fn, time_limit)


@never_raises
def check_generator_forward(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``generator_forward(rnn, head, labels, steps) -> logits`` (N, T, V),
    the label fed at every step; print a pass line or hints. Never raises."""
    return _grade_forward(GENERATOR, fn, time_limit)


@never_raises
def check_classifier_loss(forward_fn, loss_fn, *, time_limit: float = 5.0) -> Verdict:
    """Check ``classifier_loss(rnn, head, tokens, labels) -> loss`` and the gradients it leaves
    in ``rnn.grads`` and ``head.grads``, with the ``classifier_forward`` it uses."""
    return _grade_loss(CLASSIFIER, forward_fn, loss_fn, time_limit)


@never_raises
def check_generator_loss(forward_fn, loss_fn, *, time_limit: float = 5.0) -> Verdict:
    """Check ``generator_loss(rnn, head, labels, targets) -> loss``, the mean over all N*T
    positions, and the gradients it leaves in the layers, with its ``generator_forward``;
    print a pass line or hints. Never raises."""
    return _grade_loss(GENERATOR, forward_fn, loss_fn, time_limit)
