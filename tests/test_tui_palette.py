"""The command palette: in French, its search blind to accents, Textual's commands kept, and a
way to every entry by its title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input
from tui_data import review_notebook
from tuitools import settle

from store import Notebook
from tui.app import CarnetApp
from tui.screens.review import ReviewScreen
from tui.widgets.entry_list import EntryList

SIZE = (120, 40)


@pytest.fixture
def nb(tmp_path: Path) -> Iterator[Notebook]:
    notebook = review_notebook(tmp_path / "carnet")
    yield notebook
    notebook.close()


def shown_commands(app: CarnetApp) -> list[str]:
    from textual.command import CommandList

    options = app.screen.query_one(CommandList).options
    return [str(getattr(option.prompt, "plain", option.prompt)) for option in options]


async def test_the_palette_speaks_french(nb: Notebook) -> None:
    """Bug: "Search for commands…" in the French interface."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder == "Rechercher une commande…"
        keys = {active.binding.description for active in app.screen.active_bindings.values()}
        assert "Fermer la palette" in keys
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


async def test_textual_commands_are_kept_in_french(nb: Notebook) -> None:
    """Bug: Carnet's palette replaced Textual's system commands (keys, screenshot...)."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [command.title for command in app.get_system_commands(app.review)]
        for name in ("Touches", "Capture d'écran", "Agrandir", "Quitter", "Thème"):
            assert name in names
        assert "Screenshot" not in names and "Keys" not in names
        assert names.count("Quitter") == 1 and names.count("Thème") == 1
        assert "Champ suivant" in names  # not "Focus Next"


async def test_the_search_ignores_accents_and_goes_to_an_entry(nb: Notebook) -> None:
    """Bug: "evaluation" found nothing; there was no way to an entry by its title."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = next(e for e in nb.entries() if e.title == "Évaluation des projets")
        assert app.review.current_id != target.id
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"aller evaluation")
        await settle(pilot, 0.5)
        assert [title.splitlines()[0] for title in shown_commands(app)] == [
            "Aller à\u00a0: Évaluation des projets"
        ]
        await pilot.press("enter")
        await settle(pilot, 0.3)
        assert isinstance(app.screen, ReviewScreen)
        assert app.review.query_one(EntryList).current_id == target.id
