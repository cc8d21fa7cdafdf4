r"""What can be wrong with a beam search's hypotheses, and the mistakes that explain it.

A student's ``beam_search`` returns a list of (tokens, log_prob). :func:`read_hypotheses` turns
it into a list of (list of ints, float) or raises Problem; :func:`shape_finding` names what is
visibly wrong with the hypotheses of one case (bos or eos in the wrong place, their length,
their number), :func:`order_finding` their order; :func:`score_finding` recomputes each
hypothesis's score from the model and names the formula the student's scores follow instead
(a product of log-probs, a sum of probabilities...). When the hypotheses look right but are
not the best ones, :func:`mistaken_beam_search` simulates searches with one thing done wrong
(the finished hypotheses set aside, a ranking by the last token or by the mean), for
:data:`SEARCH_MISTAKES`.

Shapes: V vocabulary size.
"""

from __future__ import annotations

import numpy as np

from course_rnn.checks.decoding_cases import DecodingCase
from course_rnn.checks.outputs import RTOL, Problem
from course_rnn.checks.rnn_mistakes import Mistake
from course_rnn.models.decoding import beam_search

FORM = "a list of (tokens, log_prob) pairs, best first"


def read_hypotheses(value) -> list[tuple[list[int], float]]:
    """A beam search's hypotheses as (list of int token ids, float score) pairs, or Problem."""
    if value is None:
        raise Problem(f"beam_search returned None: is the `return` missing? It returns {FORM}.")
    if not isinstance(value, list | tuple) or len(value) == 0:
        raise Problem(f"beam_search returned {type(value).__name__} {value!r:.60}; it returns "
                      f"{FORM}.")
    if len(value) == 2 and not isinstance(value[1], list | tuple):
        raise Problem(f"beam_search returned one pair (tokens, log_prob); it returns {FORM}: "
                      "a list even when it holds one hypothesis.")
    for entry in value:
        if not isinstance(entry, list | tuple) or len(entry) != 2:
            raise Problem(f"beam_search returned a list holding {entry!r:.60}; each entry is "
                          "one pair (tokens, log_prob).")
    return [read_pair(entry, "beam_search") for entry in value]


def read_pair(entry, label: str) -> tuple[list[int], float]:
    """One hypothesis (tokens, log_prob) as (list of int token ids, float), or Problem."""
    try:
        tokens, score = entry
        ids = [int(t) for t in tokens]
        ok = all(i == t for i, t in zip(ids, tokens)) and np.isfinite(float(score))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise Problem(f"{label} returned the pair {entry!r:.80}: tokens must be a list of "
                      "integer token ids, log_prob one finite number.")
    return ids, float(score)


def _count_finding(found, case: DecodingCase, want) -> str | None:
    n, width = len(found), case.beam_width
    if n == len(want):
        return None
    if n > width:
        return (f"it returned {n} hypotheses for beam_width={width}. The beam is cut to "
                "beam_width after the hypotheses are expanded, at every step and before "
                "returning; a beam cut before expanding holds beam_width × V candidates.")
    if n == 1:
        return (f"it returned one hypothesis where {len(want)} were expected: only the single "
                f"best was kept. The beam keeps the {width} best hypotheses at every step, and "
                "beam_search returns them all, best first.")
    return f"it returned {n} hypotheses, expected {len(want)}."


def reference(case: DecodingCase, max_len: int | None = None):
    """The package's beam search on a case (with another max_len if given)."""
    return beam_search(case.model, case.model.first_state(), case.bos, case.eos,
                       case.beam_width, max_len or case.max_len)


def same_hypotheses(found, want) -> bool:
    """As many hypotheses as ``want``, with the same scores (ties may swap their tokens)."""
    return len(found) == len(want) and all(_same(f, w) for (_, f), (_, w) in zip(found, want))


def shape_finding(found, case: DecodingCase, want) -> str | None:
    """A sentence about what is visibly wrong with one case's hypotheses, or None."""
    bos, eos, max_len = case.bos, case.eos, case.max_len
    if all(tokens[:1] == [bos] for tokens, _ in found) and \
            [tokens[1:] for tokens, _ in found] == [tokens for tokens, _ in want]:
        return ("every hypothesis starts with bos: bos only starts the model, the tokens exclude "
                "it (the first token is the first one the model emitted).")
    for tokens, _ in found:
        if eos in tokens[:-1]:
            return (f"the hypothesis {tokens} goes on after eos={eos}: finished hypotheses kept "
                    "expanding. A hypothesis that has emitted eos is finished: carry it to the "
                    "next step unchanged, never expand it.")
        if len(tokens) > max_len:
            return (f"the hypothesis {tokens} has {len(tokens)} tokens, more than "
                    f"max_len={max_len}: max_len is off by one (a hypothesis ends when it holds "
                    "max_len tokens, eos included, bos not counted).")
    unfinished = [tokens for tokens, _ in found if len(tokens) < max_len and tokens[-1:] != [eos]]
    if unfinished and max_len > 1 and same_hypotheses(found, reference(case, max_len - 1)):
        return (f"the hypothesis {unfinished[0]} stops at {max_len - 1} tokens without eos: "
                f"max_len is off by one (a hypothesis may hold max_len={max_len} tokens).")
    if unfinished:
        return (f"the hypothesis {unfinished[0]} has fewer than max_len={max_len} tokens and "
                "does not end with eos: the tokens end with eos when the model emitted it "
                "(was eos dropped from the tokens?).")
    if len({tuple(tokens) for tokens, _ in found}) < len(found):
        return "it returned the same hypothesis twice."
    return _count_finding(found, case, want)


def order_finding(found) -> str | None:
    """A sentence when the hypotheses are not sorted best first."""
    scores = [score for _, score in found]
    if any(a < b - RTOL * max(1.0, abs(b)) for a, b in zip(scores, scores[1:])):
        return (f"the hypotheses are not sorted best first (scores {_rounded(scores)}): sort "
                "them by log_prob, highest first.")
    return None


def _rounded(scores) -> list[float]:
    return [round(s, 4) for s in scores]


def token_log_probs(case: DecodingCase, tokens: list[int]) -> np.ndarray:
    """The log-probability the case's model gives each token of a hypothesis, in turn."""
    state, out = case.model.first_state(), []
    for previous, token in zip([case.bos, *tokens], tokens):
        log_probs, state = case.model(state, previous)
        out.append(log_probs[token])
    return np.array(out)


SCORES = [  # (how a score was computed from the tokens' log-probabilities, what to say)
    (lambda lp: np.prod(lp), "the scores are products of log-probabilities: scores were "
     "multiplied instead of added in log space. log p(y_1..y_n) = log p(y_1) + ... + "
     "log p(y_n); a product of log-probabilities means nothing."),
    (lambda lp: 0.0 * lp.sum(), "every score is 0: were scores multiplied, starting from 0, "
     "instead of added in log space? A hypothesis's score is the sum of its tokens' "
     "log-probabilities."),
    (lambda lp: np.exp(lp).sum(), "the scores are sums of probabilities: probabilities were "
     "summed instead of log-probabilities. Add the log-probabilities log_probs[token]."),
    (lambda lp: np.exp(lp).prod(), "the scores are probabilities, the product of the tokens' "
     "probabilities; beam_search returns log-probabilities (their sum in log space), which "
     "do not underflow on long outputs."),
    (lambda lp: lp[-1], "each score is the log-probability of the last token alone; a "
     "hypothesis's score is the sum over all its tokens."),
]


def score_finding(found, case: DecodingCase) -> str | None:
    """A sentence when some returned score is not the sum of its tokens' log-probabilities."""
    for tokens, score in found:
        log_probs = token_log_probs(case, tokens)
        if _same(score, log_probs.sum()):
            continue
        for formula, message in SCORES:
            if all(_same(s, formula(token_log_probs(case, t))) for t, s in found if t):
                return message
        return (f"the hypothesis {tokens} has the score {score:.6g}, but the sum of its tokens' "
                f"log-probabilities is {log_probs.sum():.6g}. The log-probabilities of each "
                "step come from the state the previous step returned: pass new_state on.")
    return None


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= RTOL * max(1.0, abs(b))


def mistaken_beam_search(case: DecodingCase, *, finished="carried", rank="sum"):
    """The beam search of :mod:`course_rnn.models.decoding` with one thing done wrong.

    ``finished="aside"`` sets finished hypotheses aside and keeps beam_width unfinished ones;
    ``rank`` ranks the candidates by ``"sum"`` (right), the ``"last"`` token's log-probability
    or the ``"mean"`` log-probability per token.
    """
    model, eos, width, max_len = case.model, case.eos, case.beam_width, case.max_len

    def ended(tokens):
        return len(tokens) == max_len or tokens[-1:] == [eos]

    key = {"sum": lambda h: -h[1], "last": lambda h: -h[2],
           "mean": lambda h: -h[1] / max(len(h[0]), 1)}[rank]
    beam, done = [([], 0.0, 0.0, model.first_state())], []  # tokens, sum, last log-prob, state
    while beam:
        candidates = []
        for tokens, total, last, state in beam:
            if ended(tokens):
                candidates.append((tokens, total, last, state))
                continue
            log_probs, new_state = model(state, tokens[-1] if tokens else case.bos)
            candidates += [(tokens + [t], total + lp, lp, new_state)
                           for t, lp in enumerate(log_probs)]
        candidates.sort(key=key)
        if finished == "aside":
            done += [c for c in candidates if ended(c[0])]
            beam = [c for c in candidates if not ended(c[0])][:width]
        else:
            beam = candidates[:width]
            if all(ended(c[0]) for c in beam):
                done, beam = beam, []
    return [(tokens, total) for tokens, total, _, _ in sorted(done, key=key)[:width]]


SEARCH_MISTAKES = [
    Mistake("it keeps beam_width unfinished hypotheses and sets the finished ones aside (a "
            "common variant); this exercise's beam keeps beam_width hypotheses in all: a "
            "finished one keeps its place, carried along unchanged, and the search stops when "
            "every hypothesis in the beam is finished.", {"finished": "aside"}),
    Mistake("the candidates are ranked by the log-probability of their last token; rank them "
            "by their whole score, the sum of all their tokens' log-probabilities.",
            {"rank": "last"}),
    Mistake("the candidates are ranked by their mean log-probability per token (a length "
            "penalty); this exercise ranks them by the plain sum.", {"rank": "mean"}),
]
