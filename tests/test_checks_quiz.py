"""Quiz questions: kernel-free HTML with <details>, and feedback through .answer()."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from course_rnn.checks import MultipleChoice, NumericQuestion, progress
from course_rnn.checks.progress import reset


class Outline(HTMLParser):
    """Tags in order, and the text inside each <details>."""

    def __init__(self):
        super().__init__()
        self.tags, self.details, self.depth = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "details":
            self.depth += 1
            self.details.append("")

    def handle_endtag(self, tag):
        self.depth -= tag == "details"

    def handle_data(self, data):
        if self.depth:
            self.details[-1] += data


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.fixture
def choice():
    return MultipleChoice("Which matrix multiplies $h_{t-1}$?", ["$U$", "$W$", "$V$"], 1,
                          ["$U$ reads the input.", "Right: $W$ is shared over time.",
                           "$V$ maps to the output."], name="recurrent matrix")


def test_multiple_choice_html_works_without_a_kernel(choice):
    parsed = outline(choice._repr_html_())
    root_tag, root_attrs = parsed.tags[0]
    assert root_tag == "div" and "course-rnn-quiz" in root_attrs["class"].split()
    assert "<script" not in choice._repr_html_()
    assert parsed.details == ["(a) \\(U\\)Not quite. \\(U\\) reads the input.",
                              "(b) \\(W\\)Correct. Right: \\(W\\) is shared over time.",
                              "(c) \\(V\\)Not quite. \\(V\\) maps to the output."]
    assert "\\(h_{t-1}\\)" in choice._repr_html_()


def test_multiple_choice_answer_gives_feedback_and_records(capsys, choice):
    reset()
    assert choice.answer("a") is False
    assert "Not quite. $U$ reads the input." in capsys.readouterr().out
    assert progress()[0].passed is False
    assert choice.answer("(B)") is True and choice.answer(1) is True
    assert "Correct. Right" in capsys.readouterr().out
    assert progress()[0] == ("recurrent matrix", "question", True)
    assert choice.answer("z") is False and "one of the letters a, b, c" in capsys.readouterr().out
    assert "(b) $W$" in repr(choice)
    reset()


@pytest.fixture
def count():
    return NumericQuestion("Parameters of `torch.nn.RNN(10, 20)`?", 640,
                           explanation="$H(D + H + 2)$", unit="parameters",
                           hints={620: "You counted one bias; torch keeps b_ih and b_hh."})


def test_numeric_question_html_reveals_answer_and_explanation(count):
    parsed = outline(count._repr_html_())
    assert "course-rnn-quiz" in parsed.tags[0][1]["class"]
    assert parsed.details == ["Show the answer640 parameters. \\(H(D + H + 2)\\)"]


@pytest.mark.parametrize("value,right,feedback", [
    (640, True, "✓ Correct: 640 parameters."),
    ("640.0", True, "✓ Correct"),
    (620, False, "torch keeps b_ih and b_hh"),
    (1280, False, "too high, by 640. It is exactly 2 times too large."),
    (160, False, "too low, by 480. It is exactly 4 times too small."),
    (641, False, "641 parameters is too high, by 1. Try again."),
    ("many", False, "Answer with a number"),
])
def test_numeric_question_answer(capsys, count, value, right, feedback):
    assert count.answer(value) is right
    assert feedback in capsys.readouterr().out


def test_numeric_tolerance_and_bad_definitions():
    q = NumericQuestion("Largest |tanh'|?", 1.0, tolerance=0.01)
    assert q.answer(0.995) and not q.answer(0.98)
    with pytest.raises(ValueError, match="explanation per option"):
        MultipleChoice("?", ["a", "b"], 0, ["only one"])
    with pytest.raises(ValueError, match="answer must index"):
        MultipleChoice("?", ["a", "b"], 2, ["x", "y"])
    with pytest.raises(ValueError, match="finite answer"):
        NumericQuestion("?", float("nan"))


def test_inline_code_and_html_in_strings():
    q = MultipleChoice("What is `output.shape` if a < b?", ["`(T, N, H)`", "x"], 0, ["y", "z"])
    page = q._repr_html_()
    assert "<code>output.shape</code> if a &lt; b?" in page
    assert "<summary>(a) <code>(T, N, H)</code></summary>" in page
