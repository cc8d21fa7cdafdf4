"""check_beam_search (exercise 12) takes a beam search written any way, names each typical
mistake, and survives any function it is given.

The answers below are written the way students write them, not with the check's simulations.
"""

from __future__ import annotations

import heapq
import itertools

import numpy as np
import pytest

from course_rnn.checks import check_beam_search, check_greedy_decode
from course_rnn.checks.results import result
from course_rnn.models import beam_search, greedy_decode
from tests.test_checks_rnn import assert_verdict, run_check, verdict_params
from tests.test_checks_safety import assert_refused_safely, loops_forever, not_implemented

# ---------------------------------------------------------------- right answers


def textbook(step, state, bos, eos, beam_width, max_len):
    """Carry finished hypotheses, expand the others, keep the best: a list of dicts."""
    beam = [{"tokens": [], "score": 0.0, "state": state}]
    while any(h["tokens"][-1:] != [eos] and len(h["tokens"]) < max_len for h in beam):
        candidates = []
        for h in beam:
            if h["tokens"][-1:] == [eos] or len(h["tokens"]) == max_len:
                candidates.append(h)
                continue
            log_probs, new_state = step(h["state"], h["tokens"][-1] if h["tokens"] else bos)
            for token, log_prob in enumerate(log_probs):
                candidates.append({"tokens": h["tokens"] + [token],
                                   "score": h["score"] + log_prob, "state": new_state})
        beam = sorted(candidates, key=lambda h: h["score"], reverse=True)[:beam_width]
    return [(h["tokens"], h["score"]) for h in beam]


def with_a_heap(step, state, bos, eos, beam_width, max_len):
    """heapq.nlargest with a counter between the score and the state, ties broken late."""
    counter = itertools.count()
    beam = [(0.0, next(counter), (), state, False)]
    for _ in range(max_len):
        candidates = []
        for score, _, tokens, hyp_state, done in beam:
            if done:
                candidates.append((score, next(counter), tokens, hyp_state, True))
                continue
            log_probs, new_state = step(hyp_state, tokens[-1] if tokens else bos)
            for token in range(len(log_probs)):
                candidates.append((score + log_probs[token], next(counter), tokens + (token,),
                                   new_state, token == eos))
        beam = heapq.nlargest(beam_width, candidates)
        if all(done for *_, done in beam):
            break
    return [(list(tokens), score) for score, _, tokens, _, _ in beam]


def recursive(step, state, bos, eos, beam_width, max_len):
    """One step per call, on a beam of (tokens, score, state) tuples; scores in float32."""
    def finished(tokens):
        return len(tokens) == max_len or (tokens and tokens[-1] == eos)

    def search(beam):
        if all(finished(tokens) for tokens, _, _ in beam):
            return beam
        candidates = []
        for tokens, score, hyp_state in beam:
            if finished(tokens):
                candidates.append((tokens, score, hyp_state))
            else:
                log_probs, new_state = step(hyp_state, tokens[-1] if tokens else bos)
                candidates += [(tokens + [t], np.float32(score + lp), new_state)
                               for t, lp in enumerate(log_probs)]
        return search(sorted(candidates, key=lambda c: -c[1])[:beam_width])

    return [(tokens, score) for tokens, score, _ in search([([], np.float32(0), state)])]


def vectorised(step, state, bos, eos, beam_width, max_len):
    """All candidates' scores as one (k, V) array, picked by a stable argsort."""
    tokens, scores, states = [np.zeros(0, dtype=int)], np.zeros(1), [state]
    for _ in range(max_len):
        done = np.array([len(t) == max_len or (len(t) and t[-1] == eos) for t in tokens])
        if done.all():
            break
        table, nexts = [], []
        for t, s, st, d in zip(tokens, scores, states, done):
            if d:
                row = np.full(1, s)
                nexts.append(st)
            else:
                log_probs, new_state = step(st, int(t[-1]) if len(t) else bos)
                row = s + log_probs
                nexts.append(new_state)
            table.append(row)
        flat = np.concatenate(table)
        owner = np.concatenate([np.full(len(r), i) for i, r in enumerate(table)])
        token = np.concatenate([np.arange(len(r)) for r in table])
        keep = np.argsort(-flat, kind="stable")[:beam_width]
        tokens = [tokens[owner[k]] if done[owner[k]] else np.append(tokens[owner[k]], token[k])
                  for k in keep]
        scores, states = flat[keep], [nexts[owner[k]] for k in keep]
    return [(t.tolist(), float(s)) for t, s in zip(tokens, scores)]


def ties_last_first(step, state, bos, eos, beam_width, max_len):
    """The package's answer with hypotheses of equal score in reverse order."""
    found = beam_search(step, state, bos, eos, beam_width, max_len)
    return sorted(found[::-1], key=lambda h: -round(h[1], 9))


RIGHT = [textbook, with_a_heap, recursive, vectorised, ties_last_first, beam_search]

# ---------------------------------------------------------------- wrong answers


def searched(step, state, bos, eos, beam_width, max_len, *, expand_finished=False,
             combine=lambda score, log_prob: score + log_prob, start=0.0, cut_first=False,
             keep_bos=False, keep_eos=True, steps=None, sort=True, rank=None, aside=False):
    """A student's beam search over (score, tokens, state) with one thing done wrong."""
    def finished(tokens):
        return not expand_finished and tokens[-1:] == [eos]

    rank = rank or (lambda c: c[0])
    beam, done = [(start, [bos] if keep_bos else [], state, 0.0)], []
    for _ in range(max_len if steps is None else steps):
        if cut_first:
            beam = sorted(beam, key=rank, reverse=True)[:beam_width]
        candidates = []
        for score, tokens, hyp_state, last in beam:
            if finished(tokens):
                candidates.append((score, tokens, hyp_state, last))
                continue
            log_probs, new_state = step(hyp_state, tokens[-1] if tokens else bos)
            candidates += [(combine(score, lp), tokens + [t], new_state, lp)
                           for t, lp in enumerate(log_probs)]
        if aside:
            done += [c for c in candidates if finished(c[1])]
            candidates = [c for c in candidates if not finished(c[1])]
        beam = candidates if cut_first else sorted(candidates, key=rank,
                                                   reverse=True)[:beam_width]
    if aside:
        beam = sorted(done + beam, key=rank, reverse=True)[:beam_width]
    if not sort:
        beam = beam[::-1]
    return [(tokens if keep_eos or tokens[-1:] != [eos] else tokens[:-1], score)
            for score, tokens, _, _ in beam]


def mistake(**kwargs):
    def wrong(step, state, bos, eos, beam_width, max_len):
        return searched(step, state, bos, eos, beam_width, max_len, **kwargs)
    return wrong


def only_the_best(step, state, bos, eos, beam_width, max_len):
    return searched(step, state, bos, eos, beam_width, max_len)[:1]


def probabilities_summed(step, state, bos, eos, beam_width, max_len):
    return searched(step, state, bos, eos, beam_width, max_len,
                    combine=lambda score, log_prob: score + np.exp(log_prob))


def sorts_tuples_with_states(step, state, bos, eos, beam_width, max_len):
    """Ranks (score, state, tokens) tuples: equal scores compare the state arrays."""
    beam = [(0.0, state, [])]
    for _ in range(max_len):
        candidates = []
        for score, hyp_state, tokens in beam:
            if tokens[-1:] == [eos]:
                candidates.append((score, hyp_state, tokens))
                continue
            log_probs, new_state = step(hyp_state, tokens[-1] if tokens else bos)
            candidates += [(score + lp, new_state, tokens + [t]) for t, lp in enumerate(log_probs)]
        beam = sorted(candidates, reverse=True)[:beam_width]
    return [(tokens, score) for score, _, tokens in beam]


WRONG = {  # name: (function, words the feedback must contain)
    "finished expanded": (mistake(expand_finished=True), "finished hypotheses kept expanding"),
    "scores multiplied": (mistake(combine=lambda s, lp: s * lp, start=1.0),
                          "multiplied instead of added in log space"),
    "scores multiplied from 0": (mistake(combine=lambda s, lp: s * lp),
                                 "multiplied, starting from 0"),
    "cut before expanding": (mistake(cut_first=True),
                             "cut to beam_width after the hypotheses are expanded"),
    "bos included": (mistake(keep_bos=True), "the tokens exclude it"),
    "eos dropped": (mistake(keep_eos=False), "was eos dropped"),
    "not sorted": (mistake(sort=False), "not sorted best first"),
    "max_len + 1": (lambda *a: searched(*a[:5], a[5] + 1), "max_len is off by one"),
    "max_len - 1": (lambda *a: searched(*a[:5], a[5] - 1), "max_len is off by one"),
    "only the best": (only_the_best, "only the single best was kept"),
    "probabilities summed": (probabilities_summed, "probabilities were summed"),
    "ties compare states": (sorts_tuples_with_states, "sort with a key"),
    "finished set aside": (mistake(aside=True), "sets the finished ones aside"),
    "ranked by the last token": (mistake(rank=lambda c: c[3]),
                                 "ranked by the log-probability of their last token"),
    "ranked by the mean": (mistake(rank=lambda c: c[0] / len(c[1])),
                           "mean log-probability per token"),
}


def greedy_loop(step, state, bos, eos, max_len):
    tokens, total, token = [], 0.0, bos
    for _ in range(max_len):
        log_probs, state = step(state, token)
        token = int(np.argmax(log_probs))
        tokens.append(token)
        total += log_probs[token]
        if token == eos:
            break
    return tokens, total


def greedy_by_beam(step, state, bos, eos, max_len):
    return tuple(textbook(step, state, bos, eos, 1, max_len)[0])


def greedy(*, stop=True, keep_eos=True, log=True, extra=0, carry=True):
    def wrong(step, state, bos, eos, max_len):
        tokens, total, token, first = [], 0.0, bos, state
        for _ in range(max_len + extra):
            log_probs, state = step(state if carry else first, token)
            token = int(np.argmax(log_probs))
            total += log_probs[token] if log else np.exp(log_probs[token])
            if token == eos and stop:
                tokens += [token] if keep_eos else []
                break
            tokens.append(token)
        return tokens, total
    return wrong


WRONG_GREEDY = {
    "runs past eos": (greedy(stop=False), "finished hypotheses kept expanding"),
    "eos dropped": (greedy(keep_eos=False), "was eos dropped"),
    "probabilities summed": (greedy(log=False), "probabilities were summed"),
    "max_len + 1": (greedy(extra=1), "max_len is off by one"),
    "state not carried": (greedy(carry=False), "pass new_state on"),
    "returns a list of one": (lambda *a: [greedy_decode(*a)], "it returns one pair"),
}


@pytest.mark.parametrize("check,functions,passes,words", verdict_params(
    [(check_beam_search, (), RIGHT), (check_greedy_decode, (),
                                      [greedy_loop, greedy_by_beam, greedy_decode])],
    [(check_beam_search, (), WRONG), (check_greedy_decode, (), WRONG_GREEDY)]))
def test_right_answers_pass_and_each_mistake_gets_its_hint(capsys, check, functions, passes,
                                                           words):
    assert_verdict(capsys, check, functions, passes, words)
    assert result(check.__name__.removeprefix("check_")) is passes


def test_the_pass_line(capsys):
    passed, printed = run_check(capsys, check_beam_search, beam_search)
    assert passed is True
    assert printed == ("✓ beam_search: the same best hypotheses as the package's beam_search "
                       "on 6 small random models (an end token that is likely, a beam wider "
                       "than all outputs, width 1, scores that tie).")


@pytest.mark.parametrize("bad, expected", [
    (not_implemented, "waiting for beam_search"),
    (loops_forever, "did not finish within 0.2 s"),
    (lambda *a: None, "returned None"),
    (lambda *a: ([0], -1.0), "returned one pair (tokens, log_prob)"),
    (lambda *a: [([0.5], -1.0)], "tokens must be a list of integer token ids"),
    (lambda *a: [([0], float("nan"))], "log_prob one finite number"),
    (lambda *a: [[0]], "each entry is one pair"),
    (lambda *a: "abc", "returned str"),
    (lambda *a: 1 / 0, "raised ZeroDivisionError"),
])
def test_survives_any_function(capsys, bad, expected):
    pathology = "not implemented" if bad is not_implemented else "bad"
    assert_refused_safely(capsys, check_beam_search(bad, time_limit=0.2), pathology, expected)
