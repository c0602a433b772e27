"""Snapshots of the review screen: wide, narrow, and its help (fixed ids, dates and time zone)."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_data import review_notebook
from tuitools import settle

import store.actions
import store.comments
from store import Notebook
from tui.app import CarnetApp


@pytest.fixture
def fixed_nb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Notebook]:
    """The review notebook with ids made in order and times shown in UTC, so screens repeat."""
    numbers = count(1)
    for module in (store.actions, store.comments):
        monkeypatch.setattr(module, "new_ulid", lambda: f"01J{next(numbers):023d}")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    nb = review_notebook(tmp_path / "carnet")
    yield nb
    nb.close()
    monkeypatch.undo()
    time.tzset()


def test_review_screen_wide(fixed_nb: Notebook, snap_compare: Any) -> None:
    app = CarnetApp(fixed_nb, sync_interval=None)
    assert snap_compare(
        app, terminal_size=(120, 40), run_before=functools.partial(settle, delay=0.1)
    )


def test_review_screen_narrow(fixed_nb: Notebook, snap_compare: Any) -> None:
    async def read_next(pilot: Pilot[Any]) -> None:
        await settle(pilot, 0.1)
        await pilot.press("n", "n")
        await settle(pilot, 0.1)

    app = CarnetApp(fixed_nb, sync_interval=None)
    assert snap_compare(app, terminal_size=(80, 24), run_before=read_next)


def test_help_screen(fixed_nb: Notebook, snap_compare: Any) -> None:
    async def open_help(pilot: Pilot[Any]) -> None:
        await settle(pilot, 0.1)
        await pilot.press("question_mark")
        await settle(pilot, 0.1)

    app = CarnetApp(fixed_nb, sync_interval=None)
    assert snap_compare(app, terminal_size=(100, 40), run_before=open_help)
