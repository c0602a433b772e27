"""The digest screen and the completion of mentions, driven by keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from clitools import carnet
from synctools import shared_notebook
from textual.widgets import OptionList, Static, TextArea
from tuitools import settle

from store import Notebook
from store.sync import sync
from tui.app import CarnetApp
from tui.background_sync import WATCH_INTERVAL
from tui.screens.comment import CommentScreen
from tui.screens.digest import DigestScreen
from tui.screens.editor import EntryEditor
from tui.widgets.entry_list import EntryList


@pytest.fixture
def two(tmp_path: Path) -> tuple[Notebook, Notebook]:
    """Alain, who has read his entries, and Claire, who then wrote one and commented his
    (Hélène Côté takes part too)."""
    alain, claire, _helene = shared_notebook(tmp_path, 3)
    first = alain.add_entry("practice", "La maison des familles")
    alain.add_entry("proposal", "Un centre de liaison")
    for clone in (alain, claire, alain):
        sync(clone)
    claire.add_comment(first.id, "Merci @alain, je la visite jeudi.")
    claire.add_entry("tool", "Une charte")
    for clone in (claire, alain):
        sync(clone)
    return alain, claire


def _title(app: CarnetApp) -> str:
    """The review screen's title line, as drawn."""
    return str(app.review.query_one("#notebook-title", Static).render())


def _lines(screen: DigestScreen) -> list[str]:
    options = screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_digest_opens_an_item_in_the_review_screen_marked_read(
    two: tuple[Notebook, Notebook],
) -> None:
    alain, _claire = two
    app = CarnetApp(alain, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert _title(app).endswith("  ·  2 nouveautés (v pour les voir)")
        palette = [command.title for command in app.get_system_commands(app.screen)]
        assert "Depuis ma dernière visite" in palette
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DigestScreen)
        lines = _lines(screen)
        assert lines[0] == "Une charte" and "nouvelle entrée" in lines[1]
        assert lines[2] == "La maison des familles"
        assert "vous mentionne" in lines[3] and "je la visite jeudi" in lines[3]
        await pilot.press("down", "enter")  # the title of the second entry is passed over
        await settle(pilot)
        assert app.screen is app.review
        maison = next(e for e in alain.entries() if e.title == "La maison des familles")
        assert app.review.query_one(EntryList).current_id == maison.id
        assert maison.id not in {item.entry for item in alain.digest()}
        await pilot.press("v")
        await settle(pilot)
        assert len(_lines(app.screen)) == 2  # only the new entry is left
        assert _title(app).endswith("  ·  1 nouveauté (v pour les voir)")
        await pilot.press("escape")
        assert app.screen is app.review


@pytest.mark.parametrize("writing", ["comment", "entry"])
async def test_typing_at_offers_the_participants_without_accents(
    two: tuple[Notebook, Notebook], writing: str
) -> None:
    alain, _claire = two
    app = CarnetApp(alain, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        entry = alain.entries()[0]
        screen = CommentScreen(alain, entry.id) if writing == "comment" else EntryEditor(alain)
        app.push_screen(screen)
        await settle(pilot)
        area = screen.query_one("#body", TextArea)
        area.focus()
        await pilot.press("B", "o", "n", "j", "o", "u", "r", "space", "@", "h", "e")
        await settle(pilot)
        choices = screen.query_one("#mention-choices", OptionList)
        assert choices.display
        assert str(choices.get_option_at_index(0).prompt) == "@Hélène"
        await pilot.press("tab")
        await settle(pilot)
        assert area.text.startswith("Bonjour @Hélène ")
        assert not choices.display


async def test_the_title_line_counts_the_items_after_a_sync_and_a_save(
    two: tuple[Notebook, Notebook],
) -> None:
    alain, claire = two
    app = CarnetApp(alain, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert _title(app).endswith("2 nouveautés (v pour les voir)")
        # Claire writes again; Alain's sync brings it.
        claire.add_entry("contact", "Une directrice de centre social")
        sync(claire)
        await pilot.press("S")
        await settle(pilot)
        assert _title(app).endswith("3 nouveautés (v pour les voir)")
        # Reading an entry, here by its key, is a save: its items go.
        charte = next(e for e in alain.entries() if e.title == "Une charte")
        assert app.review.query_one(EntryList).select(charte.id)
        await pilot.press("enter")
        await settle(pilot)
        assert _title(app).endswith("2 nouveautés (v pour les voir)")
        for entry in alain.entries():  # read elsewhere, on the command line
            assert carnet("read", entry.id, cwd=alain.root).returncode == 0
        await pilot.pause(WATCH_INTERVAL + 0.5)  # the app looks for such changes
        await settle(pilot)
        assert "nouveauté" not in _title(app)
