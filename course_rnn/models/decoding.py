r"""Greedy decoding and beam search for any model that predicts one token at a time.

A model is seen through one function, ``step(state, token) -> (log_probs, new_state)``: given
its state and the token it emitted last, it returns the (V,) log-probabilities of the next
token and its state after reading ``token``. The state can be anything (an array, a tuple of
arrays, a cache); the decoders only pass it back.

A hypothesis y_1 .. y_n is scored by the sum of its log-probabilities,

    log p(y_1 .. y_n) = sum_t log p(y_t | y_1 .. y_{t-1}),

so that adding log-probabilities is multiplying probabilities without underflow. It ends when
it emits ``eos`` or when it holds ``max_len`` tokens; a finished hypothesis is never expanded.
Tokens exclude ``bos`` (which only starts the model) and end with ``eos`` when one was emitted.

Beam search keeps the ``beam_width`` best hypotheses: at every step it expands each unfinished
one by every token, carries the finished ones along unchanged, and keeps the best
``beam_width`` of them all. It stops when every kept hypothesis is finished. Width 1 is greedy
decoding; a width as large as the number of possible outputs is exhaustive search.

Sums of log-probabilities favour short outputs. An optional length penalty ranks hypotheses by
log_prob / n ** length_penalty instead (0, the default, ranks by the sum itself); the returned
scores are always the plain sums.

:func:`exhaustive_search` scores every possible output, the exact answer for small models.
:func:`sequence_log_prob` scores one given output, e.g. the true target: when the model scores it
below the output a search returned, the search's mistake is the model's (a model error), else
the search's own (a search error).

Shapes: V vocabulary size.
"""

from __future__ import annotations

import numpy as np

from course_rnn.shapes import expect_positive_ints

LOG_PROB_TOLERANCE = 1e-4
"""How far from 1 the probabilities of one step may sum (float32 models round that much)."""


def greedy_decode(step, state, bos: int, eos: int, max_len: int) -> tuple[list[int], float]:
    """Emit the most likely next token until ``eos`` or ``max_len`` tokens.

    Parameters
    ----------
    step : ``step(state, token) -> (log_probs (V,), new_state)``.
    state : the model's state before ``bos`` (e.g. an encoder's context).
    bos, eos : the start and end token ids.   max_len : the most tokens to emit.

    Returns
    -------
    tokens : the emitted ids, without ``bos``, ending with ``eos`` if it was emitted.
    log_prob : the sum of their log-probabilities.
    """
    step = _checked_step(step, bos, eos, max_len)
    tokens, log_prob, token = [], 0.0, bos
    while len(tokens) < max_len and token != eos:
        log_probs, state = step(state, token)
        token = int(np.argmax(log_probs))
        tokens.append(token)
        log_prob += float(log_probs[token])
    return tokens, log_prob


def sequence_log_prob(step, state, bos: int, tokens) -> float:
    """log p(tokens): the model's score of one given output, each token fed back in turn.

    Parameters
    ----------
    step, state, bos : as in :func:`greedy_decode`.
    tokens : the output's ids, without ``bos`` (with its ``eos``, if it has one).

    Returns
    -------
    The sum of the log-probabilities of ``tokens``, the score the decoders give a hypothesis.
    """
    tokens = [int(token) for token in tokens]
    if not tokens:
        raise ValueError("tokens: expected at least one token id, got an empty sequence")
    step = _checked_step(step, bos, None, len(tokens))
    log_prob, previous = 0.0, bos
    for token in tokens:
        log_probs, state = step(state, previous)
        if not 0 <= token < len(log_probs):
            raise ValueError(f"tokens: expected ids in [0, V={len(log_probs)}), got {token}")
        log_prob += float(log_probs[token])
        previous = token
    return log_prob


def beam_search(step, state, bos: int, eos: int, beam_width: int, max_len: int,
                length_penalty: float = 0.0) -> list[tuple[list[int], float]]:
    """The ``beam_width`` best hypotheses that beam search finds, best first.

    Parameters
    ----------
    step, state, bos, eos, max_len : as in :func:`greedy_decode`.
    beam_width : how many hypotheses to keep after every step.
    length_penalty : rank by log_prob / len(tokens) ** length_penalty (0: by log_prob).

    Returns
    -------
    A list of at most ``beam_width`` pairs ``(tokens, log_prob)``, best first.
    """
    expect_positive_ints(beam_width=beam_width)
    step = _checked_step(step, bos, eos, max_len)
    # a hypothesis: (tokens, log_prob, the model's state after its last token)
    beam = [([], 0.0, state)]
    while not all(_finished(tokens, eos, max_len) for tokens, _, _ in beam):
        candidates = []
        for tokens, log_prob, hyp_state in beam:
            if _finished(tokens, eos, max_len):
                candidates.append((tokens, log_prob, hyp_state))
            else:
                candidates += _expand(step, tokens, log_prob, hyp_state, bos)
        beam = _best(candidates, beam_width, length_penalty)
    return [(tokens, log_prob) for tokens, log_prob, _ in beam]


def exhaustive_search(step, state, bos: int, eos: int,
                      max_len: int) -> list[tuple[list[int], float]]:
    """Every hypothesis that can end, best first: the exact answer beam search approximates.

    It calls ``step`` once for every unfinished prefix, up to (V^max_len - 1) / (V - 1) times:
    for small models only (tests, checks, a chapter's comparison).
    """
    step = _checked_step(step, bos, eos, max_len)
    return sorted(_complete(step, [], 0.0, state, bos, eos, max_len), key=lambda h: -h[1])


def _complete(step, tokens, log_prob, state, bos, eos, max_len):
    """The finished hypotheses that start with ``tokens``, found depth first."""
    if _finished(tokens, eos, max_len):
        return [(tokens, log_prob)]
    log_probs, new_state = step(state, tokens[-1] if tokens else bos)
    return [hypothesis for token in range(len(log_probs))
            for hypothesis in _complete(step, tokens + [token], log_prob + float(log_probs[token]),
                                        new_state, bos, eos, max_len)]


def _finished(tokens: list[int], eos: int, max_len: int) -> bool:
    return len(tokens) == max_len or (len(tokens) > 0 and tokens[-1] == eos)


def _expand(step, tokens, log_prob, state, bos):
    """Every one-token continuation of a hypothesis, with its score and the state after it."""
    log_probs, new_state = step(state, tokens[-1] if tokens else bos)
    return [(tokens + [token], log_prob + float(log_probs[token]), new_state)
            for token in range(len(log_probs))]


def _best(candidates, beam_width, length_penalty):
    """The ``beam_width`` best candidates; a stable sort keeps equal scores in their order."""
    def rank(candidate):
        tokens, log_prob, _ = candidate
        return -log_prob / max(len(tokens), 1) ** length_penalty
    return sorted(candidates, key=rank)[:beam_width]


def _checked_step(step, bos, eos, max_len):
    """``step`` wrapped so that a wrong output fails with a clear message at the first call.

    ``eos`` is None where no end token takes part (scoring a given output).
    """
    expect_positive_ints(max_len=max_len)
    token_ids = {"bos": bos} if eos is None else {"bos": bos, "eos": eos}
    for name, value in token_ids.items():
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            raise ValueError(f"{name}: expected a token id (an integer >= 0), got {value!r}")
    if not callable(step):
        raise TypeError(f"step: expected a function step(state, token) -> (log_probs (V,), "
                        f"new_state), got {type(step).__name__}")
    vocab_size = []  # V, fixed by the first call

    def checked(state, token):
        log_probs, new_state = step(state, token)
        log_probs = np.asarray(log_probs)
        _expect_log_probs(log_probs, vocab_size[0] if vocab_size else None)
        if not vocab_size:
            vocab_size.append(len(log_probs))
            if eos is not None and eos >= len(log_probs):
                raise ValueError(f"eos: expected a token id below V={len(log_probs)}, got {eos}")
        return log_probs, new_state
    return checked


def _expect_log_probs(log_probs: np.ndarray, size: int | None) -> None:
    """(V,) finite-or-minus-infinity log-probabilities whose exponentials sum to 1."""
    if log_probs.ndim != 1 or (size is not None and len(log_probs) != size):
        expected = f"(V={size},)" if size is not None else "(V,)"
        raise ValueError(f"step: expected log_probs of shape {expected}, got {log_probs.shape}")
    if not np.issubdtype(log_probs.dtype, np.floating):
        raise TypeError(f"step: expected floating-point log_probs, got dtype {log_probs.dtype}")
    if np.isnan(log_probs).any() or (log_probs == np.inf).any():
        raise ValueError("step: expected log_probs without NaN or +inf, got "
                         f"{log_probs.tolist()}")
    total = float(np.exp(log_probs.astype(np.float64)).sum())
    if abs(total - 1.0) > LOG_PROB_TOLERANCE:
        raise ValueError(f"step: expected log-probabilities (exp sums to 1), got values whose "
                         f"exp sums to {total:.6g}; apply log_softmax to logits, np.log to "
                         "probabilities")
