"""The TUI started from a folder, as ``carnet`` starts it: a loading screen drawn at once and
answering keys, the review screen once the notebook is open, a progress bar on a cold open."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from tui_data import review_notebook
from tuitools import settle

import tui.app as app_module
from store import cache
from store.errors import NotANotebookError
from store.ids import new_ulid
from store.layout import document_path
from store.notebook import Notebook
from store.storage.loader import SHARED_LOAD_MIN_FILES
from tui.app import CarnetApp
from tui.palette import CarnetPalette
from tui.screens.loading import LoadingScreen
from tui.widgets.entry_list import EntryList


class Gate:
    """Holds the opening of the notebook until ``open()``: what it does meanwhile is seen."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.event = threading.Event()
        self.opened: list[Notebook] = []
        self.closed: list[Notebook] = []
        gate = self

        class Gated(Notebook):
            def __init__(self, root: Path, **options: Any) -> None:
                gate.event.wait(30)
                super().__init__(root, **options)
                gate.opened.append(self)

            def close(self) -> None:
                gate.closed.append(self)
                super().close()

        monkeypatch.setattr(app_module, "Notebook", Gated)

    def open(self) -> None:
        self.event.set()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "carnet"
    review_notebook(folder).close()
    return folder


async def test_keys_are_answered_while_it_opens_and_the_list_shows_once_open(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(monkeypatch)
    app = CarnetApp(root, sync_interval=None)
    try:
        async with app.run_test() as pilot:
            await pilot.pause()
            assert isinstance(app.screen, LoadingScreen)
            assert not app.opened
            await pilot.press("v")  # the digest needs the notebook: nothing happens yet
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert CarnetPalette.is_open(app)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, LoadingScreen)
            gate.open()
            await settle(pilot)
            assert app.opened
            assert app.screen is app.review
            assert len(app.review.query_one(EntryList).rows) == 5
            assert app.review.waiting  # the digest's count came after the list
    finally:
        gate.open()
        app.close_notebook()
    assert gate.closed == gate.opened


async def test_quitting_while_it_opens_closes_the_notebook_opened_late(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(monkeypatch)
    app = CarnetApp(root, sync_interval=None)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    gate.open()
    for _ in range(600):  # the thread still reads the notebook: until it is done with it
        if gate.closed:
            break
        await asyncio.sleep(0.05)
    assert gate.closed == gate.opened != []


@contextlib.asynccontextmanager
async def reviewing_after_a_cold_open(root: Path) -> AsyncIterator[CarnetApp]:
    """The app on ``root`` opened without its cache, at its review screen, once the loading
    screen's progress bar has counted every folder."""
    cache_file = cache.cache_path(root)
    assert cache_file is not None
    cache.remove(cache_file)
    app = CarnetApp(root, sync_interval=None)
    try:
        async with app.run_test() as pilot:
            await settle(pilot)
            assert app.screen is app.review
            loading = app.screen_stack[0]
            assert isinstance(loading, LoadingScreen)
            bar = loading.query_one("#loading-bar")
            assert bar.has_class("-counting")
            assert bar.total and bar.progress == bar.total  # type: ignore[attr-defined]
            yield app
    finally:
        app.close_notebook()


async def test_a_cold_open_fills_a_progress_bar_before_the_review(root: Path) -> None:
    async with reviewing_after_a_cold_open(root):
        pass


async def test_a_folder_that_is_no_notebook_ends_the_app_with_the_reason(tmp_path: Path) -> None:
    app = CarnetApp(tmp_path, sync_interval=None)
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert isinstance(app.failure, NotANotebookError)
    assert app.return_code == 1


async def test_a_cold_open_read_by_two_processes_fills_the_bar_and_has_everything(
    notebook: Notebook,
) -> None:
    entry = notebook.add_entry("practice", "Écoute des parents", "Un lieu d'accueil.")
    comment = notebook.add_comment(entry.id, "Très intéressant")
    root = Path(notebook.root)
    source = root / document_path("comments", comment.id)
    for _copy in range(SHARED_LOAD_MIN_FILES):  # enough files to share the reading
        target = root / document_path("comments", new_ulid())
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, target)
    async with reviewing_after_a_cold_open(root) as app:
        assert len(app.notebook.comments(entry.id)) == SHARED_LOAD_MIN_FILES + 1
