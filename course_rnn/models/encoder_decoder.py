r"""Many to many, unaligned: an encoder-decoder whose context c is the encoder's last state.

The encoder reads the source tokens x_0 .. x_{T-1}; its last state is the context vector c, the
only thing the decoder learns about the source. The decoder then writes the target one token
at a time, reading the previous target token y_{t-1} (a start token before y_0):

    h_t = tanh(U x_t + W h_{t-1} + b),        h_{-1} = 0         (encoder)
    c   = h_{T-1}                                                (the state after the last token)
    s_{-1} = c                                                   (decoder's initial state)
    (a) s_t = tanh(U' y_{t-1} + W' s_{t-1} + b')
    (b) s_t = tanh(U' [y_{t-1}; c] + W' s_{t-1} + b')            (c read again at every step)
    o_t = V s_t + b_o                                            (scores of the token y_t)

Variant (b), ``context_every_step=True``, is Cho et al. 2014's: the decoder sees c at every step,
so it need not carry it through its state. Both variants squeeze the whole source into one
vector of H numbers, which is what chapter 10's attention relaxes.

Training uses teacher forcing: :meth:`EncoderDecoder.forward` is given the decoder inputs
(the target shifted right behind a start token), not its own predictions. Targets of different
lengths are padded to one length T'; :meth:`~EncoderDecoder.loss` takes a mask that is 0 at the
padding, so padded positions add nothing. Padded sources give their ``source_lengths``, and
c is then the state after each source's own last token. :meth:`~EncoderDecoder.greedy_decode`
predicts: it feeds back its own most likely token until the end token or a maximum length.

Backward runs the same path in reverse: the head, BPTT through the decoder, into c (from the
decoder's initial state and, in (b), from every step's input), and BPTT through the encoder from
the state that became c.

Shapes: N sequences, T source steps, T' target steps, H hidden units, S source vocabulary,
K target vocabulary (with the start and end tokens).
"""

from __future__ import annotations

import numpy as np

from course_rnn.data.tokens import one_hot
from course_rnn.models.readout import Readout
from course_rnn.models.recurrence import Recurrence
from course_rnn.numpy.losses import log_softmax, softmax_cross_entropy
from course_rnn.shapes import (
    check_indices,
    check_lengths,
    check_tokens,
    expect_bools,
    expect_positive_ints,
)


class EncoderDecoder:
    """A tanh RNN encoder and a tanh RNN decoder joined by the context c = the last encoder state.

    Parameters
    ----------
    source_vocab_size : S.   target_vocab_size : K.   hidden_size : H (of both RNNs, and of c).
    context_every_step : False for variant (a), c only as the decoder's initial state; True for
        variant (b), c also concatenated to every decoder input (Cho et al. 2014).
    rng : a ``np.random.Generator`` or a seed, for the initial weights.

    Attributes
    ----------
    encoder : :class:`Recurrence` S -> H (U, W, b).
    decoder : :class:`Recurrence` K -> H, or K + H -> H in variant (b) (U', W', b').
    head : :class:`Readout` H -> K (V, b_o).   modules : ``[encoder, decoder, head]``.
    """

    def __init__(self, source_vocab_size: int, target_vocab_size: int, hidden_size: int, *,
                 context_every_step: bool = False, rng=0):
        expect_positive_ints(source_vocab_size=source_vocab_size,
                             target_vocab_size=target_vocab_size, hidden_size=hidden_size)
        expect_bools(context_every_step=context_every_step)
        rng = np.random.default_rng(rng)
        self.source_vocab_size, self.target_vocab_size = source_vocab_size, target_vocab_size
        self.context_every_step = context_every_step
        decoder_input_size = target_vocab_size + (hidden_size if context_every_step else 0)
        self.encoder = Recurrence(source_vocab_size, hidden_size, rng=rng)
        self.decoder = Recurrence(decoder_input_size, hidden_size, rng=rng)
        self.head = Readout(hidden_size, target_vocab_size, rng=rng)
        self.modules = [self.encoder, self.decoder, self.head]
        self._encoded = None        # the encoder's (T, N, H) shape and the index of c's step
        self._teacher_forced = False  # backward needs the passes of forward, not of decoding

    # ------------------------------------------------------------------------------ forward
    def encoder_states(self, sources, source_lengths=None) -> tuple[np.ndarray, np.ndarray]:
        """The encoder's states h (T, N, H) and the step T_n - 1 of each source's last token (N,).

        Parameters
        ----------
        sources : (N, T) token ids in [0, S).
        source_lengths : (N,) lengths in [1, T] of padded sources, or None (all of length T).
        """
        sources = check_tokens(sources, self.source_vocab_size, "sources")
        N, T = sources.shape
        last = (np.full(N, T) if source_lengths is None
                else check_lengths("source_lengths", source_lengths, N, T)) - 1
        h = self.encoder(one_hot(sources, self.source_vocab_size),
                         np.zeros((N, self.encoder.hidden_size)))  # (T, N, H)
        self._encoded, self._teacher_forced = (h.shape, last), False
        return h, last

    def encode(self, sources, source_lengths=None) -> np.ndarray:
        """The context c (N, H): the encoder's state after each source's last token.

        Parameters: as :meth:`encoder_states`.
        """
        h, last = self.encoder_states(sources, source_lengths)
        return h[last, np.arange(len(last))]  # c = h_{T_n - 1} of every sequence n: (N, H)

    def decoder_steps(self, previous_tokens: np.ndarray, c: np.ndarray) -> np.ndarray:
        """What the decoder reads: one-hot y_{t-1} (T', N, K), with c beside it in variant (b)."""
        y = one_hot(previous_tokens, self.target_vocab_size)  # (T', N, K)
        if not self.context_every_step:
            return y
        context = np.broadcast_to(c, (len(y), *c.shape))     # (T', N, H): c at every step
        return np.concatenate([y, context], axis=2)           # (T', N, K + H)

    def forward(self, sources, decoder_inputs, source_lengths=None) -> np.ndarray:
        """Teacher-forced logits (N, T', K) of every target token.

        Parameters
        ----------
        sources : (N, T) source ids in [0, S).
        decoder_inputs : (N, T') ids in [0, K): the start token, then the target without its
            last token (padding included).
        source_lengths : (N,) lengths of padded sources, or None.
        """
        sources, decoder_inputs = self.checked_pairs(sources, decoder_inputs)
        c = self.encode(sources, source_lengths)
        s = self.decoder(self.decoder_steps(decoder_inputs, c), c)  # (T', N, H), s_{-1} = c
        self._teacher_forced = True
        return self.head(s)                                         # o_t = V s_t + b_o

    def checked_pairs(self, sources, decoder_inputs) -> tuple[np.ndarray, np.ndarray]:
        """Sources (N, T) and decoder inputs (N, T') as id arrays, one row of each per pair."""
        sources = check_tokens(sources, self.source_vocab_size, "sources")
        decoder_inputs = check_tokens(decoder_inputs, self.target_vocab_size, "decoder_inputs")
        if len(decoder_inputs) != len(sources):
            raise ValueError(f"decoder_inputs: expected one row per source, N={len(sources)}, "
                             f"got {len(decoder_inputs)}")
        return sources, decoder_inputs

    # ----------------------------------------------------------------------------- backward
    def backward(self, dlogits) -> None:
        """Backpropagate dL/dlogits (N, T', K) through the decoder, c and the encoder."""
        self.expect_forward()
        dy, dc = self.decoder.backward(self.head.backward(dlogits))  # dc: gradient at s_{-1} = c
        if self.context_every_step:
            K = self.target_vocab_size
            dc = dc + dy[:, :, K:].sum(axis=0)  # c was also read by every decoder step
        self.backward_encoder(np.zeros(self._encoded[0]), dc)  # only the state that became c

    def expect_forward(self) -> None:
        """backward needs the saved values of a teacher-forced forward, not of decoding."""
        if not self._teacher_forced:
            raise RuntimeError("backward: call forward first (backward uses its saved values)")

    def backward_encoder(self, dh: np.ndarray, dc: np.ndarray) -> None:
        """BPTT through the encoder from dh (T, N, H) plus dc (N, H) at the state that became c."""
        last = self._encoded[1]
        dh[last, np.arange(len(last))] += dc
        self.encoder.backward(dh)

    @staticmethod
    def loss(logits, targets, mask=None) -> tuple[float, np.ndarray]:
        """Mean cross-entropy over the counted target tokens, and dL/dlogits (N, T', K).

        Parameters
        ----------
        logits : (N, T', K) from :meth:`forward`.   targets : (N, T') ids in [0, K).
        mask : (N, T') bool or float, 0 (False) at padded positions, or None to count every
            position. The mean divides by the number of counted positions.
        """
        return softmax_cross_entropy(logits, targets, mask=mask)

    # ------------------------------------------------------------------------------ predict
    def greedy_decode(self, sources, start_id: int, end_id: int, max_len: int,
                      source_lengths=None) -> np.ndarray:
        """Predicted targets: each step feeds back the previous step's most likely token.

        Decoding stops once every sequence has produced ``end_id``, or after ``max_len`` tokens.
        This runs forward passes of its own: call :meth:`forward` again before ``backward``.

        Parameters
        ----------
        sources : (N, T) source ids.   source_lengths : (N,) lengths of padded sources, or None.
        start_id : the token y_{-1} the decoder reads first.   end_id : the end token.
        max_len : the most tokens to produce.

        Returns
        -------
        tokens : (N, L) ids, L <= max_len: each row up to and including its end token, and
        ``end_id`` after it (a row without an end token has run to ``max_len``).
        """
        for name, token in (("start_id", start_id), ("end_id", end_id)):
            check_indices(name, np.asarray(token), self.target_vocab_size)
        expect_positive_ints(max_len=max_len)
        state = self.start_decoding(sources, source_lengths)
        previous = np.full(len(sources), start_id)
        finished = np.zeros(len(sources), dtype=bool)
        produced = []
        for _ in range(max_len):
            scores, state = self.decode_step(state, previous)
            previous = np.where(finished, end_id, scores.argmax(axis=-1))
            produced.append(previous)
            finished |= previous == end_id
            if finished.all():
                break
        return np.stack(produced, axis=1)

    def start_decoding(self, sources, source_lengths=None):
        """The decoder's state before its first token, for :meth:`decode_step`: (s_{-1}, c)."""
        c = self.encode(sources, source_lengths)
        return c, c

    def decode_step(self, state, previous: np.ndarray):
        """One decoder step on its own: scores (N, K) of the next token, and the new state.

        ``state`` comes from :meth:`start_decoding` or the previous step; ``previous`` (N,)
        holds the ids of the tokens read at this step.
        """
        s, c = state
        s = self.decoder(self.decoder_steps(previous[:, None], c), s)[0]  # (N, H)
        return self.head(s[None])[:, 0], (s, c)                            # (N, K)

    def decoder_start(self, source, source_length=None):
        """``step(state, token) -> (log_probs (K,), state)`` and the start state of one source.

        The pair that ``course_rnn.models.decoding``'s ``greedy_decode`` and ``beam_search``
        take. ``source`` is one sequence (T,) of ids; ``source_length`` its length if padded.
        """
        lengths = None if source_length is None else np.array([source_length])
        start = self.start_decoding(np.asarray(source)[None], lengths)

        def step(state, token: int):
            scores, state = self.decode_step(state, np.array([token]))
            return log_softmax(scores[0]), state

        return step, start
