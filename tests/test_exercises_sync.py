"""exercises/ is generated from solutions/: it must be up to date, and the generator must
follow its marking rules exactly."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from course_rnn.checks.generate import (
    ROOT,
    MarkerError,
    exercise_notebook,
    main,
    notebook_text,
    out_of_date,
    strip_solution,
)


def test_exercises_are_generated_from_the_current_solutions():
    stale = out_of_date(ROOT / "solutions", ROOT / "exercises")
    assert not stale, f"run `make exercises`: out of date: {stale}"


def code(source, tags=(), outputs=True):
    cell = nbformat.v4.new_code_cell(source, metadata={"slideshow": {"slide_type": "-"}})
    if tags:
        cell.metadata["tags"] = list(tags)
    if outputs:
        cell.outputs = [nbformat.v4.new_output("stream", text="42\n")]
        cell.execution_count = 3
    return cell


def markdown(source, tags=(), slide="subslide"):
    metadata = {"slideshow": {"slide_type": slide}}
    if tags:
        metadata["tags"] = list(tags)
    return nbformat.v4.new_markdown_cell(source, metadata=metadata)


SOLUTION = nbformat.v4.new_notebook(cells=[
    markdown("# Solutions: The structure of an RNN\n\nIntro.", tags=["title"], slide="slide"),
    code("def step(x, h):\n"
         "    \"\"\"Docstring.\"\"\"\n"
         "    # BEGIN SOLUTION: implement the tanh step\n"
         "    a = x + h\n"
         "    return np.tanh(a)\n"
         "    # END SOLUTION\n"
         "\n"
         "\n"
         "class Model:\n"
         "    def loop(self, xs):\n"
         "        for x in xs:\n"
         "            # BEGIN SOLUTION\n"
         "            self.h = step(x, self.h)\n"
         "            # END SOLUTION\n"
         "        return self.h"),
    code("check(step)"),
    code("# BEGIN SOLUTION: count the parameters\nanswer = 10 * 20\n# END SOLUTION\nanswer"),
    code("train(step)", tags=["raises-in-exercise", "hide-input"]),
    markdown("$\\partial h_t / \\partial h_{t-1} = \\dots$", tags=["solution"], slide="fragment"),
    markdown("Plain text stays."),
])


@pytest.fixture
def exercise():
    return exercise_notebook(json.loads(nbformat.writes(SOLUTION)), "synthetic")


def test_marked_regions_become_a_raise_at_the_markers_indentation(exercise):
    first = exercise["cells"][1]
    assert first["source"] == (
        'def step(x, h):\n    """Docstring."""\n'
        '    raise NotImplementedError("implement the tanh step")\n\n\n'
        "class Model:\n    def loop(self, xs):\n        for x in xs:\n"
        '            raise NotImplementedError("write your solution here")\n'
        "        return self.h")
    assert "tags" not in first["metadata"]  # defining a function does not raise


def test_a_top_level_region_makes_the_cell_raise(exercise):
    cell = exercise["cells"][3]
    assert cell["source"] == 'raise NotImplementedError("count the parameters")\nanswer'
    assert cell["metadata"]["tags"] == ["raises-exception", "remove-output"]


def test_tags_titles_written_answers_and_outputs(exercise):
    cells = exercise["cells"]
    assert cells[0]["source"] == "# Exercises: The structure of an RNN\n\nIntro."
    assert cells[4]["metadata"]["tags"] == ["hide-input", "raises-exception", "remove-output"]
    assert cells[4]["source"] == "train(step)"
    assert cells[5]["source"] == "*Write your answer here.*"
    assert cells[5]["metadata"] == {"slideshow": {"slide_type": "fragment"}}
    assert cells[6] == json.loads(nbformat.writes(SOLUTION))["cells"][6]
    for cell in cells:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    nbformat.validate(nbformat.from_dict(exercise))


@pytest.mark.parametrize("source,message", [
    ("# BEGIN SOLUTION\nx = 1", "line 1: '# BEGIN SOLUTION' has no matching"),
    ("x = 1\n# END SOLUTION", "line 2: '# END SOLUTION' without"),
    ("# BEGIN SOLUTION\n    # BEGIN SOLUTION\n# END SOLUTION", "line 2: '# BEGIN SOLUTION' "
                                                              "inside another"),
])
def test_broken_markers_give_a_clear_error(source, message):
    with pytest.raises(MarkerError, match=message):
        strip_solution(source, "nb, cell 3")


def test_a_title_cell_must_say_solutions():
    notebook = nbformat.v4.new_notebook(cells=[markdown("# Exercise: x", tags=["title"])])
    with pytest.raises(MarkerError, match="must read '# Solutions: <topic>'"):
        exercise_notebook(json.loads(nbformat.writes(notebook)), "nb")


def test_command_writes_checks_and_removes_orphans(tmp_path: Path, capsys):
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    nbformat.write(SOLUTION, solutions / "01_demo.ipynb")
    exercises.mkdir()
    (exercises / "09_orphan.ipynb").write_text("{}")
    dirs = ["--solutions", str(solutions), "--exercises", str(exercises)]
    assert main([*dirs, "--check"]) == 1
    assert main(dirs) == 0
    assert sorted(p.name for p in exercises.iterdir()) == ["01_demo.ipynb"]
    assert main([*dirs, "--check"]) == 0
    written = (exercises / "01_demo.ipynb").read_text()
    assert written == notebook_text(exercise_notebook(json.loads(nbformat.writes(SOLUTION))))
    (solutions / "02_bad.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook(
        cells=[code("# BEGIN SOLUTION\nx = 1")])))
    assert main(dirs) == 2
    assert "02_bad.ipynb, cell 0, line 1" in capsys.readouterr().err
