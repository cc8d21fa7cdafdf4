"""One run per notebook: a chapter's run for the room is cached whole and read back whole."""

from __future__ import annotations

import nbformat

from tests.offline_scripts import import_offline

execution = import_offline("execution")


def small_chapter(folder):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A chapter\n\n% slide: One\n% say: notes"),
        nbformat.v4.new_code_cell("import random\nprint(random.random())"),
        nbformat.v4.new_code_cell("import course_rnn.viz.frames as f\nf.DPI_SCALE"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = folder / "chapter.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_run_for_the_room_is_made_once_and_read_back_with_every_cell(tmp_path, monkeypatch):
    monkeypatch.setattr(execution, "CACHE", tmp_path / "cache")
    chapter = small_chapter(tmp_path)
    assert execution.cached_run(chapter) is None
    first = execution.executed_for_the_room(chapter)
    again = execution.executed_for_the_room(chapter)  # from the cache: the same random number
    for run in (first, again, execution.cached_run(chapter)):
        assert [cell.cell_type for cell in run.cells] == ["markdown", "code", "code"]
        assert run.cells[0].source.startswith("# A chapter")
        assert run.cells[1].outputs[0].text == first.cells[1].outputs[0].text
        assert run.cells[2].outputs[0].data["text/plain"] == "2.0"  # drawn for the room
        assert [cell.execution_count for cell in run.cells[1:]] == [1, 2]
        assert run.metadata[execution.ROOM_MARK]


def test_a_changed_notebook_has_no_run(tmp_path, monkeypatch):
    monkeypatch.setattr(execution, "CACHE", tmp_path / "cache")
    chapter = small_chapter(tmp_path)
    execution.executed_for_the_room(chapter)
    nb = nbformat.read(chapter, as_version=4)
    nb.cells[1].source += "\nprint('changed')"
    nbformat.write(nb, chapter)
    assert execution.cached_run(chapter) is None
