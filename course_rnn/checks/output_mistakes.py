r"""Test cases for the output layer and the loss, and the typical mistakes made in writing them.

The output layer turns every hidden state into scores over the K characters, and the loss
compares their softmax with the next character:

    z_t = V h_t + c                              h (T, N, H) -> z (T, N, K)
    L   = -1/(N T) sum over n, t of log softmax(z)[n, t, y[n, t]]
    dL/dz = (softmax(z) - onehot(y)) / (N T)

The loss is the mean over all N*T positions, as the package's ``softmax_cross_entropy`` and
torch's ``cross_entropy`` compute it. The simulations below compute these with one switch
flipped each; at their defaults they give the right answer.

Shapes: T time, N batch (streams), H hidden units, K vocabulary (scores per position).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_rnn.checks.rnn_mistakes import Mistake
from course_rnn.numpy.activations import sigmoid
from course_rnn.numpy.linear import Linear
from course_rnn.numpy.losses import log_softmax, softmax_cross_entropy


@dataclass(frozen=True, eq=False)
class OutputCase:
    """Inputs of one output-layer test: h (T, N, H), V (K, H), c (K,), upstream dz (T, N, K)."""

    label: str
    h: np.ndarray
    V: np.ndarray
    c: np.ndarray
    dz: np.ndarray

    @property
    def sizes(self) -> tuple[int, int, int, int]:
        """(T, N, H, K)."""
        return (*self.h.shape, len(self.c))

    @property
    def title(self) -> str:
        return "{} (T={}, N={}, H={}, K={})".format(self.label, *self.sizes)

    def args(self) -> list[tuple[str, np.ndarray]]:
        return [("h", self.h), ("V", self.V), ("c", self.c)]

    def reference(self):
        """z (T, N, K) and the gradients (dh, dV, dc), from the package's Linear layer."""
        head = Linear(self.V.shape[1], len(self.c))
        head.params = {"weight": self.V, "bias": self.c}
        z = head.forward(self.h)
        dh = head.backward(self.dz)
        return z, (dh, head.grads["weight"], head.grads["bias"])


def output_case(seed: int, T: int, N: int, H: int, K: int, label: str = "random inputs",
                zero_c: bool = False) -> OutputCase:
    rng = np.random.default_rng(seed)
    return OutputCase(label, h=np.tanh(rng.standard_normal((T, N, H))),
                      V=rng.standard_normal((K, H)) / np.sqrt(H),
                      c=np.zeros(K) if zero_c else rng.standard_normal(K),
                      dz=rng.standard_normal((T, N, K)))


def output_cases() -> list[OutputCase]:
    return [output_case(21, 4, 3, 5, 6), output_case(22, 3, 2, 4, 4, "K = H"),
            output_case(23, 4, 1, 5, 6, "batch of one"), output_case(24, 1, 3, 5, 6, "one step"),
            output_case(25, 4, 3, 5, 6, "c = 0", zero_c=True)]


def _softmax(z):
    return np.exp(log_softmax(z))


OUTPUT_FUNCTIONS = {"none": lambda z: z, "softmax": _softmax, "tanh": np.tanh,
                    "sigmoid": sigmoid}


def mistaken_output_forward(case: OutputCase, *, V_T=True, bias=True, f="none"):
    """z (T, N, K) with the given mistakes; ValueError where the shapes do not fit."""
    V = case.V.T if V_T else case.V
    if case.h.shape[-1] != V.shape[0]:
        raise ValueError("shapes do not fit")
    return (OUTPUT_FUNCTIONS[f](case.h @ V + case.c * bias),)


def mistaken_output_backward(case: OutputCase, *, dV_T=False, dh_V_T=False, dc="sum",
                             steps="all", dV_divided=False):
    """(dh, dV, dc) with the given mistakes; ValueError where the shapes do not fit."""
    T, N, H, K = case.sizes
    if (dV_T or dh_V_T) and H != K:
        raise ValueError("shapes do not fit")
    kept = {"all": slice(None), "last": slice(T - 1, T)}[steps]
    dz_rows = case.dz[kept].reshape(-1, K)
    dV = dz_rows.T @ case.h[kept].reshape(-1, H) / (N * T if dV_divided else 1)
    db = case.dz.reshape(-1, K).sum(axis=0) / (N * T if dc == "mean" else 1)
    return case.dz @ (case.V.T if dh_V_T else case.V), dV.T if dV_T else dV, db


_ROW_MAJOR = "the code is row-major (a row per position), so z = h @ V.T + c"

OUTPUT_FORWARD_MISTAKES = [
    Mistake(f"you multiply by V where V.T is needed: {_ROW_MAJOR}. V is square here (K = H), "
            "so the shapes could not catch it.", {"V_T": False}),
    Mistake("the bias c is missing: z = h @ V.T + c.", {"bias": False}),
    Mistake("you apply a softmax in the output layer: it returns the scores z (logits); the "
            "softmax belongs to the loss, which computes it stably.", {"f": "softmax"}),
    Mistake("you apply tanh to the scores: the output layer is affine, z = h @ V.T + c, so that "
            "the scores can take any value.", {"f": "tanh"}),
    Mistake("you apply a sigmoid to the scores: the output layer is affine, z = h @ V.T + c; "
            "the softmax of the loss turns the scores into probabilities.", {"f": "sigmoid"}),
]

OUTPUT_BACKWARD_MISTAKES = [
    Mistake("dV is transposed: dV = sum over positions of dz^T h has V's shape (K, H). V is "
            "square here (K = H), so the shape could not catch it.", {"dV_T": True}),
    Mistake("dh uses V.T where it needs V: dh = dz @ V (z = h @ V.T + c).", {"dh_V_T": True}),
    Mistake("dc is averaged over the positions; it is their sum: c is added at every position, "
            "and dz already carries the 1/(N T) of the mean loss.", {"dc": "mean"}),
    Mistake("dV keeps only the last step: V acts at every step, so dV sums dz[t]^T h[t] over "
            "all steps (reshape to (T*N, ...) rows, or add up inside the loop with +=).",
            {"steps": "last"}),
    Mistake("dV is divided by N*T: dz already carries the 1/(N T) of the mean loss, so "
            "dV = dz^T h summed over positions, with no further division.",
            {"dV_divided": True}),
]


def output_backward_hints(case: OutputCase) -> dict:
    """Wrong shapes of dc and dV that betray a specific mistake."""
    T, N, H, K = case.sizes
    return {"dc": {(T, N, K): "sum dz over time and the batch: dc = dz.sum(axis=(0, 1)).",
                   (T, K): "it is summed over the batch only; sum over time as well.",
                   (N, K): "it is summed over time only; sum over the batch as well."},
            "dV": {(H, K): "it looks transposed: dV has V's shape (K, H)."}}


def output_forward_hints(case: OutputCase) -> dict:
    T, N, H, K = case.sizes
    return {(N, K): "that is one step; the output layer scores every step, z[t] for every t.",
            (N, T, K): "batch and time are swapped; keep h's time-major layout (T, N, K).",
            (K, N): "that is the column-vector layout; the code is row-major: h @ V.T + c."}


@dataclass(frozen=True, eq=False)
class LossCase:
    """Inputs of one loss test: logits (N, T, K) and integer targets (N, T)."""

    label: str
    logits: np.ndarray
    targets: np.ndarray

    @property
    def title(self) -> str:
        return "{} (N={}, T={}, K={})".format(self.label, *self.logits.shape)

    def args(self) -> list[tuple[str, np.ndarray]]:
        return [("logits", self.logits), ("targets", self.targets)]

    def reference(self):
        """(loss, dlogits) from the package's ``softmax_cross_entropy``."""
        return softmax_cross_entropy(self.logits, self.targets)


def loss_case(seed: int, N: int, T: int, K: int, label: str = "random scores",
              scale: float = 2.0) -> LossCase:
    rng = np.random.default_rng(seed)
    return LossCase(label, scale * rng.standard_normal((N, T, K)),
                    rng.integers(0, K, size=(N, T)))


LARGE = "large scores"


def loss_cases() -> list[LossCase]:
    return [loss_case(31, 3, 4, 5), loss_case(32, 1, 4, 5, "batch of one"),
            loss_case(33, 3, 1, 5, "one step"), loss_case(34, 2, 3, 6, LARGE, scale=1000.0)]


def mistaken_loss(case: LossCase, *, loss_by="NT", grad_by="NT", onehot="onehot", sign=1.0):
    """(loss, dlogits) with the given mistakes: ``loss_by`` and ``grad_by`` name what the loss
    and its gradient are divided by, one of "NT" (right), "1" (a sum), "N", "T", "NTK" (np.mean
    over the whole (N, T, K) array); ``onehot`` "onehot" (right), "ids" (the integer targets
    subtracted as they are) or "none" (nothing subtracted)."""
    N, T, K = case.logits.shape
    log_p = log_softmax(case.logits)
    y = np.eye(K)[case.targets]  # (N, T, K)
    denominators = {"NT": N * T, "1": 1, "N": N, "T": T, "NTK": N * T * K}
    subtracted = {"onehot": y, "ids": case.targets[..., None], "none": 0.0}[onehot]
    grad = sign * (np.exp(log_p) - subtracted)
    return -np.sum(y * log_p) / denominators[loss_by], grad / denominators[grad_by]


_MEAN = "this exercise's loss is the mean over all N*T positions"

LOSS_MISTAKES = [
    Mistake(f"the loss and its gradient are sums over the positions; {_MEAN}: divide both by "
            "N*T.", {"loss_by": "1", "grad_by": "1"}),
    Mistake(f"you divide by the batch size N only; {_MEAN}, so divide by N*T.",
            {"loss_by": "N", "grad_by": "N"}),
    Mistake(f"you divide by the number of steps T only; {_MEAN}, so divide by N*T.",
            {"loss_by": "T", "grad_by": "T"}),
    Mistake("np.mean over the whole (N, T, K) array also divides by K: the loss sums over the "
            f"classes (only the target's term is nonzero) and averages over positions; {_MEAN}.",
            {"loss_by": "NTK"}),
    Mistake("dlogits is N*T times too large: the loss is a mean, so its gradient "
            "(softmax - onehot) is divided by N*T too.", {"grad_by": "1"}),
    Mistake("the integer targets are subtracted from the probabilities as they are: y in "
            "softmax(z) - y is one-hot, a 1 at the target's class and 0 elsewhere.",
            {"onehot": "ids"}),
    Mistake("nothing is subtracted: dlogits = (softmax(z) - onehot(y)) / (N T), with 1 "
            "subtracted at each position's target class.", {"onehot": "none"}),
    Mistake("the sign of dlogits is flipped: it is softmax(z) - onehot(y), which raises the "
            "score of the target when you step against it.", {"sign": -1.0}),
]
