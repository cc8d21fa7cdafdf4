r"""Test cases for exercise 6's two architectures, their references, and typical mistakes.

The student wires the package's layers, an ``RNN`` (one layer, tanh) and a ``Linear`` head,
into two models and writes their forward pass and their loss with its backward pass:

- many-to-one, ``classifier_forward(rnn, head, tokens) -> logits`` (N, K): the (N, T) token
  ids, left-padded with 0 as :mod:`course_rnn.data.negation` pads them, enter one-hot
  (T, N, V); the head reads the state after each sentence's last word, which left padding puts
  at the last step for every row, ``output[-1]``. ``classifier_loss(rnn, head, tokens,
  labels) -> loss`` adds the mean cross-entropy over the N sentences and fills both layers'
  ``grads``.
- one-to-many, ``generator_forward(rnn, head, labels, steps) -> logits`` (N, T, V): the one-hot
  class label (size K = ``rnn.input_size``) is the input of every one of the T steps, the head
  scores every state. ``generator_loss(rnn, head, labels, targets) -> loss`` adds the mean
  cross-entropy over all N*T positions and fills the grads.

The references are the package's models: :class:`~course_rnn.models.classifier.RNNClassifier`
and :class:`~course_rnn.models.one_to_many.EveryStepGenerator`, loaded with the case's weights.
The simulations below use the layers with one switch flipped each; at their defaults they
compute the references' numbers.

Shapes: N sequences, T steps, V tokens (classifier inputs, generator outputs), H hidden units,
K classes (classifier outputs, generator inputs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_rnn.data.tokens import one_hot
from course_rnn.models.classifier import RNNClassifier
from course_rnn.models.one_to_many import EveryStepGenerator
from course_rnn.numpy.linear import Linear
from course_rnn.numpy.losses import softmax_cross_entropy
from course_rnn.numpy.rnn import RNN

PAD = 0
RNN_GRADS = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")
HEAD_GRADS = ("weight", "bias")
GRAD_NAMES = (*(f"rnn.grads['{n}']" for n in RNN_GRADS),
              *(f"head.grads['{n}']" for n in HEAD_GRADS))


def make_layers(seed: int, D: int, H: int, K: int) -> tuple[RNN, Linear]:
    """A fresh RNN (D -> H) and Linear head (H -> K) with the same weights for the same seed."""
    rng = np.random.default_rng(seed)
    return RNN(D, H, rng=rng), Linear(H, K, rng=rng)


def layer_grads(rnn: RNN, head: Linear) -> tuple[np.ndarray, ...]:
    """The six gradients in the order of GRAD_NAMES."""
    return (*(rnn.grads[n] for n in RNN_GRADS), *(head.grads[n] for n in HEAD_GRADS))


@dataclass(frozen=True, eq=False)
class LayerCase:
    """One test: a label for messages, the (N, T) ids the model reads or must write, and the
    seed and sizes (input, hidden, output) of the fresh layers handed to the student."""

    label: str
    ids: np.ndarray
    seed: int
    sizes: tuple[int, int, int]
    size_names = ("D", "H", "K")  # what a subclass calls the three sizes in messages

    @property
    def title(self) -> str:
        N, T = self.ids.shape
        sizes = ", ".join(f"{name}={size}" for name, size in zip(self.size_names, self.sizes))
        return f"{self.label} (N={N}, T={T}, {sizes})"

    def layers(self) -> tuple[RNN, Linear]:
        return make_layers(self.seed, *self.sizes)


@dataclass(frozen=True, eq=False)
class ClassifierCase(LayerCase):
    """Left-padded token ids (N, T) over V tokens and their labels (N,) of K classes."""

    labels: np.ndarray
    size_names = ("V", "H", "K")

    @property
    def tokens(self) -> np.ndarray:
        return self.ids

    def args(self, with_labels: bool = False) -> list[tuple[str, object]]:
        rnn, head = self.layers()
        args = [("rnn", rnn), ("head", head), ("tokens", self.tokens)]
        return args + [("labels", self.labels)] if with_labels else args

    def reference(self) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
        """(logits (N, K), loss, the six gradients) from the package's RNNClassifier."""
        model = RNNClassifier(*self.sizes)
        rnn, head = self.layers()
        model.rnn.load_state_dict(rnn.params)
        model.head.load_state_dict(head.params)
        logits = model.forward(self.tokens)
        loss, dlogits = softmax_cross_entropy(logits, self.labels)
        model.backward(dlogits)
        return logits, np.float64(loss), layer_grads(model.rnn, model.head)


def classifier_case(seed: int, lengths, T: int, V: int = 16, H: int = 5, K: int = 2,
                    label: str = "left-padded sentences") -> ClassifierCase:
    """Random words (ids 1..V-1) of the given lengths, left-padded with PAD to T."""
    rng = np.random.default_rng(seed)
    tokens = np.full((len(lengths), T), PAD)
    for n, length in enumerate(lengths):
        tokens[n, T - length:] = rng.integers(1, V, length)
    return ClassifierCase(label, tokens, seed, (V, H, K), rng.integers(0, K, len(lengths)))


def classifier_cases() -> list[ClassifierCase]:
    return [classifier_case(81, [6, 2, 4, 1], 6),
            classifier_case(82, [3, 1, 2], 3, label="N = T"),
            classifier_case(83, [5, 5, 5], 5, V=7, K=3, label="no padding, V = 7, K = 3"),
            classifier_case(84, [2], 5, label="batch of one")]


def mistaken_classifier(case: ClassifierCase, *, read="last", bias=True, grad_at="read",
                        reduction="mean"):
    """(logits, loss, six gradients) with the given mistakes. ``read`` is the state the head
    reads: "last" (right), "first", "lengths" (step lengths - 1, where a right-padded sentence
    would end) or "mean" (the mean over time); ``grad_at`` "read" sends the head's gradient
    back to that state, "first" to step 0, "all" to every step."""
    rnn, head = case.layers()
    N, T = case.tokens.shape
    output, _ = rnn(one_hot(case.tokens, case.sizes[0]))
    lengths = (case.tokens != PAD).sum(axis=1)
    which = {"last": np.full(N, T - 1), "first": np.zeros(N, int), "lengths": lengths - 1,
             "mean": None}[read]
    state = output.mean(axis=0) if which is None else output[which, np.arange(N)]
    logits = state @ head.params["weight"].T + bias * head.params["bias"]
    loss, dlogits = softmax_cross_entropy(logits, case.labels, reduction=reduction)
    head.forward(state)
    dstate = head.backward(dlogits)
    doutput = np.zeros_like(output)
    if grad_at == "first":
        doutput[0] = dstate
    elif grad_at == "all":
        doutput[:] = dstate
    elif which is None:
        doutput[:] = dstate / T
    else:
        doutput[which, np.arange(N)] = dstate
    rnn.backward(doutput)
    return logits, np.float64(loss), layer_grads(rnn, head)


@dataclass(frozen=True, eq=False)
class GeneratorCase(LayerCase):
    """Class labels (N,) of K classes and the targets (N, T) over V tokens to generate."""

    labels: np.ndarray
    size_names = ("K", "H", "V")

    @property
    def targets(self) -> np.ndarray:
        return self.ids

    def args(self, with_targets: bool = False) -> list[tuple[str, object]]:
        rnn, head = self.layers()
        last = ("targets", self.targets) if with_targets else ("steps", self.ids.shape[1])
        return [("rnn", rnn), ("head", head), ("labels", self.labels), last]

    def reference(self) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
        """(logits (N, T, V), loss, the six gradients) from the package's EveryStepGenerator."""
        model = EveryStepGenerator(*self.sizes, self.ids.shape[1])
        rnn, head = self.layers()
        model.rnn.load_state_dict({name.removesuffix("_l0"): value
                                   for name, value in rnn.params.items()})
        model.head.load_state_dict(head.params)
        logits = model.forward(np.eye(self.sizes[0])[self.labels])
        loss, dlogits = model.loss(logits, self.targets)
        model.backward(dlogits)
        grads = (*(model.rnn.grads[n.removesuffix("_l0")] for n in RNN_GRADS),
                 *(model.head.grads[n] for n in HEAD_GRADS))
        return logits, np.float64(loss), grads


def generator_case(seed: int, labels, T: int, K: int, V: int, H: int = 5,
                   label: str = "random labels") -> GeneratorCase:
    rng = np.random.default_rng(seed)
    labels = np.asarray(labels)
    return GeneratorCase(label, rng.integers(0, V, (len(labels), T)), seed, (K, H, V), labels)


def generator_cases() -> list[GeneratorCase]:
    return [generator_case(91, [0, 3, 1, 3, 2], 6, K=4, V=3),
            generator_case(92, [2, 0, 1, 1], 4, K=3, V=5, label="N = T"),
            generator_case(93, [1, 0, 1], 5, K=4, V=3, label="no sample of the last class"),
            generator_case(94, [1, 2, 0], 1, K=3, V=4, label="one step")]


def mistaken_generator(case: GeneratorCase, *, label_at="every", layout="transpose", bias=True,
                       divide_by="NT", back="transpose"):
    """(logits, loss, six gradients) with the given mistakes. ``label_at`` "every" (right) or
    "first" (step 0 only, zeros after); ``layout`` and ``back`` say how the (T, N, V) scores
    become (N, T, V) logits and how their gradient comes back: "transpose" (right) or "reshape"
    (the same numbers in another order); ``divide_by`` is the loss's denominator, "NT"
    (right), "N" (summed over time), "T" or "1" (a sum)."""
    rnn, head = case.layers()
    N, T = case.targets.shape
    K, _, V = case.sizes
    x = np.zeros((T, N, K))
    x[slice(None) if label_at == "every" else 0] = np.eye(K)[case.labels]
    output, _ = rnn(x)  # (T, N, H)
    scores = output @ head.params["weight"].T + bias * head.params["bias"]  # (T, N, V)
    logits = scores.transpose(1, 0, 2) if layout == "transpose" else scores.reshape(N, T, V)
    loss, dlogits = softmax_cross_entropy(logits, case.targets, reduction="sum")
    denominator = {"NT": N * T, "N": N, "T": T, "1": 1}[divide_by]
    dlogits = dlogits / denominator
    dscores = dlogits.transpose(1, 0, 2) if back == "transpose" else dlogits.reshape(T, N, V)
    head.forward(output)
    rnn.backward(head.backward(dscores))
    return logits, np.float64(loss / denominator), layer_grads(rnn, head)
