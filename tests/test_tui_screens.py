"""The editing screens driven by keyboard against a real notebook: editor, comments, conflicts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from synctools import shared_notebook
from textual.app import App
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, SelectionList, Static, TextArea
from tuitools import settle

from store import Notebook
from store.display import local_time
from store.git.program import Identity, run_git
from store.i18n import set_language
from store.layout import document_path
from store.model import canonical_bytes
from store.sync import sync
from tui.actions import ActionRunner
from tui.screens.comment import CommentScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.conflicts import ConflictsScreen
from tui.screens.editor import EntryEditor
from tui.screens.history import HistoryScreen


class Host(ActionRunner, App[None]):
    """A bare app that opens one screen, runs its actions and keeps what it is dismissed with."""

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


# --- comments and replies -----------------------------------------------------------------------


async def test_comment_is_saved_as_one_commit(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles")
    before = commit_count(notebook)
    app = Host(lambda: CommentScreen(notebook, entry.id))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"À creuser", "enter", *"avec Lyon", "ctrl+s")
        await settle(pilot)
    [comment] = notebook.comments(entry.id)
    assert (comment.body, comment.parent, comment.author) == (
        "À creuser\navec Lyon",
        None,
        "helene-cote",
    )
    assert app.results == [comment]
    assert commit_count(notebook) == before + 1


async def test_reply_shows_its_parent_and_lands_under_it(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles")
    first = notebook.add_comment(entry.id, "Premier [bold]avis[/]\x1b[2J")
    second = notebook.add_comment(entry.id, "Un autre avis")
    app = Host(lambda: CommentScreen(notebook, entry.id, reply_to=notebook.short_id(first.id)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        # The comment replied to is shown literally: markup as text, the escape removed.
        assert static_text(screen, "#parent-body") == "Premier [bold]avis[/][2J"
        assert "Hélène Côté" in static_text(screen, "#parent-author")
        await pilot.press(*"Je réponds", "ctrl+s")
        await settle(pilot)
    reply = app.results[0]
    assert reply.parent == first.id
    thread = [(item.comment.id, item.depth) for item in notebook.thread(entry.id)]
    assert thread == [(first.id, 0), (reply.id, 1), (second.id, 0)]


async def test_empty_comment_is_refused_in_the_dialog(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles")
    before = commit_count(notebook)
    app = Host(lambda: CommentScreen(notebook, entry.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CommentScreen)
        assert "vide" in static_text(app.screen, "#error")
    assert commit_count(notebook) == before


async def test_leaving_a_written_comment_asks_first(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles")
    app = Host(lambda: CommentScreen(notebook, entry.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Une idée", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # no: back to the comment, text intact
        await pilot.pause()
        assert isinstance(app.screen, CommentScreen)
        assert app.screen.query_one("#body", TextArea).text == "Une idée"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert app.results == [None]
    assert notebook.comments(entry.id) == []


# --- conflicts ----------------------------------------------------------------------------------


def add_conflicts(notebook: Notebook, entry_id: str, *conflicts: dict[str, Any]) -> None:
    """Record conflicts in the entry's document, as a merge does, and commit them."""
    path = notebook.root / document_path("entries", entry_id)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["conflicts"] = [
        {"author": "paul-martin", "updated": "2025-11-20T10:00:00.000Z", "base": None, **c}
        for c in conflicts
    ]
    path.write_bytes(canonical_bytes(document))
    run_git(notebook.root, "commit", "-qam", "Merge", identity=Identity("Paul", "paul@example.org"))
    notebook.refresh()


async def test_conflicts_screen_keeps_the_other_value_then_the_current_one(
    notebook: Notebook,
) -> None:
    entry = notebook.add_entry("practice", "Maison des familles", "Ligne 1\nLigne 2\n")
    add_conflicts(
        notebook,
        entry.id,
        {"field": "body", "value": "Ligne 1\nLigne 2 de Paul\n"},
        {"field": "status", "value": "discuss"},
    )
    before = commit_count(notebook)
    app = Host(lambda: ConflictsScreen(notebook))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert "(2)" in static_text(screen, "#heading")
        # Both texts side by side, the differing line marked on each side.
        assert "┃ Ligne 2\n" in static_text(screen, "#current-value")
        assert "┃ Ligne 2 de Paul" in static_text(screen, "#other-value")
        assert "paul-martin" in static_text(screen, "#other-who")
        await pilot.press("o")  # keep Paul's text
        await settle(pilot)
        assert "(1)" in static_text(screen, "#heading")
        assert "à discuter" in static_text(screen, "#other-value")
        await pilot.press("c")  # keep the current status
        await settle(pilot)
        assert screen.has_class("-empty")
        assert "Aucun conflit" in static_text(screen, "#empty")
        await pilot.press("escape")
        await settle(pilot)
        assert app.results == [None]
    resolved = notebook.entry(entry.id)
    assert resolved.body == "Ligne 1\nLigne 2 de Paul\n"
    assert resolved.status == "open"
    assert resolved.conflicts == ()
    assert commit_count(notebook) == before + 2


async def test_conflict_values_of_every_field_are_shown_in_words(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison", objectives=[1], tags=["a"])
    add_conflicts(
        notebook,
        entry.id,
        {"field": "objectives", "value": [2, 9]},
        {"field": "kind", "value": "tool"},
        {"field": "tags", "value": ["[red]x[/]", "b"]},
        {"field": "title", "value": "Autre maison"},
    )
    app = Host(lambda: ConflictsScreen(notebook))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        shown = [static_text(screen, "#other-value")]
        for _ in range(3):
            await pilot.press("down")
            shown.append(static_text(screen, "#other-value"))
        assert "2. Recherche française" in shown[0] and "9." in shown[0]
        assert "Outil de collaboration" in shown[1]
        assert "[red]x[/], b" in shown[2]
        assert "Autre maison" in shown[3]
        # (A record whose value has the wrong type makes its entry a damaged document, which
        # is not loaded: tests/test_conflict_records.py.)
        await pilot.click("#keep-current")  # the mouse works too
        await settle(pilot)
        assert "(3)" in static_text(screen, "#heading")
        await pilot.press("up", "o")  # Paul's tags, markup shown as text
        await settle(pilot)
        assert "(2)" in static_text(screen, "#heading")
    resolved = notebook.entry(entry.id)
    assert resolved.title == "Maison"
    assert resolved.tags == ("[red]x[/]", "b")
    assert {c.field for c in resolved.conflicts} == {"objectives", "kind"}


# --- history ------------------------------------------------------------------------------------


async def test_history_lists_the_commits_of_the_entry(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles")
    notebook.edit_entry(entry.id, title="Maison des familles (Grenoble)")
    notebook.add_entry("tool", "Une autre entrée")  # not in this entry's history
    app = Host(lambda: HistoryScreen(notebook, entry.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#commits", DataTable)
        assert table.row_count == 2
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(2)]
        assert rows[0][1] == "Hélène Côté"
        assert "Maison des familles" in rows[0][2] and "Maison des familles" in rows[1][2]
        assert rows[0][0] == local_time(notebook.history(entry.id)[0].time)
        assert "2 modifications" in static_text(screen, "#summary")
        await pilot.press("escape")
        await settle(pilot)
        assert app.results == [None]


# --- keys ---------------------------------------------------------------------------------------


async def test_key_descriptions_follow_the_language(notebook: Notebook) -> None:
    app = Host(lambda: EntryEditor(notebook))
    async with app.run_test(size=(80, 24)):
        screen = app.screen
        assert screen.active_bindings["ctrl+s"].binding.description == "Enregistrer"
        set_language("en")
        assert screen.active_bindings["ctrl+s"].binding.description == "Save"

    for screen_class in (EntryEditor, CommentScreen, ConflictsScreen, HistoryScreen, ConfirmScreen):
        for binding in screen_class.BINDINGS:
            assert isinstance(binding, Binding) and binding.id and binding.description


async def test_a_conflict_from_two_clones_is_resolved_in_the_screen(tmp_path: Path) -> None:
    """Two people edit the same title offline; after sync, the screen settles it for both."""
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles")
    sync(alain)
    sync(claire)
    alain.edit_entry(entry.id, title="Maison des familles de Grenoble")
    claire.edit_entry(entry.id, title="Maison des familles (Isère)")
    sync(alain)
    sync(claire)  # Claire's merge finds the clash and records it
    conflicted = claire.entry(entry.id)
    assert [c.field for c in conflicted.conflicts] == ["title"]
    losing = conflicted.conflicts[0].value
    app = Host(lambda: ConflictsScreen(claire))
    async with app.run_test(size=(120, 40)) as pilot:
        assert static_text(app.screen, "#other-value").strip() == losing
        await pilot.press("o")
        await settle(pilot)
        assert app.screen.has_class("-empty")
    sync(claire)
    sync(alain)
    for clone in (alain, claire):
        settled = clone.entry(entry.id)
        assert (settled.title, settled.conflicts) == (losing, ())
    for clone in (alain, claire):
        clone.close()


# --- how they look ------------------------------------------------------------------------------


def stop_blinking(screen: Screen[Any], selector: str, *, visible: bool) -> None:
    """Hold the cursor of the field ``selector`` shown or hidden: a blinking cursor would make
    the picture depend on when it is taken (a slow machine catches the other half of a blink)."""
    screen.query_one(selector)._pause_blink(visible=visible)  # type: ignore[attr-defined]


def test_snapshot_new_entry_editor_small_terminal(notebook: Notebook, snap_compare: Any) -> None:
    """At 80×24 the fields go borderless so the text keeps most of the screen."""

    async def cursor_shown(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        stop_blinking(pilot.app.screen, "#title", visible=True)

    app = Host(lambda: EntryEditor(notebook))
    assert snap_compare(app, terminal_size=(80, 24), run_before=cursor_shown)


def test_snapshot_editor_with_an_error(notebook: Notebook, snap_compare: Any) -> None:
    entry = notebook.add_entry(
        "reflection", "Retour à froid", "Ce que nous retenons.", tags=["bilan"]
    )

    async def empty_the_title(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one("#title", Input).value = "  "
        await pilot.press("ctrl+s")
        await settle(pilot)
        stop_blinking(pilot.app.screen, "#body", visible=True)

    app = Host(lambda: EntryEditor(notebook, entry.id))
    assert snap_compare(app, terminal_size=(120, 40), run_before=empty_the_title)
