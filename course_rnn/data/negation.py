r"""Sentences whose sentiment flips under negation: a many-to-one task where order matters.

A small vocabulary builds short review-like sentences:

    adjectives  positive: good great nice fine        negative: bad awful poor dull
    negators    not never
    fillers     really very, and "at all" (only right after a negator)
    ","         separates two clauses

A clause is optional negators and fillers followed by one adjective, and a sentence is one
clause or two joined by ",". The label (1 positive, 0 negative) follows one rule:

    clause polarity = the adjective's polarity, flipped once by every negator in the clause
    sentence label  = the polarity its clauses share (generated clauses always agree)

so "good" is 1, "not good" 0, "not at all bad" 1, "not really good" 0, "never bad" 1. A
negator's scope is its own clause: it flips the adjective after it, never one across the comma.
:func:`sentence_label` applies the rule to any sentence, and the generator labels with it.

The bag-of-words twins. Half of the generated sentences (by default) come in pairs such as

    "not good , really bad"  (0)        "good , not really bad"  (1)

two clauses whose adjectives differ in polarity, and one negator that sits in the first clause
in one twin and in the second in the other. The twins hold the same words the same number of
times, and their labels differ: only where the negator sits decides. Any model that sees only
the counts of words (logistic regression on counts, an MLP on counts, ...) gives both twins the
same answer and is right on exactly one of each pair, 1/2 on the twins. (A single clause
already defeats a *linear* model of the counts, as the label is an XOR of "has a negator" and
"the adjective is positive", but a nonlinear function of the counts could learn it.)

Token ids are laid out (N, T), a row per sentence, padded on the *left* with ``PAD = 0``: the
sentence ends at the last step, whose state a many-to-one classifier reads (e.g.
:class:`course_rnn.models.classifier.RNNClassifier`). Twins have the same length, hence the
same number of pads, so padding gives a bag-of-words model nothing to tell them apart.

Shapes: N sentences, T steps (``seq_len``), P twin pairs, V = 16 tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from course_rnn.shapes import check_tokens, expect_positive_ints, expect_probability

POSITIVE = ("good", "great", "nice", "fine")
NEGATIVE = ("bad", "awful", "poor", "dull")
NEGATORS = ("not", "never")
INTENSIFIERS = ("really", "very")
PAD = 0
"""Token id of the padding, named ``'<pad>'``."""
VOCAB = ("<pad>", ",", *NEGATORS, *INTENSIFIERS, "at", "all", *POSITIVE, *NEGATIVE)
"""The V = 16 token names; ``VOCAB[i]`` names id ``i``."""
MAX_WORDS = 6
"""The longest generated sentence, e.g. "not really good , very bad" (a one-clause sentence
has at most 4 words: "not at all good")."""


class NegationTask(NamedTuple):
    """A data set of the negation task.

    tokens : (N, T) int64 ids, left-padded with ``PAD``.   lengths : (N,) int64 words per row.
    labels : (N,) int64, 1 positive and 0 negative.
    pairs : (P, 2) int64, row indices of the bag-of-words twins (same counts, other label).
    vocab : the V token names.
    """

    tokens: np.ndarray
    lengths: np.ndarray
    labels: np.ndarray
    pairs: np.ndarray
    vocab: tuple[str, ...]


def sentence_label(sentence: str) -> int:
    """The label of a sentence by the module's rule: 1 positive, 0 negative.

    Parameters
    ----------
    sentence : words of ``VOCAB`` (but no ``'<pad>'``) separated by spaces, e.g.
        ``"not at all bad"``; clauses are separated by ``" , "``.

    Raises
    ------
    ValueError : an unknown word, a clause that does not end in its only adjective, or clauses
    that disagree (the rule labels only sentences whose clauses agree).
    """
    words = _words(sentence)
    polarities = {_clause_polarity(clause.split()) for clause in " ".join(words).split(",")}
    if len(polarities) > 1:
        raise ValueError(f"sentence: expected clauses that agree in polarity, got {sentence!r}")
    return polarities.pop()


def _words(sentence: str) -> list[str]:
    """The words of a sentence, each checked to be a word of ``VOCAB``."""
    words = sentence.split()
    unknown = [word for word in words if word not in VOCAB[1:]]
    if unknown or not words:
        raise ValueError(f"sentence: expected one or more words from {VOCAB[1:]}, "
                         f"got {sentence!r}")
    return words


def _clause_polarity(clause: list[str]) -> int:
    adjectives = [word for word in clause if word in POSITIVE + NEGATIVE]
    if len(adjectives) != 1 or clause[-1] != adjectives[0]:
        raise ValueError(f"sentence: expected each clause to end in its one adjective, "
                         f"got {' '.join(clause)!r}")
    flips = sum(word in NEGATORS for word in clause)
    return int(adjectives[0] in POSITIVE) ^ (flips % 2)


def negation_task(n_samples: int, pair_fraction: float = 0.5, seq_len: int = MAX_WORDS,
                  seed: int = 0) -> NegationTask:
    """Random sentences of one or two clauses, labelled by the rule, with bag-of-words twins.

    Parameters
    ----------
    n_samples : N.
    pair_fraction : about this fraction of the sentences are twins (2 * P = the largest even
        number <= pair_fraction * N); the rest are single clauses.
    seq_len : T >= ``MAX_WORDS``, the padded width.
    seed : seeds the generator; the same arguments give the same data.

    Returns
    -------
    NegationTask, rows shuffled (twins do not sit side by side).
    """
    expect_positive_ints(n_samples=n_samples, seq_len=seq_len)
    expect_probability(pair_fraction=pair_fraction)
    if seq_len < MAX_WORDS:
        raise ValueError(f"seq_len: expected at least MAX_WORDS = {MAX_WORDS} (the longest "
                         f"sentence), got {seq_len}")
    rng = np.random.default_rng(seed)
    n_pairs = int(pair_fraction * n_samples) // 2
    sentences = [s for _ in range(n_pairs) for s in _twin_pair(rng)]
    sentences += [_single_clause(rng) for _ in range(n_samples - 2 * n_pairs)]
    tokens, lengths = encode(sentences, seq_len)
    labels = np.array([sentence_label(s) for s in sentences], dtype=np.int64)
    order = rng.permutation(n_samples)
    new_row = np.argsort(order)  # where each original row lands after the shuffle
    pairs = new_row[np.arange(2 * n_pairs).reshape(n_pairs, 2)]  # (P, 2)
    return NegationTask(tokens[order], lengths[order], labels[order], pairs, VOCAB)


def _pick(rng: np.random.Generator, options: Sequence):
    return options[rng.integers(len(options))]


def _single_clause(rng: np.random.Generator) -> str:
    negated = rng.random() < 0.5
    fillers = ["", *INTENSIFIERS] + (["at all"] if negated else [])
    words = [_pick(rng, NEGATORS) if negated else "", _pick(rng, fillers),
             _pick(rng, POSITIVE + NEGATIVE)]
    return " ".join(word for word in words if word)


def _twin_pair(rng: np.random.Generator) -> tuple[str, str]:
    adjectives = [_pick(rng, POSITIVE), _pick(rng, NEGATIVE)]
    if rng.random() < 0.5:
        adjectives.reverse()
    first, second = (" ".join(filter(None, (_pick(rng, ["", *INTENSIFIERS]), adjective)))
                     for adjective in adjectives)
    negator = _pick(rng, NEGATORS)
    return f"{negator} {first} , {second}", f"{first} , {negator} {second}"


def encode(sentences: Sequence[str], seq_len: int = MAX_WORDS) -> tuple[np.ndarray, np.ndarray]:
    """Token ids of sentences, left-padded with ``PAD`` to ``seq_len``, and their lengths.

    Parameters
    ----------
    sentences : N strings of words from ``VOCAB`` separated by spaces.
    seq_len : T, at least the longest sentence's number of words.

    Returns
    -------
    tokens : (N, T) int64, row n = [PAD] * (T - lengths[n]) + the ids of sentence n.
    lengths : (N,) int64.
    """
    expect_positive_ints(seq_len=seq_len)
    rows = [_words(sentence) for sentence in sentences]
    for words in rows:
        if len(words) > seq_len:
            raise ValueError(f"seq_len: expected at least {len(words)} (the words of "
                             f"{' '.join(words)!r}), got {seq_len}")
    tokens = np.full((len(rows), seq_len), PAD, dtype=np.int64)
    for n, words in enumerate(rows):
        tokens[n, seq_len - len(words):] = [VOCAB.index(word) for word in words]
    return tokens, np.array([len(words) for words in rows], dtype=np.int64)


def decode(tokens) -> list[str]:
    """Each row of ``tokens`` (N, T) as its sentence, the pads left out."""
    tokens = check_tokens(tokens, len(VOCAB))
    return [" ".join(VOCAB[i] for i in row if i != PAD) for row in tokens]
