"""Quiz questions: kernel-free HTML with <details>, feedback through .answer(), and the bank of
the exercises' questions, keyed by unique ids and out of the notebooks' sight."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from course_rnn.checks import MultipleChoice, NumericQuestion, progress, quiz
from course_rnn.checks.generate import ROOT
from course_rnn.checks.progress import NOTEBOOK_CHECKS
from course_rnn.checks.questions import notebook_questions
from course_rnn.checks.results import reset


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
                           "$V$ maps to the output."], id="recurrent matrix")


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
    assert choice.answer("a").passed is False
    assert "Not quite. $U$ reads the input." in capsys.readouterr().out
    assert progress()[0].passed is False
    assert choice.answer("(B)").passed is True and choice.answer("$W$").passed is True
    assert "Correct. Right" in capsys.readouterr().out
    assert progress()[0] == ("recurrent matrix", "question", True)
    assert not choice.answer("z") and "one of the letters a, b, c" in capsys.readouterr().out
    assert "(b) $W$" in repr(choice)
    reset()


@pytest.fixture
def count():
    return NumericQuestion("Parameters of `torch.nn.RNN(10, 20)`?", 640,
                           explanation="$H(D + H + 2)$", unit="parameters",
                           hints={620: "You counted one bias; torch keeps b_ih and b_hh."},
                           id="count")


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
    assert count.answer(value).passed is right
    assert feedback in capsys.readouterr().out


def test_numeric_tolerance_and_bad_definitions():
    q = NumericQuestion("Largest |tanh'|?", 1.0, tolerance=0.01, id="slope")
    assert q.answer(0.995) and not q.answer(0.98)
    with pytest.raises(ValueError, match="explanation per option"):
        MultipleChoice("?", ["a", "b"], 0, ["only one"], id="q")
    with pytest.raises(ValueError, match="answer must index"):
        MultipleChoice("?", ["a", "b"], 2, ["x", "y"], id="q")
    with pytest.raises(ValueError, match="finite answer"):
        NumericQuestion("?", float("nan"), id="q")


def test_inline_code_and_html_in_strings():
    q = MultipleChoice("What is `output.shape` if a < b?", ["`(T, N, H)`", "x"], 0, ["y", "z"],
                       id="q")
    page = q._repr_html_()
    assert "<code>output.shape</code> if a &lt; b?" in page
    assert "<summary>(a) <code>(T, N, H)</code></summary>" in page


@pytest.mark.parametrize("number", [0, 1, 2])
def test_a_number_is_refused_not_taken_for_an_option(capsys, choice, number):
    reset()
    assert choice.answer(number).passed is False
    assert "A number is ambiguous" in capsys.readouterr().out
    assert progress() == []  # nothing recorded


NOTEBOOKS = sorted(NOTEBOOK_CHECKS)


def test_every_question_has_a_unique_id_under_its_notebook():
    ids = [q.id for notebook in NOTEBOOKS for q in notebook_questions(notebook)]
    assert len(ids) == len(set(ids))
    for notebook in NOTEBOOKS:
        assert all(q.id.startswith(notebook[:2] + "-") for q in notebook_questions(notebook))
    with pytest.raises(KeyError, match="no question '01-nothing'"):
        quiz("01-nothing")


def test_questions_that_start_alike_are_recorded_apart(capsys):
    reset()
    first = MultipleChoice("How many parameters does torch.nn.RNN(10, 20, num_layers=2) have "
                           "in its first layer?", ["640", "840"], 0, ["yes", "no"], id="a")
    second = MultipleChoice("How many parameters does torch.nn.RNN(10, 20, num_layers=2) have "
                            "in its second layer?", ["640", "840"], 1, ["no", "yes"], id="b")
    first.answer("a")
    second.answer("a")
    assert [(row.name, row.passed) for row in progress()] == [("a", True), ("b", False)]
    reset()


def test_progress_lists_every_question_of_a_notebook_by_its_plain_id(capsys):
    reset()
    quiz("04-jacobian").answer("d")
    rows = progress("04_bptt_by_hand")
    questions = [(row.name, row.passed) for row in rows if row.kind == "question"]
    assert questions == [("04-jacobian", False), ("04-dh2-dh0", None), ("04-dL-dw", None),
                         ("04-vanishing", None)]
    assert not [row.name for row in rows if re.search(r"[$\\]", row.name)]
    reset()


def notebook_code(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


@pytest.mark.parametrize("path", sorted(ROOT.glob("[se]*s/*.ipynb")),
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_notebooks_name_their_questions_and_show_no_answer(path):
    code = notebook_code(path)
    assert not re.search(r"answer\s*=|explanations?\s*=|hints\s*=", code)
    asked = re.findall(r'quiz\("([^"]+)"\)', code)
    assert asked == [q.id for q in notebook_questions(path.stem)]
