"""A conflict on a text is settled by combining both versions, by hand from their line merge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clitools import carnet
from synctools import shared_notebook
from test_tui_screens import Host, add_conflicts, static_text
from textual.widgets import TextArea
from tuitools import settle

from store import Notebook
from store.errors import InvalidInputError
from store.git.program import run_git
from store.layout import document_path
from store.merge import combine_texts
from store.sync import sync
from tui.screens.combine import CombineScreen
from tui.screens.conflicts import ConflictsScreen


def test_the_line_merge_keeps_both_sides_lines_without_markers() -> None:
    base = "Accueil\nHoraires\nContact\n"
    mine, theirs = "Accueil le matin\nHoraires\nContact\n", "Accueil\nHoraires\nContact : Paul\n"
    assert combine_texts(base, mine, theirs) == "Accueil le matin\nHoraires\nContact : Paul\n"
    clash = "Accueil le soir\nHoraires\nContact\n"
    assert (
        combine_texts(base, mine, clash) == "Accueil le matin\nAccueil le soir\nHoraires\nContact\n"
    )
    # Without the base, every line that differs is kept, the current version's first.
    assert combine_texts(None, "a\nb\nc", "a\nB\nc") == "a\nb\nB\nc"


def test_a_combined_text_settles_the_conflict_for_both_clones(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison", "Accueil\nHoraires\nContact\n")
    sync(alain)
    sync(claire)
    alain.edit_entry(entry.id, body="Accueil le matin\nHoraires\nContact\n")
    claire.edit_entry(entry.id, body="Accueil le soir\nHoraires\nContact\n")
    sync(alain)
    sync(claire)  # Claire's merge records Alain's text as the other version
    (conflict,) = claire.entry(entry.id).conflicts
    assert conflict.value == "Accueil le matin\nHoraires\nContact\n"
    # Her later text is the current one; both clashing lines are offered, hers first.
    start = claire.combined_text(entry.id, "body")
    assert start == "Accueil le soir\nAccueil le matin\nHoraires\nContact\n"
    combined = "Accueil le matin et le soir\nHoraires\nContact\n"
    claire.resolve_conflict(entry.id, "body", "combined", text=combined)
    sync(claire)
    sync(alain)
    settled = alain.entry(entry.id)
    assert (settled.body, settled.conflicts) == (combined, ())
    # Alain sees who settled it, and how; his version stays readable in the history.
    history = alain.history(entry.id)
    resolution = next(item for item in history if "combinant" in item.message)
    assert resolution.email == claire.me_participant.email  # type: ignore[union-attr]
    path = document_path("entries", entry.id)
    put_aside = [
        record["value"]
        for item in history
        for record in json.loads(run_git(alain.root, "show", f"{item.commit}:{path}"))["conflicts"]
    ]
    assert conflict.value in put_aside
    for clone in (alain, claire):
        clone.close()


def test_only_a_text_is_combined_and_only_with_its_text(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison", "Corps")
    add_conflicts(
        notebook, entry.id, {"field": "status", "value": "discuss"}, {"field": "body", "value": "B"}
    )
    with pytest.raises(InvalidInputError):
        notebook.resolve_conflict(entry.id, "status", "combined", text="discuss")
    with pytest.raises(InvalidInputError):
        notebook.combined_text(entry.id, "status")
    with pytest.raises(InvalidInputError):
        notebook.resolve_conflict(entry.id, "body", "combined")
    with pytest.raises(InvalidInputError):
        notebook.resolve_conflict(entry.id, "body", "other", text="B")
    assert len(notebook.entry(entry.id).conflicts) == 2


def test_resolve_combines_from_a_file(notebook: Notebook, tmp_path: Path) -> None:
    entry = notebook.add_entry("practice", "Maison", "Ligne 1\nLigne 2\n")
    add_conflicts(notebook, entry.id, {"field": "body", "value": "Ligne 1\nLigne 2 de Paul\n"})
    combined = tmp_path / "combined.md"
    combined.write_text("Ligne 1\nLigne 2, avec Paul\n", encoding="utf-8")
    done = carnet("resolve", entry.id, "--field", "body", "--text-file", str(combined),
                  cwd=notebook.root)  # fmt: skip
    assert done.returncode == 0, done.stderr
    notebook.refresh()
    resolved = notebook.entry(entry.id)
    assert (resolved.body, resolved.conflicts) == ("Ligne 1\nLigne 2, avec Paul\n", ())
    assert "combinant" in notebook.history(entry.id)[0].message


async def test_the_conflicts_screen_combines_both_texts(notebook: Notebook) -> None:
    entry = notebook.add_entry("tool", "Grille d'entretien", "Ligne 1\nLigne 2\n")
    status = {"field": "status", "value": "discuss"}
    add_conflicts(
        notebook, entry.id, {"field": "body", "value": "Ligne 1\nLigne 2 de Paul\n"}, status
    )
    app = Host(lambda: ConflictsScreen(notebook))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CombineScreen)
        assert "┃ Ligne 2\n" in static_text(screen, "#current-version")
        assert "┃ Ligne 2 de Paul" in static_text(screen, "#other-version")
        area = screen.query_one("#combined", TextArea)
        assert area.text == "Ligne 1\nLigne 2\nLigne 2 de Paul\n"
        assert area.has_focus
        await pilot.press(*"Ma ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        assert "(1)" in static_text(app.screen, "#heading")
        await pilot.press("m")  # the status is no text: nothing to combine
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
    resolved = notebook.entry(entry.id)
    assert resolved.body == "Ma Ligne 1\nLigne 2\nLigne 2 de Paul\n"
    assert [c.field for c in resolved.conflicts] == ["status"]
    assert "combinant" in notebook.history(entry.id)[0].message
