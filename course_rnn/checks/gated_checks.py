"""Checks for the LSTM and GRU step exercises: the two cells described for the one harness.

``check_lstm_step_forward`` and ``check_lstm_step_backward`` grade an LSTM step in torch's
layout (gate order i, f, g, o) against :mod:`course_rnn.numpy.lstm`; ``check_gru_step_forward``
and ``check_gru_step_backward`` a GRU step in torch's formulation (r, z, n, the reset gate
after W_hn) against :mod:`course_rnn.numpy.gru`. What the checks do is in
:mod:`~course_rnn.checks.paired_checks`, what differs between the cells in
:mod:`~course_rnn.checks.cell_checks`; the cases in :mod:`~course_rnn.checks.cell_cases`; the
typical mistakes in :mod:`~course_rnn.checks.lstm_mistakes` and
:mod:`~course_rnn.checks.gru_mistakes`.
"""

from __future__ import annotations

from course_rnn.checks import gru_mistakes, lstm_mistakes
from course_rnn.checks.cell_checks import GatedCell
from course_rnn.checks.paired_checks import grade_backward, grade_forward
from course_rnn.checks.report import never_raises
from course_rnn.checks.results import Verdict
from course_rnn.numpy.gru import gru_step_backward, gru_step_forward
from course_rnn.numpy.lstm import lstm_step_backward, lstm_step_forward

_BIAS = "{} is probably missing or added in the wrong place."

LSTM = GatedCell(
    name="lstm", states=("h", "c"), gates=4,
    step_forward=lstm_step_forward, step_backward=lstm_step_backward,
    forward_mistakes=lstm_mistakes.FORWARD_MISTAKES,
    backward_mistakes=lstm_mistakes.BACKWARD_MISTAKES,
    simulate_forward=lstm_mistakes.mistaken_lstm_forward,
    simulate_backward=lstm_mistakes.mistaken_lstm_backward,
    terms={"h_prev": "the recurrent term h_prev @ W_hh.T is probably missing or wrong.",
           "c_prev": "the cell state's own term is probably missing or wrong: c_next = f * "
                     "c_prev + i * g.",
           "b_ih": _BIAS.format("b_ih"), "b_hh": _BIAS.format("b_hh"),
           "x": "the input term x @ W_ih.T is probably wrong."},
    equations="a = x @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh split into the blocks a_i, "
              "a_f, a_g, a_o (in this order); i, f, o = sigmoid of theirs, g = tanh(a_g); "
              "c_next = f * c_prev + i * g; h_next = o * tanh(c_next).",
    backward_cause="All seven gradients are wrong and no typical mistake explains them. Every "
                   "one comes from do = dh_next * tanh(c_next) and dc = dc_next + dh_next * o "
                   "* (1 - tanh(c_next)**2): print them for a batch of one and compare with "
                   "these formulas, factor by factor.",
    backward_probes=[(lambda case: "dc_next" in case.zero,
                      "Your gradients are right when dc_next = 0 and wrong otherwise: dc_next, "
                      "what step t+1 sends back to c_next, adds to what comes through h_next: "
                      "dc = dc_next + dh_next * o * (1 - tanh(c_next)**2), and dc_prev = dc * "
                      "f.")])

GRU = GatedCell(
    name="gru", states=("h",), gates=3,
    step_forward=gru_step_forward, step_backward=gru_step_backward,
    forward_mistakes=gru_mistakes.FORWARD_MISTAKES,
    backward_mistakes=gru_mistakes.BACKWARD_MISTAKES,
    simulate_forward=gru_mistakes.mistaken_gru_forward,
    simulate_backward=gru_mistakes.mistaken_gru_backward,
    terms={"h_prev": "a term with h_prev is probably missing or wrong: h_prev @ W_hh.T in the "
                     "gates and the candidate, or z * h_prev in h_next.",
           "b_ih": _BIAS.format("b_ih"),
           "b_hh": _BIAS.format("b_hh") + " (b_hn belongs inside the reset gate's product: "
                                          "r * (h_prev @ W_hn.T + b_hn).)",
           "x": "the input term x @ W_ih.T is probably wrong."},
    equations="gi = x @ W_ih.T + b_ih and gh = h_prev @ W_hh.T + b_hh, each split into the "
              "blocks r, z, n (in this order); r = sigmoid(gi_r + gh_r), z = sigmoid(gi_z + "
              "gh_z), n = tanh(gi_n + r * gh_n), h_next = (1 - z) * n + z * h_prev.",
    backward_cause="All six gradients are wrong and no typical mistake explains them. Every "
                   "one comes from the gradients at the blocks, da_n = dh_next * (1 - z) * "
                   "(1 - n**2), da_z = dh_next * (h_prev - n) * z * (1 - z) and da_r = da_n * "
                   "gh_n * r * (1 - r): print them for a batch of one and compare with these "
                   "formulas, factor by factor.")


@never_raises
def check_lstm_step_forward(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``lstm_step_forward(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh) ->
    (h_next, c_next, cache)`` (torch's layout, gate order i, f, g, o); print a pass line or
    hints. Never raises."""
    return grade_forward(LSTM, fn, time_limit)


@never_raises
def check_lstm_step_backward(forward_fn, backward_fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``lstm_step_backward(dh_next, dc_next, cache) -> (dx, dh_prev,
    dc_prev, dW_ih, dW_hh, db_ih, db_hh)`` together with the ``lstm_step_forward`` that made
    the cache (of any type). Never raises."""
    return grade_backward(LSTM, forward_fn, backward_fn, time_limit)


@never_raises
def check_gru_step_forward(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``gru_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh) -> (h_next,
    cache)`` (torch's r, z, n, the reset gate after W_hn); print a pass line or hints. Never
    raises."""
    return grade_forward(GRU, fn, time_limit)


@never_raises
def check_gru_step_backward(forward_fn, backward_fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``gru_step_backward(dh_next, cache) -> (dx, dh_prev, dW_ih, dW_hh,
    db_ih, db_hh)`` together with the ``gru_step_forward`` that made the cache (of any type).
    Never raises."""
    return grade_backward(GRU, forward_fn, backward_fn, time_limit)
