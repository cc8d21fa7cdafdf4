r"""A tiny character-level language model in NumPy, trained with truncated BPTT and SGD.

The model reads one character at a time, as a one-hot vector x_t of size K (the vocabulary),
and predicts the next one:

    h_t = tanh(U x_t + W h_{t-1} + b)        U = W_ih (H, K), W = W_hh (H, H), b = b_ih + b_hh
    o_t = softmax(V h_t + c)                 V = head weight (K, H), c = head bias (K,)
    L   = mean over steps and streams of -log o_t[next character]

Multiplying U by a one-hot x_t picks a column of U, so U plays the part of an embedding table;
the one-hot form keeps the code identical to the equations of the BPTT chapter.

Training (:func:`train_char_model`) cuts the text into ``batch_size`` contiguous streams that are
read side by side, ``seq_len`` characters at a time. The state at the end of one chunk is the
initial state of the next (the forward pass sees the whole stream), but the gradient stops at
the chunk boundary: truncated BPTT (Williams & Peng 1990). Each chunk gives one SGD step, after
the global gradient norm is clipped: one unlucky chunk whose gradient has grown through the
recurrence (the exploding-gradient problem of Part II) would otherwise throw the weights far
away in a single step.

The recurrent layer runs through ``forward_fn`` / ``backward_fn`` with the signatures of
:func:`course_rnn.numpy.rnn_forward` and :func:`course_rnn.numpy.rnn_backward` (called without
the nonlinearity argument, so tanh), which lets a student train the model with their own BPTT.

Character ids are laid out (N, T), a row per stream, like every token array of the package
(:mod:`course_rnn.data.tokens`); :func:`~course_rnn.data.tokens.one_hot` turns them into the
time-major (T, N, K) inputs of the recurrent layer, and the logits come back as (N, T, K), beside
the ids they predict.

Shapes: N streams (``batch_size``), T steps per chunk (``seq_len``), K vocabulary size,
H hidden units.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field

import numpy as np

from course_rnn.data.corpus import CharVocab
from course_rnn.data.tokens import one_hot
from course_rnn.numpy.clipping import clip_grad_norm
from course_rnn.numpy.linear import Linear
from course_rnn.numpy.losses import log_softmax, softmax_cross_entropy
from course_rnn.numpy.module import Module
from course_rnn.numpy.optim import SGD
from course_rnn.numpy.recurrent import WEIGHT_NAMES, cell_params
from course_rnn.numpy.rnn import rnn_backward, rnn_forward
from course_rnn.shapes import expect_non_negative, expect_positive_ints


def one_blas_thread():
    """A context that runs BLAS on one thread, where threadpoolctl is installed.

    The matrices of this model are small (at most T*N = 1024 rows by H or K columns): splitting
    each product over threads costs more in synchronisation than it saves, and on a busy machine
    the waiting threads spin. Measured on two shared cores: two threads used 8 times the CPU
    time of one for the same training run.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: without it training is merely slower on busy machines
        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


class CharRNN(Module):
    """The recurrent layer of the model: U, W and the biases, run by pluggable functions.

    Parameters
    ----------
    vocab_size : K, the size of the one-hot inputs.   hidden_size : H.
    forward_fn, backward_fn : functions with the signatures of ``rnn_forward`` /
        ``rnn_backward``.
    rng : a ``np.random.Generator`` for the initial weights.

    Attributes
    ----------
    params : ``weight_ih`` (H, K), ``weight_hh`` (H, H), ``bias_ih`` (H,), ``bias_hh`` (H,),
        drawn from U(-1/sqrt(H), 1/sqrt(H)) as torch.nn.RNN does.
    """

    def __init__(self, vocab_size: int, hidden_size: int, *, forward_fn: Callable,
                 backward_fn: Callable, rng: np.random.Generator):
        super().__init__(np.float64)
        self.vocab_size, self.hidden_size = vocab_size, hidden_size
        self.forward_fn, self.backward_fn = forward_fn, backward_fn
        self.params = cell_params(vocab_size, hidden_size, gates=1, bias=True, suffix="",
                                  rng=rng, dtype=np.float64)
        self._cache = None

    def forward(self, ids: np.ndarray, h_init: np.ndarray) -> np.ndarray:
        """(N, T) character ids and (N, H) initial state -> (T, N, H) hidden states."""
        x = one_hot(ids, self.vocab_size)  # (T, N, K)
        p = self.params
        h, self._cache = self.forward_fn(x, h_init, p["weight_ih"], p["weight_hh"], p["bias_ih"],
                                         p["bias_hh"])
        return np.asarray(h)

    def backward(self, dh: np.ndarray) -> None:
        """(T, N, H) gradient at every state -> ``grads``; the gradient at h_init is dropped."""
        if self._cache is None:
            raise RuntimeError("backward: call forward first")
        _, _, *grads = self.backward_fn(dh, self._cache)
        self.grads = dict(zip(WEIGHT_NAMES, grads, strict=True))


@dataclass
class CharModel:
    """A trained (or freshly initialised) model: the vocabulary, the recurrent layer, the head."""

    vocab: CharVocab
    rnn: CharRNN
    head: Linear

    @property
    def hidden_size(self) -> int:
        return self.rnn.hidden_size

    def logits(self, ids: np.ndarray, h_init: np.ndarray | None = None):
        """(N, T) ids -> (N, T, K) scores of the next character and the final state (N, H)."""
        ids = np.asarray(ids)
        if h_init is None:
            h_init = np.zeros((len(ids), self.hidden_size))
        h = self.rnn.forward(ids, h_init)  # (T, N, H)
        return self.head.forward(h).transpose(1, 0, 2), h[-1].copy()

    def backward(self, dlogits: np.ndarray) -> None:
        """(N, T, K) gradient at the last ``logits`` -> ``grads`` of the head and the RNN."""
        self.rnn.backward(self.head.backward(dlogits.transpose(1, 0, 2)))


@dataclass
class TrainingResult:
    """What :func:`train_char_model` returns.

    Attributes
    ----------
    model : the trained :class:`CharModel`.
    losses : the mean cross-entropy (nats per character) of every step's chunk, before its
        update.
    grad_norms : the global gradient norm of every step, before clipping.
    """

    model: CharModel
    losses: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)


def streams(ids: np.ndarray, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs and next-character targets as ``batch_size`` contiguous streams side by side.

    Row n is the n-th of ``batch_size`` equal consecutive pieces of the text, so reading the
    returned arrays a block of columns at a time continues every stream where the previous
    chunk stopped.

    Returns
    -------
    inputs, targets : (N, L) int64 with targets[n, t] the character after inputs[n, t].
    """
    length = (len(ids) - 1) // batch_size
    inputs = ids[:batch_size * length].reshape(batch_size, length)  # (N, L)
    targets = ids[1:batch_size * length + 1].reshape(batch_size, length)
    return inputs, targets


def train_char_model(text: str, *, hidden_size: int = 64, seq_len: int = 32, steps: int = 500,
                     lr: float = 0.1, seed: int = 0, batch_size: int = 32,
                     forward_fn: Callable = rnn_forward, backward_fn: Callable = rnn_backward,
                     momentum: float = 0.9, max_norm: float = 5.0,
                     callback: Callable | None = None) -> TrainingResult:
    """Train a character-level RNN language model on ``text`` with truncated BPTT and SGD.

    Parameters
    ----------
    text : the training corpus (its characters make the vocabulary).
    hidden_size : H.   seq_len : T, steps per chunk (the truncation length).
    steps : number of SGD updates (one per chunk; the text is read again when it runs out,
        starting from a zero state).
    lr : SGD learning rate.   seed : seeds the initial weights.
    batch_size : N, the number of streams read in parallel.
    forward_fn, backward_fn : the recurrent layer's forward and BPTT, with the signatures of
        :func:`~course_rnn.numpy.rnn_forward` / :func:`~course_rnn.numpy.rnn_backward`.
    momentum : SGD momentum; 0 gives plain SGD, which needs several times more steps here.
    max_norm : clip the global gradient norm to this before each update.
    callback : called as ``callback(step, model)`` after every update (e.g. to sample).

    Returns
    -------
    TrainingResult with ``.model``, ``.losses`` (one float per step) and ``.grad_norms``.
    """
    expect_positive_ints(hidden_size=hidden_size, seq_len=seq_len, steps=steps,
                         batch_size=batch_size)
    expect_non_negative(lr=lr, max_norm=max_norm)
    vocab = CharVocab.from_text(text)
    if len(text) < batch_size * seq_len + 1:
        raise ValueError(f"text: expected at least batch_size * seq_len + 1 = "
                         f"{batch_size * seq_len + 1} characters, got {len(text)}")
    inputs, targets = streams(vocab.encode(text), batch_size)
    rng = np.random.default_rng(seed)
    rnn = CharRNN(len(vocab), hidden_size, forward_fn=forward_fn, backward_fn=backward_fn,
                  rng=rng)
    head = Linear(hidden_size, len(vocab), rng=rng)
    result = TrainingResult(CharModel(vocab, rnn, head))
    optimizer = SGD([rnn, head], lr=lr, momentum=momentum)
    with one_blas_thread():
        train_steps(result, optimizer, inputs, targets, seq_len=seq_len, steps=steps,
                    max_norm=max_norm, callback=callback)
    return result


def train_steps(result: TrainingResult, optimizer, inputs, targets, *, seq_len, steps, max_norm,
                callback) -> None:
    """The loop of :func:`train_char_model`: truncated BPTT, one chunk and one update per step.

    ``inputs`` and ``targets`` are the (N, L) streams; ``result`` collects losses and norms.
    """
    model = result.model
    batch_size, hidden_size = inputs.shape[0], model.hidden_size
    chunks_per_pass = inputs.shape[1] // seq_len
    h = np.zeros((batch_size, hidden_size))
    for step in range(steps):
        chunk = step % chunks_per_pass
        if chunk == 0:
            h = np.zeros((batch_size, hidden_size))  # back at the start of the streams
        steps_of_chunk = slice(chunk * seq_len, (chunk + 1) * seq_len)
        logits, h_last = model.logits(inputs[:, steps_of_chunk], h)
        loss, dlogits = softmax_cross_entropy(logits, targets[:, steps_of_chunk])
        model.backward(dlogits)
        result.grad_norms.append(clip_grad_norm([model.rnn, model.head], max_norm))
        optimizer.step()
        result.losses.append(float(loss))
        # carry the state forward, but nothing will send a gradient back through it
        h = h_last
        if callback is not None:
            callback(step, result.model)


def char_loss(model: CharModel, text: str) -> float:
    """Mean cross-entropy in nats per character of predicting each next character of ``text``.

    Reads ``text`` as one stream from a zero state; use it on held-out text to measure what the
    model learned rather than what it memorised.
    """
    ids = model.vocab.encode(text)
    if len(ids) < 2:
        raise ValueError("text: expected at least two characters (one input, one target)")
    with one_blas_thread():
        logits, _ = model.logits(ids[None, :-1])  # one stream: (1, T, K)
    loss, _ = softmax_cross_entropy(logits, ids[None, 1:])
    return float(loss)


def unigram_loss(train_text: str, test_text: str, vocab: CharVocab) -> float:
    """Cross-entropy on ``test_text`` of a model that ignores context: character frequencies.

    The frequencies are counted in ``train_text`` with one added to every count (so no
    character of ``vocab`` gets probability zero). A language model that uses context must do
    better than this; one that predicts uniformly scores log K.
    """
    counts = np.bincount(vocab.encode(train_text), minlength=len(vocab)) + 1.0
    log_p = np.log(counts / counts.sum())
    return float(-log_p[vocab.encode(test_text)].mean())


def sample(model: CharModel, prefix: str, length: int, temperature: float = 1.0,
           seed: int = 0) -> str:
    """Generate text: read ``prefix``, then draw ``length`` characters one at a time.

    Each next character is drawn from softmax(z / temperature), z the model's scores: a
    temperature below 1 sharpens the distribution towards the likeliest character, above 1 it
    flattens it towards uniform, and 0 means always the likeliest (greedy decoding).

    Returns
    -------
    The prefix followed by the ``length`` generated characters.
    """
    if not prefix:
        raise ValueError("prefix: expected at least one character to start from")
    expect_positive_ints(length=length)
    if not temperature >= 0.0:
        raise ValueError(f"temperature: expected a number >= 0, got {temperature!r}")
    rng = np.random.default_rng(seed)
    ids = model.vocab.encode(prefix)
    generated = []
    with one_blas_thread():
        logits, h = model.logits(ids[None, :])  # the prefix in one pass: (1, T, K)
        for _ in range(length):
            z = logits[0, -1]
            if temperature == 0.0:
                next_id = int(np.argmax(z))
            else:
                p = np.exp(log_softmax(z / temperature))
                next_id = int(rng.choice(len(p), p=p / p.sum()))
            generated.append(next_id)
            logits, h = model.logits(np.array([[next_id]]), h)
    return prefix + model.vocab.decode(np.array(generated, dtype=np.int64))
