r"""Chapter 5's encoder-decoder with Bahdanau's attention, in NumPy with a hand-written backward.

The fixed-context model (:mod:`course_rnn.models.encoder_decoder`) squeezes the source into its
last state c. Here the decoder looks back at every encoder state at every step: its previous
state s_{t-1} is the query, the encoder states h_0 .. h_{T-1} are the keys, and the context
c_t it reads at step t is their mix under additive attention (Bahdanau, Cho and Bengio 2015):

    h_t = tanh(U x_t + W h_{t-1} + b),        h_{-1} = 0              (encoder)
    s_{-1} = h_{T_n - 1}                                             (the last real state)
    c_t, alpha_t = attention(s_{t-1}, h_0 .. h_{T-1})                  (padding masked)
    s_t = tanh(U' [y_{t-1}; c_t] + W' s_{t-1} + b')                    (decoder)
    o_t = V s_t + b_o                                                (scores of the token y_t)

where attention(q, k) is :func:`~course_rnn.numpy.additive_attention_forward`:
e_{s} = v . tanh(W_q q + W_k k_s), alpha = softmax over the real s, c = sum_s alpha_s k_s.
Simplifications against the paper: both RNNs are plain tanh RNNs (theirs are gated, GRU-like
units) and the encoder runs one way (theirs is bidirectional); s_{-1} is the encoder's last
state (theirs is tanh of a projection of the backward encoder's state at the first word); o_t
reads s_t alone (their output g(y_{t-1}, s_t, c_t) also reads y_{t-1} and c_t, through a maxout
layer).

The decoder step reads s_{t-1} twice, as the recurrence's previous state and as the query,
so its gradient comes back along both paths; every key collects a gradient from every step's
attention, and the last real encoder state also the gradient at s_{-1}. ``alignment`` holds
the weights alpha of the latest forward pass, one (T', T) matrix per pair, for heatmaps.

Shapes: N pairs, T source steps, T' target steps, H hidden units (of both RNNs, the query and
the keys), A attention units, S source vocabulary, K target vocabulary.
"""

from __future__ import annotations

import numpy as np

from course_rnn.data.tokens import one_hot
from course_rnn.models.encoder_decoder import EncoderDecoder
from course_rnn.numpy.additive_attention import (
    additive_attention_backward,
    additive_attention_forward,
)
from course_rnn.numpy.module import Module
from course_rnn.numpy.recurrent import WEIGHT_NAMES
from course_rnn.numpy.rnn import rnn_step_backward, rnn_step_forward
from course_rnn.shapes import expect_positive_ints

ATTENTION_NAMES = ("W_q", "W_k", "v")
"""The attention's parameters, named as in ``course_rnn.torch.AdditiveAttention``."""


class AttentionParameters(Module):
    """W_q (A, H), W_k (A, H) and v (A,), each uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)].

    The draw of ``course_rnn.torch.AdditiveAttention``; ``grads`` is filled by the model.
    """

    def __init__(self, hidden_size: int, attention_size: int, rng: np.random.Generator):
        super().__init__(np.float64)
        shapes = {"W_q": (attention_size, hidden_size), "W_k": (attention_size, hidden_size),
                  "v": (attention_size,)}
        self.params = {name: rng.uniform(-1, 1, shape) / np.sqrt(shape[-1])
                       for name, shape in shapes.items()}


class AttentionEncoderDecoder(EncoderDecoder):
    """A tanh RNN encoder and a tanh RNN decoder that attends to every encoder state.

    Parameters
    ----------
    source_vocab_size : S.   target_vocab_size : K.   hidden_size : H.
    attention_size : A, the units of the attention's scoring layer (H if None).
    rng : a ``np.random.Generator`` or a seed, for the initial weights.

    Attributes
    ----------
    encoder : :class:`Recurrence` S -> H.   decoder : :class:`Recurrence` K + H -> H, run one
    step at a time.   attention : :class:`AttentionParameters`.   head : :class:`Readout` H -> K.
    modules : ``[encoder, decoder, head, attention]``.
    alignment : (N, T', T) the attention weights of the latest :meth:`forward`, alpha[n, t, s]
        the weight of source step s in target step t of pair n (0 at padded source steps).
    """

    def __init__(self, source_vocab_size: int, target_vocab_size: int, hidden_size: int,
                 attention_size: int | None = None, *, rng=0):
        rng = np.random.default_rng(rng)
        super().__init__(source_vocab_size, target_vocab_size, hidden_size,
                         context_every_step=True, rng=rng)  # the decoder reads [y_{t-1}; c_t]
        attention_size = hidden_size if attention_size is None else attention_size
        expect_positive_ints(attention_size=attention_size)
        self.attention = AttentionParameters(hidden_size, attention_size, rng)
        self.modules.append(self.attention)
        self.alignment = None
        self._steps = []  # the caches of every decoder step of the latest forward pass

    # ------------------------------------------------------------------------------ forward
    def decoder_step(self, s_prev, previous, keys, mask):
        """One decoder step: s_{t-1} (N, H) and y_{t-1} (N,) ids -> s_t, alpha_t (T, N), caches.

        ``keys`` (T, N, H) are the encoder states, ``mask`` (T, N) is True at real tokens.
        """
        W_q, W_k, v = (self.attention.params[name] for name in ATTENTION_NAMES)
        c, alpha, attention_cache = additive_attention_forward(s_prev, keys, W_q, W_k, v, mask)
        y = one_hot(previous[:, None], self.target_vocab_size)[0]      # (N, K) y_{t-1}
        x = np.concatenate([y, c], axis=1)                             # [y_{t-1}; c_t]
        s, step_cache = rnn_step_forward(x, s_prev, *(self.decoder.params[name]
                                                      for name in WEIGHT_NAMES))
        return s, alpha, (attention_cache, step_cache)

    def start_decoding(self, sources, source_lengths=None):
        """(s_{-1}, keys (T, N, H), mask (T, N)): the state before the first decoder step."""
        h, last = self.encoder_states(sources, source_lengths)
        mask = np.arange(len(h))[:, None] <= last   # (T, N) True at each source's real tokens
        return h[last, np.arange(len(last))], h, mask

    def decode_step(self, state, previous: np.ndarray):
        """Scores (N, K) of the next token and the new state; see :meth:`start_decoding`."""
        s_prev, keys, mask = state
        s, _, _ = self.decoder_step(s_prev, previous, keys, mask)
        return self.head(s[None])[:, 0], (s, keys, mask)

    def forward(self, sources, decoder_inputs, source_lengths=None) -> np.ndarray:
        """Teacher-forced logits (N, T', K); arguments as :meth:`EncoderDecoder.forward`."""
        sources, decoder_inputs = self.checked_pairs(sources, decoder_inputs)
        s, keys, mask = self.start_decoding(sources, source_lengths)
        states, alphas, self._steps = [], [], []
        for previous in decoder_inputs.T:            # y_{t-1} of every pair, t = 0 .. T'-1
            s, alpha, caches = self.decoder_step(s, previous, keys, mask)
            states.append(s)
            alphas.append(alpha)
            self._steps.append(caches)
        self.alignment = np.stack(alphas).transpose(2, 0, 1)   # (N, T', T)
        self._teacher_forced = True
        return self.head(np.stack(states))             # o_t = V s_t + b_o

    # ----------------------------------------------------------------------------- backward
    def backward(self, dlogits) -> None:
        """Backpropagate dL/dlogits (N, T', K) through the decoder, the attention, the encoder."""
        self.expect_forward()
        ds = self.head.backward(dlogits)               # (T', N, H) at every s_t from o_t
        K = self.target_vocab_size
        dkeys = np.zeros(self._encoded[0])             # (T, N, H) at every encoder state
        ds_next = np.zeros_like(ds[0])                 # what step t+1 sent back to s_t
        decoder_grads = [0.0] * len(WEIGHT_NAMES)
        attention_grads = [0.0] * len(ATTENTION_NAMES)
        for t in reversed(range(len(ds))):
            attention_cache, step_cache = self._steps[t]
            dx, ds_prev, *dW = rnn_step_backward(ds[t] + ds_next, step_cache)
            dquery, dkeys_t, *dA = additive_attention_backward(dx[:, K:], attention_cache)
            ds_next = ds_prev + dquery                 # s_{t-1}: previous state and query
            dkeys += dkeys_t
            decoder_grads = [g + d for g, d in zip(decoder_grads, dW)]
            attention_grads = [g + d for g, d in zip(attention_grads, dA)]
        self.decoder.grads = dict(zip(WEIGHT_NAMES, decoder_grads))
        self.attention.grads = dict(zip(ATTENTION_NAMES, attention_grads))
        self.backward_encoder(dkeys, ds_next)          # ds_next is now the gradient at s_{-1}
