"""The TUI's first frame drawn from the listing on disk while the notebook opens: the list and
its keys at once, the keys that need the notebook saying so, the review screen complete once
the notebook is open; a listing that is not up to date is never shown."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from test_tui_loading import Gate
from textual.pilot import Pilot
from tui_data import review_notebook
from tuitools import settle

import tui.app as app_module
from store.i18n import _
from store.listing import Frame, start_frame
from store.listing import load as load_listing
from store.notebook import Notebook
from tui.app import CarnetApp
from tui.palette import CarnetPalette
from tui.screens.listed import ListingScreen
from tui.screens.loading import LoadingScreen
from tui.widgets.entry_list import EntryList
from tui.widgets.entry_view import EntryView

TITLES = [
    "Développement social local à Lyon",
    "Évaluation des projets",
    "Outil de suivi partagé",
    "Réseau des CAF",
    "Mes notes du jour",
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A notebook whose listing on disk is up to date (as ``carnet list`` leaves it)."""
    folder = tmp_path / "carnet"
    review_notebook(folder).close()
    with Notebook(folder) as notebook:
        notebook.listing()
    assert load_listing(folder) is not None
    return folder


@contextlib.asynccontextmanager
async def gated_app(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[CarnetApp, Pilot[None], Gate]]:
    """The app started from ``root``, its notebook's opening held until ``gate.open()``;
    the notebook it opened closed at the end."""
    gate = Gate(monkeypatch)
    app = CarnetApp(root, sync_interval=None)
    try:
        async with app.run_test() as pilot:
            yield app, pilot, gate
    finally:
        gate.open()
        app.close_notebook()
    assert gate.closed == gate.opened != []


def titles(app: CarnetApp) -> list[str]:
    return [row.entry.title for row in app.screen.query_one(EntryList).rows]


async def until_listed(pilot: Pilot[None]) -> ListingScreen:
    for _attempt in range(200):  # the listing's git status runs in a thread
        if isinstance(pilot.app.screen, ListingScreen):
            await pilot.pause()
            return pilot.app.screen
        await pilot.pause(0.02)
    raise AssertionError(f"the listing never showed: {pilot.app.screen}")


async def test_the_list_shows_before_the_notebook_is_open_and_its_keys_answer(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Notebook(root) as notebook:
        unread = [notebook.is_unread(entry.id) for entry in notebook.entries()]
    assert True in unread and False in unread
    async with gated_app(root, monkeypatch) as (app, pilot, gate):
        listed = await until_listed(pilot)
        assert not gate.opened and not app.opened
        assert titles(app) == TITLES
        rows = listed.query_one(EntryList).rows
        assert [row.unread for row in rows] == unread
        assert rows[0].author == "Anne Martin"
        await pilot.press("down", "down")
        assert listed.current_id == rows.entries[2].id
        await pilot.press("c")  # a comment needs the notebook: said, not done
        await pilot.pause()
        assert isinstance(app.screen, ListingScreen)
        said = _("The notebook is still opening: this key works in a moment.")
        assert [n.message for n in app._notifications] == [said]
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CarnetPalette.is_open(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is listed
        gate.open()
        await settle(pilot, 0.2)
        assert app.opened and app.screen is app.review
        entry_list = app.review.query_one(EntryList)
        assert entry_list.rows.readings  # comments, stances and readings at once
        assert entry_list.current_id == rows.entries[2].id  # the cursor stayed
        assert app.review.query_one(EntryView).entry_id == rows.entries[2].id


async def test_the_review_waits_for_the_palette_over_the_listing_to_close(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with gated_app(root, monkeypatch) as (app, pilot, gate):
        listed = await until_listed(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        gate.open()
        await settle(pilot)
        assert CarnetPalette.is_open(app) and not app.opened
        await pilot.press("escape")
        await settle(pilot)
        assert app.opened and app.screen is app.review
        assert listed not in app.screen_stack


def change_by_a_peer(root: Path) -> None:
    """Anne renames an entry and commits it, as a sync would bring it."""
    with Notebook(root) as notebook:
        anne = next(p.id for p in notebook.participants() if p.name == "Anne Martin")
        entry = notebook.entries()[0]
        with notebook.acting_as(anne):
            notebook.edit_entry(entry.id, title="Lyon, titre changé")


def edit_by_hand(root: Path) -> None:
    """An entry's file changed on disk, not committed."""
    path = next(p for p in (root / "entries").rglob("*.json") if "Évaluation" in p.read_text())
    path.write_text(path.read_text().replace("Évaluation des projets", "Autre titre"))


@pytest.mark.parametrize("change", [change_by_a_peer, edit_by_hand])
async def test_a_listing_that_is_not_up_to_date_is_never_shown(
    root: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Path], None]
) -> None:
    change(root)
    loaded: list[Frame | None] = []

    def start(folder: Path) -> Callable[[], Frame | None]:
        frame = start_frame(folder)

        def read() -> Frame | None:
            loaded.append(frame())
            return loaded[-1]

        return read

    monkeypatch.setattr(app_module, "start_frame", start)
    async with gated_app(root, monkeypatch) as (app, pilot, gate):
        for _ in range(500):  # until the listing is read and judged
            if loaded:
                break
            await pilot.pause(0.02)
        await pilot.pause()
        assert loaded == [None]
        assert isinstance(app.screen, LoadingScreen)
        gate.open()
        await settle(pilot)
        assert app.screen is app.review
        assert not any(isinstance(screen, ListingScreen) for screen in app.screen_stack)
