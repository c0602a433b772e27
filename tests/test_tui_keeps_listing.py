"""The TUI leaves the listing on disk at the notebook's commit when it closes it, so that the
next start draws its first frame from it: after an action or without one to start from; a
session that changed nothing leaves the listing (and its search texts) as it found it."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_data import review_notebook
from tuitools import settle

from store import EntryFilter
from store.listing import load as load_listing
from store.notebook import Notebook
from tui.app import CarnetApp
from tui.screens.review import ReviewScreen


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "carnet"
    review_notebook(folder).close()
    return folder


async def run_session(root: Path, *keys: str) -> None:
    app = CarnetApp(root, sync_interval=None)
    try:
        async with app.run_test() as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ReviewScreen)
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
    finally:
        app.close_notebook()


def unread_now(root: Path) -> frozenset[str]:
    with Notebook(root) as notebook:
        return frozenset(e.id for e in notebook.entries(EntryFilter(unread=True)))


async def test_an_action_leaves_the_listing_at_the_new_commit(root: Path) -> None:
    assert load_listing(root, search=False) is None  # none yet: the first start reads it all
    before = unread_now(root)
    await run_session(root, "u")  # the entry under the cursor, read or unread
    listing = load_listing(root, search=False)
    assert listing is not None, "the next start could not draw its first frame from it"
    assert listing.unread == unread_now(root) != before
    # Without the search's texts (nobody searched): words send the command line to the notebook.
    whole = load_listing(root)
    assert whole is not None and whole.search is None
    assert not whole.accepts(EntryFilter(search="projets"))
    assert whole.accepts(EntryFilter())


async def test_a_session_that_changed_nothing_keeps_the_listing_and_its_texts(
    root: Path,
) -> None:
    with Notebook(root) as notebook:
        notebook.listing()  # as carnet list leaves it, search texts included
    await run_session(root, "down")
    listing = load_listing(root)
    assert listing is not None and listing.search is not None


async def test_a_search_in_the_session_writes_its_texts_too(root: Path) -> None:
    await run_session(root, "u", "slash", *"projets", "enter")
    listing = load_listing(root)
    assert listing is not None and listing.search is not None
    assert listing.accepts(EntryFilter(search="projets"))
