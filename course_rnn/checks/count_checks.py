"""Checks for the counting exercises: ``rnn_param_count`` (01), the two counts of 02, and
``deep_rnn_param_count`` (10) for stacked and bidirectional layers.

A count is a formula in the sizes, so a check evaluates the student's function on networks of
several sizes, chosen so that no two sizes coincide (a D where an H belongs shows), compares
with the package's count, and looks for the typical slip that reproduces every number the
student's function returned: a bias forgotten, a matrix missing, a W_0 that cannot exist.
"""

from __future__ import annotations

from numbers import Real

from course_rnn.checks.outputs import Problem
from course_rnn.checks.questions.deep_bidirectional import layer_parameter_count
from course_rnn.checks.questions.rnn_structure import parameter_count
from course_rnn.checks.report import Report, call_checked, never_raises, report_problem
from course_rnn.checks.results import Verdict
from course_rnn.models.parameter_counts import rnn_parameter_count, unshared_parameter_count

RNN_SIZES = [dict(D=10, H=20), dict(D=1, H=1), dict(D=3, H=5), dict(D=7, H=2),
             dict(D=300, H=128)]
SHARED_SIZES = [dict(D=50, H=100, K=50), dict(D=1, H=1, K=1), dict(D=3, H=4, K=5),
                dict(D=7, H=2, K=3)]
UNSHARED_SIZES = [dict(T=20, **SHARED_SIZES[0]), dict(T=1, D=3, H=4, K=5),
                  dict(T=2, D=3, H=4, K=5), dict(T=5, D=7, H=2, K=3), dict(T=37, D=1, H=1, K=1)]

DEEP_SIZES = [dict(D=10, H=20, num_layers=2, bidirectional=True),
              dict(D=3, H=5, num_layers=1, bidirectional=True),
              dict(D=7, H=2, num_layers=3, bidirectional=False),
              dict(D=1, H=4, num_layers=4, bidirectional=True),
              dict(D=6, H=9, num_layers=2, bidirectional=False)]

RNN_MISTAKES = [
    ("only one bias vector is counted: torch keeps two, bias_ih and bias_hh, of H numbers "
     "each.",
     lambda D, H: H * D + H * H + H),
    ("the biases are missing: bias_ih and bias_hh are parameters too, H numbers each.",
     lambda D, H: H * D + H * H),
    ("the recurrent matrix weight_hh, (H, H), is missing.", lambda D, H: H * D + 2 * H),
    ("weight_ih is counted as (D, D); it maps D inputs to H units, so it is (H, D).",
     lambda D, H: D * D + H * H + 2 * H),
    ("weight_hh is counted as (H, D); it maps the state to the state, so it is (H, H).",
     lambda D, H: 2 * H * D + 2 * H),
    ("the input weights weight_ih, (H, D), are missing.", lambda D, H: H * H + 2 * H),
]

SHARED_MISTAKES = [
    ("the biases b (H,) and c (K,) are missing.", lambda D, H, K: H * D + H * H + K * H),
    ("the output bias c, K numbers, is missing.",
     lambda D, H, K: rnn_parameter_count(D, H, K) - K),
    ("the hidden bias b, H numbers, is missing.",
     lambda D, H, K: rnn_parameter_count(D, H, K) - H),
    ("the recurrent matrix W, (H, H), is missing.",
     lambda D, H, K: rnn_parameter_count(D, H, K) - H * H),
    ("the output layer V (K, H) and c (K,) is missing: the RNN also predicts at every step.",
     lambda D, H, K: H * D + H * H + H),
    ("U is counted as (D, D); it maps D inputs to H units, so it is (H, D).",
     lambda D, H, K: rnn_parameter_count(D, H, K) - H * D + D * D),
]

UNSHARED_MISTAKES = [
    ("a W_0 is counted, but step 0 has none: it would only ever multiply h_{-1} = 0, so "
     "there are T - 1 matrices W_t.", lambda T, D, H, K: T * rnn_parameter_count(D, H, K)),
    ("the count does not grow with T: it is the shared RNN's, but in this network every "
     "step has its own weights.", lambda T, D, H, K: rnn_parameter_count(D, H, K)),
    ("the matrices W_t, (H, H) for t = 1, ..., T-1, are missing.",
     lambda T, D, H, K: T * (rnn_parameter_count(D, H, K) - H * H)),
    ("T - 1 copies of everything are counted; only W_t has T - 1 copies (there is no "
     "W_0), while U_t, b_t, V_t and c_t have T.",
     lambda T, D, H, K: (T - 1) * rnn_parameter_count(D, H, K)),
    ("the biases b_t (H,) and c_t (K,) are missing.",
     lambda T, D, H, K: unshared_parameter_count(D, H, K, T) - T * (H + K)),
    ("the output layers V_t (K, H) and c_t (K,) are missing: each step also predicts.",
     lambda T, D, H, K: unshared_parameter_count(D, H, K, T) - T * (K * H + K)),
]


def deep_count(D, H, num_layers, bidirectional, *, reads=lambda D, H, k: D if k == 0 else k * H,
               biases=2, weight_sets=None):
    """A stacked count with the input size of layer > 0 given by ``reads(D, H, directions)``
    and ``weight_sets`` sets of weights per layer (default: one per direction)."""
    directions = 2 if bidirectional else 1
    total, layer_input = 0, D
    for _ in range(num_layers):
        total += (weight_sets or directions) * (H * layer_input + H * H + biases * H)
        layer_input = reads(D, H, directions)
    return total


DEEP_MISTAKES = [
    ("every layer is counted as if it read the D inputs; layer k > 0 reads the outputs of "
     "layer k - 1, H numbers per direction.",
     lambda D, H, num_layers, bidirectional: deep_count(D, H, num_layers, bidirectional,
                                                        reads=lambda D, H, k: D)),
    ("layer k > 0 is counted as reading H numbers; with two directions it reads both "
     "directions' states side by side, 2H.",
     lambda D, H, num_layers, bidirectional: deep_count(D, H, num_layers, bidirectional,
                                                        reads=lambda D, H, k: H)),
    ("the two directions share one set of weights; each direction has its own weight_ih, "
     "weight_hh, bias_ih and bias_hh (the backward ones end in _reverse).",
     lambda D, H, num_layers, bidirectional: deep_count(D, H, num_layers, bidirectional,
                                                        weight_sets=1)),
    ("only one bias vector is counted per direction: torch keeps two, bias_ih and bias_hh.",
     lambda D, H, num_layers, bidirectional: deep_count(D, H, num_layers, bidirectional,
                                                        biases=1)),
    ("num_layers is ignored: every layer has its own weights.",
     lambda D, H, num_layers, bidirectional: deep_count(D, H, 1, bidirectional)),
    ("bidirectional is ignored: a bidirectional layer has a second set of weights for the "
     "backward direction.",
     lambda D, H, num_layers, bidirectional: deep_count(D, H, num_layers, False)),
]


@never_raises
def check_deep_rnn_param_count(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``deep_rnn_param_count(D, H, num_layers, bidirectional)``: the
    parameters of torch.nn.RNN(D, H, num_layers, bidirectional=bidirectional)."""
    return _check_count("deep_rnn_param_count", fn, DEEP_SIZES, layer_parameter_count,
                        DEEP_MISTAKES, time_limit)


@never_raises
def check_rnn_param_count(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``rnn_param_count(D, H)``: the parameters of torch.nn.RNN(D, H)."""
    return _check_count("rnn_param_count", fn, RNN_SIZES, parameter_count, RNN_MISTAKES,
                        time_limit)


@never_raises
def check_shared_param_count(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``shared_param_count(D, H, K)``: the RNN's U, W, b, V, c."""
    return _check_count("shared_param_count", fn, SHARED_SIZES, rnn_parameter_count,
                        SHARED_MISTAKES,
                        time_limit)


@never_raises
def check_unshared_param_count(fn, *, time_limit: float = 5.0) -> Verdict:
    """Check a student's ``unshared_param_count(T, D, H, K)``: U_t, b_t, V_t, c_t per
    step and W_t for t >= 1."""
    return _check_count("unshared_param_count", fn, UNSHARED_SIZES,
                        unshared_parameter_count, UNSHARED_MISTAKES, time_limit)


def _call(sizes: dict) -> str:
    return ", ".join(f"{name}={value}" for name, value in sizes.items())


def _whole_number(value, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise Problem(f"{label} returned a {type(value).__name__}; it should return a whole "
                      "number.")
    if value != int(value):
        raise Problem(f"{label} returned {value}, which is not a whole number.")
    return int(value)


def _check_count(name, fn, sizes_list, truth, mistakes, time_limit) -> Verdict:
    report = Report(name)
    results = []  # (sizes, the student's count, the right count)
    for sizes in sizes_list:
        label = f"{name}({_call(sizes)})"
        try:
            value = call_checked(report, fn, list(sizes.items()), name, time_limit)
            results.append((sizes, _whole_number(value, label), truth(**sizes)))
        except Problem as problem:
            return report_problem(report, problem, label)
    wrong = [(sizes, got, want) for sizes, got, want in results if got != want]
    if not wrong:
        return report.passed(f"right for all {len(results)} networks, e.g. "
                             f"{name}({_call(results[0][0])}) = {results[0][2]}.")
    sizes, got, want = wrong[0]
    details = [f"{name}({_call(sizes)}) returned {got}; the right count is {want}"
               f" ({'too high' if got > want else 'too low'} by {abs(got - want)})."]
    right = [f"{name}({_call(s)})" for s, g, w in results if g == w]
    if right:
        details.append(f"Right for {', '.join(right)} only.")
    for message, formula in mistakes:
        if all(formula(**s) == g for s, g, _ in results):
            details.append(f"Most likely {message}")
            break
    return report.failed(f"wrong for {len(wrong)} of {len(results)} networks.", *details)

