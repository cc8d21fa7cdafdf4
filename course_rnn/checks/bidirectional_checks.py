r"""Check a student's bidirectional RNN layer built from the package's ``rnn_forward``.

``bidirectional_rnn_forward(x, h0_forward, h0_backward, forward_params, backward_params,
merge) -> output``: the forward direction runs h->_t = tanh(U x_t + W h->_{t-1} + b) from
h0_forward, the backward one h<-_t = tanh(U' x_t + W' h<-_{t+1} + b') from h0_backward (the
state after the last step), each with its own parameters ``(W_ih, W_hh, b_ih, b_hh)``, and
``output[t] = f(h->_t, h<-_t)`` with f one of the merges of
:mod:`course_rnn.numpy.direction_merge` (``"concat"``, ``"sum"``, ``"mean"``).

The reference is the package's own ``rnn_forward`` and ``merge_directions``; the check
compares on five cases (each merge, a batch of one, one step) and names the typical mistake
that reproduces a wrong output: the backward outputs left in reversed order, the sequence never
reversed, a direction started from the other's state, one set of weights for both, the
directions swapped, mean computed as a sum. A merge over the wrong axis shows in the shape.

Shapes: T time, N batch, D input features, H hidden units per direction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_rnn.checks.diagnosis import Outcome, report_outcomes
from course_rnn.checks.outputs import Problem, as_array
from course_rnn.checks.report import Report, call_checked, never_raises, report_problem
from course_rnn.checks.results import Verdict
from course_rnn.checks.rnn_mistakes import Mistake
from course_rnn.numpy.direction_merge import merge_directions
from course_rnn.numpy.rnn import rnn_forward


@dataclass(frozen=True)
class BidirectionalCase:
    """One test: a label, the sizes, the merge and a seed for every array."""

    label: str
    T: int
    N: int
    D: int
    H: int
    merge: str
    seed: int

    @property
    def title(self) -> str:
        return (f"{self.label} (T={self.T}, N={self.N}, D={self.D}, H={self.H}, "
                f"merge={self.merge!r})")

    def args(self) -> list[tuple[str, object]]:
        """Fresh arrays at every call: x, both initial states, both directions' parameters."""
        rng = np.random.default_rng(self.seed)
        T, N, D, H = self.T, self.N, self.D, self.H

        def params():
            return (rng.normal(size=(H, D)), rng.normal(size=(H, H)) / np.sqrt(H),
                    rng.normal(size=H), rng.normal(size=H))
        return [("x", rng.normal(size=(T, N, D))), ("h0_forward", rng.normal(size=(N, H))),
                ("h0_backward", rng.normal(size=(N, H))), ("forward_params", params()),
                ("backward_params", params()), ("merge", self.merge)]

    @property
    def out_features(self) -> int:
        return 2 * self.H if self.merge == "concat" else self.H


CASES = [
    BidirectionalCase("concatenation", 4, 2, 3, 5, "concat", 0),
    BidirectionalCase("sum", 3, 3, 2, 4, "sum", 1),
    BidirectionalCase("mean", 5, 2, 3, 2, "mean", 2),
    BidirectionalCase("a batch of one", 4, 1, 2, 3, "concat", 3),
    BidirectionalCase("one step", 1, 2, 3, 4, "concat", 4),
]


def mistaken_bidirectional(case: BidirectionalCase, *, reverse_back=True, reverse_input=True,
                           backward_start="h0_backward", backward_weights="backward",
                           order="forward first", mean="mean"):
    """The output of a bidirectional layer with the given mistakes (defaults: right)."""
    values = dict(case.args())
    x, forward_params = values["x"], values["forward_params"]
    h_forward, _ = rnn_forward(x, values["h0_forward"], *forward_params)
    start = {"h0_backward": values["h0_backward"], "h0_forward": values["h0_forward"],
             "forward's last": h_forward[-1]}[backward_start]
    params = forward_params if backward_weights == "forward" else values["backward_params"]
    h_backward, _ = rnn_forward(x[::-1] if reverse_input else x, start, *params)
    if reverse_back:
        h_backward = h_backward[::-1]
    pair = (h_forward, h_backward) if order == "forward first" else (h_backward, h_forward)
    merge = "sum" if case.merge == "mean" and mean == "sum" else case.merge
    return merge_directions(*pair, merge)


BIDIRECTIONAL_MISTAKES = [
    Mistake("the backward direction's outputs are in reversed time order: running it over "
            "x[::-1] gives h<-_{T-1} first, so reverse its outputs back, h_backward[::-1], "
            "before merging them with the forward ones.", {"reverse_back": False}),
    Mistake("the backward direction reads the sequence forwards: run it over x[::-1] (and "
            "reverse its outputs back), so that h<-_t depends on x_t .. x_{T-1}.",
            {"reverse_input": False, "reverse_back": False}),
    Mistake("the backward direction reads the sequence forwards and its outputs are then "
            "reversed: run it over x[::-1], and reverse only its outputs back.",
            {"reverse_input": False}),
    Mistake("the backward direction starts from the forward direction's last state: one "
            "direction's state leaks into the other. Each direction has its own initial "
            "state; the backward one starts from h0_backward.",
            {"backward_start": "forward's last"}),
    Mistake("the backward direction starts from h0_forward; it starts from h0_backward, the "
            "state after the last step.", {"backward_start": "h0_forward"}),
    Mistake("both directions use forward_params: each direction has its own weights, the "
            "backward one backward_params.", {"backward_weights": "forward"}),
    Mistake("the directions are swapped in the concatenation: the forward states come first, "
            "[h->_t ; h<-_t], as in torch.nn.", {"order": "backward first"}),
    Mistake("merge='mean' is computed as the sum; the mean divides it by 2.", {"mean": "sum"}),
]


def _shape_hints(case: BidirectionalCase) -> dict:
    T, N, H = case.T, case.N, case.H
    features = case.out_features
    return {
        (2 * T, N, H): "the two directions are joined along time (axis 0); they are merged "
                       "feature by feature, on the last axis: np.concatenate(..., axis=-1).",
        (T, 2 * N, H): "the two directions are joined along the batch (axis 1); they are "
                       "merged on the last axis, the features: np.concatenate(..., axis=-1).",
        (2, T, N, H): "the two directions are stacked on a new axis and not merged; merge "
                      f"them into one (T, N, {features}) array with merge={case.merge!r}.",
        (T, N, 2 * H) if features == H else (T, N, H):
            f"merge={case.merge!r} gives {features} features per step: concat puts the two "
            "states side by side (2H), sum and mean add them (H).",
    }


def _read_output(report: Report, fn, case: BidirectionalCase, time_limit: float):
    value = call_checked(report, fn, case.args(), "bidirectional_rnn_forward", time_limit)
    if isinstance(value, tuple):
        raise Problem(f"bidirectional_rnn_forward returned a tuple of {len(value)} values; "
                      f"it returns the merged output alone, one array of shape "
                      f"({case.T}, {case.N}, {case.out_features}).")
    shape = (case.T, case.N, case.out_features)
    return value, as_array(value, "output", shape, _shape_hints(case))


@never_raises
def check_bidirectional(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``bidirectional_rnn_forward(x, h0_forward, h0_backward,
    forward_params, backward_params, merge) -> output``; print a pass line or hints. Never
    raises."""
    report = Report("bidirectional")
    outcomes, returned = [], []
    for case in CASES:
        try:
            value, output = _read_output(report, fn, case, time_limit)
        except Problem as problem:
            return report_problem(report, problem, case.title)
        returned.append(value)
        outcomes.append(Outcome(case, ("output",), (output,), (mistaken_bidirectional(case),)))

    def simulate(case, **switches):
        return (mistaken_bidirectional(case, **switches),)

    return report_outcomes(report, outcomes, f"output matches rnn_forward in both directions "
                           f"merged by merge_directions on {len(outcomes)} tests (concat, sum, "
                           "mean, a batch of one, one step).", BIDIRECTIONAL_MISTAKES, simulate,
                           returned=returned)
