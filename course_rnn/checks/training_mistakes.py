r"""Test cases for training the character model, its reference, and typical mistakes.

The model's parameters travel as one dict, ``PARAM_SHAPES``' names: the recurrent layer's
``W_ih, W_hh, b_ih, b_hh`` and the output layer's ``V, c``. One chunk of truncated BPTT,

    h = rnn(onehot(inputs), h_init)        (T, N, H), from the state carried in
    z = h V^T + c                          (T, N, K)
    L = mean cross-entropy of z against the (N, T) targets, z read as (N, T, K)

gives the loss, the gradients of all six arrays, and h_last = h[-1], the state carried out.
The gradient is cut at the chunk's start: what reaches h_init is dropped. A pass over the
streams reads them chunk after chunk, carrying the state, and after each chunk clips the
gradients by their global norm and takes a plain SGD step.

The reference is the package's :class:`~course_rnn.models.char_model.CharModel` and its
``train_steps`` with momentum-free SGD; the simulations use the functional pieces of the
package with one switch flipped each, and at their defaults compute the same numbers.

Shapes: N streams, T steps per chunk, L steps per stream, H hidden units, K vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_rnn.data.corpus import CharVocab
from course_rnn.data.tokens import one_hot
from course_rnn.models.char_model import CharModel, CharRNN, TrainingResult, train_steps
from course_rnn.numpy.clipping import clip_grad_norm
from course_rnn.numpy.linear import Linear
from course_rnn.numpy.losses import softmax_cross_entropy
from course_rnn.numpy.module import Module
from course_rnn.numpy.optim import SGD
from course_rnn.numpy.rnn import rnn_backward, rnn_forward

PARAM_NAMES = ("W_ih", "W_hh", "b_ih", "b_hh", "V", "c")
_MODEL_NAMES = {"W_ih": ("rnn", "weight_ih"), "W_hh": ("rnn", "weight_hh"),
                "b_ih": ("rnn", "bias_ih"), "b_hh": ("rnn", "bias_hh"),
                "V": ("head", "weight"), "c": ("head", "bias")}


def param_shapes(H: int, K: int) -> dict[str, tuple[int, ...]]:
    return {"W_ih": (H, K), "W_hh": (H, H), "b_ih": (H,), "b_hh": (H,), "V": (K, H), "c": (K,)}


def random_params(rng: np.random.Generator, H: int, K: int) -> dict[str, np.ndarray]:
    """Weights of order one, so that the state carried between chunks matters."""
    return {name: rng.standard_normal(shape) / np.sqrt(shape[-1]) if len(shape) == 2
            else 0.5 * rng.standard_normal(shape) for name, shape in param_shapes(H, K).items()}


def char_model(params: dict) -> CharModel:
    """The package's model holding copies of ``params``."""
    H, K = params["W_ih"].shape
    rnn = CharRNN(K, H, forward_fn=rnn_forward, backward_fn=rnn_backward,
                  rng=np.random.default_rng(0))
    model = CharModel(CharVocab(chr(ord("a") + k) for k in range(K)), rnn, Linear(H, K))
    for name, (part, key) in _MODEL_NAMES.items():
        getattr(model, part).params[key] = np.array(params[name], dtype=np.float64)
    return model


def model_arrays(model: CharModel, attribute: str) -> tuple[np.ndarray, ...]:
    """The model's ``params`` or ``grads`` in the order of PARAM_NAMES."""
    return tuple(getattr(getattr(model, part), attribute)[key]
                 for part, key in map(_MODEL_NAMES.get, PARAM_NAMES))


@dataclass(frozen=True, eq=False)
class ChunkCase:
    """One chunk: parameters, (N, T) inputs and targets, the state carried in (N, H)."""

    label: str
    params: dict
    inputs: np.ndarray
    targets: np.ndarray
    h_init: np.ndarray

    @property
    def title(self) -> str:
        N, T = self.inputs.shape
        H, K = self.params["W_ih"].shape
        return f"{self.label} (N={N}, T={T}, H={H}, K={K})"

    def args(self) -> list[tuple[str, object]]:
        return [("params", {k: v.copy() for k, v in self.params.items()}),
                ("inputs", self.inputs), ("targets", self.targets), ("h_init", self.h_init)]

    def reference(self) -> tuple[np.ndarray, ...]:
        """(loss, the six gradients, h_last) from the package's CharModel."""
        model = char_model(self.params)
        logits, h_last = model.logits(self.inputs, self.h_init)
        loss, dlogits = softmax_cross_entropy(logits, self.targets)
        model.backward(dlogits)
        return (np.float64(loss), *model_arrays(model, "grads"), h_last)


def chunk_case(seed: int, N: int, T: int, H: int = 4, K: int = 5, label: str = "random chunk",
               zero_state: bool = False) -> ChunkCase:
    rng = np.random.default_rng(seed)
    return ChunkCase(label, random_params(rng, H, K), rng.integers(0, K, (N, T)),
                     rng.integers(0, K, (N, T)),
                     np.zeros((N, H)) if zero_state else np.tanh(rng.standard_normal((N, H))))


def chunk_cases() -> list[ChunkCase]:
    return [chunk_case(61, 2, 5), chunk_case(62, 3, 3, label="N = T"),
            chunk_case(63, 2, 5, label="h_init = 0", zero_state=True),
            chunk_case(64, 2, 1, label="one step")]


def _relayout(array: np.ndarray, how: str) -> np.ndarray:
    """Swap the two leading axes the right way ("transpose") or the wrong way ("reshape")."""
    A, B, K = array.shape
    return array.transpose(1, 0, 2) if how == "transpose" else array.reshape(B, A, K)


def mistaken_chunk(case: ChunkCase, *, use_h_init=True, h_last="last", to_loss="transpose",
                   from_loss="transpose", rnn_grads=True):
    """(loss, six gradients, h_last) of one chunk with the given mistakes. ``to_loss`` and
    ``from_loss`` say how z (T, N, K) becomes (N, T, K) for the loss and how dlogits comes
    back: "transpose" (right) or "reshape" (the same numbers in a different order)."""
    p = case.params
    H, K = p["W_ih"].shape
    h_init = case.h_init if use_h_init else np.zeros_like(case.h_init)
    h, cache = rnn_forward(one_hot(case.inputs, K), h_init, p["W_ih"], p["W_hh"], p["b_ih"],
                           p["b_hh"])
    z = h @ p["V"].T + p["c"]  # (T, N, K)
    loss, dlogits = softmax_cross_entropy(_relayout(z, to_loss), case.targets)
    dz = _relayout(dlogits, from_loss)
    dz_rows, h_rows = dz.reshape(-1, K), h.reshape(-1, H)
    dW_ih, dW_hh, db_ih, db_hh = rnn_backward(dz @ p["V"], cache)[2:]
    if not rnn_grads:
        dW_ih, dW_hh, db_ih, db_hh = (np.zeros_like(g) for g in (dW_ih, dW_hh, db_ih, db_hh))
    last = {"last": h[-1], "first": h[0], "init": case.h_init}[h_last]
    return (np.float64(loss), dW_ih, dW_hh, db_ih, db_hh, dz_rows.T @ h_rows,
            dz_rows.sum(axis=0), last)


@dataclass(frozen=True, eq=False)
class PassCase:
    """One pass over (N, L) streams, chunk by chunk."""

    label: str
    params: dict
    inputs: np.ndarray
    targets: np.ndarray
    seq_len: int
    lr: float
    max_norm: float

    @property
    def title(self) -> str:
        N, L = self.inputs.shape
        return f"{self.label} (N={N}, L={L}, seq_len={self.seq_len}, max_norm={self.max_norm:g})"

    def args(self) -> list[tuple[str, object]]:
        return [("params", {k: v.copy() for k, v in self.params.items()}),
                ("inputs", self.inputs), ("targets", self.targets), ("seq_len", self.seq_len),
                ("lr", self.lr), ("max_norm", self.max_norm)]

    def reference(self) -> tuple[np.ndarray, ...]:
        """(losses, the six parameters after the pass) from the package's train_steps."""
        model = char_model(self.params)
        result = TrainingResult(model)
        train_steps(result, SGD([model.rnn, model.head], lr=self.lr), self.inputs,
                    self.targets, seq_len=self.seq_len, steps=self.inputs.shape[1] // self.seq_len,
                    max_norm=self.max_norm, callback=None)
        return (np.array(result.losses), *model_arrays(model, "params"))


def pass_case(seed: int, L: int, seq_len: int, max_norm: float, label: str) -> PassCase:
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, 5, (2, L + 1))
    return PassCase(label, random_params(rng, 4, 5), ids[:, :-1], ids[:, 1:], seq_len, 0.5,
                    max_norm)


def pass_cases() -> list[PassCase]:
    return [pass_case(71, 12, 4, 0.1, "clipping at work"),
            pass_case(72, 12, 4, 100.0, "no clipping needed"),
            pass_case(73, 4, 4, 0.1, "one chunk")]


def clipped(grads: dict, max_norm: float) -> dict:
    """Copies of ``grads`` clipped to global norm ``max_norm`` by the package."""
    holder = Module(np.float64)
    holder.grads = {name: g.copy() for name, g in grads.items()}
    clip_grad_norm(holder, max_norm)
    return holder.grads


def mistaken_pass(case: PassCase, *, carry=True, truncate=True, clip=True, sign=-1.0,
                  advance=True, in_place=True):
    """(losses, the six parameters after the pass) with the given mistakes; ``in_place=False``
    trains a copy and leaves the caller's parameters as they were."""
    params = {k: v.copy() for k, v in case.params.items()}
    N, L = case.inputs.shape
    h = np.zeros((N, params["W_hh"].shape[0]))
    losses = []
    for k in range(L // case.seq_len):
        start = k * case.seq_len if advance else 0
        end = start + case.seq_len
        if truncate:
            chunk = ChunkCase("", params, case.inputs[:, start:end], case.targets[:, start:end], h)
        else:  # everything read so far, from the start of the streams
            chunk = ChunkCase("", params, case.inputs[:, :end], case.targets[:, :end],
                              np.zeros_like(h))
        loss, *grads, h_last = mistaken_chunk(chunk)
        grads = dict(zip(PARAM_NAMES, grads))
        if clip:
            grads = clipped(grads, case.max_norm)
        params = {name: params[name] + sign * case.lr * grads[name] for name in params}
        losses.append(loss)
        h = h_last if carry else np.zeros_like(h)
    return (np.array(losses), *(params if in_place else case.params).values())
