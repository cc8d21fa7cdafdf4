"""Conceptual self-checks that work with a kernel and without one.

Displayed as the last expression of a cell, a question renders as plain HTML built from
``<details>`` elements: each option (or the numeric answer) opens to reveal whether it is right
and why. That needs neither a kernel nor JavaScript, so the questions work in the static book as
well as in Jupyter. With a kernel, ``q.answer(...)`` gives feedback on the student's own answer
and records it for :func:`~course_rnn.checks.progress`.

Math in the strings is written ``$...$`` (or ``$$...$$``) as in the book's markdown; the HTML
uses ``\\(...\\)`` and ``\\[...\\]``, which MathJax typesets in Jupyter and in the book's pages.
Inline code in backticks becomes ``<code>``; no other markdown is interpreted.
"""

from __future__ import annotations

import html
import math
import re
from numbers import Real

from course_rnn.checks.results import Verdict, record

_BOX = ("border:1px solid #c8ccd0;border-radius:6px;padding:0.6em 1em;margin:0.5em 0;"
        "max-width:48em")
_OPTION = "margin:0.3em 0;padding:0.2em 0.5em;border-left:3px solid #c8ccd0"


def _html_text(text: str) -> str:
    """Escape HTML, then turn `code` into <code>, and $$...$$ and $...$ into MathJax's
    \\[...\\] and \\(...\\)."""
    text = html.escape(text, quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\$\$(.+?)\$\$", r"\\[\1\\]", text, flags=re.S)
    return re.sub(r"(?<!\\)\$(.+?)(?<!\\)\$", r"\\(\1\\)", text)


def _quiz_html(question: str, body: str) -> str:
    return (f"<div class='course-rnn-quiz mathjax_process tex2jax_process' style='{_BOX}'>"
            f"<p class='course-rnn-quiz-question'><strong>Question.</strong> "
            f"{_html_text(question)}</p>{body}</div>")


def _number(value: float) -> str:
    return f"{value:.6g}"


class MultipleChoice:
    """A multiple-choice question with an explanation for every option.

    Parameters
    ----------
    question : the question (markdown-style math with $...$ allowed).
    options : the choices, shown as (a), (b), ...
    answer : index of the right option (0 for the first).
    explanations : one per option: why it is right or not.
    id : the unique name progress() records and lists it under, e.g. ``"01-output-shape"``.
    """

    def __init__(self, question: str, options: list[str], answer: int,
                 explanations: list[str], *, id: str):
        if len(options) < 2 or len(explanations) != len(options):
            raise ValueError(f"MultipleChoice: need at least two options and one explanation "
                             f"per option; got {len(options)} options, "
                             f"{len(explanations)} explanations")
        if not 0 <= answer < len(options):
            raise ValueError(f"MultipleChoice: answer must index an option (0 to "
                             f"{len(options) - 1}), got {answer}")
        self.question, self.options, self.correct = question, list(options), answer
        self.explanations, self.id = list(explanations), id

    @property
    def letters(self) -> list[str]:
        return [chr(ord("a") + i) for i in range(len(self.options))]

    def _repr_html_(self) -> str:
        items = "".join(
            f"<details class='course-rnn-quiz-option' style='{_OPTION}'>"
            f"<summary>({letter}) {_html_text(option)}</summary><p>"
            f"<strong>{'Correct.' if i == self.correct else 'Not quite.'}</strong> "
            f"{_html_text(why)}</p></details>"
            for i, (letter, option, why) in enumerate(zip(self.letters, self.options,
                                                          self.explanations)))
        note = "<p><em>Open an option to see whether it is right, and why.</em></p>"
        return _quiz_html(self.question, items + note)

    def __repr__(self) -> str:
        lines = [f"Question: {self.question}"]
        lines += [f"  ({letter}) {option}" for letter, option in zip(self.letters, self.options)]
        lines.append('Answer with .answer("a"), a letter of your choice.')
        return "\n".join(lines)

    def _index(self, choice) -> int | None:
        if isinstance(choice, str):
            key = choice.strip().strip("()").lower()
            if key in self.letters:
                return self.letters.index(key)
            texts = [option.strip().lower() for option in self.options]
            return texts.index(choice.strip().lower()) if choice.strip().lower() in texts \
                else None
        return None

    def answer(self, choice) -> Verdict:
        """Give feedback on ``choice``, a letter such as ``"b"`` (or the option's text), and
        record it for progress(). The Verdict is true when it is the right option.

        A number is refused rather than guessed at: 2 could mean the second option, or the
        third counted from 0.
        """
        index = self._index(choice)
        if index is None:
            numbered = " A number is ambiguous (counted from 0 or 1?)." \
                if isinstance(choice, int) and not isinstance(choice, bool) else ""
            print(f"Answer with one of the letters {', '.join(self.letters)}, in quotes, "
                  f"e.g. .answer(\"{self.letters[0]}\") (got {choice!r}).{numbered}")
            return Verdict(self.id, False)
        right = index == self.correct
        verdict = "✓ Correct." if right else "✗ Not quite."
        print(f"{verdict} {self.explanations[index]}" + ("" if right else " Try another one."))
        return record(self.id, right, kind="question")


class NumericQuestion:
    """A question whose answer is a number, e.g. a parameter count.

    Parameters
    ----------
    question : the question (math with $...$ allowed).
    answer : the right number.
    tolerance : how far an answer may be from it and still count (default 0: exact).
    explanation : how to get there, revealed with the answer.
    unit : printed after numbers, e.g. ``"parameters"``.
    hints : {wrong value: message} for answers that betray a specific mistake (a factor of
        2, a forgotten bias...).
    id : the unique name progress() records and lists it under, e.g. ``"01-count-one-layer"``.
    """

    def __init__(self, question: str, answer: float, tolerance: float = 0,
                 explanation: str = "", unit: str = "", hints: dict | None = None, *,
                 id: str):
        if not (isinstance(answer, Real) and math.isfinite(answer)) or tolerance < 0:
            raise ValueError(f"NumericQuestion: need a finite answer and a tolerance >= 0, "
                             f"got answer={answer!r}, tolerance={tolerance!r}")
        self.question, self.correct, self.tolerance = question, float(answer), float(tolerance)
        self.explanation, self.unit = explanation, unit
        self.hints = dict(hints or {})
        self.id = id

    def _with_unit(self, value: float) -> str:
        return f"{_number(value)} {self.unit}".strip()

    def _near(self, value: float, target: float) -> bool:
        return abs(value - target) <= self.tolerance + 1e-9 * max(1.0, abs(target))

    def _repr_html_(self) -> str:
        within = f" (± {_number(self.tolerance)})" if self.tolerance else ""
        reveal = (f"<details class='course-rnn-quiz-answer' style='{_OPTION}'>"
                  "<summary>Show the answer</summary>"
                  f"<p><strong>{html.escape(self._with_unit(self.correct))}</strong>{within}. "
                  f"{_html_text(self.explanation)}</p></details>")
        return _quiz_html(self.question, reveal)

    def __repr__(self) -> str:
        return f"Question: {self.question}\nAnswer with .answer(number)."

    def answer(self, value) -> Verdict:
        """Give feedback on ``value`` and record it for progress(); the Verdict is true when
        it is right."""
        try:
            value = float(value)
        except (TypeError, ValueError):
            print(f"Answer with a number (got {value!r}).")
            return Verdict(self.id, False)
        right = math.isfinite(value) and self._near(value, self.correct)
        if right:
            print(f"✓ Correct: {self._with_unit(self.correct)}. {self.explanation}".rstrip())
        else:
            print(f"✗ Not quite. {self._feedback(value)}")
        return record(self.id, right, kind="question")

    def _feedback(self, value: float) -> str:
        if not math.isfinite(value):
            return "That is not a finite number."
        for hinted, message in self.hints.items():
            if self._near(value, float(hinted)):
                return message
        direction = "high" if value > self.correct else "low"
        text = (f"{self._with_unit(value)} is too {direction}, by "
                f"{_number(abs(value - self.correct))}.")
        if value and self.correct:
            ratio = value / self.correct
            for factor in (ratio, 1 / ratio):
                if factor > 1.5 and abs(factor - round(factor)) < 1e-6:
                    bigger = "large" if ratio > 1 else "small"
                    text += f" It is exactly {round(factor)} times too {bigger}."
        return text + " Try again."
