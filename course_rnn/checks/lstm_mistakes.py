r"""Typical wrong LSTM steps, simulated, so that the LSTM checks can name the mistake they see.

:func:`mistaken_lstm_forward` and :func:`mistaken_lstm_backward` compute one step of the LSTM
of :mod:`course_rnn.numpy.lstm` (torch's gate order i, f, g, o) with switches that reproduce
one common mistake each: the gate order of another library, tanh or sigmoid in the wrong
place, a missing term of the cell update, a missing derivative through tanh(c_next). A switch
names the formula the mistaken code computes; with every switch at its default they compute
the right answer. Each :class:`~course_rnn.checks.rnn_mistakes.Mistake` below pairs switches
with what to tell the student.

Shapes: N batch, D input features, H hidden units; a (N, 4H) stacks the four gates' blocks.
"""

from __future__ import annotations

import numpy as np

from course_rnn.checks.cell_cases import CellCase
from course_rnn.checks.rnn_mistakes import Mistake
from course_rnn.numpy.activations import sigmoid
from course_rnn.numpy.lstm import lstm_step_forward

ACTIVATIONS = {"sigmoid": sigmoid, "tanh": np.tanh}

CELL_UPDATES = {  # c_next from the gates and c_prev
    "f * c_prev + i * g": lambda i, f, g, c_prev: f * c_prev + i * g,
    "i * g": lambda i, f, g, c_prev: i * g,
    "c_prev + i * g": lambda i, f, g, c_prev: c_prev + i * g,
    "f * c_prev + g": lambda i, f, g, c_prev: f * c_prev + g,
    "f * c_prev + (1 - f) * g": lambda i, f, g, c_prev: f * c_prev + (1 - f) * g,
    "tanh(f * c_prev + i * g)": lambda i, f, g, c_prev: np.tanh(f * c_prev + i * g),
}

OUTPUTS = {  # h_next from the output gate and the cell states
    "o * tanh(c_next)": lambda o, c_next, c_prev: o * np.tanh(c_next),
    "o * c_next": lambda o, c_next, c_prev: o * c_next,
    "tanh(o * c_next)": lambda o, c_next, c_prev: np.tanh(o * c_next),
    "o * tanh(c_prev)": lambda o, c_next, c_prev: o * np.tanh(c_prev),
    "tanh(c_next)": lambda o, c_next, c_prev: np.tanh(c_next),
}


def mistaken_lstm_forward(case: CellCase, *, order="ifgo", g_fn="tanh", o_fn="sigmoid",
                          cell="f * c_prev + i * g", out="o * tanh(c_next)", b_ih=True,
                          b_hh=True, recurrent=True, swap=False):
    """(h_next, c_next) of one step computed with the given mistakes.

    ``order`` is the order in which the code reads the four blocks of a, e.g. ``"ifog"``;
    ``cell`` and ``out`` are keys of :data:`CELL_UPDATES` and :data:`OUTPUTS`; ``swap``
    returns the two states in the wrong order.
    """
    a = (case["x"] @ case["W_ih"].T + b_ih * case["b_ih"] + b_hh * case["b_hh"]
         + recurrent * (case["h_prev"] @ case["W_hh"].T))     # (N, 4H)
    blocks = dict(zip(order, np.split(a, 4, axis=1)))
    i, f = sigmoid(blocks["i"]), sigmoid(blocks["f"])
    g, o = ACTIVATIONS[g_fn](blocks["g"]), ACTIVATIONS[o_fn](blocks["o"])
    c_next = CELL_UPDATES[cell](i, f, g, case["c_prev"])
    h_next = OUTPUTS[out](o, c_next, case["c_prev"])
    return (c_next, h_next) if swap else (h_next, c_next)


def mistaken_lstm_backward(case: CellCase, *, do="dh_next * tanh(c_next)",
                           dc="dc_next + dh_next * o * (1 - tanh(c_next)**2)",
                           dc_prev="dc * f", df="dc * c_prev", gates="s * (1 - s)",
                           candidate="1 - g**2", order="ifgo", db="sum", db_hh=True,
                           dW_hh_state="h_prev"):
    """(dx, dh_prev, dc_prev, dW_ih, dW_hh, db_ih, db_hh) of one step with the given mistakes,
    at the gates of the right forward.

    Each switch names the formula the code computes: ``gates`` the sigmoid gates' derivative,
    ``candidate`` g's, ``order`` the order in which da stacks the blocks.
    """
    _, _, cache = lstm_step_forward(*(value for _, value in case.args))
    x, h_prev, c_prev, i, f, g, o, c_next, W_ih, W_hh = cache
    dh_next, dc_next = case["dh_next"], case["dc_next"]
    tanh_c = np.tanh(c_next)
    do = {"dh_next * tanh(c_next)": dh_next * tanh_c, "dh_next * c_next": dh_next * c_next}[do]
    dc = {"dc_next + dh_next * o * (1 - tanh(c_next)**2)": dc_next + dh_next * o * (1 - tanh_c**2),
          "dc_next + dh_next * o": dc_next + dh_next * o,
          "dc_next + dh_next * o * (1 - c_next**2)": dc_next + dh_next * o * (1 - c_next**2),
          "dh_next * o * (1 - tanh(c_next)**2)": dh_next * o * (1 - tanh_c**2),
          "dc_next": dc_next}[dc]
    dc_prev = {"dc * f": dc * f, "dc": dc, "dc_next * f": dc_next * f}[dc_prev]
    df = {"dc * c_prev": dc * c_prev, "dc * c_next": dc * c_next}[df]
    gate = {"s * (1 - s)": lambda s: s * (1 - s), "1 - s**2": lambda s: 1 - s**2}[gates]
    candidate = {"1 - g**2": 1 - g**2, "g * (1 - g)": g * (1 - g)}[candidate]
    blocks = {"i": dc * g * gate(i), "f": df * gate(f), "g": dc * i * candidate,
              "o": do * gate(o)}
    da = np.concatenate([blocks[name] for name in order], axis=1)    # (N, 4H)
    state = {"h_prev": h_prev, "h_next": o * tanh_c}[dW_hh_state]
    bias = da.sum(axis=0) / (len(da) if db == "mean" else 1)
    return (da @ W_ih, da @ W_hh, dc_prev, da.T @ x, da.T @ state, bias,
            bias if db_hh else np.zeros_like(bias))


_ORDER = "torch's weights, and this exercise's, stack the blocks in the order i, f, g, o"
_H = "h_next = o * tanh(c_next)"
_C = "c_next = f * c_prev + i * g"
_DC = "dc = dc_next + dh_next * o * (1 - tanh(c_next)**2)"

FORWARD_MISTAKES = [
    Mistake(f"the gates are read in the order i, f, o, g (CS231n's layout); {_ORDER}: rows "
            "2H:3H of a are the candidate g, rows 3H:4H the output gate o.", {"order": "ifog"}),
    Mistake(f"the gates are read in the order i, g, f, o (TensorFlow 1's LSTMCell); {_ORDER}.",
            {"order": "igfo"}),
    Mistake("the input and forget gates are swapped: rows 0:H of a are the input gate i, rows "
            "H:2H the forget gate f.", {"order": "figo"}),
    Mistake("the candidate g uses sigmoid where the LSTM uses tanh: g = tanh(a_g), so that the "
            "cell can add negative values as well as positive ones.", {"g_fn": "sigmoid"}),
    Mistake("the output gate uses tanh where a gate uses sigmoid: o = sigmoid(a_o), a value in "
            "(0, 1).", {"o_fn": "tanh"}),
    Mistake(f"c_prev is missing from the cell update: {_C}. Without f * c_prev the cell forgets "
            "everything at every step.", {"cell": "i * g"}),
    Mistake(f"the forget gate is missing from the cell update: {_C}. (c_prev + i * g is the "
            "1997 LSTM; Gers, Schmidhuber and Cummins added the forget gate in 2000, and "
            "torch's LSTM has it.)", {"cell": "c_prev + i * g"}),
    Mistake(f"the input gate is missing from the cell update: {_C}.",
            {"cell": "f * c_prev + g"}),
    Mistake(f"the input gate is replaced by 1 - f, which couples the two gates (a variant of the "
            f"LSTM); here i has weights of its own: {_C}.", {"cell": "f * c_prev + (1 - f) * g"}),
    Mistake(f"tanh is applied to the cell update; the cell state is not squashed: {_C}, and "
            f"tanh comes only in {_H}.", {"cell": "tanh(f * c_prev + i * g)"}),
    Mistake(f"the output gate is applied to c_next instead of tanh(c_next): {_H}.",
            {"out": "o * c_next"}),
    Mistake(f"tanh wraps the product o * c_next; the gate multiplies the tanh: {_H}.",
            {"out": "tanh(o * c_next)"}),
    Mistake(f"h_next uses the old cell state c_prev; it needs the one this step computed: {_H}.",
            {"out": "o * tanh(c_prev)"}),
    Mistake(f"the output gate is missing: {_H}.", {"out": "tanh(c_next)"}),
    Mistake("the recurrent term is missing: the gates depend on h_prev through h_prev @ W_hh.T.",
            {"recurrent": False}),
    Mistake("the bias b_ih is missing: torch keeps two biases and both are added.",
            {"b_ih": False}),
    Mistake("the bias b_hh is missing: torch keeps two biases and both are added.",
            {"b_hh": False}),
    Mistake("both biases b_ih and b_hh are missing.", {"b_ih": False, "b_hh": False}),
    Mistake("h_next and c_next are returned in the wrong order: return h_next, c_next, cache.",
            {"swap": True}),
]

BACKWARD_MISTAKES = [
    Mistake(f"do uses c_next where it needs tanh(c_next): {_H}, so do = dh_next * "
            "tanh(c_next).", {"do": "dh_next * c_next"}),
    Mistake(f"the derivative through tanh(c_next) is missing: {_DC}.",
            {"dc": "dc_next + dh_next * o"}),
    Mistake(f"the tanh derivative is taken of the wrong thing: 1 - tanh(c_next)**2, not "
            f"1 - c_next**2 (c_next is not itself a tanh): {_DC}.",
            {"dc": "dc_next + dh_next * o * (1 - c_next**2)"}),
    Mistake(f"dc_next is not added: c_next feeds both h_next and step t+1, so {_DC}.",
            {"dc": "dh_next * o * (1 - tanh(c_next)**2)"}),
    Mistake(f"the gradient from h_next does not reach the cell state: {_DC}, not dc_next "
            "alone.", {"dc": "dc_next"}),
    Mistake("dc_prev misses the forget gate: c_next = f * c_prev + i * g, so dc_prev = dc * f.",
            {"dc_prev": "dc"}),
    Mistake(f"dc_prev uses dc_next where it needs the whole gradient at c_next, {_DC}: "
            "dc_prev = dc * f.", {"dc_prev": "dc_next * f"}),
    Mistake("df multiplies dc by c_next; the forget gate multiplies c_prev, so df = dc * "
            "c_prev.", {"df": "dc * c_next"}),
    Mistake("the gates' derivative is tanh's, 1 - s**2; a sigmoid gate s has the derivative "
            "s * (1 - s), e.g. da_i = di * i * (1 - i).", {"gates": "1 - s**2"}),
    Mistake("the candidate's derivative is sigmoid's, g * (1 - g); g = tanh(a_g), so da_g = "
            "dg * (1 - g**2).", {"candidate": "g * (1 - g)"}),
    Mistake("da stacks the blocks in the order i, f, o, g (CS231n's layout); the forward's, "
            "torch's, is i, f, g, o: da = [da_i, da_f, da_g, da_o].", {"order": "ifog"}),
    Mistake("the bias gradient is averaged over the batch; it is the sum: db = da.sum(axis=0).",
            {"db": "mean"}),
    Mistake("db_hh is zero: b_hh enters a just like b_ih, so db_hh = db_ih.", {"db_hh": False}),
    Mistake("dW_hh multiplies da by the new state h_next; it needs the state the step started "
            "from: dW_hh = da.T @ h_prev.", {"dW_hh_state": "h_next"}),
]
