"""Edits are merges: a save lands on the entry as it is now, never over what arrived meanwhile.

Issue 10: Luc edits an entry; meanwhile a sync brings Marie's new paragraph into it; Luc
saves, and Marie's paragraph was gone, with no conflict recorded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from synctools import shared_notebook
from textual.pilot import Pilot
from textual.widgets import Static, TextArea
from tuitools import settle

from store import EntryFilter, Notebook
from store.sync import sync
from tui.app import CarnetApp
from tui.screens.choice import ChoiceScreen
from tui.screens.editor import EntryEditor

BODY = "Premier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième paragraphe.\n"


@pytest.fixture
def luc_and_marie(tmp_path: Path) -> Iterator[tuple[Notebook, Notebook, str]]:
    """Two clones of one notebook sharing one entry, in sync: Luc's (Alain Martin is the
    participant there) and Marie's (Claire Dubois)."""
    luc, marie = shared_notebook(tmp_path, 2)
    entry = luc.add_entry("practice", "Maison des familles", BODY)
    sync(luc)
    sync(marie)
    yield luc, marie, entry.id
    luc.close()
    marie.close()


def test_a_paragraph_synced_in_while_editing_is_kept(
    luc_and_marie: tuple[Notebook, Notebook, str],
) -> None:
    """The lost update of issue 10: the saver's whole text used to replace the merged one."""
    luc, marie, entry_id = luc_and_marie
    base = luc.entry(entry_id)  # Luc opens the editor
    marie.edit_entry(entry_id, base=marie.entry(entry_id), body="Chapeau de Marie.\n\n" + BODY)
    sync(marie)
    sync(luc)  # the background sync merges Marie's paragraph while Luc types
    saved = luc.edit_entry(entry_id, base=base, body=BODY + "\nParagraphe de Luc.\n")
    assert saved.body == "Chapeau de Marie.\n\n" + BODY + "\nParagraphe de Luc.\n"
    assert saved.conflicts == ()
    assert luc.entry(entry_id) == saved
    sync(luc)
    sync(marie)
    assert marie.entry(entry_id).body == saved.body


def test_the_same_line_changed_on_both_sides_becomes_a_conflict(
    luc_and_marie: tuple[Notebook, Notebook, str],
) -> None:
    """A clash is recorded with the other author, never settled by a silent overwrite."""
    luc, marie, entry_id = luc_and_marie
    base = luc.entry(entry_id)
    marie_body = BODY.replace("Deuxième", "Second")
    marie.edit_entry(entry_id, base=marie.entry(entry_id), body=marie_body)
    sync(marie)
    sync(luc)
    merged_in = luc.entry(entry_id)
    luc_body = BODY.replace("Deuxième", "Autre deuxième")
    saved = luc.edit_entry(entry_id, base=base, body=luc_body)
    # Luc saves last: his text is current, Marie's waits among the conflicts, with her name.
    assert saved.body == luc_body
    assert saved.updated > merged_in.updated
    assert saved.updated_by == luc.me
    [conflict] = saved.conflicts
    assert (conflict.field, conflict.value, conflict.base) == ("body", marie_body, BODY)
    assert (conflict.author, conflict.updated) == (marie.me, merged_in.updated)
    assert [e.id for e in luc.entries(EntryFilter(conflicts=True))] == [entry_id]
    listed = subprocess.run(
        [sys.executable, "-m", "tui.cli", "-C", str(luc.root), "conflicts", "--json"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert json.loads(listed)[0]["conflicts"][0]["value"] == marie_body
    sync(luc)
    sync(marie)
    assert marie.entry(entry_id).body == luc_body
    assert marie.entry(entry_id).conflicts == saved.conflicts


def test_a_status_changed_meanwhile_is_not_silently_replaced(
    luc_and_marie: tuple[Notebook, Notebook, str],
) -> None:
    """The status dialog's choice, made on an old version, meets the status synced in."""
    luc, marie, entry_id = luc_and_marie
    base = luc.entry(entry_id)  # Luc opens the status dialog
    marie.edit_entry(entry_id, base=marie.entry(entry_id), status="discuss", title="Maison")
    sync(marie)
    sync(luc)
    saved = luc.edit_entry(entry_id, base=base, status="adopted")
    assert (saved.status, saved.title) == ("adopted", "Maison")
    assert [(c.field, c.value, c.author) for c in saved.conflicts] == [
        ("status", "discuss", marie.me)
    ]


def test_without_a_change_underneath_an_edit_is_a_plain_edit(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Titre", BODY, tags=["a"])
    saved = notebook.edit_entry(entry.id, base=entry, body=BODY + "Fin.\n", tags=["b"])
    assert (saved.body, saved.tags, saved.conflicts) == (BODY + "Fin.\n", ("b",), ())
    # What the participant did not change is not sent: the same values again change nothing.
    assert notebook.edit_entry(entry.id, base=saved, body=saved.body) == saved


def test_a_change_from_another_process_meanwhile_is_merged(notebook: Notebook) -> None:
    """Without a base the edit starts from the entry as the call reads it, before its lock and
    refresh: a commit of another process in between is merged, not written over."""
    entry = notebook.add_entry("practice", "Titre", BODY)
    other = Notebook(notebook.root)
    try:
        other.edit_entry(entry.id, base=other.entry(entry.id), body="Avant.\n\n" + BODY)
    finally:
        other.close()
    # This object has not seen the other commit yet: its read is stale, like a base.
    stale = notebook.entry(entry.id)
    assert stale.body == BODY
    saved = notebook.edit_entry(entry.id, body=BODY + "Après.\n")
    assert saved.body == "Avant.\n\n" + BODY + "Après.\n"


def test_carnet_edit_merges_onto_a_change_made_while_it_reads_the_text(
    luc_and_marie: tuple[Notebook, Notebook, str], tmp_path: Path
) -> None:
    """``carnet show … | … | carnet edit --body-file``: a commit while the text is read stays."""
    luc, _marie, entry_id = luc_and_marie
    fifo = tmp_path / "texte"
    os.mkfifo(fifo)
    command = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "-C", str(luc.root), "edit", entry_id,
         "--body-file", str(fifo)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    failure: list[BaseException] = []

    def meanwhile() -> None:
        try:
            # Opening the pipe waits for carnet edit to open it: it has read the entry by now.
            with open(fifo, "w", encoding="utf-8") as pipe:
                other = Notebook(luc.root)
                try:
                    other.edit_entry(entry_id, base=other.entry(entry_id), body="Avant.\n\n" + BODY)
                finally:
                    other.close()
                pipe.write(BODY + "Après.\n")
        except BaseException as error:  # reported by the test's thread below
            failure.append(error)

    # A daemon: should carnet edit fail before opening the pipe, the test still ends.
    writer = threading.Thread(target=meanwhile, daemon=True)
    writer.start()
    out, err = command.communicate(timeout=60)
    writer.join(timeout=60)
    assert not failure
    assert command.returncode == 0, err
    luc.refresh()
    assert luc.entry(entry_id).body == "Avant.\n\n" + BODY + "Après.\n"


# --- in the review TUI ------------------------------------------------------------------------


async def open_editor(pilot: Pilot[Any]) -> EntryEditor:
    """Press ``e`` on the review screen once it has settled; the editor that opens."""
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    editor = pilot.app.screen
    assert isinstance(editor, EntryEditor)
    return editor


async def test_the_editor_keeps_a_paragraph_a_sync_brought_while_typing(
    luc_and_marie: tuple[Notebook, Notebook, str],
) -> None:
    """Issue 10 through the screens: ``e``, type, a real sync merges Marie's paragraph into
    the entry, save: her paragraph is still there, and the editor said the entry changed."""
    luc, marie, entry_id = luc_and_marie
    app = CarnetApp(luc, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        notice = editor.query_one("#changed-meanwhile", Static)
        assert not notice.display
        body = editor.query_one("#body", TextArea)
        body.move_cursor(body.document.end)
        await pilot.press(*"Paragraphe de Luc.")
        marie.edit_entry(entry_id, base=marie.entry(entry_id), body="Chapeau de Marie.\n\n" + BODY)
        sync(marie)
        app.start_sync(manual=False)  # the app's background sync, as its timer starts it
        await settle(pilot)
        assert luc.entry(entry_id).body.startswith("Chapeau de Marie.")
        assert app.screen is editor
        assert notice.display and notice.region.height >= 2  # on screen, the whole sentence
        assert "Claire Dubois a modifié cette entrée" in str(notice.render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EntryEditor)
    saved = luc.entry(entry_id)
    assert saved.body == "Chapeau de Marie.\n\n" + BODY + "Paragraphe de Luc."
    assert saved.conflicts == ()


async def test_a_status_chosen_while_a_sync_changed_it_becomes_a_conflict(
    luc_and_marie: tuple[Notebook, Notebook, str],
) -> None:
    """The status dialog starts from the entry it showed: Marie's status, synced in while it
    was open, is recorded as a conflict instead of being replaced without a trace."""
    luc, marie, entry_id = luc_and_marie
    app = CarnetApp(luc, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        marie.edit_entry(entry_id, base=marie.entry(entry_id), status="discuss")
        sync(marie)
        app.start_sync(manual=False)
        await settle(pilot)
        assert luc.entry(entry_id).status == "discuss"
        await pilot.press("down", "down", "enter")  # from "open": "discuss", then "adopted"
        await settle(pilot)
    saved = luc.entry(entry_id)
    assert saved.status == "adopted"
    assert [(c.field, c.value, c.author) for c in saved.conflicts] == [
        ("status", "discuss", marie.me)
    ]


async def test_a_comment_sent_after_a_sync_leaves_the_entry_as_merged(
    luc_and_marie: tuple[Notebook, Notebook, str],
) -> None:
    """A comment is a new document: sending one writes nothing of the entry it was opened on."""
    luc, marie, entry_id = luc_and_marie
    app = CarnetApp(luc, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"Bonne idée.")
        marie.edit_entry(entry_id, base=marie.entry(entry_id), body="Chapeau de Marie.\n\n" + BODY)
        sync(marie)
        app.start_sync(manual=False)
        await settle(pilot)
        merged = luc.entry(entry_id)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert luc.entry(entry_id) == merged
    assert [c.body for c in luc.comments(entry_id)] == ["Bonne idée."]


async def test_the_editor_saving_over_the_same_line_records_a_conflict_and_says_so(
    luc_and_marie: tuple[Notebook, Notebook, str],
) -> None:
    """Luc and Marie rewrote the same line: Luc's save keeps his, Marie's waits under x."""
    luc, marie, entry_id = luc_and_marie
    app = CarnetApp(luc, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        body = editor.query_one("#body", TextArea)
        body.move_cursor((0, len("Premier paragraphe")))
        await pilot.press(*", selon Luc")
        marie_body = BODY.replace("Premier paragraphe.", "Premier paragraphe, selon Marie.")
        marie.edit_entry(entry_id, base=marie.entry(entry_id), body=marie_body)
        sync(marie)
        app.start_sync(manual=False)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("les vôtres sont gardées" in message for message in warnings)
    saved = luc.entry(entry_id)
    assert saved.body == BODY.replace("Premier paragraphe.", "Premier paragraphe, selon Luc.")
    assert [(c.field, c.value, c.author) for c in saved.conflicts] == [
        ("body", marie_body, marie.me)
    ]
