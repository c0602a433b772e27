"""A large merge tells how far it has gone: to whoever listens, on a terminal, in the TUI."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from ptytools import read_all
from synctools import shared_notebook
from tuitools import settle

import store.incoming
from store import Notebook
from store.progress import reporting
from store.sync import sync
from tui.app import CarnetApp
from tui.cli import main

ENTRIES = 4


def both_sides_edit(tmp_path: Path) -> tuple[Notebook, Notebook]:
    """Two clones, each having changed the same entries (another field each) since they met."""
    alain, claire = shared_notebook(tmp_path, 2)
    for number in range(ENTRIES):
        alain.add_entry("practice", f"Pratique {number}", "Texte.", objectives=[1])
    sync(alain)
    sync(claire)
    edit_again(alain, claire, "Titre revu", "adopted")
    return alain, claire


def edit_again(alain: Notebook, claire: Notebook, title: str, status: str) -> None:
    """Alain changes the title of each entry and shares it; Claire its status, not yet."""
    claire.refresh()
    for entry in alain.entries():
        alain.edit_entry(entry.id, title=title)
        claire.edit_entry(entry.id, status=status)
    sync(alain)


@pytest.fixture
def small_merges_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store.incoming, "PROGRESS_FROM", 1)


def test_a_merge_reports_a_growing_count_up_to_its_total(
    tmp_path: Path, small_merges_reported: None
) -> None:
    _alain, claire = both_sides_edit(tmp_path)
    heard: list[tuple[int, int]] = []
    with reporting(lambda done, total: heard.append((done, total))):
        report = sync(claire)
    assert report.merged == ENTRIES
    totals = {total for _done, total in heard}
    assert len(totals) == 1, heard
    done = [count for count, _total in heard]
    assert done == sorted(done) and done[0] == 0 and done[-1] == totals.pop()
    # Checked, merged and written, document by document.
    assert len(set(done)) > ENTRIES


def test_a_small_merge_reports_nothing(tmp_path: Path) -> None:
    _alain, claire = both_sides_edit(tmp_path)
    heard: list[tuple[int, int]] = []
    with reporting(lambda done, total: heard.append((done, total))):
        assert sync(claire).merged == ENTRIES
    assert heard == []


def test_carnet_sync_shows_the_merge_on_a_terminal_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_merges_reported: None
) -> None:
    alain, claire = both_sides_edit(tmp_path)
    controller, terminal = os.openpty()
    with os.fdopen(terminal, "w", encoding="utf-8") as stderr:
        monkeypatch.setattr(sys, "stderr", stderr)
        assert main(["-C", str(claire.root), "sync"]) == 0
    shown = read_all(controller)
    assert shown.startswith("\rFusion des modifications des autres    0 %"), shown
    assert shown.endswith("\rFusion des modifications des autres  100 %\r\n"), shown
    edit_again(alain, claire, "Titre revu encore", "archived")
    piped_read, piped_write = os.pipe()
    with os.fdopen(piped_write, "w", encoding="utf-8") as stderr:
        monkeypatch.setattr(sys, "stderr", stderr)
        assert main(["-C", str(claire.root), "sync"]) == 0
    with os.fdopen(piped_read, encoding="utf-8") as piped:
        assert piped.read() == ""


async def test_the_review_screen_shows_how_far_a_merge_has_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_merges_reported: None
) -> None:
    _alain, claire = both_sides_edit(tmp_path)
    shown: list[tuple[str, str]] = []
    original = CarnetApp._show_sync_progress

    def show(app: CarnetApp, percent: int) -> None:
        original(app, percent)
        shown.append(app.review.sync_state)

    monkeypatch.setattr(CarnetApp, "_show_sync_progress", show)
    app = CarnetApp(claire, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert not app.syncing
    words = [text for text, _style in shown]
    assert words[0] == "⟳ fusion des modifications des autres… 0 %", words
    assert words[-1] == "⟳ fusion des modifications des autres… 100 %", words
    percents = [int(text.split("… ")[1].removesuffix(" %")) for text in words]
    assert percents == sorted(set(percents))
