"""The digest screen and the completion of mentions, driven by keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from synctools import shared_notebook
from textual.widgets import OptionList, TextArea
from tuitools import settle

from store import Notebook
from store.sync import sync
from tui.app import CarnetApp
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
        assert app.sub_title == "2 nouveautés depuis votre dernière visite (d pour les voir)"
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
        assert app.sub_title.startswith("1 nouveauté depuis")
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
