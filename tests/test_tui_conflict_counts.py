"""The counts of conflicts the screen shows: right, and never stale."""

from __future__ import annotations

from pathlib import Path

from synctools import shared_notebook
from textual.widgets import Static
from tuitools import settle

from store import Entry, Notebook
from store.sync import sync
from tui.app import CarnetApp
from tui.screens.conflicts import ConflictsScreen
from tui.widgets.status_bar import StatusBar


def crossed_edits(tmp_path: Path, count: int) -> tuple[list[Notebook], Entry]:
    """``count`` clones; the first two change an entry's title and text differently, and the
    second one's merge records both conflicts and pushes them."""
    clones = shared_notebook(tmp_path, count)
    alain, claire = clones[:2]
    entry = alain.add_entry("proposal", "Un séminaire", "Début")
    for clone in clones:
        sync(clone)
    alain.edit_entry(entry.id, title="Un séminaire en décembre", body="À Montréal.")
    claire.edit_entry(entry.id, title="Un séminaire en janvier", body="À Québec.")
    sync(alain)
    sync(claire)
    return clones, entry


async def test_one_entry_with_two_fields_in_conflict_is_counted_once_then_not_at_all(
    tmp_path: Path,
) -> None:
    (alain, claire), _entry = crossed_edits(tmp_path, 2)
    claire.close()

    app = CarnetApp(alain, sync_interval=None)  # Alain receives them already recorded
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_sync()
        await settle(pilot)
        notices = [str(n.message) for n in app._notifications]
        assert any("1 entrée à résoudre" in notice for notice in notices), notices
        bar = str(app.review.query_one(StatusBar).render())
        assert "1\u00a0à résoudre" in bar or "1 à résoudre" in bar

        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        bar = str(app.review.query_one(StatusBar).render())
        assert "résoudre" not in bar
        assert "envoyer" in bar  # the resolutions wait to be sent
    alain.close()


async def test_the_value_kept_is_labelled_with_its_writer_after_another_field_is_resolved(
    tmp_path: Path,
) -> None:
    (alain, claire, helene), entry = crossed_edits(tmp_path, 3)
    sync(helene)
    merged = helene.entry(entry.id)
    kept_by = {c.field: c.kept_by for c in merged.conflicts}
    winner = merged.updated_by
    assert kept_by == {"title": winner, "body": winner}
    # Hélène settles the title: the entry is now "changed by" her, not the body's kept value.
    helene.resolve_conflict(entry.id, "title", "current")
    claire.close()
    alain.close()

    app = CarnetApp(helene, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        who = str(app.screen.query_one("#current-who", Static).render())
        winner_name = helene.participant(winner).name  # type: ignore[union-attr]
        assert winner_name in who and "Hélène" not in who
    helene.close()


async def test_combine_is_offered_for_a_text_only(tmp_path: Path) -> None:
    (alain, claire), _entry = crossed_edits(tmp_path, 2)
    alain.close()
    app = CarnetApp(claire, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        offered = {}
        for _ in screen.pending:
            item = screen.selected
            assert item is not None
            offered[item.conflict.field] = screen.check_action("combine", ())
            await pilot.press("down")
            await settle(pilot)
        assert offered == {"title": False, "body": True}
    claire.close()
