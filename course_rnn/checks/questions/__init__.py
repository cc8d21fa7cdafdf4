"""The exercises' questions, kept in the package so that no notebook shows an answer.

A notebook cell only names its question, ``q_output = quiz("01-output-shape")``; the options,
the right answer and the explanations live in one module per exercise notebook. Every
question has a unique id that starts with its notebook's number, and :func:`progress` lists
the questions of a notebook by these ids, answered or not.
"""

from __future__ import annotations

import functools

from course_rnn.checks.questions import (
    architectures,
    attention,
    beyond_lstm,
    bptt,
    bptt_by_hand,
    char_model,
    decoding,
    deep_bidirectional,
    gru,
    long_term_dependencies,
    lstm,
    parameter_sharing,
    rnn_structure,
)
from course_rnn.checks.quiz import MultipleChoice, NumericQuestion

Question = MultipleChoice | NumericQuestion

_MODULES = {
    "01_rnn_structure": rnn_structure,
    "02_parameter_sharing": parameter_sharing,
    "03_bptt": bptt,
    "04_bptt_by_hand": bptt_by_hand,
    "05_char_model": char_model,
    "06_architectures": architectures,
    "07_long_term_dependencies": long_term_dependencies,
    "08_lstm": lstm,
    "09_gru": gru,
    "10_deep_bidirectional": deep_bidirectional,
    "11_attention": attention,
    "12_decoding": decoding,
    "13_beyond_lstm": beyond_lstm,
}


@functools.cache
def notebook_questions(notebook: str) -> tuple[Question, ...]:
    """The questions of one exercise notebook, in the order it asks them (none if unknown)."""
    module = _MODULES.get(notebook)
    return tuple(module.questions()) if module else ()


def quiz(id: str) -> Question:
    """The question with this id, e.g. ``quiz("01-output-shape")``; it shows as the question
    and takes the student's answer with ``.answer(...)``."""
    for notebook in _MODULES:
        for question in notebook_questions(notebook):
            if question.id == id:
                return question
    known = ", ".join(q.id for notebook in _MODULES for q in notebook_questions(notebook))
    raise KeyError(f"quiz: no question {id!r}; the questions are {known}")


__all__ = ["notebook_questions", "quiz"]
