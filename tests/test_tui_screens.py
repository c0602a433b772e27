"""The editing screens driven by keyboard against a real notebook: editor, comments, conflicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select, SelectionList, Static, TextArea

from store import Notebook
from store.repo import run_git
from tui.screens.confirm import ConfirmScreen
from tui.screens.editor import EntryEditor


class Host(App[None]):
    """A bare app that opens one screen and keeps what it is dismissed with."""

    def __init__(self, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)


def commit_count(notebook: Notebook) -> int:
    return int(run_git(notebook.root, "rev-list", "--count", "HEAD").strip())


def static_text(screen: Screen[Any], selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def settle(pilot: Pilot[Any]) -> None:
    """Let the workers finish (a save, a load) and their messages arrive."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


# --- the entry editor ---------------------------------------------------------------------------


async def test_new_entry_is_saved_as_one_commit_with_its_fields(notebook: Notebook) -> None:
    before = commit_count(notebook)
    app = Host(lambda: EntryEditor(notebook))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.screen
        assert isinstance(editor, EntryEditor)
        # The kind, by keyboard: open the list (on the blank prompt), down to the third kind.
        editor.query_one("#kind", Select).focus()
        await pilot.press("enter", "down", "down", "down", "enter")
        editor.query_one("#title", Input).focus()
        await pilot.press(*"Atelier parents")
        objectives = editor.query_one("#objectives", SelectionList)
        objectives.focus()
        await pilot.press("down", "space")  # objective 2
        editor.query_one("#tags", Input).focus()
        await pilot.press(*"outil, réseau,")
        editor.query_one("#body", TextArea).focus()
        await pilot.press(*"Une ", "enter", *"fiche")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.results and app.results[0] is not None
    saved = app.results[0]
    entry = notebook.entry(saved.id)
    assert (entry.kind, entry.title, entry.body) == ("tool", "Atelier parents", "Une \nfiche")
    assert entry.objectives == (2,)
    assert entry.tags == ("outil", "réseau")
    assert entry.status == "open"
    assert commit_count(notebook) == before + 1


async def test_validation_error_is_shown_and_nothing_is_written(notebook: Notebook) -> None:
    before = commit_count(notebook)
    app = Host(lambda: EntryEditor(notebook))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.screen
        editor.query_one("#kind", Select).value = "practice"
        await pilot.press("ctrl+s")  # the title is still empty
        await settle(pilot)
        assert app.screen is editor
        assert "titre" in static_text(editor, "#error")
        assert editor.query_one("#error").display
        assert app.results == []
    assert commit_count(notebook) == before
    assert notebook.entries() == []


async def test_a_missing_kind_is_asked_for_before_anything_is_written(notebook: Notebook) -> None:
    app = Host(lambda: EntryEditor(notebook))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"Un titre", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EntryEditor)
        assert "type" in static_text(app.screen, "#error")
    assert notebook.entries() == []


async def test_edit_changes_only_the_fields_touched(notebook: Notebook) -> None:
    entry = notebook.add_entry(
        "practice", "Maison des familles", "Premier jet", objectives=[1], tags=["famille"]
    )
    before = commit_count(notebook)
    app = Host(lambda: EntryEditor(notebook, entry.id))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.screen
        assert editor.query_one("#title", Input).value == "Maison des familles"
        assert editor.query_one("#objectives", SelectionList).selected == [1]
        body = editor.query_one("#body", TextArea)
        assert body.has_focus
        body.move_cursor(body.document.end)
        await pilot.press(*" complété")
        editor.query_one("#status", Select).value = "discuss"
        await pilot.press("ctrl+s")
        await settle(pilot)
    edited = notebook.entry(entry.id)
    assert edited.body == "Premier jet complété"
    assert edited.status == "discuss"
    assert (edited.title, edited.objectives, edited.tags) == (
        "Maison des familles",
        (1,),
        ("famille",),
    )
    assert app.results == [edited]
    assert commit_count(notebook) == before + 1


async def test_participant_text_shows_literally_in_the_editor(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "[bold]Gras[/] \x1b]8;;x\x07lien", "[@click=app.quit]")
    app = Host(lambda: EntryEditor(notebook, entry.id))
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.screen
        assert editor.query_one("#title", Input).value == "[bold]Gras[/] ]8;;xlien"
        assert "[bold]Gras[/]" in static_text(editor, "#heading")
        assert editor.query_one("#body", TextArea).text == "[@click=app.quit]"
        await pilot.press("escape")  # nothing changed: leaves at once
        await settle(pilot)
        assert app.results == [None]


async def test_unsaved_changes_prompt_cancel_keeps_the_editor(notebook: Notebook) -> None:
    app = Host(lambda: EntryEditor(notebook))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.screen
        await pilot.press(*"Brouillon", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Abandonner les modifications" in static_text(app.screen, "#question")
        await pilot.press("enter")  # "No" has the focus
        await pilot.pause()
        assert app.screen is editor
        assert editor.query_one("#title", Input).value == "Brouillon"
        assert app.results == []


async def test_unsaved_changes_prompt_confirm_leaves_without_writing(notebook: Notebook) -> None:
    before = commit_count(notebook)
    app = Host(lambda: EntryEditor(notebook))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Brouillon", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("o")  # oui
        await settle(pilot)
        assert app.results == [None]
        assert not isinstance(app.screen, EntryEditor | ConfirmScreen)
    assert commit_count(notebook) == before
    assert notebook.entries() == []
