"""Small things of the review screen that got in the way: the help, the cursor after a search,
the read marks, the new-entry form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TEST_NAME
from textual.binding import Binding
from textual.widgets import Input, OptionList, Select, SelectionList
from tui_data import review_notebook
from tuitools import settle

from store import Notebook
from store.i18n import _
from tui.app import CarnetApp
from tui.screens.editor import EntryEditor, kind_choices
from tui.screens.help import HelpScreen
from tui.screens.review import ReviewScreen
from tui.widgets.entry_list import EntryList
from tui.widgets.entry_view import EntryView

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


async def test_escape_after_a_search_keeps_the_cursor_on_its_entry(nb: Notebook) -> None:
    """Bug: after a search, `escape` sent the cursor back to the first entry."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = app.review.query_one(EntryList)
        await pilot.press("slash", *"reseau", "enter")
        await settle(pilot, 0.5)
        assert [row.entry.title for row in listing.rows] == ["Réseau des CAF"]
        chosen = listing.current_id
        await pilot.press("escape")
        await settle(pilot, 0.5)
        assert len(listing.rows) == 5
        assert listing.current_id == chosen
        # Escape from inside the search field, too.
        await pilot.press("slash", *"outil")
        await settle(pilot, 0.5)
        chosen = listing.current_id
        assert listing.rows[listing.cursor].entry.title == "Outil de suivi partagé"
        await pilot.press("escape")
        await settle(pilot, 0.5)
        assert len(listing.rows) == 5
        assert listing.current_id == chosen


async def test_enter_in_the_search_goes_to_the_results(nb: Notebook) -> None:
    """Bug: enter in the search field put the focus on the kind filter: the arrows then
    opened its menu instead of moving in the results, and escape only closed that menu."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = app.review.query_one(EntryList)
        await pilot.press("slash", *"de", "enter")
        await settle(pilot, 0.5)
        assert app.focused is listing
        await pilot.press("down", "down")
        await settle(pilot, 0.5)
        chosen = listing.current_id
        assert listing.cursor == 2
        await pilot.press("escape")
        await settle(pilot, 0.5)
        assert listing.current_id == chosen


async def test_an_entry_is_never_unread_and_read_by_me_at_once(nb: Notebook) -> None:
    """Bug: an entry showed « ● non lue » and « Lue par … » with the reader's own name, once
    a comment came after the reading."""
    mine = next(entry for entry in nb.entries() if entry.title == "Mes notes du jour")
    anne = next(p for p in nb.participants() if p.name == "Anne Martin")
    with nb.acting_as(anne.id):
        nb.add_comment(mine.id, "Et la suite ?")
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.review.go_to(mine.id)
        await settle(pilot, 0.3)
        shown = "\n".join(app.review.query_one(EntryView).text_lines())
        assert "Lue par" in shown and TEST_NAME in shown
        assert "non lue" not in shown
        assert "du nouveau depuis votre lecture" in shown


async def new_entry_form(app: CarnetApp, pilot: Any) -> EntryEditor:
    await settle(pilot)
    await pilot.press("N")
    await settle(pilot)
    assert isinstance(app.screen, EntryEditor)
    return app.screen


async def test_the_new_entry_form_starts_on_the_kind_without_the_synthesis(nb: Notebook) -> None:
    """Bug: focus started below the kind; the kind list offered « Synthèse du groupe », which
    is made by its name from the synthesis screen."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        editor = await new_entry_form(app, pilot)
        kind = editor.query_one("#kind", Select)
        assert app.focused is kind
        assert "section" not in [value for _label, value in kind_choices(None)]
        await pilot.press("enter")
        await settle(pilot)
        offered = str(app.screen.query_one("SelectOverlay", OptionList).options)
        assert "Synthèse du groupe" not in offered and "Pratique observée" in offered


async def test_tabbing_into_the_title_keeps_it(nb: Notebook) -> None:
    """Bug: tabbing into the title selected it, so the next key typed replaced it."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        editor = await new_entry_form(app, pilot)
        title = editor.query_one("#title", Input)
        title.focus()
        await pilot.press(*"Atelier")
        editor.query_one("#kind", Select).focus()
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is title
        await pilot.press(*" parents")
        assert title.value == "Atelier parents"


async def test_text_typed_in_the_objectives_is_not_lost(nb: Notebook) -> None:
    """Bug: text typed while the objectives list had the focus was dropped."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        editor = await new_entry_form(app, pilot)
        objectives = editor.query_one("#objectives", SelectionList)
        objectives.focus()
        await pilot.press("2", *"caf")
        await settle(pilot)
        assert objectives.selected == [2]
        assert editor.query_one("#tags", Input).value == "caf"
        assert app.focused is editor.query_one("#tags", Input)


async def test_text_typed_on_the_kind_goes_to_the_title(nb: Notebook) -> None:
    """The form starts on the kind: a title typed at once is not lost."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        editor = await new_entry_form(app, pilot)
        await pilot.press(*"Brouillon")
        assert editor.query_one("#title", Input).value == "Brouillon"
