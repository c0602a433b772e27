"""The history screen driven by keyboard: what each change did, and restoring a version."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from test_tui_screens import Host, commit_count
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Static
from tuitools import settle

from store import Notebook
from tui.actions import ActionRunner
from tui.screens.confirm import ConfirmScreen
from tui.screens.history import HistoryScreen, open_deleted_entries


def shown_change(pilot: Pilot[Any]) -> Text:
    content = pilot.app.screen.query_one("#change", Static).content
    assert isinstance(content, Text)
    return content


def styled(text: Text, style: str) -> list[str]:
    """The pieces of ``text`` drawn with ``style``."""
    return [text.plain[span.start : span.end] for span in text.spans if str(span.style) == style]


def history_of_an_edit(notebook: Notebook, **changes: Any) -> tuple[str, Host]:
    """An entry written, then edited with ``changes``; the app showing its history."""
    entry = notebook.add_entry("practice", "Maison des familles", "Un lieu ouvert.")
    notebook.edit_entry(entry.id, **changes)
    return entry.id, Host(lambda: HistoryScreen(notebook, entry.id))


async def test_the_change_highlighted_shows_its_fields_and_word_diff(notebook: Notebook) -> None:
    _entry_id, app = history_of_an_edit(
        notebook, title="Maison des [bold]parents[/bold]", status="discuss"
    )
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        edit = shown_change(pilot)
        # Written as it is: a text that looks like markup is never read as markup.
        assert "titre : Maison des familles[bold]parents[/bold]" in edit.plain
        assert styled(edit, "red strike") == ["familles"]
        assert styled(edit, "bold green") == ["[bold]parents[/bold]"]
        assert "statut : à discuter" in edit.plain
        await pilot.press("down")
        await settle(pilot)
        creation = shown_change(pilot)
        assert "type : Pratique observée" in creation.plain
        assert styled(creation, "bold green") == ["Maison des familles", "Un lieu ouvert."]


async def test_r_restores_the_version_highlighted_once_confirmed(notebook: Notebook) -> None:
    entry_id, app = history_of_an_edit(notebook, title="Un autre titre", body="Un autre texte.")
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        before = commit_count(notebook)
        await pilot.press("down", "r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: nothing happens
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen) and commit_count(notebook) == before
        await pilot.press("r", "y")
        await settle(pilot)
        assert commit_count(notebook) == before + 1
        restored = notebook.entry(entry_id)
        assert (restored.title, restored.body) == ("Maison des familles", "Un lieu ouvert.")
        # The history shows the restore as its newest change, highlighted.
        table = app.screen.query_one("#commits", DataTable)
        assert table.row_count == 3 and table.cursor_row == 0
        assert "Restauration" in str(table.get_row_at(0)[2])
        await pilot.press("escape")
        await settle(pilot)
        assert app.results == [entry_id]


class DeletedHost(ActionRunner, App[None]):
    """An app whose palette line for deleted entries was chosen at once."""

    def __init__(self, notebook: Notebook) -> None:
        super().__init__()
        self.notebook = notebook
        self.restored: list[str] = []

    def on_mount(self) -> None:
        open_deleted_entries(self, self.notebook, self.restored.append)


async def test_a_deleted_entry_is_restored_from_its_history(notebook: Notebook) -> None:
    notebook.add_entry("tool", "Une entrée gardée")
    entry = notebook.add_entry("practice", "Maison des familles", "Un lieu ouvert.")
    notebook.delete_entry(entry.id)
    app = DeletedHost(notebook)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the one deleted entry
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen) and app.screen.entry.id == entry.id
        await pilot.press("down", "r", "y")  # the version before the deletion
        await settle(pilot)
        assert not notebook.entry(entry.id).deleted
        await pilot.press("escape")
        await settle(pilot)
        assert app.restored == [entry.id]
