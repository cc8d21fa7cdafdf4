"""Generate the student notebooks in ``exercises/`` from the marked notebooks in ``solutions/``.

Run ``python -m course_rnn.checks.generate`` (or ``make exercises``) after editing a solution.
Each ``solutions/NN_name.ipynb`` becomes ``exercises/NN_name.ipynb``; the rules:

- In a code cell, the lines from ``# BEGIN SOLUTION`` to ``# END SOLUTION`` (markers included)
  become ``raise NotImplementedError("<instruction>")`` at the BEGIN marker's indentation. The
  instruction follows a colon on the BEGIN line (``# BEGIN SOLUTION: implement the tanh step``).
  A cell where this happens at indentation 0 raises when run: it gets the ``raises-exception``
  tag, so the book build and its tests expect the error, and ``remove-output``, so that the book
  shows the task rather than the error (in Jupyter the cell stops with one line, see
  :mod:`course_rnn.checks.stubs`).
- A code cell tagged ``raises-in-exercise`` (one that calls the student's unfinished functions
  directly) gets the same two tags instead.
- A markdown cell tagged ``solution`` (a written answer) becomes "*Write your answer here.*",
  keeping its slideshow metadata. A code cell tagged ``solution`` becomes a single ``raise``.
- In the cell tagged ``title``, "Solutions" becomes "Exercises".
- Outputs and execution counts are cleared. Everything else is copied unchanged.

Exercise notebooks without a solution are deleted: ``exercises/`` is generated, never edited.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_INSTRUCTION = "write your solution here"
ANSWER_PLACEHOLDER = "*Write your answer here.*"
_BEGIN = re.compile(r"^(?P<indent>[ \t]*)# BEGIN SOLUTION(?::\s*(?P<text>.*?))?\s*$")
_END = re.compile(r"^[ \t]*# END SOLUTION\s*$")


class MarkerError(ValueError):
    """A solution notebook breaks the marking rules."""


def _raise_line(indent: str, instruction: str) -> str:
    return f"{indent}raise NotImplementedError({json.dumps(instruction, ensure_ascii=False)})"


def strip_solution(source: str, where: str = "cell") -> tuple[str, bool]:
    """Replace every marked region of one cell's source.

    Returns the new source and whether a region at indentation 0 was replaced (the cell then
    raises when run). Raises MarkerError for an unmatched or nested marker, naming ``where``.
    """
    out, top_level, begin = [], False, None
    for number, line in enumerate(source.split("\n"), start=1):
        opening, closing = _BEGIN.match(line), _END.match(line)
        if opening and begin is not None:
            raise MarkerError(f"{where}, line {number}: '# BEGIN SOLUTION' inside another "
                              f"marked region (opened at line {begin})")
        if opening:
            begin = number
            indent = opening["indent"]
            out.append(_raise_line(indent, opening["text"] or DEFAULT_INSTRUCTION))
            top_level |= indent == ""
        elif closing:
            if begin is None:
                raise MarkerError(f"{where}, line {number}: '# END SOLUTION' without a "
                                  "'# BEGIN SOLUTION' before it")
            begin = None
        elif begin is None:
            out.append(line)
    if begin is not None:
        raise MarkerError(f"{where}, line {begin}: '# BEGIN SOLUTION' has no matching "
                          "'# END SOLUTION'")
    return "\n".join(out), top_level


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _set_tags(cell, add=(), remove=()):
    tags = [t for t in cell["metadata"].get("tags", []) if t not in remove]
    tags += [t for t in add if t not in tags]
    if tags:
        cell["metadata"]["tags"] = tags
    else:
        cell["metadata"].pop("tags", None)


def exercise_cell(cell: dict, where: str) -> dict:
    """The student's version of one solution cell."""
    cell = copy.deepcopy(cell)
    tags = cell.get("metadata", {}).get("tags", [])
    cell.setdefault("metadata", {})
    if cell["cell_type"] == "markdown" and "solution" in tags:
        kept = {"slideshow": cell["metadata"]["slideshow"]} if "slideshow" in cell["metadata"] \
            else {}
        cell["metadata"], cell["source"] = kept, ANSWER_PLACEHOLDER
        return cell
    if "title" in tags:
        text = _source(cell)
        if "Solutions" not in text.split("\n", 1)[0]:
            raise MarkerError(f"{where}: the cell tagged 'title' must read '# Solutions: <topic>'"
                              f" on its first line, got {text.splitlines()[0]!r}")
        cell["source"] = text.replace("Solutions", "Exercises", 1)
    if cell["cell_type"] != "code":
        return cell
    if "solution" in tags:
        source, raises = _raise_line("", DEFAULT_INSTRUCTION), True
        _set_tags(cell, remove=("solution",))
    else:
        source, raises = strip_solution(_source(cell), where)
    if "raises-in-exercise" in tags:
        raises = True
        _set_tags(cell, remove=("raises-in-exercise",))
    if raises:
        _set_tags(cell, add=("raises-exception", "remove-output"))
    cell["source"], cell["outputs"], cell["execution_count"] = source, [], None
    return cell


def exercise_notebook(solution: dict, name: str = "notebook") -> dict:
    """The student's version of a solution notebook (a dict in nbformat 4 JSON form)."""
    notebook = copy.deepcopy(solution)
    notebook["cells"] = [exercise_cell(cell, f"{name}, cell {i}")
                         for i, cell in enumerate(solution["cells"])]
    return notebook


def notebook_text(notebook: dict) -> str:
    """Serialise like nbformat does, with one-line strings split into lines."""
    for cell in notebook["cells"]:
        if isinstance(cell.get("source"), str):
            cell["source"] = cell["source"].splitlines(keepends=True)
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def expected_exercises(solutions: Path) -> dict[str, str]:
    """File name -> text of every exercise notebook that ``solutions`` generates."""
    result = {}
    for path in sorted(solutions.glob("*.ipynb")):
        solution = json.loads(path.read_text(encoding="utf-8"))
        result[path.name] = notebook_text(exercise_notebook(solution, str(path)))
    return result


def out_of_date(solutions: Path, exercises: Path) -> list[str]:
    """Names of exercise notebooks that differ from what the solutions generate, or that
    have no solution."""
    expected = expected_exercises(solutions)
    present = {p.name for p in exercises.glob("*.ipynb")}
    stale = [name for name, text in expected.items()
             if name not in present or (exercises / name).read_text(encoding="utf-8") != text]
    return sorted(stale + [name for name in present if name not in expected])


def generate(solutions: Path, exercises: Path) -> list[str]:
    """Write every exercise notebook, delete those without a solution; return what changed."""
    changed = out_of_date(solutions, exercises)
    exercises.mkdir(exist_ok=True)
    for name, text in expected_exercises(solutions).items():
        if name in changed:
            (exercises / name).write_text(text, encoding="utf-8")
    for path in exercises.glob("*.ipynb"):
        if not (solutions / path.name).exists():
            path.unlink()
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--solutions", type=Path, default=ROOT / "solutions")
    parser.add_argument("--exercises", type=Path, default=ROOT / "exercises")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if exercises/ is out of date")
    args = parser.parse_args(argv)
    try:
        if args.check:
            stale = out_of_date(args.solutions, args.exercises)
            print("out of date: " + ", ".join(stale) if stale else "exercises are up to date")
            return 1 if stale else 0
        changed = generate(args.solutions, args.exercises)
    except MarkerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {', '.join(changed)}" if changed else "exercises were already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
