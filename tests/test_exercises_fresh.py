"""A fresh exercise notebook runs to the end with every check waiting for the student's code;
a solution passes them all.

The cells run in this process (no kernel: a few seconds for all notebooks), in order, from the
notebook's folder, as a kernel would run them; a cell may raise only if it carries the
``raises-exception`` tag. `make test` also checks every notebook's run in a real kernel, made
by the book's build (tests/test_executed_notebooks.py).
"""

from __future__ import annotations

import json
import re

import matplotlib
import pytest

from course_rnn.checks.generate import ROOT

EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
CHECK_CALL = re.compile(r"^check_\w+\(", re.M)


def code_cells(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            yield index, "".join(cell["source"]), cell["metadata"].get("tags", [])


def run_notebook(path, monkeypatch, capsys):
    """Run the code cells in order; return the check calls made and the verdicts printed."""
    matplotlib.use("Agg")
    monkeypatch.chdir(path.parent)
    namespace = {"__name__": "__main__"}
    expected_checks = 0
    for index, source, tags in code_cells(path):
        if re.search(r"^\s*[%!]", source, re.M):
            pytest.skip(f"cell {index} uses IPython syntax")
        expected_checks += len(CHECK_CALL.findall(source))
        try:
            exec(compile(source, f"{path.name}, cell {index}", "exec"), namespace)
        except Exception as error:
            assert "raises-exception" in tags, (
                f"{path.name}, cell {index} raised {error!r} but is not tagged raises-exception")
    verdicts = re.findall(r"^([✓✗○]) (\w+)", capsys.readouterr().out, re.M)
    assert len(verdicts) == expected_checks
    return verdicts


@pytest.mark.parametrize("path", EXERCISES, ids=[p.stem for p in EXERCISES])
def test_fresh_exercise_runs_and_every_check_waits(path, monkeypatch, capsys):
    verdicts = run_notebook(path, monkeypatch, capsys)
    assert verdicts and all(mark == "○" for mark, _ in verdicts), \
        "every check of an untouched notebook waits for the student's function"


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_solution_passes_every_check(path, monkeypatch, capsys):
    verdicts = run_notebook(path, monkeypatch, capsys)
    assert verdicts and all(mark == "✓" for mark, _ in verdicts), "a solution fails a check"
