"""Small things of the review screen that got in the way: the help, the cursor after a search,
the read marks, the new-entry form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.binding import Binding
from tui_data import review_notebook
from tuitools import settle

from store import Notebook
from store.i18n import _
from tui.app import CarnetApp
from tui.screens.help import HelpScreen
from tui.screens.review import ReviewScreen
from tui.widgets.entry_list import EntryList

SIZE = (120, 40)


@pytest.fixture
def nb(tmp_path: Path) -> Iterator[Notebook]:
    notebook = review_notebook(tmp_path / "carnet")
    yield notebook
    notebook.close()


async def test_the_help_lists_every_key_of_the_review_screen(nb: Notebook) -> None:
    """Bug: `?` left out `X` (export)."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        listed = {description for _title, keys in app.screen.sections for _k, description in keys}
        assert "Exporter la synthèse" in listed
        assert "Depuis ma dernière visite" in listed
        for binding in [*ReviewScreen.BINDINGS, *EntryList.BINDINGS, *CarnetApp.BINDINGS]:
            assert isinstance(binding, Binding)
            assert _(binding.description) in listed, binding.action
