"""Keys typed (or pasted) in one go, faster than the screen draws: each reaches the field the
previous key opened, never the list behind it, where a letter is an action."""

from __future__ import annotations

from pathlib import Path

from textual import events
from tui_data import review_notebook
from tuitools import settle

from store import Notebook
from tui.app import CarnetApp
from tui.widgets.entry_list import EntryList


def burst(app: CarnetApp, text: str) -> None:
    """Queue every key of ``text`` at once, as a terminal delivers a paste or a fast typist."""
    for character in text:
        key = "slash" if character == "/" else character
        app.post_message(events.Key(key, character))


async def test_a_search_typed_in_one_go_goes_to_the_search_field(tmp_path: Path) -> None:
    """Bug: « /outil » typed in one go (tmux, a paste) searched nothing: the focus moved to the
    search field after the keys already typed, so « outil » went to the list, whose « u »
    marked the entry unread and « l » looked for a link to follow."""
    nb: Notebook = review_notebook(tmp_path)
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = app.review.query_one(EntryList)
        unread_before = {e.id for e in nb.entries() if nb.is_unread(e.id)}
        burst(app, "/outil")
        await settle(pilot, 0.8)
        assert app.review.criteria.search == "outil"
        assert [row.entry.title for row in listing.rows] == ["Outil de suivi partagé"]
        assert {e.id for e in nb.entries() if nb.is_unread(e.id)} == unread_before


async def test_a_slash_typed_in_the_search_field_is_part_of_the_search(tmp_path: Path) -> None:
    nb: Notebook = review_notebook(tmp_path)
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"1/2")
        await settle(pilot, 0.8)
        assert app.review.criteria.search == "1/2"
