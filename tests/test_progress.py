"""Long work tells how far it has gone: the one callback, the terminal's line, a full load."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from store.notebook import Notebook
from store.progress import TerminalLine, on_terminal, report, reporting
from store.storage.documents import DocumentStorage
from tui.cli import main


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_what_is_reported_reaches_the_listener_of_the_block_only() -> None:
    heard: list[tuple[int, int]] = []
    report(1, 2)  # nobody listens: nothing happens
    with reporting(lambda done, total: heard.append((done, total))):
        report(1, 4)
        report(4, 4)
    report(3, 4)
    assert heard == [(1, 4), (4, 4)]


def test_the_terminal_line_is_rewritten_in_place_and_ended() -> None:
    terminal = Terminal()
    with on_terminal("Lecture du carnet", terminal):
        for done in range(5):
            report(done, 4)
        report(4, 4)  # the same percentage: not written again
    assert terminal.getvalue() == (
        "\rLecture du carnet    0 %\rLecture du carnet   25 %\rLecture du carnet   50 %"
        "\rLecture du carnet   75 %\rLecture du carnet  100 %\n"
    )


def test_nothing_is_written_when_the_output_is_not_a_terminal() -> None:
    piped = io.StringIO()
    line = TerminalLine("Lecture du carnet", piped)
    line(1, 2)
    line.close()
    assert piped.getvalue() == ""


def test_reading_every_file_reports_each_folder_up_to_the_whole(notebook: Notebook) -> None:
    for number in range(3):
        notebook.add_entry("practice", f"Pratique {number}", "Texte.", objectives=[1])
    entry = notebook.entries()[0]
    notebook.add_comment(entry.id, "Un commentaire.")
    notebook.mark_read(entry.id)
    heard: list[tuple[int, int]] = []
    with reporting(lambda done, total: heard.append((done, total))):
        DocumentStorage(Path(notebook.root), use_cache=False)
    assert heard, "a load without cache tells its progress"
    totals = {total for _done, total in heard}
    assert len(totals) == 1
    assert [done for done, _total in heard] == list(range(1, totals.pop() + 1))


def test_a_load_from_the_cache_reports_nothing(notebook: Notebook) -> None:
    notebook.add_entry("practice", "Pratique", "Texte.", objectives=[1])
    Notebook(notebook.root).close()  # the cache is written
    heard: list[tuple[int, int]] = []
    with reporting(lambda done, total: heard.append((done, total))):
        Notebook(notebook.root).close()
    assert heard == []


def test_the_export_tells_its_progress_on_a_terminal_only(
    notebook: Notebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(4):
        notebook.add_entry("practice", f"Pratique {number}", "Texte.", objectives=[1])
    output = tmp_path / "synthese.md"
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["-C", str(notebook.root), "export", "-o", str(output)]) == 0
    assert terminal.getvalue().endswith("\rRédaction de la synthèse  100 %\n")
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    assert main(["-C", str(notebook.root), "export", "-o", str(output)]) == 0
    assert piped.getvalue() == ""
