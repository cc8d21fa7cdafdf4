r"""Chapter 10's encoder-decoder in torch, with a fixed context or with attention.

The encoder, a GRU, reads the embedded source x_1 .. x_S into states h_1 .. h_S. The decoder,
a GRU cell, writes the target one token at a time from the previous token y_{t-1} (SOS first)
and a context c_t. Two models differ in c_t alone:

    without attention   c_t = h_{S_n}                         the state after the last token
                                                              (Cho et al. 2014; chapter 5's (b))
    with attention      c_t, alpha_t = attend(s_{t-1}, h)     the previous decoder state asks
                                                              (Bahdanau, Cho and Bengio 2015)
    s_0 = h_{S_n}
    s_t = GRUCell([E y_{t-1}; c_t], s_{t-1})
    o_t = W_o [s_t; c_t] + b_o                                scores of the token y_t

``attend`` is any module with ``forward(query, keys, mask) -> (context, weights)``, as
``course_rnn.torch.AdditiveAttention`` and ``DotAttention``; the mask keeps it off the padding.
:meth:`Seq2Seq.decoder_step` is one step of the decoder, from (previous token, state);
:meth:`Seq2Seq.forward` runs it with teacher forcing (the true y_{t-1} is read);
:meth:`Seq2Seq.greedy` feeds back its own best token (:meth:`Seq2Seq.greedy_with_weights` also
returns the attention weights it used); :meth:`Seq2Seq.decoder_start` gives the
``step(state, token)`` function, arguments the other way round as ``course_rnn.models.decoding``
expects them, and the start state that its searches use.

Shapes: N sequences, S source steps, T target steps, H hidden units, E embedding size,
V vocabulary (PAD, SOS and EOS included; sources and targets share it). Token arrays are
batch-first (N, S) as ``course_rnn.data.transduction`` makes them; states are time-major.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from course_rnn.data.transduction import SOS
from course_rnn.shapes import check_lengths, check_tokens, expect_positive_ints


class Encoded(NamedTuple):
    """What the decoder reads of the source.

    keys : (S, N, H) the encoder states h_1 .. h_S.   mask : (S, N) bool, True at real tokens.
    last : (N, H) h_{S_n}, each source's state after its own last token.
    """

    keys: torch.Tensor
    mask: torch.Tensor
    last: torch.Tensor


class DecoderState(NamedTuple):
    """One decoder's state between steps: s_{t-1} (N, H) and the encoded source."""

    s: torch.Tensor
    source: Encoded


class Seq2Seq(nn.Module):
    """A GRU encoder-decoder whose context is fixed (``attention=None``) or attended.

    Parameters
    ----------
    vocab_size : V.   hidden_size : H (encoder, decoder and context).
    embedding_size : E, the size of the token embeddings.
    attention : None, or a module ``(query (N, H), keys (S, N, H), mask (S, N)) ->
        (context (N, H), weights (S, N))``, e.g. ``AdditiveAttention(H, H, A)``.
    seed : seeds the initial weights, the attention's included (its ``reset_parameters`` is
        called again after seeding, if it has one).
    """

    def __init__(self, vocab_size: int, hidden_size: int, embedding_size: int = 16, *,
                 attention: nn.Module | None = None, seed: int = 0):
        super().__init__()
        expect_positive_ints(vocab_size=vocab_size, hidden_size=hidden_size,
                             embedding_size=embedding_size)
        torch.manual_seed(seed)
        self.vocab_size, self.hidden_size = vocab_size, hidden_size
        self.source_embedding = nn.Embedding(vocab_size, embedding_size)
        self.encoder = nn.GRU(embedding_size, hidden_size)
        self.target_embedding = nn.Embedding(vocab_size, embedding_size)
        self.attention = attention
        if hasattr(attention, "reset_parameters"):
            attention.reset_parameters()  # so that the seed decides every weight
        self.decoder = nn.GRUCell(embedding_size + hidden_size, hidden_size)
        self.head = nn.Linear(2 * hidden_size, vocab_size)

    def encode(self, source, source_lengths) -> Encoded:
        """Encoder states, padding mask and last states of right-padded sources (N, S)."""
        source = torch.as_tensor(check_tokens(source, self.vocab_size, "source"))
        N, S = source.shape
        lengths = torch.as_tensor(check_lengths("source_lengths", source_lengths, N, S))
        h, _ = self.encoder(self.source_embedding(source.T))  # (S, N, H)
        mask = torch.arange(S)[:, None] < lengths             # (S, N)
        # a GRU runs forward only, so h_s at a real token never saw the padding after it
        return Encoded(h, mask, h[lengths - 1, torch.arange(N)])

    def decoder_step(self, previous, state: DecoderState):
        """One decoder step from the previous tokens (N,): logits (N, V), state, weights.

        The weights alpha_t (S, N) are None without attention.
        """
        source = state.source
        if self.attention is None:
            c, alpha = source.last, None
        else:
            c, alpha = self.attention(state.s, source.keys, source.mask)
        y = self.target_embedding(previous)                  # (N, E)
        s = self.decoder(torch.cat([y, c], dim=1), state.s)  # s_t (N, H)
        logits = self.head(torch.cat([s, c], dim=1))         # o_t (N, V)
        return logits, DecoderState(s, source), alpha

    def forward(self, source, source_lengths, decoder_inputs):
        """Teacher-forced logits (N, T, V) and attention weights (T, S, N) or None.

        Parameters
        ----------
        source : (N, S) ids.   source_lengths : (N,) lengths in [1, S].
        decoder_inputs : (N, T) ids: SOS, then the target without its last token.
        """
        inputs = torch.as_tensor(check_tokens(decoder_inputs, self.vocab_size,
                                              "decoder_inputs"))
        if len(inputs) != len(source):
            raise ValueError(f"decoder_inputs: expected one row per source, N={len(source)}, "
                             f"got {len(inputs)}")
        encoded = self.encode(source, source_lengths)
        state = DecoderState(encoded.last, encoded)
        logits, weights = [], []
        for previous in inputs.T.unbind(0):  # teacher forcing: the true y_{t-1}
            scores, state, alpha = self.decoder_step(previous, state)
            logits.append(scores)
            weights.append(alpha)
        weights = None if self.attention is None else torch.stack(weights)
        return torch.stack(logits, dim=1), weights

    @torch.no_grad()
    def greedy(self, source, source_lengths, max_len: int) -> np.ndarray:
        """(N, max_len) ids: each step feeds back the previous step's most likely token."""
        return self.greedy_with_weights(source, source_lengths, max_len)[0]

    @torch.no_grad()
    def greedy_with_weights(self, source, source_lengths, max_len: int):
        """Greedy decoding's ids (N, max_len) and its attention weights (max_len, S, N) or None.

        Row t of the weights is what the decoder read of the source while it chose token t.
        """
        expect_positive_ints(max_len=max_len)
        encoded = self.encode(source, source_lengths)
        state = DecoderState(encoded.last, encoded)
        previous = torch.full((len(encoded.last),), SOS)
        produced, weights = [], []
        for _ in range(max_len):
            logits, state, alpha = self.decoder_step(previous, state)
            previous = logits.argmax(dim=1)
            produced.append(previous)
            weights.append(alpha)
        weights = None if self.attention is None else torch.stack(weights).numpy()
        return torch.stack(produced, dim=1).numpy(), weights

    def decoder_start(self, source, source_length: int):
        """``step(state, token) -> (log_probs (V,), state)`` and the start state of one source.

        The pair that ``course_rnn.models.decoding``'s ``greedy_decode`` and ``beam_search``
        take. ``source`` is one sequence (S,) of ids; the log-probabilities are a float64 array.
        """
        with torch.no_grad():
            encoded = self.encode(np.asarray(source)[None], np.array([source_length]))

        @torch.no_grad()
        def step(state: DecoderState, token: int):
            logits, state, _ = self.decoder_step(torch.tensor([int(token)]), state)
            return torch.log_softmax(logits[0].double(), dim=0).numpy(), state

        return step, DecoderState(encoded.last, encoded)
