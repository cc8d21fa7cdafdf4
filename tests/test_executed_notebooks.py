"""Every cell of every notebook ran, and only the cells meant to fail raised, in the book's run.

`make test` executes each notebook once: ``make slides`` runs the chapters and ``make book``
the exercises and solutions, into one execution cache (``book/_offline/execution.py``). This
test reads those runs instead of running the notebooks again, and checks what nbval checked
when it ran them a second time (``--nbval-lax``, with no cell marked for output comparison):

- the run is of the notebook's current code (the cache matches runs by their code and cell
  metadata; ``make`` empties it when the package changes);
- every code cell was executed, in order;
- a cell tagged ``raises-exception`` (an exercise's stub) raised, and no other cell did.

Run ``make book`` first; without its runs every case fails and says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.offline_scripts import import_offline

execution = import_offline("execution")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(path.relative_to(ROOT) for folder in ("book", "exercises", "solutions")
                   for path in (ROOT / folder).glob("*.ipynb"))


def code_cells(run):
    return [cell for cell in run.cells if cell.cell_type == "code"]


def raised(cell) -> bool:
    return any(output.output_type == "error" for output in cell.outputs)


def expects_error(cell) -> bool:
    return "raises-exception" in cell.metadata.get("tags", [])


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=str)
def run(request):
    run = execution.cached_run(ROOT / request.param)
    if run is None:
        pytest.fail(f"{request.param}: no run of its current code in {execution.CACHE} "
                    "(`make book` executes every notebook into it)")
    return run


def test_the_notebooks_are_the_books():
    assert len(NOTEBOOKS) >= 20 and Path("book/01_why_sequences.ipynb") in NOTEBOOKS


def test_every_code_cell_ran_in_order(run):
    counts = [cell.execution_count for cell in code_cells(run) if cell.source.strip()]
    assert None not in counts, "a code cell was never executed"
    assert counts == sorted(counts) and len(set(counts)) == len(counts), counts


def test_only_the_cells_tagged_raises_exception_raised(run):
    for cell in code_cells(run):
        if expects_error(cell):
            assert raised(cell), f"tagged raises-exception but did not raise:\n{cell.source}"
        else:
            errors = [output.ename for output in cell.outputs if output.output_type == "error"]
            assert not errors, f"raised {errors}:\n{cell.source}"
